import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { USAGE } from '../../server/cli/args';
import { DEFAULT_SETTINGS, parseSettings } from '../../server/lsp/settings';
import { CODE_PATTERN, KNOWN_KEYS, OPTIONS, type OptionType } from '../../server/project';
import { DOTTED_NAME_PATTERN } from '../../server/project/options';

const ROOT = path.join(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const properties = pkg.contributes.configuration.properties as Record<string, Record<string, any>>;

/** The JSON schema type package.json must declare for each option type an editor setting can have. */
const JSON_TYPE: Partial<Record<OptionType, string>> = { codes: 'array', severities: 'object', globs: 'array', boolean: 'boolean', enum: 'string', 'dotted-names': 'array' };

test('package.json declares exactly the settings of the option schema, with its types, defaults and values', () => {
  const settings = OPTIONS.filter((o) => o.setting !== undefined);
  assert.deepEqual(Object.keys(properties).sort(), settings.map((o) => `threadwise.${o.setting}`).sort());
  for (const o of settings) {
    const p = properties[`threadwise.${o.setting}`]!;
    const where = `threadwise.${o.setting}`;
    assert.equal(p['type'], JSON_TYPE[o.type], `${where}: type`);
    assert.deepEqual(p['default'], o.default, `${where}: default`);
    if (o.type === 'enum') assert.deepEqual(p['enum'], o.values, `${where}: values`);
    if (o.type === 'codes') assert.equal(p['items']?.pattern, CODE_PATTERN, `${where}: code shape`);
    if (o.type === 'globs') assert.equal(p['items']?.type, 'string', `${where}: items`);
    if (o.type === 'dotted-names') assert.equal(p['items']?.pattern, DOTTED_NAME_PATTERN, `${where}: name shape`);
    if (o.type === 'severities') {
      assert.equal(p['propertyNames']?.pattern, CODE_PATTERN, `${where}: code shape`);
      assert.deepEqual(p['additionalProperties']?.enum, ['error', 'warning', 'information', 'hint'], `${where}: levels`);
    }
  }
});

test('the server reads each setting with the schema\'s default and values', () => {
  assert.equal(DEFAULT_SETTINGS.run, OPTIONS.find((o) => o.setting === 'run')!.default);
  assert.equal(DEFAULT_SETTINGS.configurationPreference, OPTIONS.find((o) => o.setting === 'configurationPreference')!.default);
  for (const value of OPTIONS.find((o) => o.setting === 'configurationPreference')!.values!) {
    assert.equal(parseSettings({ configurationPreference: value }).configurationPreference, value);
  }
  for (const value of OPTIONS.find((o) => o.setting === 'run')!.values!) assert.equal(parseSettings({ run: value }).run, value);
  assert.equal(DEFAULT_SETTINGS.diagnosticMode, OPTIONS.find((o) => o.setting === 'diagnosticMode')!.default);
  for (const value of OPTIONS.find((o) => o.setting === 'diagnosticMode')!.values!) {
    assert.equal(parseSettings({ diagnosticMode: value }).diagnosticMode, value);
  }
  const wrong = parseSettings({ diagnosticMode: 'everything' });
  assert.equal(wrong.diagnosticMode, 'openFilesOnly', 'an unknown mode falls back to the default');
  assert.ok(wrong.problems.some((p) => p.startsWith('threadwise.diagnosticMode:')), wrong.problems.join(' | '));
});

test('pyproject.toml keys and CLI flags come from the schema and are documented', () => {
  assert.deepEqual([...KNOWN_KEYS], OPTIONS.flatMap((o) => (o.pyproject ? [o.pyproject] : [])));
  const configDoc = fs.readFileSync(path.join(ROOT, 'docs', 'configuration.md'), 'utf8');
  const cliDoc = fs.readFileSync(path.join(ROOT, 'docs', 'cli.md'), 'utf8');
  for (const o of OPTIONS) {
    if (o.pyproject) assert.ok(configDoc.includes(`| \`${o.pyproject}\` |`), `docs/configuration.md lists ${o.pyproject}`);
    if (o.setting) assert.ok(configDoc.includes(`| \`threadwise.${o.setting}\` |`), `docs/configuration.md lists threadwise.${o.setting}`);
    if (o.cliFlag) {
      assert.ok(USAGE.includes(`  ${o.cliFlag} `), `--help lists ${o.cliFlag}`);
      // A flag with a value (`--jobs N`) or without one (`--no-cache`).
      assert.ok(cliDoc.includes(`| \`${o.cliFlag} `) || cliDoc.includes(`| \`${o.cliFlag}\` |`), `docs/cli.md lists ${o.cliFlag}`);
    }
  }
});
