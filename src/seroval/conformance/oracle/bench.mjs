#!/usr/bin/env node
// Times seroval 1.8.1 on V8 for benchmarks/run.py, so both sides run on the same
// payloads in the same session.
//
//   node bench.mjs < request.json > timings.json
//
// request:  {"repeats": N, "payloads": {"<name>": "<toJSON envelope text>", ...},
//            "streams": {"<name>": ["<toJSON envelope text of each item>", ...]}}
// response: {"<name>": {"<operation>": best milliseconds, ...}, ...}
//
// Each payload is rebuilt as a JS value with fromJSON, then every operation is
// run `repeats` times and the best time kept (a warm-up run comes first).

import { readFileSync } from 'node:fs';
import {
  crossSerialize,
  crossSerializeStream,
  deserialize,
  fromJSON,
  serialize,
  toJSON,
} from 'seroval';

function best(repeats, operation) {
  operation();
  let fastest = Infinity;
  for (let i = 0; i < repeats; i++) {
    const start = process.hrtime.bigint();
    operation();
    const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    if (elapsed < fastest) fastest = elapsed;
  }
  return fastest;
}

const request = JSON.parse(readFileSync(0, 'utf8'));
const repeats = request.repeats ?? 5;
const results = {};

for (const [name, text] of Object.entries(request.payloads ?? {})) {
  const value = fromJSON(JSON.parse(text));
  const json = JSON.stringify(toJSON(value));
  const js = serialize(value);
  results[name] = {
    'toJSON+stringify': best(repeats, () => JSON.stringify(toJSON(value))),
    'parse+fromJSON': best(repeats, () => fromJSON(JSON.parse(json))),
    serialize: best(repeats, () => serialize(value)),
    'deserialize (eval)': best(repeats, () => deserialize(js)),
    bytes: { json: Buffer.byteLength(json), js: Buffer.byteLength(js) },
  };
}

async function bestAsync(repeats, operation) {
  await operation();
  let fastest = Infinity;
  for (let i = 0; i < repeats; i++) {
    const start = process.hrtime.bigint();
    await operation();
    const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    if (elapsed < fastest) fastest = elapsed;
  }
  return fastest;
}

// crossSerializeStream over an async generator of the items: resolves once onDone ran.
function streamItems(items, collect) {
  async function* generate() {
    for (const item of items) yield item;
  }
  return new Promise((resolve, reject) => {
    crossSerializeStream(generate(), {
      onSerialize(chunk) {
        if (collect) collect.push(chunk);
      },
      onDone: resolve,
      onError: reject,
    });
  });
}

for (const [name, texts] of Object.entries(request.streams ?? {})) {
  const items = texts.map((text) => fromJSON(JSON.parse(text)));
  const chunks = [];
  await streamItems(items, chunks);
  results[name] = {
    'crossSerialize per item (shared refs)': best(repeats, () => {
      const refs = new Map();
      for (const item of items) crossSerialize(item, { refs });
    }),
    crossSerializeStream: await bestAsync(repeats, () => streamItems(items, null)),
    'eval chunks': best(repeats, () => {
      globalThis.$R = [];
      for (const chunk of chunks) (0, eval)(chunk);
    }),
  };
}

process.stdout.write(JSON.stringify(results) + '\n');
