#!/usr/bin/env node
// A long-running seroval 1.8.1 oracle for tests: JSON lines in, JSON lines out.
//
//   node server.mjs            (from this directory, after `npm ci`)
//
// Each stdin line is one request; each gets exactly one stdout line, in order.
//
//   request:  {"id": <anything, echoed>, "op": "<op>", ...fields}
//   success:  {"id": ..., "ok": true, ...result fields}
//   failure:  {"id": ..., "ok": false, "error": {"name": <class of err.cause ?? err>, "message": ...}}
//
// `options` (where accepted) is {disabledFeatures?, depthLimit?}; the test plugin
// my/Point (recipe.mjs) is always passed as `plugins`. Values read from text have
// V8's automatic (non-enumerable) error stacks removed, as generate.mjs does, so
// outputs never depend on the machine; send errors without an explicit `stack`.
//
// ops:
//   ping                         -> {version}                      seroval's version
//   header    {scopeId?}         -> {header}                       getCrossReferenceHeader(scopeId)
//   roundtrip {text, options?, references?}
//                                -> {serialize, json}              v = deserialize(text) (global eval);
//                                   serialize(v, options) and JSON.stringify(toJSON(v, options))
//   cross     {text, calls: [{index?, scopeId?, assignSharedRefsOnly?, options?}], references?}
//                                -> {outputs: [string | {error}]}  v = deserialize(text); every call
//                                   crossSerializes v[index] (v when index is absent) and all calls
//                                   share one `refs` Map (seroval's multi-call id space)
//   compile   {json, plugins?}   -> {serialize}                    compileJSON(JSON.parse(json)), with
//                                   the Point plugin unless plugins is false
//   async     {text, options?}   -> {serialize, json, crossSerialize, crossJson}
//                                   serializeAsync, toJSONAsync, crossSerializeAsync and
//                                   toCrossJSONAsync, each of a fresh eval of `text`
//   stream    {text, scopeId?, options?}
//                                -> {chunks, nodes}                crossSerializeStream's chunks and
//                                   toCrossJSONStream's records (JSON text), each of a fresh eval
//   batch     {requests: [...]}  -> {results: [...]}               one response per request, in order
//
// Texts are evaluated as JS expressions (seroval's `deserialize`), so `async` and
// `stream` texts may build promises, async generators or streams; the seroval
// module is available to them as the global `seroval` (e.g. seroval.createStream()).
// `references` lists createReference ids to register before evaluating (one
// function per name, shared with recipe.mjs). Prefer `batch` for many requests:
// one line each way avoids filling both pipes at once.

import { createInterface } from 'node:readline';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as seroval from 'seroval';
import { stripAutoStacks } from './generate.mjs';
import { PLUGINS, referenceFor } from './recipe.mjs';

const {
  compileJSON,
  crossSerialize,
  crossSerializeAsync,
  crossSerializeStream,
  deserialize,
  getCrossReferenceHeader,
  serialize,
  serializeAsync,
  toCrossJSONAsync,
  toCrossJSONStream,
  toJSON,
  toJSONAsync,
} = seroval;
globalThis.seroval = seroval;

const here = dirname(fileURLToPath(import.meta.url));
const VERSION = JSON.parse(
  readFileSync(join(here, 'node_modules', 'seroval', 'package.json'), 'utf8'),
).version;

function errorRecord(err) {
  const specific = err != null && err.cause != null ? err.cause : err;
  const name =
    specific != null && typeof specific === 'object' && specific.constructor
      ? specific.constructor.name
      : typeof specific;
  return { name, message: String(err && err.message !== undefined ? err.message : err) };
}

function seroOptions(options = {}) {
  const out = { plugins: PLUGINS };
  if (options.disabledFeatures !== undefined) out.disabledFeatures = options.disabledFeatures;
  if (options.depthLimit !== undefined) out.depthLimit = options.depthLimit;
  return out;
}

function read(request) {
  for (const name of request.references ?? []) referenceFor(name);
  return stripAutoStacks(deserialize(request.text));
}

const OPS = {
  ping: () => ({ version: VERSION }),
  header: (request) => ({ header: getCrossReferenceHeader(request.scopeId ?? undefined) }),
  roundtrip(request) {
    const value = read(request);
    const options = seroOptions(request.options);
    return { serialize: serialize(value, options), json: JSON.stringify(toJSON(value, options)) };
  },
  cross(request) {
    const value = read(request);
    const refs = new Map();
    const outputs = request.calls.map((call) => {
      const target = call.index === undefined || call.index === null ? value : value[call.index];
      const options = { ...seroOptions(call.options), refs };
      if (call.scopeId !== undefined && call.scopeId !== null) options.scopeId = call.scopeId;
      if (call.assignSharedRefsOnly) options.assignSharedRefsOnly = true;
      try {
        return crossSerialize(target, options);
      } catch (err) {
        return { error: errorRecord(err) };
      }
    });
    return { outputs };
  },
  compile(request) {
    const options = request.plugins === false ? {} : { plugins: PLUGINS };
    return { serialize: compileJSON(JSON.parse(request.json), options) };
  },
  async async(request) {
    const options = seroOptions(request.options);
    return {
      serialize: await serializeAsync(read(request), options),
      json: JSON.stringify(await toJSONAsync(read(request), options)),
      crossSerialize: await crossSerializeAsync(read(request), options),
      crossJson: JSON.stringify(await toCrossJSONAsync(read(request), options)),
    };
  },
  async stream(request) {
    const options = seroOptions(request.options);
    if (request.scopeId !== undefined && request.scopeId !== null) {
      options.scopeId = request.scopeId;
    }
    const chunks = [];
    const nodes = [];
    await collect(crossSerializeStream, read(request), options, (data) => chunks.push(data));
    await collect(toCrossJSONStream, read(request), options, (node) =>
      nodes.push(JSON.stringify(node)),
    );
    return { chunks, nodes };
  },
  async batch(request) {
    const results = [];
    for (const item of request.requests) results.push(await handle(item));
    return { results };
  },
};

/** Run a streaming API to its end; `sink` gets each chunk or node. */
function collect(api, value, options, sink) {
  return new Promise((resolve, reject) => {
    api(value, {
      ...options,
      onSerialize: sink,
      onParse: sink,
      onDone: resolve,
      onError: reject,
    });
  });
}

async function handle(request) {
  const id = request && request.id !== undefined ? request.id : null;
  try {
    const op = request && Object.hasOwn(OPS, request.op) ? OPS[request.op] : undefined;
    if (op === undefined) throw new Error(`unknown op ${JSON.stringify(request && request.op)}`);
    return { id, ok: true, ...(await op(request)) };
  } catch (err) {
    return { id, ok: false, error: errorRecord(err) };
  }
}

// A stray rejection in a text under test must not take the whole session down.
process.on('unhandledRejection', (reason) => {
  process.stderr.write(`server.mjs: unhandled rejection: ${String(reason)}\n`);
});

// Requests are answered strictly in order, even when an op waits on timers.
let queue = Promise.resolve();
const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on('line', (line) => {
  if (!line.trim()) return;
  queue = queue.then(async () => {
    let response;
    try {
      response = await handle(JSON.parse(line));
    } catch (err) {
      response = { id: null, ok: false, error: errorRecord(err) };
    }
    process.stdout.write(JSON.stringify(response) + '\n');
  });
});
