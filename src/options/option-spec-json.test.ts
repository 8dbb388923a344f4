import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseOptions, renderHelp, type OptionSpec } from './option-spec.js';

/** A structured option: a list of `{name, port}` objects, as an agent's exec collectors would be. */
const targets: OptionSpec = {
  name: 'targets',
  kind: 'json',
  description: 'Targets to probe.',
  default: [],
  parse(value) {
    if (!Array.isArray(value)) throw new Error('must be a list of {name, port}');
    return value.map((v, i) => {
      if (typeof v !== 'object' || v === null || typeof (v as { name?: unknown }).name !== 'string') throw new Error(`item ${i}: name must be a string`);
      return { name: (v as { name: string }).name, port: Number((v as { port?: unknown }).port ?? 80) };
    });
  },
};
const server: OptionSpec = { name: 'server', kind: 'url', description: 'Server URL.', required: true };
const key: OptionSpec = { name: 'key', kind: 'string', description: 'Secret.', required: true, secret: true };

test('json option: structured value from the config file goes through parse', () => {
  const r = parseOptions([targets], { argv: [], env: {}, file: { targets: [{ name: 'a' }, { name: 'b', port: 8080 }] } });
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.values.targets, [
    { name: 'a', port: 80 },
    { name: 'b', port: 8080 },
  ]);
});

test('json option: JSON text from a flag or variable is parsed first; flags win over env', () => {
  const env = { VIGIL_TARGETS: '[{"name":"env"}]' };
  assert.deepEqual(parseOptions([targets], { argv: [], env }).values.targets, [{ name: 'env', port: 80 }]);
  const r = parseOptions([targets], { argv: ['--targets', '[{"name":"flag","port":1}]'], env });
  assert.deepEqual(r.values.targets, [{ name: 'flag', port: 1 }]);
});

test('json option: invalid JSON and parse errors name the source', () => {
  const bad = parseOptions([targets], { argv: ['--targets={oops'], env: {} });
  assert.equal(bad.errors.length, 1);
  assert.match(bad.errors[0] as string, /^--targets: .* must be valid JSON$/);
  const wrong = parseOptions([targets], { argv: [], env: {}, file: { targets: [{ port: 1 }] } });
  assert.match(wrong.errors[0] as string, /^config file key "targets": .*item 0: name must be a string$/);
  const env = parseOptions([targets], { argv: [], env: { VIGIL_TARGETS: '{"name":"x"}' } });
  assert.match(env.errors[0] as string, /^VIGIL_TARGETS: .*must be a list/);
});

test('json option: default is used when absent and rendered as JSON in help', () => {
  assert.deepEqual(parseOptions([targets], { argv: [], env: {} }).values.targets, []);
  assert.match(renderHelp('vigil x', 'X.', [targets]), /--targets <json>.*\n.*\(default: \[\]\)/);
});

test('required options: missing ones are reported with all three sources; secrets say (required) in help', () => {
  const r = parseOptions([server, key], { argv: [], env: {} });
  assert.deepEqual(r.errors, [
    '--server is required (or set VIGIL_SERVER, or config file key "server")',
    '--key is required (or set VIGIL_KEY, or config file key "key")',
  ]);
  assert.deepEqual(parseOptions([server, key], { argv: ['--server', 'http://h:1/'], env: { VIGIL_KEY: 'k' } }).errors, []);
  const help = renderHelp('vigil x', 'X.', [server, key]);
  assert.match(help, /--key <string>.*\n.*Secret\. \(required\)/);
});
