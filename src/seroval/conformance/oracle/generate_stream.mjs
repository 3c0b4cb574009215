#!/usr/bin/env node
// Stream conformance vectors: what seroval 1.8.1 streams and awaits for values
// with promises, async iterables, streams and live streams that settle in a
// fixed order (RECIPES.md, "Async values and settlement steps").
//
//   node generate_stream.mjs [--out FILE] [--random N] [--seed S]
//
// FILE defaults to ../vectors/stream/stream.jsonl.gz (a folder of its own, so
// that load_vectors() does not read these as sync vectors), N to 480. Each line:
//
//   {"name", "recipe", "steps": <last step>, "options": {disabledFeatures?, depthLimit?},
//    "stream":       {"chunks": [...], "at": [...], "error": null | {"name", "after", "at"}},
//    "streamScoped": the same with scopeId "example",
//    "jsonStream":   {"nodes": [JSON text...], "at": [...], "error": ...},
//    "async": {"serialize", "json", "crossSerialize", "crossJson", "crossScoped"},
//    "evaluated": JSON text | null}
//
// * `stream` is crossSerializeStream's chunks, `jsonStream` toCrossJSONStream's
//   records; `at[i]` is the step during which chunk i was emitted (0 = before
//   step 1 was made to happen). `error` is onError's error: its class name, how
//   many chunks came before it and the step it came in.
// * `async` holds serializeAsync, JSON.stringify(toJSONAsync), crossSerializeAsync,
//   JSON.stringify(toCrossJSONAsync) and crossSerializeAsync with scopeId
//   "example"; each is a string or {"error": {"name"}} (the cause of
//   SerovalParserError).
// * `evaluated` is what a page makes of the `stream` chunks: each is evaluated in
//   turn (indirect eval, after the $R header), then the root is written again with
//   JSON.stringify(toJSONAsync(root)). V8's automatic error stacks are removed
//   first, and the stream helper's text is swapped for seroval's own Stream class
//   (seroval writes only genuine streams; the helper is a copy of that class), as
//   evaluate.mjs does. null when the stream failed; {"error": {"name", "stage",
//   "chunk"?}} when evaluating chunk `chunk` ("eval") or writing the result
//   ("write") threw.
//
// Every run builds the value afresh and drives the steps: run the API, let all
// pending work finish (several macrotask turns), then for k = 1..steps make step
// k happen and let the work finish again. Nothing depends on timers or the
// machine, so the output is deterministic byte for byte.

import { mkdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createStream,
  crossSerializeAsync,
  crossSerializeStream,
  getCrossReferenceHeader,
  isStream,
  serialize,
  serializeAsync,
  Stream,
  toCrossJSONAsync,
  toCrossJSONStream,
  toJSON,
  toJSONAsync,
} from 'seroval';
import { buildValue, PLUGINS, referenceFor } from './recipe.mjs';
import { mulberry32, randomVectorSpecs } from './random.mjs';
import { createSchedule, streamKinds } from './stream_kinds.mjs';

export const SCOPE_ID = 'example';

function errorName(err) {
  const specific = err != null && err.cause != null ? err.cause : err;
  if (specific != null && typeof specific === 'object' && specific.constructor) {
    return specific.constructor.name;
  }
  return typeof specific;
}

/** Let every microtask and pending callback run. */
async function settleDown() {
  for (let i = 0; i < 4; i++) await new Promise((done) => setImmediate(done));
}

function build(recipe) {
  const schedule = createSchedule();
  const value = buildValue(recipe, streamKinds(schedule));
  return { schedule, value };
}

async function drive(schedule) {
  await settleDown();
  for (let step = 1; step <= schedule.last; step++) {
    schedule.advance(step);
    await settleDown();
  }
}

/** Run a streaming API over a fresh value, stepping through the schedule. */
async function runStream(name, recipe, options, json, scopeId) {
  const { schedule, value } = build(recipe);
  const chunks = [];
  const at = [];
  let error = null;
  let done = false;
  const opts = {
    plugins: PLUGINS,
    ...options,
    onDone() {
      done = true;
    },
    onError(err) {
      error = { name: errorName(err), after: chunks.length, at: schedule.current };
    },
  };
  const take = (data) => {
    chunks.push(data);
    at.push(schedule.current);
  };
  if (json) {
    opts.onParse = (node) => take(JSON.stringify(node));
    toCrossJSONStream(value, opts);
  } else {
    opts.onSerialize = take;
    if (scopeId !== null) opts.scopeId = scopeId;
    crossSerializeStream(value, opts);
  }
  await drive(schedule);
  if (!done && error === null) throw new Error(`${name}: the stream did not finish`);
  return json ? { nodes: chunks, at, error } : { chunks, at, error };
}

async function runAsync(name, recipe, options, api, wrap) {
  const { schedule, value } = build(recipe);
  let result;
  let settled = false;
  const running = api(value, { plugins: PLUGINS, ...options }).then(
    (out) => {
      settled = true;
      result = wrap(out);
    },
    (err) => {
      settled = true;
      result = { error: { name: errorName(err) } };
    },
  );
  await drive(schedule);
  if (!settled) throw new Error(`${name}: the async API did not finish`);
  await running;
  return result;
}

// ---------------------------------------------------------------------------
// Evaluating chunks as a page would.

const AUTO_STACK = '\u0000generate_stream: automatic stack';
const globalEval = eval;
globalThis.self ??= globalThis; // the $R header refers to `self`, as in a page
process.on('unhandledRejection', () => {}); // a chunk may reject a promise nobody awaits
process.on('rejectionHandled', () => {});

const STREAM_HELPER = (() => {
  const stream = createStream();
  stream.return(0);
  const text = serialize(stream);
  const before = '(h=>(h=(';
  const after = ')(),h.return(0),h))()';
  if (!text.startsWith(before) || !text.endsWith(after)) throw new Error('unexpected stream text');
  return text.slice(before.length, text.length - after.length);
})();
globalThis.__generateStreamStream = (live) => new Stream(live);

/** Delete V8's automatic stacks from everything a chunk made (all of it is in $R). */
function stripAutoStacks(roots) {
  const seen = new Set();
  const todo = [...roots];
  while (todo.length) {
    const v = todo.pop();
    if ((typeof v !== 'object' && typeof v !== 'function') || v === null || seen.has(v)) continue;
    seen.add(v);
    if (v instanceof Error && v.stack === AUTO_STACK) delete v.stack;
    if (v instanceof Map) for (const [k, x] of v) todo.push(k, x);
    else if (v instanceof Set) for (const x of v) todo.push(x);
    else if (isStream(v) && v.buffer) todo.push(...v.buffer);
    for (const key of Reflect.ownKeys(v)) {
      const d = Object.getOwnPropertyDescriptor(v, key);
      if (d && 'value' in d) todo.push(d.value);
    }
  }
}

async function evaluateChunks(chunks, options) {
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = () => AUTO_STACK;
  try {
    delete globalThis.$R;
    globalEval(getCrossReferenceHeader());
    for (const match of chunks.join('').matchAll(/__SEROVAL_REFS__\.get\(("(?:[^"\\]|\\.)*")\)/g)) {
      referenceFor(globalEval(match[1]));
    }
    const prepare = (text) => text.split(STREAM_HELPER).join('__generateStreamStream');
    let root;
    for (let i = 0; i < chunks.length; i++) {
      try {
        const value = globalEval(prepare(chunks[i]));
        if (i === 0) root = value;
      } catch (err) {
        return { error: { name: errorName(err), stage: 'eval', chunk: i } };
      }
    }
    await settleDown();
    stripAutoStacks([root, globalThis.$R]);
    try {
      return JSON.stringify(await toJSONAsync(root, { plugins: PLUGINS, ...options }));
    } catch (err) {
      return { error: { name: errorName(err), stage: 'write' } };
    }
  } finally {
    Error.prepareStackTrace = previous;
    delete globalThis.$R;
  }
}

export async function computeStreamVector(name, recipe, options = {}) {
  const same = (text) => text;
  const stringify = (node) => JSON.stringify(node);
  const scoped = (v, o) => crossSerializeAsync(v, { ...o, scopeId: SCOPE_ID });
  const vector = { name, recipe, steps: build(recipe).schedule.last, options };
  vector.stream = await runStream(name, recipe, options, false, null);
  vector.streamScoped = await runStream(name, recipe, options, false, SCOPE_ID);
  vector.jsonStream = await runStream(name, recipe, options, true, null);
  vector.async = {
    serialize: await runAsync(name, recipe, options, serializeAsync, same),
    json: await runAsync(name, recipe, options, toJSONAsync, stringify),
    crossSerialize: await runAsync(name, recipe, options, crossSerializeAsync, same),
    crossJson: await runAsync(name, recipe, options, toCrossJSONAsync, stringify),
    crossScoped: await runAsync(name, recipe, options, scoped, same),
  };
  vector.evaluated = vector.stream.error ? null : await evaluateChunks(vector.stream.chunks, options);
  return vector;
}

// ---------------------------------------------------------------------------
// The catalogue: hand-written cases, each a recipe (ids are unique per recipe).

const U = ['undefined'];
const ref = (id) => ['ref', id];
const obj = (id, props, integrity = 0, nullProto = false) => ['object', id, props, integrity, nullProto];
const arr = (id, items, integrity = 0) => ['array', id, items, integrity];
const ok = (id, value, step) => ['promise', id, 'resolve', value, step];
const no = (id, value, step) => ['promise', id, 'reject', value, step];
const err = (id, message, ctor = 'Error', props = []) => ['error', id, ctor, message, props];
const gen = (id, events) => ['asyncgen', id, events];
const iter = (events) => ['asynciter', events];
const timed = (id, events) => ['timedstream', id, events];
const live = (id, events) => ['livestream', id, events];
const AI = ['symbol', 'asyncIterator'];

export const STREAM_CATALOGUE = [
  // Promises
  ['promise/later', obj(0, [['a', ok(1, 'late', 1)]])],
  ['promise/rejects-error', obj(0, [['a', no(1, err(2, 'boom'), 1)]])],
  ['promise/rejects-string', no(0, 'nope', 1)],
  ['promise/resolved-root', ok(0, 1, 0)],
  ['promise/rejected-root', no(0, 1, 0)],
  ['promise/later-root', ok(0, 'x', 1)],
  ['promise/undefined', ok(0, U, 1)],
  ['promise/null', ok(0, null, 1)],
  ['promise/two-in-order', arr(0, [ok(1, 1, 1), ok(2, obj(3, [['x', 2]]), 2)])],
  ['promise/two-reversed', arr(0, [ok(1, 1, 2), ok(2, obj(3, [['x', 2]]), 1)])],
  ['promise/three-mixed', arr(0, [ok(1, 'a', 3), no(2, 'b', 1), ok(3, 'c', 0)])],
  ['promise/all-settled-before', arr(0, [ok(1, 'a', 0), no(2, 'b', 0), ok(3, arr(4, [1]), 0)])],
  ['promise/nested-later', ok(0, obj(1, [['inner', ok(2, 'x', 2)]]), 1)],
  ['promise/nested-earlier', ok(0, obj(1, [['inner', ok(2, 'x', 1)]]), 2)],
  ['promise/nested-presettled', ok(0, obj(1, [['inner', ok(2, 'x', 0)]]), 1)],
  ['promise/nested-three', ok(0, arr(1, [ok(2, arr(3, [ok(4, 'deep', 3)]), 2)]), 1)],
  ['promise/to-cycle', obj(0, [['p', ok(1, obj(2, [['self', ref(2)]]), 1)]])],
  ['promise/to-ancestor', obj(0, [['p', ok(1, arr(2, [ref(0)]), 1)]])],
  ['promise/to-shared', obj(0, [['shared', obj(1, [['s', 1]])], ['p', ok(2, arr(3, [ref(1), ref(1)]), 1)]])],
  ['promise/to-itself-inside', obj(0, [['p', ok(1, obj(2, [['again', ref(1)]]), 1)]])],
  ['promise/same-twice', (() => {
    const p = ok(1, 'once', 1);
    return arr(0, [p, ref(1)]);
  })()],
  ['promise/to-map', ok(0, ['map', 1, [[1, ['set', 2, [2]]]]], 1)],
  ['promise/map-after-root-map', arr(0, [['map', 1, [[1, 1]]], ok(2, ['map', 3, [[2, 2]]], 1)])],
  ['promise/to-frozen', ok(0, obj(1, [['z', 1]], 3), 1)],
  ['promise/to-null-proto', ok(0, obj(1, [['a', 1]], 0, true), 1)],
  ['promise/to-date-regexp', ok(0, arr(1, [['date', 2, 0], ['regexp', 3, 'a+', 'g']]), 1)],
  ['promise/to-bytes', ok(0, ['typedarray', 1, 'Uint8Array', ['arraybuffer', 2, 'AQID'], 0, 3], 1)],
  ['promise/bytes-helper-shared', arr(0, [['arraybuffer', 1, 'AQ=='], ok(2, ['arraybuffer', 3, 'Ag=='], 1)])],
  ['promise/to-aggregate', ok(0, ['aggregate', 1, [err(2, 'inner', 'TypeError')], 'many', []], 1)],
  ['promise/rejects-typeerror-props', no(0, err(1, 'bad', 'TypeError', [['code', 42]]), 1)],
  ['promise/to-bigint-symbol', ok(0, arr(1, [['bigint', '12345678901234567890'], ['symbol', 'iterator']]), 1)],
  ['promise/to-boxed', ok(0, ['boxed', 1, 'str'], 1)],
  ['promise/to-reference', ok(0, ['reference', 1, 'my-fn'], 1)],
  ['promise/to-iterable', ok(0, obj(1, [[['symbol', 'iterator'], ['sequence', [1, 2, U], -1, 2]]]), 1)],
  ['promise/to-tricky-string', ok(0, '</script><!--\u2028"\\', 1)],
  ['promise/in-point', ['point', 0, ok(1, 1, 1), ok(2, obj(3, [['z', 2]]), 2)]],
  ['promise/rejects-with-promise', no(0, obj(1, [['p', ok(2, 'inner', 2)]]), 1)],
  ['promise/in-map-key-and-value', ['map', 0, [[ok(1, 'k', 2), ok(2, 'v', 1)]]]],
  ['promise/in-set', ['set', 0, [ok(1, 1, 1), ok(2, 2, 2)]]],
  ['promise/in-error-props', err(0, 'e', 'Error', [['later', ok(1, 'x', 1)]])],
  ['promise/to-function', obj(0, [['p', ok(1, ['function', 2], 1)]])],
  ['promise/to-function-after-other', arr(0, [ok(1, 'fine', 1), ok(2, arr(3, [1, ['function', 4]]), 2), ok(5, 'never', 3)])],
  ['promise/depth-limit', ok(0, arr(1, [arr(2, [arr(3, [1])])]), 1), { depthLimit: 4 }],
  ['promise/regexp-disabled', ok(0, ['regexp', 1, 'a', ''], 1), { disabledFeatures: 32 }],
  ['promise/aggregate-disabled', ok(0, ['aggregate', 1, [], 'm', []], 1), { disabledFeatures: 1 }],
  // Async generators (objects made by an `async function*`)
  ['asyncgen/yields-and-returns', obj(0, [['it', gen(1, [['next', 1, 1], ['next', obj(2, [['two', 2]]), 2], ['return', U, 3]])]])],
  ['asyncgen/root', gen(0, [['next', 'a', 1], ['return', U, 2]])],
  ['asyncgen/throws-error', gen(0, [['next', 'x', 1], ['throw', err(1, 'boom'), 2]])],
  ['asyncgen/throws-string', gen(0, [['throw', 'bad', 1]])],
  ['asyncgen/empty', gen(0, [['return', U, 1]])],
  ['asyncgen/cyclic-item', gen(0, [['next', obj(1, [['q', ref(1)]]), 1], ['return', U, 2]])],
  ['asyncgen/frozen-item', gen(0, [['next', obj(1, [['z', 1]], 3), 1], ['return', U, 2]])],
  ['asyncgen/item-with-promise', gen(0, [['next', obj(1, [['p', ok(2, 'later', 3)]]), 1], ['next', 2, 2], ['return', U, 4]])],
  ['asyncgen/item-with-settled-promise', gen(0, [['next', obj(1, [['p', ok(2, 'sooner', 0)]]), 1], ['return', U, 2]])],
  ['asyncgen/item-refers-to-root', obj(0, [['g', gen(1, [['next', ref(0), 1], ['return', U, 2]])]])],
  ['asyncgen/nested-generator', gen(0, [['next', gen(1, [['next', 'inner', 3], ['return', U, 4]]), 1], ['return', U, 2]])],
  ['asyncgen/two-interleaved', arr(0, [gen(1, [['next', 'a1', 1], ['next', 'a2', 3], ['return', U, 5]]), gen(2, [['next', 'b1', 2], ['return', U, 4]])])],
  ['asyncgen/with-promise-sibling', arr(0, [gen(1, [['next', 1, 2], ['return', U, 4]]), ok(2, 'p', 3), no(3, 'r', 1)])],
  ['asyncgen/yields-function', gen(0, [['next', 1, 1], ['next', ['function', 1], 2], ['return', U, 3]])],
  ['asyncgen/map-item', gen(0, [['next', ['map', 1, [['k', ok(2, 'v', 3)]]], 1], ['return', U, 2]])],
  // Objects with an async iterator method
  ['asynciter/returns-value', obj(0, [[AI, iter([['next', 1, 1], ['next', 2, 2], ['return', 'done', 3]])]])],
  ['asynciter/throws', obj(0, [['a', 1], [AI, iter([['next', 1, 1], ['throw', 'no', 2]])]])],
  ['asynciter/with-tag', obj(0, [[AI, iter([['return', obj(1, [['r', 1]]), 1]])], [['symbol', 'toStringTag'], 'Custom']])],
  ['asynciter/null-proto', obj(0, [[AI, iter([['next', 'x', 1], ['return', U, 2]])]], 0, true)],
  ['asynciter/with-sync-iterator', obj(0, [[['symbol', 'iterator'], ['sequence', [1, U], -1, 1]], [AI, iter([['next', 2, 1], ['return', 3, 2]])]])],
  ['asynciter/two-objects', arr(0, [obj(1, [[AI, iter([['next', 'a', 2], ['return', U, 3]])]]), obj(2, [[AI, iter([['return', 'b', 1]])]])])],
  ['asynciter/in-promise', ok(0, obj(1, [[AI, iter([['next', 1, 2], ['return', U, 3]])]]), 1)],
  // Streams (createStream) with timed events
  ['stream/timed', timed(0, [['next', 'a', 1], ['next', 'b', 2], ['return', 'c', 3]])],
  ['stream/timed-throws', obj(0, [['s', timed(1, [['next', 1, 1], ['throw', err(2, 't'), 2]])]])],
  ['stream/buffered', timed(0, [['next', 'a', 0], ['next', obj(1, [['b', 1]]), 0], ['return', 'c', 1]])],
  ['stream/ended-before', timed(0, [['next', 1, 0], ['return', 2, 0]])],
  ['stream/ended-before-with-objects', arr(0, [timed(1, [['next', obj(2, [['x', 1]]), 0], ['return', arr(3, [2]), 0]]), obj(4, [['after', 1]])])],
  ['stream/cyclic-event', timed(0, [['next', obj(1, [['q', ref(1)]]), 1], ['return', obj(2, [['z', 1]], 3), 2]])],
  ['stream/event-with-promise', timed(0, [['next', obj(1, [['p', ok(2, 'x', 3)]]), 1], ['return', U, 2]])],
  ['stream/buffered-promise-event', timed(0, [['next', ok(1, 'early', 0), 0], ['return', U, 2]])],
  ['stream/event-refers-to-root', obj(0, [['s', timed(1, [['next', ref(0), 1], ['return', ref(1), 2]])]])],
  ['stream/in-promise', ok(0, obj(1, [['s', timed(2, [['next', 'before', 0], ['next', 'after', 2], ['return', U, 3]])]]), 1)],
  ['stream/two-streams', arr(0, [timed(1, [['next', 1, 1], ['return', U, 4]]), timed(2, [['next', 2, 2], ['return', U, 3]])])],
  ['stream/same-twice', (() => arr(0, [timed(1, [['next', 1, 1], ['return', 2, 2]]), ref(1)]))()],
  ['stream/event-function', timed(0, [['next', 1, 1], ['next', ['function', 1], 2], ['return', U, 3]])],
  ['stream/recorded', ['stream', 0, [['next', 1], ['next', obj(1, [['a', 1]])], ['return', 'end']]]],
  // Live streams (createLiveStream)
  ['live/writes-and-closes', obj(0, [['stream', live(1, [['next', 'a', 1], ['next', obj(2, [['b', 1]]), 2], ['return', 'end', 3]])]])],
  ['live/root', live(0, [['next', 1, 1], ['return', U, 2]])],
  ['live/fails', live(0, [['next', 1, 1], ['throw', err(1, 'broken'), 2]])],
  ['live/fails-string', obj(0, [['l', live(1, [['throw', 'bad', 1]])]])],
  ['live/event-with-promise', live(0, [['next', obj(1, [['p', ok(2, 'x', 3)]]), 1], ['return', U, 2]])],
  ['live/in-promise', ok(0, obj(1, [['l', live(2, [['next', 'x', 2], ['return', U, 3]])]]), 1)],
  ['live/cyclic-event', live(0, [['next', obj(1, [['me', ref(1)]]), 1], ['return', U, 2]])],
  ['live/and-generator', arr(0, [live(1, [['next', 'l', 2], ['return', U, 4]]), gen(2, [['next', 'g', 1], ['return', U, 3]])])],
  ['live/twice', (() => arr(0, [live(1, [['next', 1, 1], ['return', U, 2]]), ref(1)]))()],
  // Everything at once, and primitives
  ['mixed/all-kinds', obj(0, [
    ['p', ok(1, obj(2, [['inner', ok(3, 'deep', 6)]]), 1)],
    ['g', gen(4, [['next', 1, 2], ['next', obj(10, [['q', ok(5, 'in-gen', 0)]]), 4], ['return', U, 7]])],
    ['s', timed(6, [['next', 's1', 0], ['next', 's2', 3], ['return', U, 8]])],
    ['l', live(7, [['next', 'l1', 5], ['return', 'l-end', 9]])],
    ['r', no(8, err(9, 'why'), 10)],
  ])],
  ['mixed/primitive', 5],
  ['mixed/string', 'x'],
  ['mixed/plain-object', obj(0, [['a', 1]])],
];

// ---------------------------------------------------------------------------
// Random recipes: async kinds around leaves borrowed from random.mjs.

/** Shift every recipe id in `recipe` by `offset` (ids sit at index 1 of these kinds). */
const ID_KINDS = new Set([
  'array', 'object', 'map', 'set', 'date', 'regexp', 'error', 'aggregate', 'boxed',
  'arraybuffer', 'typedarray', 'dataview', 'reference', 'opaque', 'stream', 'point', 'ref',
]);

function shiftIds(recipe, offset) {
  const defined = [];
  const walk = (r) => {
    if (!Array.isArray(r)) return r;
    if (typeof r[0] !== 'string') return r.map(walk);
    const out = r.map((item, i) => (i === 0 ? item : walk(item)));
    if (ID_KINDS.has(r[0])) {
      out[1] = r[1] + offset;
      if (r[0] !== 'ref') defined.push(out[1]);
    }
    return out;
  };
  const shifted = walk(recipe);
  return { recipe: shifted, defined, top: Math.max(offset - 1, ...defined) };
}

function jsonOf(recipe) {
  return JSON.stringify(toJSON(buildValue(recipe), { plugins: PLUGINS }));
}

/** Sync leaves seroval accepts with every feature on, from random.mjs. */
function leafPool(count, seed) {
  const pool = [];
  for (const spec of randomVectorSpecs(count, seed)) {
    if (spec.depthLimit !== undefined) continue;
    try {
      toJSON(buildValue(spec.recipe), { plugins: PLUGINS });
    } catch {
      continue;
    }
    if (JSON.stringify(spec.recipe).length > 600) continue;
    pool.push(spec.recipe);
  }
  return pool;
}

class StreamRecipeGen {
  constructor(rng, leaves) {
    this.rng = rng;
    this.leaves = leaves;
    this.nextId = 0;
    this.ids = []; // built non-promise ids, for refs (sharing and cycles)
    this.usedSteps = new Set([0]);
    this.steps = []; // step slots to renumber: [array, index]
  }
  int(lo, hi) {
    return lo + Math.floor(this.rng() * (hi - lo + 1));
  }
  chance(p) {
    return this.rng() < p;
  }
  pick(list) {
    return list[Math.floor(this.rng() * list.length)];
  }
  id() {
    return this.nextId++;
  }
  /** A fresh step after `after` (all steps are unique; renumbered 1..N at the end). */
  step(after) {
    for (;;) {
      const s = after + 1 + this.int(0, 30);
      if (!this.usedSteps.has(s)) {
        this.usedSteps.add(s);
        return s;
      }
    }
  }
  slot(array, index) {
    this.steps.push([array, index]);
    return array;
  }
  leaf() {
    const roll = this.rng();
    if (roll < 0.35) return this.pick([1, 0, -1.5, 'a', '', '</script>', '\u2028', true, false, null, ['undefined'], ['bigint', '9007199254740993'], ['number', 'NaN'], ['number', '-0']]);
    if (roll < 0.45 && this.ids.length) return ['ref', this.pick(this.ids)];
    const original = this.pick(this.leaves);
    const { recipe, defined, top } = shiftIds(original, this.nextId);
    if (jsonOf(recipe) !== jsonOf(original)) return 'shifted';
    this.ids.push(...defined);
    this.nextId = top + 1;
    return recipe;
  }
  /** Any value discovered at step `seen` (0 = in the first chunk). */
  value(depth, seen, promises = true) {
    if (depth >= 4) return this.leaf();
    const roll = this.rng();
    if (roll < 0.16) return promises ? this.promise(depth, seen) : this.object(depth, seen);
    if (roll < 0.24) return this.generator(depth, seen);
    if (roll < 0.3) return this.iterableObject(depth, seen);
    if (roll < 0.37) return this.timedStream(depth, seen);
    if (roll < 0.43) return this.liveStream(depth, seen);
    if (roll < 0.6) return this.object(depth, seen);
    if (roll < 0.72) return this.array(depth, seen);
    if (roll < 0.76) return this.map(depth, seen);
    if (roll < 0.78) return ['point', this.id(), this.value(depth + 1, seen), this.leaf()];
    return this.leaf();
  }
  /** A value that is never itself a promise (JS would adopt it). */
  plain(depth, seen) {
    return this.value(depth, seen, false);
  }
  object(depth, seen) {
    const id = this.id();
    this.ids.push(id);
    const keys = ['a', 'b', 'c', 'p', 'x', '0', '10', 'then_', 'é', '__proto__'];
    const props = [];
    const n = this.int(0, 4);
    for (let i = 0; i < n; i++) {
      const key = keys[i];
      props.push([key, this.value(depth + 1, seen)]);
    }
    return ['object', id, props, this.chance(0.1) ? 3 : 0, this.chance(0.1)];
  }
  array(depth, seen) {
    const id = this.id();
    this.ids.push(id);
    const items = [];
    const n = this.int(0, 4);
    for (let i = 0; i < n; i++) items.push(this.value(depth + 1, seen));
    return ['array', id, items, 0];
  }
  map(depth, seen) {
    const id = this.id();
    this.ids.push(id);
    const entries = [];
    const n = this.int(1, 3);
    for (let i = 0; i < n; i++) entries.push([this.leaf(), this.value(depth + 1, seen)]);
    return ['map', id, entries];
  }
  promise(depth, seen) {
    const id = this.id();
    // Settled before the call, before discovery, or after it: any unique step.
    const step = this.chance(0.25) ? 0 : this.step(this.chance(0.2) ? 0 : seen);
    const after = Math.max(step, seen);
    const node = ['promise', id, this.chance(0.3) ? 'reject' : 'resolve', null, step];
    node[3] = this.chance(0.012) ? ['function', this.id()] : this.plain(depth + 1, after);
    if (step !== 0) this.slot(node, 4);
    return node;
  }
  /** Events for a gated source discovered at `seen`: strictly later, increasing steps. */
  gatedEvents(depth, seen, allowReturnValue) {
    const events = [];
    let last = seen;
    const n = this.int(0, 3);
    for (let i = 0; i < n; i++) {
      last = this.step(last);
      const item = this.chance(0.012) ? ['function', this.id()] : this.plain(depth + 1, last);
      events.push(this.slot(['next', item, last], 2));
    }
    last = this.step(last);
    if (this.chance(0.25)) {
      events.push(this.slot(['throw', this.chance(0.5) ? ['error', this.id(), 'Error', 'boom', []] : 'thrown', last], 2));
    } else {
      const value = allowReturnValue && this.chance(0.6) ? this.plain(depth + 1, last) : ['undefined'];
      events.push(this.slot(['return', value, last], 2));
    }
    return events;
  }
  generator(depth, seen) {
    const id = this.id();
    return ['asyncgen', id, this.gatedEvents(depth, seen, false)];
  }
  iterableObject(depth, seen) {
    const id = this.id();
    this.ids.push(id);
    const props = [];
    if (this.chance(0.4)) props.push(['a', this.leaf()]);
    props.push([['symbol', 'asyncIterator'], ['asynciter', this.gatedEvents(depth, seen, true)]]);
    if (this.chance(0.2)) props.push([['symbol', 'toStringTag'], 'Tagged']);
    return ['object', id, props, 0, this.chance(0.2)];
  }
  timedStream(depth, seen) {
    const id = this.id();
    this.ids.push(id);
    const events = [];
    const n = this.int(0, 3);
    let last = 0;
    for (let i = 0; i <= n; i++) {
      last = this.chance(0.3) && last === 0 ? 0 : this.step(last);
      const terminal = i === n;
      const kind = terminal ? (this.chance(0.3) ? 'throw' : 'return') : 'next';
      const item = this.chance(0.01) ? ['function', this.id()] : this.value(depth + 1, Math.max(last, seen));
      const event = [kind, item, last];
      if (last !== 0) this.slot(event, 2);
      events.push(event);
    }
    return ['timedstream', id, events];
  }
  liveStream(depth, seen) {
    const id = this.id();
    this.ids.push(id);
    return ['livestream', id, this.gatedEvents(depth, seen, true)];
  }
  /** Renumber the used steps to 1..N in order. */
  finish(recipe) {
    const order = [...this.usedSteps].filter((s) => s > 0).sort((a, b) => a - b);
    const rank = new Map(order.map((s, i) => [s, i + 1]));
    for (const [array, index] of this.steps) array[index] = rank.get(array[index]);
    return recipe;
  }
}

export function* randomStreamRecipes(count, seed) {
  const leaves = leafPool(400, seed ^ 0x51ea);
  for (let i = 0; i < count; i++) {
    const rng = mulberry32((seed + Math.imul(i + 1, 0x9e3779b1)) >>> 0);
    const gen = new StreamRecipeGen(rng, leaves);
    const top = gen.pick(['object', 'array', 'promise', 'generator', 'timedStream', 'liveStream', 'iterableObject']);
    let recipe = gen[top](0, 0);
    recipe = gen.finish(recipe);
    yield { name: `random/${i}`, recipe };
  }
}

// ---------------------------------------------------------------------------
// CLI.

function parseArgs(argv) {
  const here = dirname(fileURLToPath(import.meta.url));
  const args = { out: resolve(here, '..', 'vectors', 'stream', 'stream.jsonl.gz'), random: 480, seed: 0x5e7a11 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--out') args.out = resolve(argv[++i]);
    else if (a === '--random') args.random = Number(argv[++i]);
    else if (a === '--seed') args.seed = Number(argv[++i]) >>> 0;
    else throw new Error(`unknown argument ${a}`);
  }
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const lines = [];
  const names = new Set();
  for (const [name, recipe, options] of STREAM_CATALOGUE) {
    if (names.has(name)) throw new Error(`duplicate name ${name}`);
    names.add(name);
    lines.push(JSON.stringify(await computeStreamVector(name, recipe, options ?? {})));
  }
  for (const { name, recipe } of randomStreamRecipes(args.random, args.seed)) {
    lines.push(JSON.stringify(await computeStreamVector(name, recipe)));
  }
  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(args.out, gzipSync(Buffer.from(lines.join('\n') + '\n', 'utf8'), { level: 9 }));
  process.stdout.write(`wrote ${lines.length} stream vectors to ${args.out}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    process.stderr.write(String(error && error.stack ? error.stack : error) + '\n');
    process.exit(1);
  });
}
