#!/usr/bin/env node
// JS-semantics vectors: what JS itself makes of seroval's JS text.
//
//   node evaluate.mjs [--vectors DIR] [--out FILE]
//
// The Python JS-text reader (seroval/protocol/js_text_read.py) claims to give
// seroval's text the meaning JS gives it. This script records that meaning with
// the real engine: it evaluates each text as a page would (indirect eval, in
// the global scope, sloppy mode) and records what seroval 1.8.1 then writes for
// the result. Nothing here is written by hand.
//
// Output: ../vectors/eval/eval.jsonl.gz (by default; a folder of its own so that
// load_vectors(), which reads every ../vectors/*.jsonl.gz, does not take these
// lines for vectors), one JSON object per line, of two kinds.
//
// 1. One line per vector of ../vectors/{core,random}.jsonl.gz that seroval
//    could serialize (error == null):
//      name, disabledFeatures   identify the vector (the pair is unique)
//      depthLimit               only when not 1000
//      texts                    {<field>: <result>} for each JS text field the
//                               vector has: serialize, crossSerialize,
//                               crossScoped, crossSharedOnly
//    <result> is {json, serialize}, where
//      json      = JSON.stringify(toJSON(value, opts))
//      serialize = serialize(value, opts)
//    each left out when it equals the vector's own field of the same name (so
//    {} means: JS reads the text back to a value seroval writes exactly as the
//    original), and value is the text's value: the vanilla text evaluated on its own; a
//    cross text evaluated after the $R header (getCrossReferenceHeader(), or
//    getCrossReferenceHeader("example") for crossScoped) in a fresh $R.
//    opts = {plugins: [PointPlugin], disabledFeatures, depthLimit} of the vector.
//    When evaluating or re-serializing throws, <result> is
//    {error: {name, stage}} with stage "eval" or "write".
//
// 2. Multi-chunk cases, for a reader fed one chunk at a time:
//      kind                     "shared-refs" or "streaming" (vector lines have
//                               no kind)
//      name                     "shared-refs/..." or "streaming/..."; "#scoped"
//                               is appended when scopeId is set
//      scopeId                  null, or the scope id every chunk used
//      chunks                   the chunk texts, in order
//    "shared-refs" lines are crossSerialize calls sharing one `refs` map, so
//    later chunks refer to values of earlier ones ($R[n]). They add
//      results                  per chunk, {json, serialize} (both always
//                               present) or {error}, for the chunk's value
//                               (evaluated after all earlier chunks, in one $R)
//    "streaming" lines are crossSerializeStream runs (promises, streams, async
//    iterables that settle later). They add
//      nodes                    toCrossJSONStream's records for the same value,
//                               as JSON text, in the same order
//      settled                  JSON.stringify(await toJSONAsync(root, opts))
//                               once every chunk was evaluated and settled
//
// Determinism (run twice and compare; the file is gzipped, so compare the
// decompressed text): no clock, no Math.random, and no machine-dependent
// stacks. V8 gives every error made by `new Error(...)` an own, non-enumerable
// `stack`, and one set later with Object.assign or `h.stack=` keeps that slot
// and stays non-enumerable, so enumerability cannot tell them apart (unlike
// fromJSON's errors, see stripAutoStacks in generate.mjs). Instead
// Error.prepareStackTrace makes every automatic stack one sentinel string, and
// exactly the stacks still equal to it are deleted before re-serializing.
//
// One substitution: seroval re-serializes only genuine Stream objects (its
// internal class), and by design the stream helper embedded in the text builds
// a look-alike plain object. Before evaluating, each occurrence of the stream
// helper's exact text is replaced by a function that makes a genuine seroval
// Stream (the helper is a copy of that class, with the same behaviour).
// Everything else is evaluated as written.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createStream,
  crossSerialize,
  crossSerializeStream,
  getCrossReferenceHeader,
  isStream,
  serialize,
  Stream,
  toCrossJSONStream,
  toJSON,
  toJSONAsync,
} from 'seroval';
import { buildValue, PLUGINS, Point, referenceFor } from './recipe.mjs';

const SCOPE_ID = 'example';
const TEXT_FIELDS = ['serialize', 'crossSerialize', 'crossScoped', 'crossSharedOnly'];
const AUTO_STACK = '\u0000seroval-evaluate: automatic stack';

Error.prepareStackTrace = () => AUTO_STACK;
globalThis.self ??= globalThis; // the $R header refers to `self`, as in a page
// A chunk that rejects a promise nobody awaits yet is normal (a page would only log it).
process.on('unhandledRejection', () => {});

// The stream helper's text, as seroval embeds it: (h=>(h=(STREAM)(),h.return(0),h))()
const STREAM_HELPER = (() => {
  const stream = createStream();
  stream.return(0);
  const text = serialize(stream);
  const before = '(h=>(h=(';
  const after = ')(),h.return(0),h))()';
  if (!text.startsWith(before) || !text.endsWith(after)) throw new Error('unexpected stream text');
  return text.slice(before.length, text.length - after.length);
})();
globalThis.__serovalEvaluateStream = (live) => new Stream(live);

// ---------------------------------------------------------------------------
// Evaluating texts.

const globalEval = eval;

function prepareText(text) {
  return text.split(STREAM_HELPER).join('__serovalEvaluateStream');
}

/** Register, as the application would, each createReference id a text uses. */
function registerReferences(text) {
  const refs = globalThis.__SEROVAL_REFS__;
  for (const match of text.matchAll(/__SEROVAL_REFS__\.get\(("(?:[^"\\]|\\.)*")\)/g)) {
    const id = globalEval(match[1]); // a string literal
    if (!(refs && refs.has(id))) referenceFor(id);
  }
}

function resetRefs() {
  delete globalThis.$R;
}

function evaluate(text) {
  registerReferences(text);
  return globalEval(prepareText(text));
}

/** Delete the stacks V8 made by itself (see the header); keep every explicit one. */
function stripAutoStacks(root) {
  const seen = new Set();
  const todo = [root];
  while (todo.length) {
    const v = todo.pop();
    if ((typeof v !== 'object' && typeof v !== 'function') || v === null || seen.has(v)) continue;
    seen.add(v);
    if (typeof v === 'function') continue;
    if (v instanceof Error) {
      const own = Object.getOwnPropertyDescriptor(v, 'stack');
      if (own && own.value === AUTO_STACK) delete v.stack;
      for (const k of Object.getOwnPropertyNames(v)) todo.push(v[k]);
    } else if (v instanceof Map) {
      for (const [k, x] of v) todo.push(k, x);
    } else if (v instanceof Set) {
      for (const x of v) todo.push(x);
    } else if (v instanceof Point) {
      todo.push(v.x, v.y);
    } else if (v instanceof Stream) {
      todo.push(...v.buffer);
    } else if (v instanceof Promise) {
      // The promise helpers record a settled promise's value as `v` (see PRES/PREJ).
      if (Object.prototype.hasOwnProperty.call(v, 'v')) todo.push(v.v);
    } else if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) {
      // bytes only
    } else {
      for (const k of Object.keys(v)) todo.push(v[k]);
      for (const sym of [Symbol.toStringTag, Symbol.isConcatSpreadable]) {
        if (Object.prototype.hasOwnProperty.call(v, sym)) todo.push(v[sym]);
      }
      if (typeof v[Symbol.iterator] === 'function' && !Array.isArray(v)) {
        drainInto(v, todo);
      }
    }
  }
  return root;
}

/** Push what an iterable yields (and throws); a text's iterables replay a record. */
function drainInto(iterable, todo) {
  const iterator = iterable[Symbol.iterator]();
  for (let n = 0; n < 1000000; n++) {
    let step;
    try {
      step = iterator.next();
    } catch (thrown) {
      todo.push(thrown);
      return;
    }
    todo.push(step.value);
    if (step.done) return;
  }
}

function errorName(err) {
  const specific = err != null && err.cause != null ? err.cause : err;
  if (specific != null && typeof specific === 'object' && specific.constructor) {
    return specific.constructor.name;
  }
  return typeof specific;
}

function optionsOf(vector) {
  const opts = { plugins: PLUGINS, disabledFeatures: vector.disabledFeatures };
  if (vector.depthLimit !== undefined) opts.depthLimit = vector.depthLimit;
  return opts;
}

/** The <result> for a value (or for `compute` throwing: stage "eval"). */
function resultOf(compute, opts) {
  let value;
  try {
    value = stripAutoStacks(compute());
  } catch (err) {
    return { error: { name: errorName(err), stage: 'eval' } };
  }
  try {
    return { json: JSON.stringify(toJSON(value, opts)), serialize: serialize(value, opts) };
  } catch (err) {
    return { error: { name: errorName(err), stage: 'write' } };
  }
}

function evaluateVector(vector) {
  const opts = optionsOf(vector);
  const texts = {};
  for (const field of TEXT_FIELDS) {
    const text = vector[field];
    if (typeof text !== 'string') continue;
    const result = resultOf(() => {
      resetRefs();
      if (field === 'crossScoped') globalEval(getCrossReferenceHeader(SCOPE_ID));
      else if (field !== 'serialize') globalEval(getCrossReferenceHeader());
      return evaluate(text);
    }, opts);
    if (result.json === vector.json) delete result.json;
    if (result.serialize === vector.serialize) delete result.serialize;
    texts[field] = result;
  }
  resetRefs();
  const out = { name: vector.name, disabledFeatures: vector.disabledFeatures };
  if (vector.depthLimit !== undefined) out.depthLimit = vector.depthLimit;
  out.texts = texts;
  return out;
}

// ---------------------------------------------------------------------------
// Multi-chunk cases.

/** Values for shared-refs cases: [name, () => [values...]] with sharing between calls. */
function sharedCases(vectors) {
  const cases = [
    [
      'shared-refs/mutual-pair',
      () => {
        const a = {};
        const b = {};
        a.next = b;
        b.prev = a;
        const obj = { v: 1 };
        return [a, b, { obj }, { again: obj }];
      },
    ],
    [
      'shared-refs/maps-share-sentinel',
      () => {
        const k = { n: 1 };
        const m1 = new Map([[1, 2]]);
        const m2 = new Map([[k, m1]]);
        return [m1, m2, [m2, k], new Map([[m1, m2]])];
      },
    ],
    [
      'shared-refs/iterables-share-factory',
      () => {
        const it = { *[Symbol.iterator]() { yield 1; } };
        return [it, { *[Symbol.iterator]() { yield it; } }, [it]];
      },
    ],
    [
      'shared-refs/buffers-share-helper',
      () => {
        const buffer = new Uint8Array([1, 2, 3, 4]).buffer;
        return [new Uint8Array(buffer, 1, 2), new DataView(buffer), [buffer, new Int8Array(4)]];
      },
    ],
    [
      'shared-refs/cycle-across-calls',
      () => {
        const root = { child: {} };
        root.child.parent = root;
        const later = { root, self: null };
        later.self = later;
        return [root, later, root.child, Object.freeze({ later })];
      },
    ],
  ];
  const recipes = vectors.filter((v) => v.recipe != null && v.disabledFeatures === 0);
  for (const vector of recipes.filter((_, i) => i % 4 === 0)) {
    cases.push([
      `shared-refs/${vector.name}`,
      () => {
        const value = buildValue(vector.recipe);
        return [value, [value, value], { again: value, more: buildValue(vector.recipe) }];
      },
    ]);
  }
  return cases;
}

function chunkCase(name, make, scopeId) {
  let values;
  const chunks = [];
  try {
    values = make();
    const refs = new Map();
    for (const value of values) {
      const opts = { plugins: PLUGINS, refs };
      if (scopeId !== null) opts.scopeId = scopeId;
      chunks.push(crossSerialize(value, opts));
    }
  } catch {
    return null; // seroval refused one of the values: nothing to record
  }
  resetRefs();
  globalEval(scopeId === null ? getCrossReferenceHeader() : getCrossReferenceHeader(scopeId));
  const results = chunks.map((text) => resultOf(() => evaluate(text), { plugins: PLUGINS }));
  resetRefs();
  const kind = 'shared-refs';
  return { kind, name: scopeId === null ? name : `${name}#scoped`, scopeId, chunks, results };
}

/** Values for streaming cases: [name, () => root], settling in a fixed order. */
function streamCases() {
  const later = (ms, value, reject = false) =>
    new Promise((ok, fail) => setTimeout(() => (reject ? fail(value) : ok(value)), ms));
  const error = (message) => {
    const e = new Error(message);
    delete e.stack;
    return e;
  };
  async function* numbers() {
    await later(3);
    yield 1;
    await later(3);
    yield { two: 2 };
    return 'done';
  }
  async function* failing() {
    yield 'x';
    await later(4);
    throw error('boom');
  }
  const streamOf = (events) => {
    const s = createStream();
    events.forEach(([kind, value], i) => setTimeout(() => s[kind](value), 2 + 2 * i));
    return s;
  };
  return [
    ['streaming/promise-later', () => ({ a: later(2, 'late') })],
    ['streaming/promise-rejects', () => ({ a: later(2, error('no'), true) })],
    ['streaming/resolved-root', () => Promise.resolve(1)],
    ['streaming/two-promises', () => [later(2, 1), later(4, { x: 2 })]],
    ['streaming/nested-promise', () => later(2, { inner: later(4, 'x') })],
    ['streaming/promise-to-cycle', () => {
      const o = {};
      o.self = o;
      return { p: later(2, o) };
    }],
    ['streaming/promise-to-shared', () => {
      const shared = { s: 1 };
      return { shared, p: later(2, [shared, shared]) };
    }],
    ['streaming/async-iterable', () => ({ it: numbers() })],
    ['streaming/async-iterable-throws', () => failing()],
    ['streaming/create-stream', () => streamOf([['next', 'a'], ['next', { b: 1 }], ['return', 'c']])],
    ['streaming/create-stream-throws', () => ({ s: streamOf([['next', 1], ['throw', error('t')]]) })],
    ['streaming/frozen-event', () => streamOf([['next', Object.freeze({ z: 1 })], ['return', null]])],
    ['streaming/map-in-promise', () => later(2, new Map([[1, new Set([2])]]))],
  ];
}

async function collectStream(make, scopeId, api) {
  return new Promise((done, fail) => {
    const out = [];
    const opts = {
      plugins: PLUGINS,
      onDone: () => done(out),
      onError: fail,
    };
    if (api === crossSerializeStream) {
      opts.onSerialize = (data) => out.push(data);
      if (scopeId !== null) opts.scopeId = scopeId;
    } else {
      opts.onParse = (node) => out.push(JSON.stringify(node));
    }
    api(make(), opts);
  });
}

async function streamCase(name, make, scopeId) {
  const chunks = await collectStream(make, scopeId, crossSerializeStream);
  const nodes = await collectStream(make, null, toCrossJSONStream);
  resetRefs();
  globalEval(scopeId === null ? getCrossReferenceHeader() : getCrossReferenceHeader(scopeId));
  let settled;
  try {
    const root = chunks.map((text) => evaluate(text))[0];
    await new Promise((ok) => setTimeout(ok, 20));
    stripAutoStacks(globalThis.$R); // every value a chunk made is in $R (streams' events too)
    settled = JSON.stringify(await toJSONAsync(stripAutoStacks(root), { plugins: PLUGINS }));
  } catch (err) {
    settled = { error: { name: errorName(err), stage: 'eval' } };
  }
  resetRefs();
  const kind = 'streaming';
  const fullName = scopeId === null ? name : `${name}#scoped`;
  return { kind, name: fullName, scopeId, chunks, nodes, settled };
}

// ---------------------------------------------------------------------------
// CLI.

function readVectors(path) {
  const text = gunzipSync(readFileSync(path)).toString('utf8');
  return text.split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line));
}

function parseArgs(argv) {
  const here = dirname(fileURLToPath(import.meta.url));
  const args = { vectors: resolve(here, '..', 'vectors'), out: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--vectors') args.vectors = resolve(argv[++i]);
    else if (a === '--out') args.out = resolve(argv[++i]);
    else throw new Error(`unknown argument ${a}`);
  }
  args.out ??= join(args.vectors, 'eval', 'eval.jsonl.gz');
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const vectors = ['core', 'random'].flatMap((group) =>
    readVectors(join(args.vectors, `${group}.jsonl.gz`)),
  );
  const lines = [];
  for (const vector of vectors) {
    if (vector.error === null) lines.push(JSON.stringify(evaluateVector(vector)));
  }
  let chunkCount = 0;
  for (const [name, make] of sharedCases(vectors)) {
    for (const scopeId of [null, SCOPE_ID]) {
      const record = chunkCase(name, make, scopeId);
      if (record !== null) {
        lines.push(JSON.stringify(record));
        chunkCount++;
      }
    }
  }
  for (const [name, make] of streamCases()) {
    for (const scopeId of [null, SCOPE_ID]) {
      lines.push(JSON.stringify(await streamCase(name, make, scopeId)));
      chunkCount++;
    }
  }
  const text = lines.join('\n') + '\n';
  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(args.out, gzipSync(Buffer.from(text, 'utf8'), { level: 9 }));
  process.stdout.write(
    `wrote ${lines.length - chunkCount} vector results and ${chunkCount} multi-chunk cases to ${args.out}\n`,
  );
}

main().catch((err) => {
  Error.prepareStackTrace = undefined; // stacks are formatted when read: show the real one
  process.stderr.write(String(err && err.stack ? err.stack : err) + '\n');
  process.exit(1);
});
