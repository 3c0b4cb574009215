#!/usr/bin/env node
// Test harness for seroval-python-types against the real seroval: JSON lines in, out.
//
//   request:  {"op": "from_json" | "deserialize" | "eval", "text": "..."}
//   reply:    {"ok": true, "describe": <the JS value as JSON>, "json": JSON.stringify(toJSON(v)),
//              "serialize": serialize(v), "crossJson": JSON.stringify(toCrossJSON(v))}
//             {"ok": false, "error": {"name", "message"}}
//
// from_json reads `text` with fromJSON, deserialize with seroval's (eval-based)
// deserialize, eval evaluates `text` as a JS expression (SerovalPython is a
// global); every write uses PythonTypesPlugins.

import { createInterface } from 'node:readline';
import { deserialize, fromJSON, serialize, toCrossJSON, toJSON } from 'seroval';
import { installGlobal, PythonTypesPlugins, SerovalPython } from '../index.mjs';

installGlobal();
const plugins = PythonTypesPlugins;
const ours = new Set(Object.values(SerovalPython));

// A JSON description of a JS value that tells every type apart.
export function describe(value) {
  if (value === undefined) return { $: 'undefined' };
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    return Number.isFinite(value) && !Object.is(value, -0) ? value : { $: 'number', value: String(value) };
  }
  if (typeof value === 'bigint') return { $: 'bigint', value: String(value) };
  if (Array.isArray(value)) return value.map(describe);
  if (value instanceof Date) return { $: 'Date', value: value.toISOString() };
  if (value instanceof Set) return { $: 'Set', items: [...value].map(describe) };
  if (value instanceof Map) return { $: 'Map', entries: [...value].map(([k, v]) => [describe(k), describe(v)]) };
  if (ours.has(value.constructor)) {
    const fields = {};
    for (const [key, item] of Object.entries(value)) fields[key] = describe(item);
    return { $: value.constructor.name, ...fields };
  }
  const fields = {};
  for (const [key, item] of Object.entries(value)) fields[key] = describe(item);
  return { $: 'Object', fields };
}

function read(request) {
  switch (request.op) {
    case 'from_json':
      return fromJSON(JSON.parse(request.text), { plugins });
    case 'deserialize':
      return deserialize(request.text);
    case 'eval':
      return (0, eval)('(' + request.text + ')');
    default:
      throw new Error('unknown op ' + request.op);
  }
}

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  let reply;
  try {
    const value = read(JSON.parse(line));
    reply = {
      ok: true,
      describe: describe(value),
      json: JSON.stringify(toJSON(value, { plugins })),
      serialize: serialize(value, { plugins }),
      crossJson: JSON.stringify(toCrossJSON(value, { plugins })),
    };
  } catch (error) {
    reply = { ok: false, error: { name: error?.name, message: String(error?.message ?? error) } };
  }
  process.stdout.write(JSON.stringify(reply) + '\n');
}
