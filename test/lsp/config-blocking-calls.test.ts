import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ConfigClient } from './config-support';

// A client class of the project's own that blocks, and a catalogue call the project says is fine.
const APP = [
  'import socket',
  'from mypkg.client import Client',
  '',
  'async def handler(host):',
  '    Client().fetch(host)',
  '    socket.getfqdn()',
  '',
].join('\n');

describe('threadwise.blockingCalls and threadwise.nonBlockingCalls through the LSP', () => {
  const c = new ConfigClient();
  before(async () => {
    await c.start();
    await c.open('app.py', APP);
  });
  after(async () => c.close());

  test('without them only the catalogue applies', async () => {
    assert.deepEqual(await c.codes('app.py'), ['TW108']);
  });

  test('blockingCalls adds a method of an imported class; nonBlockingCalls removes a catalogue call', async () => {
    await c.configure({ blockingCalls: ['mypkg.client.Client.fetch'], nonBlockingCalls: ['socket.getfqdn'] });
    assert.deepEqual(await c.codes('app.py'), ['TW110']);
    await c.configure({});
    assert.deepEqual(await c.codes('app.py'), ['TW108']);
  });

  test('an entry that is not a dotted name is named once; the valid entries apply', async () => {
    const before = c.messages.length;
    await c.configure({ blockingCalls: ['mypkg.client.Client.fetch()', 'mypkg.client.Client'] });
    // A class entry covers its constructor and its methods: `Client()` and `.fetch()`.
    assert.deepEqual(await c.codes('app.py'), ['TW108', 'TW110', 'TW110']);
    const shown = c.messages.slice(before);
    assert.equal(shown.length, 1, shown.join('\n'));
    assert.match(shown[0]!, /threadwise\.blockingCalls: not a dotted name .*"mypkg\.client\.Client\.fetch\(\)"/);
    await c.configure({});
  });
});
