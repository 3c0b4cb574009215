#!/usr/bin/env node
// Test harness for seroval-python-types against the real seroval: JSON lines in, out.
//
//   request:  {"op": "from_json" | "deserialize" | "eval", "text": "..."}
//   reply:    {"ok": true, "describe": <the JS value as JSON>, "json": JSON.stringify(toJSON(v)),
//              "serialize": serialize(v), "crossJson": JSON.stringify(toCrossJSON(v))}
//             {"ok": false, "error": {"name", "message"}}
//
//   request:  {"op": "stream_in", "text": "<JSON array of cross-JSON record texts>"}
//   reply:    {"ok": true, "now", "later", "items"}: the records read with fromCrossJSON
//             (one refs Map), for a root {now, later: a promise, items: an async iterable},
//             each part described once settled
//   request:  {"op": "stream_out", "text": "<a JS expression v>"}
//   reply:    {"ok": true, "nodes", "chunks", "json"}: {now: v, later: Promise.resolve(v),
//             items: an async generator yielding v} written by toCrossJSONStream (record
//             texts), crossSerializeStream (JS chunks) and toJSONAsync
//
// from_json reads `text` with fromJSON, deserialize with seroval's (eval-based)
// deserialize, eval evaluates `text` as a JS expression (SerovalPython is a
// global); every write uses PythonTypesPlugins.

import { createInterface } from 'node:readline';
import {
  crossSerializeStream,
  deserialize,
  fromCrossJSON,
  fromJSON,
  serialize,
  toCrossJSON,
  toCrossJSONStream,
  toJSON,
  toJSONAsync,
} from 'seroval';
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

// The records of a stream, read as a page reads them: one refs Map, record by record.
async function streamIn(texts) {
  const refs = new Map();
  const values = texts.map((text) => fromCrossJSON(JSON.parse(text), { plugins, refs }));
  const root = values[0];
  const items = [];
  for await (const item of root.items) items.push(describe(item));
  return { now: describe(root.now), later: describe(await root.later), items };
}

// Run a streaming writer to its end; `sink` gets each record or chunk.
function collect(api, value, sink) {
  return new Promise((resolve, reject) => {
    api(value, { plugins, onParse: sink, onSerialize: sink, onDone: resolve, onError: reject });
  });
}

async function streamOut(text) {
  const make = () => {
    const value = (0, eval)('(' + text + ')');
    async function* items() {
      yield value;
    }
    return { now: value, later: Promise.resolve(value), items: items() };
  };
  const nodes = [];
  const chunks = [];
  await collect(toCrossJSONStream, make(), (node) => nodes.push(JSON.stringify(node)));
  await collect(crossSerializeStream, make(), (chunk) => chunks.push(chunk));
  return { nodes, chunks, json: JSON.stringify(await toJSONAsync(make(), { plugins })) };
}

async function handle(request) {
  if (request.op === 'stream_in') return streamIn(JSON.parse(request.text));
  if (request.op === 'stream_out') return streamOut(request.text);
  const value = read(request);
  return {
    describe: describe(value),
    json: JSON.stringify(toJSON(value, { plugins })),
    serialize: serialize(value, { plugins }),
    crossJson: JSON.stringify(toCrossJSON(value, { plugins })),
  };
}

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  let reply;
  try {
    reply = { ok: true, ...(await handle(JSON.parse(line))) };
  } catch (error) {
    reply = { ok: false, error: { name: error?.name, message: String(error?.message ?? error) } };
  }
  process.stdout.write(JSON.stringify(reply) + '\n');
}
