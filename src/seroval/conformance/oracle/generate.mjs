#!/usr/bin/env node
// Conformance vector generator: runs the real seroval 1.8.1 over the catalogue
// (catalogue.mjs) and over seeded random recipes (random.mjs), and writes one
// JSON line per vector (format: RECIPES.md).
//
//   node generate.mjs [--out DIR] [--random N] [--seed S]
//
// DIR defaults to ../vectors (relative to this file), N to 3000. The output is
// deterministic byte for byte: no clocks, no Math.random, no machine stacks.

import { mkdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  crossSerialize,
  fromCrossJSON,
  fromJSON,
  isLiveStream,
  isStream,
  serialize,
  toCrossJSON,
  toJSON,
} from 'seroval';
import { buildValue, PLUGINS, Point } from './recipe.mjs';

export const DEFAULT_DEPTH_LIMIT = 1000;
export const FEATURE_BITS = [1, 2, 4, 8, 16, 32, 64];
export const ALL_FEATURES = 127;
export const SCOPE_ID = 'example';

// ---------------------------------------------------------------------------
// Running seroval.

function errorRecord(err) {
  const specific = err != null && err.cause != null ? err.cause : err;
  let name;
  if (specific != null && typeof specific === 'object' && specific.constructor) {
    name = specific.constructor.name;
  } else {
    name = typeof specific;
  }
  return { name };
}

// Round-tripped errors are made by `new Ctor(message)`, which gives them a
// machine-dependent, non-enumerable `stack`. Properties that came from the
// JSON (an explicit `stack` included) are enumerable. Delete the former so the
// re-encoding is deterministic and comparable with the original.
export function stripAutoStacks(root) {
  const seen = new Set();
  const todo = [];
  const push = (v) => {
    if ((typeof v === 'object' && v !== null) || typeof v === 'function') todo.push(v);
  };
  push(root);
  while (todo.length) {
    const v = todo.pop();
    if (seen.has(v)) continue;
    seen.add(v);
    if (typeof v === 'function') continue;
    if (v instanceof Error) {
      // Never read an automatic stack: V8 formats it lazily, calling the
      // error's toString, which can throw (a Symbol name) or recurse.
      if (Object.hasOwn(v, 'stack') && !Object.prototype.propertyIsEnumerable.call(v, 'stack')) {
        delete v.stack;
      }
      for (const k of Object.getOwnPropertyNames(v)) push(v[k]);
    } else if (v instanceof Map) {
      for (const [k, x] of v) {
        push(k);
        push(x);
      }
    } else if (v instanceof Set) {
      for (const x of v) push(x);
    } else if (v instanceof Point) {
      push(v.x);
      push(v.y);
    } else if (isLiveStream(v)) {
      // single consumer: subscribing here would leave nothing for seroval
    } else if (isStream(v)) {
      const sink = (x) => push(x);
      v.on({ next: sink, throw: sink, return: sink });
    } else if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) {
      // bytes only
    } else {
      for (const k of Object.keys(v)) push(v[k]);
      for (const sym of [Symbol.toStringTag, Symbol.isConcatSpreadable]) {
        if (Object.prototype.hasOwnProperty.call(v, sym)) push(v[sym]);
      }
      if (typeof v[Symbol.iterator] === 'function' && !Array.isArray(v)) {
        // A deserialized iterable replays its captured sequence.
        const it = v[Symbol.iterator]();
        for (let n = 0; n < 100000; n++) {
          let r;
          try {
            r = it.next();
          } catch (thrown) {
            push(thrown);
            break;
          }
          push(r.value);
          if (r.done) break;
        }
      }
    }
  }
  return root;
}

/**
 * Run the sync APIs over fresh values from `make()` and return a vector.
 * `meta` = {name, recipe, python}; `make` builds a new value per call.
 */
export function computeVector(meta, make, disabledFeatures, depthLimit) {
  const opts = { plugins: PLUGINS, disabledFeatures };
  if (depthLimit !== undefined && depthLimit !== DEFAULT_DEPTH_LIMIT) {
    opts.depthLimit = depthLimit;
  }
  const out = {
    name: meta.name,
    recipe: meta.recipe ?? null,
    python: meta.python ?? null,
    native: meta.native === true,
    disabledFeatures,
  };
  if (opts.depthLimit !== undefined) out.depthLimit = opts.depthLimit;

  const calls = [
    ['json', (v) => JSON.stringify(toJSON(v, opts))],
    ['crossJson', (v) => JSON.stringify(toCrossJSON(v, opts))],
    ['serialize', (v) => serialize(v, opts)],
    ['crossSerialize', (v) => crossSerialize(v, opts)],
    ['crossScoped', (v) => crossSerialize(v, { ...opts, scopeId: SCOPE_ID })],
    ['crossSharedOnly', (v) => crossSerialize(v, { ...opts, assignSharedRefsOnly: true })],
  ];
  const results = {};
  const errors = {};
  for (const [field, fn] of calls) {
    const value = make(); // outside the try: a broken recipe is fatal
    try {
      results[field] = fn(value);
    } catch (err) {
      errors[field] = errorRecord(err);
    }
  }
  const errorFields = Object.keys(errors);
  if (errorFields.length > 0) {
    if (errorFields.length !== calls.length) {
      process.stderr.write(
        `warning: ${meta.name} (df=${disabledFeatures}): only ${errorFields.join(',')} threw\n`,
      );
    }
    for (const [field] of calls) out[field] = null;
    out.error = errors[errorFields[0]];
    return out;
  }
  for (const [field] of calls) out[field] = results[field];
  out.error = null;

  // jsonRoundTrip: present only when toJSON(fromJSON(json)) differs.
  let again;
  try {
    const value = stripAutoStacks(inRecordOrder(() => fromJSON(JSON.parse(out.json), opts)));
    again = JSON.stringify(toJSON(value, opts));
  } catch (err) {
    // Not expected for anything the catalogue makes; record it distinctly.
    process.stderr.write(
      `warning: ${meta.name} (df=${disabledFeatures}): round trip threw ${String(err && err.cause ? err.cause.stack : err && err.stack)}\n`,
    );
    again = { error: errorRecord(err) };
  }
  if (again !== out.json) out.jsonRoundTrip = again;

  // crossJsonRoundTrip: likewise for toCrossJSON(fromCrossJSON(crossJson)).
  let crossAgain;
  try {
    const read = () => fromCrossJSON(JSON.parse(out.crossJson), { ...opts, refs: new Map() });
    crossAgain = JSON.stringify(toCrossJSON(stripAutoStacks(inRecordOrder(read)), opts));
  } catch (err) {
    process.stderr.write(
      `warning: ${meta.name} (df=${disabledFeatures}): cross round trip threw ${String(err && err.cause ? err.cause.stack : err && err.stack)}\n`,
    );
    crossAgain = { error: errorRecord(err) };
  }
  if (crossAgain !== out.crossJson) out.crossJsonRoundTrip = crossAgain;
  return out;
}

/**
 * Run a reader (fromJSON or fromCrossJSON), with each rebuilt error's properties put back in the order of its
 * property record. V8 gives a new error its own `stack` (and an AggregateError
 * its `errors`) at construction, so `Object.defineProperties` would keep those
 * keys first wherever the record listed them: an artifact of rebuilding errors
 * in V8, not part of the value, which a reader that keeps the record's order
 * (the Python one) does not have.
 */
function inRecordOrder(read) {
  const recorded = [];
  const define = Object.defineProperties;
  Object.defineProperties = function (target, descriptors) {
    if (target instanceof Error) recorded.push([target, Reflect.ownKeys(descriptors)]);
    return define.call(this, target, descriptors);
  };
  let value;
  try {
    value = read();
  } finally {
    Object.defineProperties = define;
  }
  for (const [error, keys] of recorded) {
    for (const key of keys) {
      const descriptor = Object.getOwnPropertyDescriptor(error, key);
      delete error[key];
      Object.defineProperty(error, key, descriptor);
    }
  }
  return value;
}

// The parts of a vector that a feature flag can change. `json` carries
// `"f":127^mask` in its wrapper, so compare its `t` and `m` only.
function featureSignature(vec) {
  const json = vec.json === null ? null : JSON.parse(vec.json);
  return JSON.stringify([
    json && json.t,
    json && json.m,
    vec.crossJson,
    vec.serialize,
    vec.crossSerialize,
    vec.crossScoped,
    vec.crossSharedOnly,
    vec.error,
  ]);
}

function makerFor(entry) {
  if (entry.recipe !== undefined) return () => buildValue(entry.recipe);
  if (typeof entry.js === 'function') return entry.js;
  throw new Error(`catalogue entry ${entry.name} has neither recipe nor js`);
}

/** All vectors of one catalogue entry: mask 0, each bit that matters, 127, extras. */
export function catalogueVectors(entry) {
  const meta = {
    name: entry.name,
    recipe: entry.recipe ?? null,
    python: entry.recipe !== undefined ? null : entry.python ?? null,
    native: entry.recipe === undefined,
  };
  const make = makerFor(entry);
  const base = computeVector(meta, make, 0, entry.depthLimit);
  const vectors = [base];
  const sig = featureSignature(base);
  for (const bit of FEATURE_BITS) {
    const vec = computeVector(meta, make, bit, entry.depthLimit);
    if (featureSignature(vec) !== sig) vectors.push(vec);
  }
  const extra = [ALL_FEATURES, ...(entry.masks ?? [])];
  for (const mask of extra) {
    if (vectors.some((v) => v.disabledFeatures === mask)) continue;
    vectors.push(computeVector(meta, make, mask, entry.depthLimit));
  }
  return vectors;
}

// ---------------------------------------------------------------------------
// CLI.

function parseArgs(argv) {
  const here = dirname(fileURLToPath(import.meta.url));
  const args = { out: resolve(here, '..', 'vectors'), random: 3000, seed: 0x5e70fa1 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--out') args.out = resolve(next());
    else if (a === '--random') args.random = Number.parseInt(next(), 10);
    else if (a === '--seed') args.seed = Number.parseInt(next(), 10);
    else if (a === '--help' || a === '-h') {
      process.stdout.write('usage: node generate.mjs [--out DIR] [--random N] [--seed S]\n');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!Number.isInteger(args.random) || args.random < 0) throw new Error('bad --random');
  if (!Number.isInteger(args.seed)) throw new Error('bad --seed');
  return args;
}

/** One JSON line per vector, gzipped (compare the decompressed text: zlib builds differ). */
function writeVectors(path, lines) {
  const text = lines.join('\n') + (lines.length ? '\n' : '');
  writeFileSync(path, gzipSync(Buffer.from(text, 'utf8'), { level: 9 }));
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const { CATALOGUE } = await import('./catalogue.mjs');
  const { randomVectorSpecs } = await import('./random.mjs');
  mkdirSync(args.out, { recursive: true });

  const names = new Set();
  const core = [];
  for (const entry of CATALOGUE) {
    if (names.has(entry.name)) throw new Error(`duplicate catalogue name ${entry.name}`);
    names.add(entry.name);
    for (const vec of catalogueVectors(entry)) core.push(JSON.stringify(vec));
  }
  writeVectors(join(args.out, 'core.jsonl.gz'), core);

  const rnd = [];
  for (const spec of randomVectorSpecs(args.random, args.seed)) {
    const vec = computeVector(
      { name: spec.name, recipe: spec.recipe, python: null },
      () => buildValue(spec.recipe),
      spec.disabledFeatures,
      spec.depthLimit,
    );
    rnd.push(JSON.stringify(vec));
  }
  writeVectors(join(args.out, 'random.jsonl.gz'), rnd);

  process.stdout.write(
    `wrote ${core.length} catalogue vectors (${CATALOGUE.length} entries) and ` +
      `${rnd.length} random vectors to ${args.out}\n`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    process.stderr.write(String(err && err.stack ? err.stack : err) + '\n');
    process.exit(1);
  });
}
