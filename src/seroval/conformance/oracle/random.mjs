// Seeded random recipes (RECIPES.md) for differential testing.
//
// randomVectorSpecs(count, seed) yields {name, recipe, disabledFeatures,
// depthLimit?}. Vector i uses its own PRNG stream (seed mixed with i), so a
// vector can be regenerated on its own, and its mask is i % 128: every one of
// the 128 masks occurs once count >= 128.

import { TYPED_ARRAY_KINDS, WELL_KNOWN_SYMBOLS } from './recipe.mjs';

// ---------------------------------------------------------------------------
// PRNG: mulberry32 (32-bit state, full period), our own small implementation.

export function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mixSeed(seed, i) {
  let h = (seed ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

class Rng {
  constructor(seed) {
    this.next = mulberry32(seed);
  }
  float() {
    return this.next();
  }
  int(lo, hi) {
    // inclusive
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p) {
    return this.next() < p;
  }
  pick(list) {
    return list[Math.floor(this.next() * list.length)];
  }
  weighted(pairs) {
    let total = 0;
    for (const [, w] of pairs) total += w;
    let x = this.next() * total;
    for (const [v, w] of pairs) {
      x -= w;
      if (x < 0) return v;
    }
    return pairs[pairs.length - 1][0];
  }
  u32() {
    return Math.floor(this.next() * 4294967296) >>> 0;
  }
}

// ---------------------------------------------------------------------------
// Pools of tricky material.

const STRING_ATOMS = [
  'a', 'b', 'hello', 'x y', '0', '1e3', '"', "'", '`', '\\', '\n', '\r', '\b', '\t',
  '\f', '\v', '<', '>', '/', '</script>', '<!--', '\u2028', '\u2029', '\x00', '\x01',
  '\x1f', '\x7f', '\ud800', '\udc00', '\udbff', '😀', 'é', '日本', '\u00a0', '\ufeff',
  '\\x3C', '\\u2028', '\\n', '${', '__proto__', ' ',
];

const KEY_POOL = [
  'a', 'b', 'c', 'x', 'key', 'value', '0', '1', '2', '10', '01', '00', '1e3', '1e21',
  '1e+21', '1.5', '.5', '-1', '-0', 'Infinity', '-Infinity', 'NaN', '__proto__',
  'constructor', 'prototype', '__class__', '', 'a-b', 'a b', 'é', '$', '_', 'class',
  '4294967294', '4294967295', '9007199254740993', '<', '"', '\n', '\u2028', '\ud800',
  '😀', 'name', 'code', 'toString', '0x1', '1_000',
];

const ERROR_KEY_POOL = ['code', 'data', 'name', 'cause', 'a-b', '1', '__proto__', 'x', 'status', 'detail'];

const NUMBER_POOL = [
  0, 1, -1, 2, 1.5, -1.5, 0.1, 0.2, 0.30000000000000004, 1e21, 1e-7, 1e20, 1e16,
  5e-324, 2 ** 53, 2 ** 53 - 1, -(2 ** 53 - 1), 1.7976931348623157e308, 0.000001,
  1e-5, 1.5e-7, 123.456, 42, -42, 255, 256, 65535, 2 ** 31, 2 ** 32, 1e100, -1e-100,
  2.2250738585072014e-308, 100, 1000000, 0.5, 1 / 3,
];

const SPECIAL_NUMBERS = ['NaN', 'Infinity', '-Infinity', '-0'];

const BIGINT_POOL = [
  '0', '1', '-1', '9007199254740991', '9007199254740993', '-9007199254740993',
  '18446744073709551616', '-170141183460469231731687303715884105728', '123456789',
];

const PYINT_POOL = [
  '9007199254740992', '9007199254740993', '-9007199254740993', '18446744073709551615',
  '-18446744073709551616', '340282366920938463463374607431768211456',
];

const REGEXP_SOURCES = [
  'a', '[a-z]+', 'a/b', 'a\\/b', 'a<b', '</script>', '\\d+', '^x$', '', '\\n', '\n',
  'é', '\u2028', '\\u2028', '"', '\\\\', 'a|b', '(x)(?<name>y)', '\\p{L}', '.*?', '😀',
  '[/]', '\\ud800',
];

const ERROR_CTORS = ['Error', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError'];

const REFERENCE_NAMES = ['fn-a', 'fn-b', 'my-fn', 'we"ird<name', 'ref\u2028x', 'é'];

const TYPED_KINDS = Object.keys(TYPED_ARRAY_KINDS).map((k) => [k, TYPED_ARRAY_KINDS[k].BYTES_PER_ELEMENT]);

const MAX_MS = 8.64e15;

// ---------------------------------------------------------------------------
// The generator of one recipe.

class RecipeGen {
  constructor(rng, opts) {
    this.rng = rng;
    this.budget = opts.nodes;
    this.maxDepth = opts.maxDepth;
    this.allowRegExp = opts.allowRegExp;
    this.allowOpenStream = opts.allowOpenStream;
    this.nextId = 0;
    this.ids = []; // every registered id (refs may point at any of them)
    this.buffers = []; // ids of array buffers with their byte lengths
  }

  newId() {
    const id = this.nextId++;
    this.ids.push(id);
    return id;
  }

  // --- primitives -----------------------------------------------------------

  string() {
    const rng = this.rng;
    const mode = rng.weighted([
      ['atom', 4],
      ['mix', 5],
      ['plain', 2],
      ['long', 1],
    ]);
    if (mode === 'atom') return rng.pick(STRING_ATOMS);
    if (mode === 'plain') {
      let s = '';
      const n = rng.int(0, 8);
      for (let i = 0; i < n; i++) s += String.fromCharCode(rng.int(97, 122));
      return s;
    }
    let s = '';
    const target = mode === 'long' ? rng.int(64, 90) : rng.int(1, 6);
    if (mode === 'long' && rng.chance(0.4)) {
      // Long and "plain" enough for seroval's JSON.stringify fast path.
      while (s.length < target) s += rng.pick(['abc ', 'said "hi" ', 'x', 'é', "it's "]);
      return s;
    }
    if (mode === 'long') {
      while (s.length < target) s += rng.pick(STRING_ATOMS);
      return s;
    }
    for (let i = 0; i < target; i++) s += rng.pick(STRING_ATOMS);
    return s;
  }

  number() {
    const rng = this.rng;
    const mode = rng.weighted([
      ['pool', 5],
      ['int', 3],
      ['bits', 2],
      ['decimal', 2],
    ]);
    if (mode === 'pool') {
      const v = rng.pick(NUMBER_POOL);
      return rng.chance(0.3) ? -v || 0 : v;
    }
    if (mode === 'int') return rng.int(-1000, 1000);
    if (mode === 'decimal') {
      const v = Number((rng.float() * 10 ** rng.int(-8, 25)).toPrecision(rng.int(1, 17)));
      return rng.chance(0.3) ? -v || 0 : v;
    }
    // A random IEEE-754 double (finite, not -0).
    const dv = new DataView(new ArrayBuffer(8));
    for (;;) {
      dv.setUint32(0, rng.u32());
      dv.setUint32(4, rng.u32());
      const v = dv.getFloat64(0);
      if (Number.isFinite(v) && !Object.is(v, -0)) return v;
    }
  }

  primitive() {
    const rng = this.rng;
    const kind = rng.weighted([
      ['string', 6],
      ['number', 5],
      ['special', 1.5],
      ['bool', 1],
      ['null', 1],
      ['undefined', 1],
      ['bigint', 1],
      ['pyint', 0.5],
      ['symbol', 1],
    ]);
    switch (kind) {
      case 'string':
        return this.string();
      case 'number':
        return this.number();
      case 'special':
        return ['number', rng.pick(SPECIAL_NUMBERS)];
      case 'bool':
        return rng.chance(0.5);
      case 'null':
        return null;
      case 'undefined':
        return ['undefined'];
      case 'bigint':
        return ['bigint', rng.pick(BIGINT_POOL)];
      case 'pyint':
        return ['pyint', rng.pick(PYINT_POOL)];
      default:
        return ['symbol', rng.pick(WELL_KNOWN_SYMBOLS)];
    }
  }

  boxable() {
    const rng = this.rng;
    switch (rng.int(0, 4)) {
      case 0:
        return this.number();
      case 1:
        return this.string();
      case 2:
        return rng.chance(0.5);
      case 3:
        return ['bigint', rng.pick(BIGINT_POOL)];
      default:
        return ['number', rng.pick(SPECIAL_NUMBERS)];
    }
  }

  key() {
    return this.rng.chance(0.75) ? this.rng.pick(KEY_POOL) : this.string();
  }

  // --- values ---------------------------------------------------------------

  childCount(max) {
    if (this.budget <= 0) return 0;
    return Math.min(this.budget, this.rng.int(0, max));
  }

  value(depth) {
    const rng = this.rng;
    this.budget--;
    if (this.ids.length > 0 && rng.chance(0.12)) {
      return ['ref', rng.pick(this.ids)];
    }
    if (depth >= this.maxDepth || this.budget <= 0 || rng.chance(0.4)) {
      return this.primitive();
    }
    const kind = rng.weighted([
      ['array', 10],
      ['object', 12],
      ['map', 4],
      ['set', 3],
      ['date', 3],
      ['regexp', this.allowRegExp ? 2 : 0],
      ['error', 4],
      ['aggregate', 1.5],
      ['boxed', 2],
      ['arraybuffer', 1.5],
      ['typedarray', 3],
      ['dataview', 1.5],
      ['reference', 1],
      ['opaque', 1],
      ['stream', 1.5],
      ['point', 2],
    ]);
    return this[kind](depth);
  }

  integrity() {
    return this.rng.weighted([
      [0, 80],
      [1, 5],
      [2, 6],
      [3, 9],
    ]);
  }

  array(depth) {
    const id = this.newId();
    const n = this.childCount(6);
    const items = [];
    for (let i = 0; i < n; i++) {
      if (this.rng.chance(0.1)) items.push(['hole']);
      else items.push(this.value(depth + 1));
    }
    if (this.rng.chance(0.05)) items.push(['hole']); // trailing hole
    return ['array', id, items, this.integrity()];
  }

  sequence(depth) {
    const rng = this.rng;
    const n = this.childCount(4);
    const items = [];
    for (let i = 0; i < n; i++) items.push(this.value(depth + 1));
    items.push(rng.chance(0.7) ? ['undefined'] : this.value(depth + 1));
    const last = items.length - 1;
    const throwAt = rng.chance(0.2) ? last : -1;
    return ['sequence', items, throwAt, last];
  }

  props(depth, keyPool, max, valueFor = () => this.value(depth + 1)) {
    const rng = this.rng;
    const n = this.childCount(max);
    const seen = new Set();
    const props = [];
    for (let i = 0; i < n; i++) {
      const k = keyPool ? (rng.chance(0.8) ? rng.pick(keyPool) : this.key()) : this.key();
      if (seen.has(k)) continue;
      seen.add(k);
      props.push([k, valueFor(k)]);
    }
    return props;
  }

  object(depth) {
    const rng = this.rng;
    const id = this.newId();
    const nullProto = rng.chance(0.15);
    // Decide the slots first, then build them in order, so that refs only
    // ever point at ids built earlier in recipe order.
    const slots = [];
    const n = this.childCount(6);
    for (let i = 0; i < n; i++) slots.push('string');
    if (rng.chance(0.12)) slots.splice(rng.int(0, slots.length), 0, 'iterator');
    if (rng.chance(0.07)) slots.splice(rng.int(0, slots.length), 0, 'toStringTag');
    if (rng.chance(0.05)) slots.splice(rng.int(0, slots.length), 0, 'isConcatSpreadable');
    const seen = new Set();
    const props = [];
    for (const slot of slots) {
      if (slot === 'iterator') {
        props.push([['symbol', 'iterator'], this.sequence(depth)]);
      } else if (slot === 'toStringTag') {
        props.push([['symbol', 'toStringTag'], rng.chance(0.8) ? this.string() : this.primitive()]);
      } else if (slot === 'isConcatSpreadable') {
        props.push([['symbol', 'isConcatSpreadable'], rng.chance(0.8) ? rng.chance(0.5) : this.primitive()]);
      } else {
        const k = this.key();
        if (seen.has(k)) continue;
        seen.add(k);
        props.push([k, this.value(depth + 1)]);
      }
    }
    return ['object', id, props, this.integrity(), nullProto];
  }

  map(depth) {
    const id = this.newId();
    const n = this.childCount(4);
    const entries = [];
    for (let i = 0; i < n; i++) {
      const k = this.rng.chance(0.5) ? this.primitive() : this.value(depth + 1);
      entries.push([k, this.value(depth + 1)]);
    }
    return ['map', id, entries];
  }

  set(depth) {
    const id = this.newId();
    const n = this.childCount(5);
    const items = [];
    for (let i = 0; i < n; i++) items.push(this.value(depth + 1));
    return ['set', id, items];
  }

  date() {
    const rng = this.rng;
    const id = this.newId();
    const mode = rng.weighted([
      ['normal', 6],
      ['invalid', 1],
      ['outside', 2],
      ['edge', 1],
    ]);
    let ms;
    if (mode === 'invalid') ms = null;
    else if (mode === 'normal') ms = rng.int(-62135596800000, 253402300799999); // years 1..9999
    else if (mode === 'edge') {
      ms = rng.pick([0, -1, MAX_MS, -MAX_MS, -62135596800000, -62135596800001, 253402300799999, 253402300800000]);
    } else {
      ms = rng.chance(0.5) ? rng.int(253402300800000, MAX_MS) : rng.int(-MAX_MS, -62135596800001);
    }
    return ['date', id, ms];
  }

  regexp() {
    const rng = this.rng;
    const id = this.newId();
    const source = rng.pick(REGEXP_SOURCES);
    let flags = '';
    for (const f of 'dgimsy') if (rng.chance(0.2)) flags += f;
    const uv = rng.weighted([
      ['', 6],
      ['u', 2],
      ['v', 1],
    ]);
    flags += uv;
    flags = [...flags].sort().join('');
    let re;
    try {
      re = new RegExp(source, flags);
    } catch {
      try {
        re = new RegExp(source, '');
        flags = '';
      } catch {
        re = new RegExp('a', flags);
      }
    }
    return ['regexp', id, re.source, re.flags === flags ? flags : re.flags];
  }

  errorProps(depth, forAggregate) {
    const rng = this.rng;
    const pool = forAggregate ? ERROR_KEY_POOL.filter((k) => k !== 'errors') : ERROR_KEY_POOL;
    // An error's `name` stays a string or number: V8 formats an error's stack
    // with its toString, so a Symbol or self-referencing name makes the
    // reader (fromJSON) throw when a `stack` property follows.
    const props = this.props(depth, pool, 3, (k) => {
      if (k !== 'name') return this.value(depth + 1);
      this.budget--;
      return rng.chance(0.85) ? this.string() : this.number();
    });
    if (rng.chance(0.25)) {
      const pos = rng.int(0, props.length);
      const stack = rng.chance(0.9)
        ? `${rng.pick(ERROR_CTORS)}: ${this.string()}\n    at f (file.js:${rng.int(1, 99)}:${rng.int(1, 99)})`
        : this.primitive();
      if (!props.some(([k]) => k === 'stack')) props.splice(pos, 0, ['stack', stack]);
    }
    return props;
  }

  error(depth) {
    const id = this.newId();
    const ctor = this.rng.pick(ERROR_CTORS);
    const message = this.string();
    return ['error', id, ctor, message, this.errorProps(depth, false)];
  }

  aggregate(depth) {
    const id = this.newId();
    const n = this.childCount(3);
    const errs = [];
    for (let i = 0; i < n; i++) {
      errs.push(this.rng.chance(0.6) && depth + 1 < this.maxDepth ? this.error(depth + 1) : this.value(depth + 1));
    }
    return ['aggregate', id, errs, this.string(), this.errorProps(depth, true)];
  }

  boxed() {
    const id = this.newId();
    return ['boxed', id, this.boxable()];
  }

  newBuffer(minBytes) {
    const rng = this.rng;
    const id = this.newId();
    const len = minBytes + rng.int(0, 8);
    const bytes = Buffer.alloc(len);
    for (let i = 0; i < len; i++) bytes[i] = rng.chance(0.3) ? rng.pick([0, 255, 128, 127]) : rng.int(0, 255);
    this.buffers.push([id, len]);
    return ['arraybuffer', id, bytes.toString('base64')];
  }

  arraybuffer() {
    return this.newBuffer(this.rng.int(0, 16));
  }

  // Either a ref to an existing buffer or a fresh one; returns [recipe, byteLength].
  bufferFor(minBytes) {
    const usable = this.buffers.filter(([, len]) => len >= minBytes);
    if (usable.length > 0 && this.rng.chance(0.5)) {
      const [id, len] = this.rng.pick(usable);
      return [['ref', id], len];
    }
    const recipe = this.newBuffer(minBytes);
    return [recipe, this.buffers[this.buffers.length - 1][1]];
  }

  typedarray() {
    const rng = this.rng;
    const id = this.newId();
    const [kind, bpe] = rng.pick(TYPED_KINDS);
    const [buffer, byteLength] = this.bufferFor(bpe * rng.int(0, 3));
    const maxElems = Math.floor(byteLength / bpe);
    const offsetElems = rng.int(0, maxElems);
    const length = rng.int(0, maxElems - offsetElems);
    return ['typedarray', id, kind, buffer, offsetElems * bpe, length];
  }

  dataview() {
    const rng = this.rng;
    const id = this.newId();
    const [buffer, byteLength] = this.bufferFor(rng.int(0, 6));
    const offset = rng.int(0, byteLength);
    const length = rng.int(0, byteLength - offset);
    return ['dataview', id, buffer, offset, length];
  }

  reference() {
    return ['reference', this.newId(), this.rng.pick(REFERENCE_NAMES)];
  }

  opaque(depth) {
    const id = this.newId();
    return ['opaque', id, this.value(depth + 1)];
  }

  stream(depth) {
    const rng = this.rng;
    const id = this.newId();
    const n = this.childCount(3);
    const events = [];
    for (let i = 0; i < n; i++) events.push(['next', this.value(depth + 1)]);
    if (!this.allowOpenStream || rng.chance(0.3)) {
      events.push([rng.chance(0.75) ? 'return' : 'throw', this.value(depth + 1)]);
    }
    return ['stream', id, events];
  }

  point(depth) {
    const id = this.newId();
    return ['point', id, this.value(depth + 1), this.value(depth + 1)];
  }

  root() {
    // Mostly a container at the root.
    if (this.rng.chance(0.08)) return this.value(0);
    const kind = this.rng.weighted([
      ['array', 4],
      ['object', 5],
      ['map', 1],
      ['set', 1],
      ['error', 0.7],
      ['aggregate', 0.3],
      ['point', 0.4],
      ['stream', 0.3],
    ]);
    this.budget--;
    return this[kind](0);
  }
}

// ---------------------------------------------------------------------------

/** Random vector specs: {name, recipe, disabledFeatures, depthLimit?}. */
export function* randomVectorSpecs(count, seed = 0x5e70fa1) {
  const width = Math.max(5, String(count).length);
  for (let i = 0; i < count; i++) {
    const rng = new Rng(mixSeed(seed, i));
    const mask = i % 128;
    const regexpOff = (mask & 32) !== 0;
    const gen = new RecipeGen(rng, {
      nodes: rng.int(5, 40),
      maxDepth: 5,
      // A RegExp throws when bit 32 is set: allow it in a few such vectors only.
      allowRegExp: !regexpOff || rng.chance(0.08),
      // Open streams throw in sync mode: a few.
      allowOpenStream: rng.chance(0.03),
    });
    const recipe = gen.root();
    const spec = {
      name: `random/${String(i).padStart(width, '0')}`,
      recipe,
      disabledFeatures: mask,
    };
    // A few tight depth limits (some pass, some raise SerovalDepthLimitError).
    if (rng.chance(0.03)) spec.depthLimit = rng.int(1, 6);
    yield spec;
  }
}
