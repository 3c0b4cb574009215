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
//
// V8 caches what `eval` compiles, keyed by the source text: evaluating the very
// same text again skips parsing and compiling, and after a few runs executes
// optimised code.  A client deserializing what a server sent never meets the same
// text twice, so the `eval` figures evaluate a distinct text each run (the text
// and a comment with the run's number, made before timing); the figures on the
// same text are kept beside them, named so.

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
  operation(repeats);
  let fastest = Infinity;
  for (let i = 0; i < repeats; i++) {
    const start = process.hrtime.bigint();
    operation(i);
    const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    if (elapsed < fastest) fastest = elapsed;
  }
  return fastest;
}

// `count` copies of `text`, each made distinct by a trailing comment.
function distinct(text, count) {
  return Array.from({ length: count }, (_, run) => `${text}\n//${run}`);
}

const request = JSON.parse(readFileSync(0, 'utf8'));
const repeats = request.repeats ?? 5;
const results = {};

for (const [name, text] of Object.entries(request.payloads ?? {})) {
  const value = fromJSON(JSON.parse(text));
  const json = JSON.stringify(toJSON(value));
  const js = serialize(value);
  const texts = distinct(js, repeats + 1);
  results[name] = {
    'toJSON+stringify': best(repeats, () => JSON.stringify(toJSON(value))),
    'parse+fromJSON': best(repeats, () => fromJSON(JSON.parse(json))),
    serialize: best(repeats, () => serialize(value)),
    'deserialize (eval)': best(repeats, (run) => deserialize(texts[run])),
    'deserialize (eval, same text)': best(repeats, () => deserialize(js)),
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
  const runs = Array.from({ length: repeats + 1 }, (_, run) =>
    chunks.map((chunk) => `${chunk}\n//${run}`),
  );
  results[name] = {
    'crossSerialize per item (shared refs)': best(repeats, () => {
      const refs = new Map();
      for (const item of items) crossSerialize(item, { refs });
    }),
    crossSerializeStream: await bestAsync(repeats, () => streamItems(items, null)),
    'eval chunks': best(repeats, (run) => {
      globalThis.$R = [];
      for (const chunk of runs[run]) (0, eval)(chunk);
    }),
    'eval chunks, same texts': best(repeats, () => {
      globalThis.$R = [];
      for (const chunk of chunks) (0, eval)(chunk);
    }),
  };
}

process.stdout.write(JSON.stringify(results) + '\n');
