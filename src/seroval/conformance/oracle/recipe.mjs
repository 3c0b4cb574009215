// Recipe -> JS value, exactly as RECIPES.md describes.
//
// A recipe is plain JSON. Containers are created and registered under their
// id *before* their children are built, so ["ref", id] may point at an
// ancestor (a cycle) or at anything built earlier (sharing). Integrity flags
// are applied after the children are in place.

import {
  createPlugin,
  createReference,
  createStream,
  OpaqueReference,
} from 'seroval';

// ---------------------------------------------------------------------------
// The test plugin `my/Point`.

export class Point {
  constructor(x, y) {
    this.x = x;
    this.y = y;
  }
}

// eval-based deserialize of `new Point(...)` needs a global.
globalThis.Point = Point;

export const PointPlugin = createPlugin({
  tag: 'my/Point',
  test: (v) => v instanceof Point,
  parse: {
    sync(v, ctx) {
      return { x: ctx.parse(v.x), y: ctx.parse(v.y) };
    },
    async: async (v, ctx) => ({ x: await ctx.parse(v.x), y: await ctx.parse(v.y) }),
    stream(v, ctx) {
      return { x: ctx.parse(v.x), y: ctx.parse(v.y) };
    },
  },
  serialize(node, ctx) {
    return 'new Point(' + ctx.serialize(node.x) + ',' + ctx.serialize(node.y) + ')';
  },
  deserialize(node, ctx) {
    return new Point(ctx.deserialize(node.x), ctx.deserialize(node.y));
  },
});

export const PLUGINS = [PointPlugin];

// ---------------------------------------------------------------------------
// Tables shared with the catalogue and the random generator.

export const ERROR_CTORS = {
  Error,
  EvalError,
  RangeError,
  ReferenceError,
  SyntaxError,
  TypeError,
  URIError,
};

export const TYPED_ARRAY_KINDS = {
  Int8Array,
  Int16Array,
  Int32Array,
  Uint8Array,
  Uint8ClampedArray,
  Uint16Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
};

export const WELL_KNOWN_SYMBOLS = [
  'asyncIterator',
  'hasInstance',
  'isConcatSpreadable',
  'iterator',
  'match',
  'matchAll',
  'replace',
  'search',
  'species',
  'split',
  'toPrimitive',
  'toStringTag',
  'unscopables',
];

const SPECIAL_NUMBERS = {
  NaN: NaN,
  Infinity: Infinity,
  '-Infinity': -Infinity,
  '-0': -0,
};

// ---------------------------------------------------------------------------
// createReference: one function per name, made once and cached, so that the
// same name always denotes the same registered value across builds.

const referenceCache = new Map();

export function referenceFor(name) {
  let fn = referenceCache.get(name);
  if (!fn) {
    // A named function expression per reference; its body is irrelevant.
    fn = { [name]: function () {} }[name];
    createReference(name, fn);
    referenceCache.set(name, fn);
  }
  return fn;
}

// ---------------------------------------------------------------------------
// Helpers.

function base64ToArrayBuffer(b64) {
  const bytes = Buffer.from(b64, 'base64');
  // Copy into a fresh, exactly sized ArrayBuffer (Buffer may use a pool).
  const out = new ArrayBuffer(bytes.length);
  new Uint8Array(out).set(bytes);
  return out;
}

function setKey(target, key, value) {
  if (key === '__proto__') {
    Object.defineProperty(target, key, {
      value,
      configurable: true,
      enumerable: true,
      writable: true,
    });
  } else {
    target[key] = value;
  }
}

function applyIntegrity(value, integrity) {
  switch (integrity ?? 0) {
    case 0:
      break;
    case 1:
      Object.preventExtensions(value);
      break;
    case 2:
      Object.seal(value);
      break;
    case 3:
      Object.freeze(value);
      break;
    default:
      throw new RangeError('bad integrity ' + integrity);
  }
}

function makeSequenceMethod(items, throwAt, doneAt) {
  // A generator method replaying the (already built) items.
  return {
    *[Symbol.iterator]() {
      for (let i = 0; i < items.length; i++) {
        if (i === throwAt) throw items[i];
        if (i === doneAt) return items[i];
        yield items[i];
      }
      return undefined;
    },
  }[Symbol.iterator];
}

function isRecipeArray(r, tag) {
  return Array.isArray(r) && r[0] === tag;
}

// ---------------------------------------------------------------------------
// The builder.

/**
 * Build the JS value for `recipe`.  `extraKinds` maps further recipe tags to
 * builders `(recipe, {build, register}) => value`, so other vector families
 * (streams, web plugins) can add kinds without touching this file.
 */
export function buildValue(recipe, extraKinds = {}) {
  const registry = new Map();

  const register = (id, value) => {
    if (registry.has(id)) throw new Error('duplicate recipe id ' + id);
    registry.set(id, value);
    return value;
  };

  const buildKey = (key) => {
    if (typeof key === 'string') return key;
    if (isRecipeArray(key, 'symbol')) {
      const sym = Symbol[key[1]];
      if (typeof sym !== 'symbol') throw new Error('unknown symbol ' + key[1]);
      return sym;
    }
    throw new Error('bad key ' + JSON.stringify(key));
  };

  // Assign a list of [key, R] pairs to target, in order.
  const buildProps = (target, props) => {
    for (const [k, r] of props) {
      const key = buildKey(k);
      if (key === Symbol.iterator) {
        if (!isRecipeArray(r, 'sequence')) {
          throw new Error('an iterator key must hold a sequence');
        }
        const [, items, throwAt, doneAt] = r;
        const built = items.map(build);
        target[Symbol.iterator] = makeSequenceMethod(built, throwAt, doneAt);
      } else {
        setKey(target, key, build(r));
      }
    }
  };

  const build = (r) => {
    if (r === null || typeof r === 'boolean' || typeof r === 'string') return r;
    if (typeof r === 'number') {
      if (!Number.isFinite(r) || Object.is(r, -0)) throw new Error('bad plain number');
      return r;
    }
    if (!Array.isArray(r)) throw new Error('bad recipe ' + JSON.stringify(r));
    const tag = r[0];
    switch (tag) {
      case 'undefined':
        return undefined;
      case 'number': {
        if (!(r[1] in SPECIAL_NUMBERS)) throw new Error('bad special number ' + r[1]);
        return SPECIAL_NUMBERS[r[1]];
      }
      case 'bigint':
      case 'pyint':
        return BigInt(r[1]);
      case 'symbol': {
        const sym = Symbol[r[1]];
        if (typeof sym !== 'symbol') throw new Error('unknown symbol ' + r[1]);
        return sym;
      }
      case 'ref': {
        if (!registry.has(r[1])) throw new Error('ref to unknown id ' + r[1]);
        return registry.get(r[1]);
      }
      case 'array': {
        const [, id, items, integrity] = r;
        const arr = register(id, new Array(items.length));
        for (let i = 0; i < items.length; i++) {
          if (isRecipeArray(items[i], 'hole')) continue;
          arr[i] = build(items[i]);
        }
        applyIntegrity(arr, integrity);
        return arr;
      }
      case 'object': {
        const [, id, props, integrity, nullProto] = r;
        const obj = register(id, nullProto ? Object.create(null) : {});
        buildProps(obj, props);
        applyIntegrity(obj, integrity);
        return obj;
      }
      case 'map': {
        const [, id, entries] = r;
        const map = register(id, new Map());
        for (const [kr, vr] of entries) {
          const k = build(kr);
          const v = build(vr);
          map.set(k, v);
        }
        return map;
      }
      case 'set': {
        const [, id, items] = r;
        const set = register(id, new Set());
        for (const item of items) set.add(build(item));
        return set;
      }
      case 'date': {
        const [, id, ms] = r;
        return register(id, new Date(ms === null ? NaN : ms));
      }
      case 'regexp': {
        const [, id, source, flags] = r;
        return register(id, new RegExp(source, flags));
      }
      case 'error': {
        const [, id, ctor, message, props] = r;
        const Ctor = ERROR_CTORS[ctor];
        if (!Ctor) throw new Error('bad error constructor ' + ctor);
        const err = new Ctor(message);
        delete err.stack;
        register(id, err);
        buildProps(err, props);
        return err;
      }
      case 'aggregate': {
        const [, id, errs, message, props] = r;
        const errors = [];
        const err = new AggregateError(errors, message);
        delete err.stack;
        register(id, err);
        // AggregateError copies the iterable into its own `errors` array;
        // fill that array so children may refer back to the aggregate.
        const own = err.errors;
        for (const e of errs) own.push(build(e));
        buildProps(err, props);
        return err;
      }
      case 'boxed': {
        const [, id, prim] = r;
        const value = build(prim);
        const t = typeof value;
        if (t !== 'number' && t !== 'string' && t !== 'boolean' && t !== 'bigint') {
          throw new Error('boxed needs a primitive');
        }
        return register(id, Object(value));
      }
      case 'arraybuffer': {
        const [, id, b64] = r;
        return register(id, base64ToArrayBuffer(b64));
      }
      case 'typedarray': {
        const [, id, kind, bufferR, byteOffset, length] = r;
        const Ctor = TYPED_ARRAY_KINDS[kind];
        if (!Ctor) throw new Error('bad typed array kind ' + kind);
        const buffer = build(bufferR);
        return register(id, new Ctor(buffer, byteOffset, length));
      }
      case 'dataview': {
        const [, id, bufferR, byteOffset, byteLength] = r;
        const buffer = build(bufferR);
        return register(id, new DataView(buffer, byteOffset, byteLength));
      }
      case 'sequence':
        throw new Error('a sequence may only be the value of a [symbol iterator] key');
      case 'reference': {
        const [, id, name] = r;
        return register(id, referenceFor(name));
      }
      case 'opaque': {
        const [, id, replacementR] = r;
        const opaque = register(id, new OpaqueReference({ hidden: true }, undefined));
        opaque.replacement = build(replacementR);
        return opaque;
      }
      case 'stream': {
        const [, id, events] = r;
        const stream = register(id, createStream());
        for (const [event, vr] of events) {
          if (event !== 'next' && event !== 'throw' && event !== 'return') {
            throw new Error('bad stream event ' + event);
          }
          stream[event](build(vr));
        }
        return stream;
      }
      case 'point': {
        const [, id, xr, yr] = r;
        const p = register(id, new Point(undefined, undefined));
        p.x = build(xr);
        p.y = build(yr);
        return p;
      }
      case 'hole':
        throw new Error('a hole may only be an array item');
      default:
        if (Object.hasOwn(extraKinds, tag)) return extraKinds[tag](r, { build, register });
        throw new Error('unknown recipe tag ' + JSON.stringify(tag));
    }
  };

  return build(recipe);
}
