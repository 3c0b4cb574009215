// The conformance catalogue: every supported type of seroval 1.8.1 (reference
// §6.1) plus the tricky cases of §0, §2.8, §3.3, §3.6, §3.7 and §3.8.
//
// An entry is either
//   {name, recipe}                   a value described by a recipe (RECIPES.md), or
//   {name, js: () => value, python}  a value no recipe can express ("native").
// Optional fields: depthLimit (parser option), masks (extra disabledFeatures
// masks to record besides 0, the single bits that matter, and 127).
//
// `js` is called afresh for every API call (generator objects are single-use).
// Every JS error made here has its stack deleted or set explicitly.
//
// Web plugins (§6.2) and Temporal come later: add a section array below and
// append it to CATALOGUE (and, for new plugins, to PLUGINS in recipe.mjs).
//
// ---------------------------------------------------------------------------
// NATIVE ENTRIES: the Python catalogue (seroval.conformance.catalogue) must
// provide a builder for each `python` name below (null = no Python
// counterpart). The JS value each one stands for:
//
// Python-natural values (the Python value on the left, its JS twin on the right):
//   py/tuple                  (1, 2)                          -> [1,2]
//   py/empty-tuple            ()                              -> []
//   py/nested-tuple-shared    t=(1,2); (t, t)                 -> t=[1,2]; [t,t] (shared)
//   py/range                  range(3)                        -> [0,1,2]
//   py/none-in-list           [None]                          -> [null]
//   py/float-integral         1.0                             -> 1
//   py/bytes                  b"\x01\x02\x03"                 -> new Uint8Array([1,2,3]) on a fresh 3-byte buffer
//   py/bytes-empty            b""                             -> new Uint8Array(0)
//   py/bytearray              bytearray(b"\x01\x02\x03")      -> ArrayBuffer with bytes 1,2,3
//   py/set-of-ints            {1, 2, 3}                       -> new Set([1,2,3])
//   py/frozenset              frozenset({1, 2})               -> new Set([1,2])
//   py/datetime-with-offset   datetime(2024,1,2,3,4,5,678000,tzinfo=UTC+02:00) -> new Date("2024-01-02T01:04:05.678Z")
//   py/value-error            ValueError("bad")               -> Error("bad") with own name "ValueError", stack deleted
//   py/type-error             TypeError("t")                  -> new TypeError("t"), stack deleted
//   py/exception-with-cause   RuntimeError("outer") from KeyError("k")
//                                                             -> Error("outer") name "RuntimeError", cause = Error("'k'") name "KeyError"
//   py/exception-group        ExceptionGroup("many", [ValueError("a")])
//                                                             -> AggregateError([Error("a") name "ValueError"], "many") with own name "ExceptionGroup"
//   py/int-beyond-2^53        2**53 + 1                       -> 9007199254740993n
//   py/int-negative-beyond-2^53  -(2**64)                     -> -18446744073709551616n
//   py/dict-int-keys          {1: "a", 2: "b"}                -> new Map([[1,"a"],[2,"b"]])
//   py/dict-tuple-key         {(1, 2): "a"}                   -> new Map([[[1,2],"a"]])
//   py/generator              (x for x in (1, 2))             -> a JS generator object yielding 1, 2, returning undefined
//
// JS-only values:
//   js/function               function f() {}                 -> throws SerovalUnsupportedTypeError
//   js/arrow-function         () => 1                         -> throws
//   js/class-instance         new (class Foo {})()            -> throws
//   js/iterable-class-instance  instance of class with *[Symbol.iterator]() {yield 1; yield 2} -> t:11 null-proto iterable
//   js/map-subclass           new (class MyMap extends Map {})([[1,2]]) -> iterable t:11 with toStringTag "Map"
//   js/object-proto-null-chain  Object.create(Object.create(null)) -> t:11 Object.create(null)
//   js/object-proto-plain     Object.create({})               -> {} (class Object)
//   js/inherited-iterator     {a:1} whose prototype {} has *[Symbol.iterator]() {yield 1} -> plain object with iterator key
//   js/symbol-custom          Symbol("x")                     -> throws
//   js/symbol-registered      Symbol.for("x")                 -> throws
//   js/custom-symbol-key      {a:1, [Symbol("x")]:2}          -> {a:1} (key dropped)
//   js/non-enumerable-prop    {a:1} + non-enumerable b:2      -> {a:1}
//   js/getter                 {get a() {return 1}, b:2}       -> {a:1,b:2} (getter read)
//   js/array-extra-prop       Object.assign([1,2], {extra:3}) -> [1,2]
//   js/arguments              arguments object of f(1, 2)     -> {0:1,1:2,[Symbol.iterator]:...}
//   js/generator-object       (function*(){ yield 1 })()      -> null-proto iterable, toStringTag "Generator"
//   js/generator-throws       generator: yield 1, then throw Error("g") (stack deleted)
//   js/generator-returns      generator: yield 1, return "r"
//   js/error-subclass         class MyErr extends Error {}; new MyErr("m") (stack deleted) -> Error + name "MyErr"
//   js/error-subclass-typeerror  class MyTypeErr extends TypeError {}; new MyTypeErr("m") -> TypeError + name
//   js/error-subclass-own-name   class HttpError extends Error, ctor sets this.name="HttpError", this.status=404
//   js/error-no-message       new Error() (no message argument, stack deleted)
//   js/error-options-cause    new Error("o", {cause: 1}) (stack deleted)
//   js/error-name-equals-ctor new Error("x") with own name "Error" -> name omitted
//   js/regexp-lastindex       /a/g with lastIndex 3           -> /a/g (lastIndex dropped)
//   js/frozen-set             Object.freeze(new Set([1]))     -> new Set([1])
//   js/weakmap                new WeakMap()                   -> throws
//   js/promise                Promise.resolve(1)              -> throws in sync mode
//   js/async-iterable         {async *[Symbol.asyncIterator]() {yield 1}} -> throws in sync mode
//   js/async-generator-object (async function*(){})()         -> throws in sync mode
//   js/live-stream            createLiveStream().stream       -> throws in sync mode
//   js/boxed-symbol           Object(Symbol.iterator)         -> throws (python: null)
//   js/sparse-array-1000001   new Array(1000001)              -> throws (more than 1e6 holes)
//   js/reference-object       createReference("ref/object", {a:1})      -> Reference node
//   js/reference-symbol       createReference("ref/symbol", Symbol("s")) -> Reference node
//   js/nested-array-1000      [[[...[]...]]] 1000 arrays deep -> ok at the default depthLimit
//   js/nested-array-1001      1001 arrays deep                -> SerovalDepthLimitError
//   (the two nested arrays are natives only because Python's json module cannot
//    read a recipe nested that deep; their recipe would be plain nested arrays)
// ---------------------------------------------------------------------------

import { createLiveStream, createReference } from 'seroval';

// ---------------------------------------------------------------------------
// Recipe shorthands.

const U = ['undefined'];
const HOLE = ['hole'];
const NaN_ = ['number', 'NaN'];
const INF = ['number', 'Infinity'];
const NINF = ['number', '-Infinity'];
const NEG0 = ['number', '-0'];
const num = (s) => ['number', s];
const big = (s) => ['bigint', String(s)];
const pyint = (s) => ['pyint', String(s)];
const sym = (name) => ['symbol', name];
const ITER = sym('iterator');
const TAG = sym('toStringTag');
const SPREAD = sym('isConcatSpreadable');
const REF = (id) => ['ref', id];
const A = (id, items, integrity = 0) => ['array', id, items, integrity];
const O = (id, props, integrity = 0, nullProto = false) => ['object', id, props, integrity, nullProto];
const NP = (id, props, integrity = 0) => O(id, props, integrity, true);
const MAP = (id, entries) => ['map', id, entries];
const SET = (id, items) => ['set', id, items];
const DATE = (id, ms) => ['date', id, ms];
// The recipe holds the source as JS's `.source` gives it.
const RE = (id, source, flags = '') => ['regexp', id, new RegExp(source, flags).source, flags];
const ERR = (id, ctor, message, props = []) => ['error', id, ctor, message, props];
const AGG = (id, errors, message, props = []) => ['aggregate', id, errors, message, props];
const BOX = (id, prim) => ['boxed', id, prim];
const AB = (id, bytes) => ['arraybuffer', id, Buffer.from(bytes).toString('base64')];
const TA = (id, kind, buffer, byteOffset, length) => ['typedarray', id, kind, buffer, byteOffset, length];
const DV = (id, buffer, byteOffset, byteLength) => ['dataview', id, buffer, byteOffset, byteLength];
const SEQ = (items, throwAt = -1, doneAt = items.length - 1) => ['sequence', items, throwAt, doneAt];
const REFN = (id, name) => ['reference', id, name];
const OPQ = (id, replacement) => ['opaque', id, replacement];
const STREAM = (id, events) => ['stream', id, events];
const PT = (id, x, y) => ['point', id, x, y];

const r = (name, recipe, extra = {}) => ({ name, recipe, ...extra });

// ---------------------------------------------------------------------------
// Helpers for native values.

function noStack(e) {
  delete e.stack;
  return e;
}

function nested(depth) {
  let a = [];
  for (let i = 1; i < depth; i++) a = [a];
  return a;
}

// ---------------------------------------------------------------------------
// 1. Primitives.

const NUMBERS = [
  ['0', 0],
  ['1', 1],
  ['-1', -1],
  ['1.5', 1.5],
  ['-5', -5],
  ['100', 100],
  ['0.1+0.2', 0.1 + 0.2],
  ['1e21', 1e21],
  ['1e-7', 1e-7],
  ['1e20', 1e20],
  ['1e16', 1e16],
  ['5e-324', 5e-324],
  ['2^31', 2 ** 31],
  ['2^32-1', 2 ** 32 - 1],
  ['2^53', 2 ** 53],
  ['2^53-1', 2 ** 53 - 1],
  ['-(2^53-1)', -(2 ** 53 - 1)],
  ['-(2^53)', -(2 ** 53)],
  ['max-value', 1.7976931348623157e308],
  ['min-normal', 2.2250738585072014e-308],
  ['0.000001', 0.000001],
  ['1e-5', 1e-5],
  ['1.5e-7', 1.5e-7],
  ['-1.5e-7', -1.5e-7],
  ['123.456', 123.456],
  ['1e300', 1e300],
  ['123456789012345680000', 123456789012345680000],
  ['1.7976931348623157e+308-neg', -1.7976931348623157e308],
];

const primitives = [
  ...NUMBERS.map(([n, v]) => r(`number/${n}`, v)),
  r('number/-0', NEG0),
  r('number/NaN', NaN_),
  r('number/Infinity', INF),
  r('number/-Infinity', NINF),
  r('constant/true', true),
  r('constant/false', false),
  r('constant/null', null),
  r('constant/undefined', U),
  r('bigint/0', big(0)),
  r('bigint/1', big(1)),
  r('bigint/-1', big(-1)),
  r('bigint/2^53+1', big('9007199254740993')),
  r('bigint/-2^53-1', big('-9007199254740993')),
  r('bigint/2^100', big(2n ** 100n)),
  r('bigint/-2^100', big(-(2n ** 100n))),
  r('pyint/2^53', pyint('9007199254740992')),
  r('pyint/2^53+1', pyint('9007199254740993')),
  r('pyint/-2^53-1', pyint('-9007199254740993')),
  r('pyint/2^64', pyint(2n ** 64n)),
  r('numbers/all-in-array', A(0, [...NUMBERS.map(([, v]) => v), NEG0, NaN_, INF, NINF])),
  r('constants/all-in-array', A(0, [true, false, null, U, NEG0, NaN_, INF, NINF])),
];

// ---------------------------------------------------------------------------
// 2. Strings (§0.1, §3.2).

let ascii = '';
for (let i = 0; i < 128; i++) ascii += String.fromCharCode(i);
let c0 = '';
for (let i = 0; i < 32; i++) c0 += String.fromCharCode(i);

const STRINGS = [
  ['empty', ''],
  ['ascii-word', 'hello'],
  ['space', 'hello world'],
  ['quote', 'a"b'],
  ['backslash', 'a\\b'],
  ['lf', 'a\nb'],
  ['cr', 'a\rb'],
  ['bs', 'a\bb'],
  ['tab', 'a\tb'],
  ['ff', 'a\fb'],
  ['lt', 'a<b'],
  ['u2028', 'a\u2028b'],
  ['u2029', 'a\u2029b'],
  ['all-ten-escapes', '"\\\n\r\b\t\f<\u2028\u2029'],
  ['escapes-sample', 'a\nb\rc\td\be\ff'],
  ['quotes-mixed', 'a"b\'c`d'],
  ['script-tag', '<script></script>'],
  ['close-script-comment', '</script><!--x-->'],
  ['controls', '\x00\x01\x1f\x7f'],
  ['nul', '\x00'],
  ['vt', '\v'],
  ['del', '\x7f'],
  ['c0-all', c0],
  ['ascii-all', ascii],
  ['lone-high', '\ud800'],
  ['lone-low', '\udc00'],
  ['lone-high-then-x', '\ud800x'],
  ['x-then-lone-low', 'x\udc00'],
  ['reversed-pair', '\udc00\ud800'],
  ['emoji', '😀'],
  ['emoji-accent', '😀é'],
  ['non-ascii', 'héllo wörld 日本語 Ωμέγα'],
  ['gt-slash-apostrophe', ">/'"],
  ['backslash-u0041-text', '\\u0041'],
  ['backslash-x3C-text', '\\x3C'],
  ['backslash-u2028-text', '\\u2028'],
  ['trailing-backslash', 'abc\\'],
  ['template-like', '${x}`'],
  ['json-like', '{"t":1,"s":"x"}'],
  ['proto-string', '__proto__'],
  ['number-like', '1e3'],
  ['long-plain', 'abcdefghij'.repeat(10)],
  ['long-quotes', 'He said "hello" and she said "bye". '.repeat(3)],
  ['len-63-quotes', '"'.repeat(63)],
  ['len-64-quotes', '"'.repeat(64)],
  ['len-64-plain', 'x'.repeat(64)],
  ['long-lt', 'x'.repeat(70) + '<'],
  ['long-newline', 'line\n'.repeat(20)],
  ['long-u2028', 'x'.repeat(70) + '\u2028'],
  ['long-lone-surrogate', 'x'.repeat(70) + '\ud800'],
  ['long-controls', 'x'.repeat(70) + '\x00\x01\x7f'],
  ['long-non-ascii', 'é'.repeat(80)],
  ['long-emoji', '😀'.repeat(40)],
  ['long-backslash', '\\'.repeat(70)],
];

const strings = [
  ...STRINGS.map(([n, s]) => r(`string/${n}`, s)),
  r('string/all-in-object', O(0, STRINGS.map(([n, s]) => [n, s]))),
  r('string/as-keys', O(0, STRINGS.map(([n, s], i) => [s, i]))),
];

// ---------------------------------------------------------------------------
// 3. Keys (§0.4, §3.3).

const keys = [
  r(
    'keys/ref-example-1',
    O(0, [
      ['0', 15],
      ['1', 2],
      ['valid_$', 1],
      ['01', 3],
      ['1.5', 4],
      ['-1', 5],
      ['a-b', 6],
      ['', 7],
      ['Infinity', 8],
      ['NaN', 9],
      ['1e3', 10],
      ['$', 11],
      ['é', 12],
      ['class', 13],
      ['__proto__x', 14],
      ['9007199254740993', 16],
      ['1e21', 17],
      ['a b', 18],
      ['with"quote', 19],
      ['a\nb', 20],
      ['<', 21],
    ]),
  ),
  r(
    'keys/ref-example-2',
    O(0, [
      ['0', 7],
      ['4294967295', 1],
      ['9007199254740993', 2],
      ['1e+21', 3],
      ['0.5', 4],
      ['.5', 5],
      ['5.', 6],
      ['00', 8],
    ]),
  ),
  r(
    'keys/ref-example-3',
    O(0, [
      ['example', 'valid identifier'],
      ['%example', 'invalid identifier'],
      ['0x1', 'hexadecimal'],
      ['0b1', 'binary'],
      ['0o1', 'octal'],
      ['1_000', 'numeric separator'],
      ['1.7976931348623157e+308', 'exponentiation'],
      ['key\\with\\backslashes', 'value\\with\\backslashes'],
    ]),
  ),
  r('keys/proto-json-parse', O(0, [['__proto__', O(1, [['a', 1]])], ['b', 2]])),
  r('keys/proto-only', O(0, [['__proto__', 1]])),
  r('keys/proto-null-prototype', NP(0, [['__proto__', 1], ['a', 2]])),
  r('keys/proto-frozen', O(0, [['__proto__', 1]], 3)),
  r(
    'keys/prototype-names',
    O(0, [
      ['constructor', 1],
      ['__class__', 2],
      ['prototype', 3],
      ['__defineGetter__', 4],
      ['__defineSetter__', 5],
      ['__lookupGetter__', 6],
      ['__lookupSetter__', 7],
      ['hasOwnProperty', 8],
      ['toString', 9],
      ['valueOf', 10],
      ['__proto__', 11],
    ]),
  ),
  r(
    'keys/prototype-names-null-proto',
    NP(0, [
      ['constructor', 1],
      ['__class__', 2],
      ['prototype', 3],
      ['__proto__', 4],
    ]),
  ),
  r(
    'keys/integer-order',
    O(0, [
      ['b', 1],
      ['2', 2],
      ['a', 3],
      ['1', 4],
      ['10', 5],
      ['4294967295', 6],
      ['4294967294', 7],
      ['-0', 8],
      ['1.0', 9],
      ['+1', 10],
      [' 1', 11],
      ['1 ', 12],
      ['0', 13],
      ['007', 14],
    ]),
  ),
  r(
    'keys/numeric-forms',
    O(0, [
      ['1e-7', 1],
      ['5e-324', 2],
      ['0.000001', 3],
      ['1e-6', 4],
      ['123456789012345680000', 5],
      ['4294967296', 6],
      ['Infinity', 7],
      ['-Infinity', 8],
      ['infinity', 9],
      ['NaN', 10],
      ['1.50', 11],
      ['0.1', 12],
    ]),
  ),
  r(
    'keys/identifier-forms',
    O(0, [
      ['_', 1],
      ['$$', 2],
      ['a1', 3],
      ['1a', 4],
      ['café', 5],
      ['if', 6],
      ['null', 7],
      ['undefined', 8],
      ['true', 9],
      ['a.b', 10],
      ['a b', 11],
      ['\u2028', 12],
      ['\ud800', 13],
      ['😀', 14],
      ['\\', 15],
    ]),
  ),
  // Deferred assignments use each key kind: h.key=, h[1]=, h["a-b"]=, defineProperty.
  r(
    'keys/deferred-assignment-forms',
    O(0, [
      ['a', REF(0)],
      ['1', REF(0)],
      ['1.5', REF(0)],
      ['a-b', REF(0)],
      ['', REF(0)],
      ['<', REF(0)],
      ['with"quote', REF(0)],
      ['Infinity', REF(0)],
      ['é', REF(0)],
      ['01', REF(0)],
      ['x', 1],
    ]),
  ),
  r('keys/deferred-proto', O(0, [['__proto__', REF(0)]])),
  r('keys/deferred-proto-and-others', O(0, [['a', REF(0)], ['__proto__', REF(0)], ['b', 2]])),
  // o[1]=o["a-b"]=o.__proto__x=o assigns __proto__x first, then a-b, then 1.
  r('keys/deferred-merge-by-key', O(0, [['__proto__x', REF(0)], ['a-b', REF(0)], ['1', REF(0)]])),
  r('keys/deferred-merge-by-key-sequential', O(0, [['1', REF(0)], ['a-b', REF(0)], ['__proto__x', REF(0)]])),
  r('keys/error-props', ERR(0, 'Error', 'k', [['a-b', 1], ['1', 2], ['__proto__', 3], ['class', 4]])),
];

// ---------------------------------------------------------------------------
// 4. Arrays (holes, sparse, nesting).

const arrays = [
  r('array/empty', A(0, [])),
  r('array/ints', A(0, [1, 2, 3])),
  r('array/mixed', A(0, [1, 'a', true, null, U, big(1), NaN_, A(1, []), O(2, [])])),
  r('array/holes-1,,2,,', A(0, [1, HOLE, 2, HOLE])),
  r('array/holes-all-3', A(0, [HOLE, HOLE, HOLE])),
  r('array/holes-1,,', A(0, [1, HOLE])),
  r('array/holes-,1', A(0, [HOLE, 1])),
  r('array/undefined-items', A(0, [U, U])),
  r('array/hole-vs-undefined', A(0, [HOLE, U, HOLE, U])),
  r('array/sparse-100', A(0, [...Array(99).fill(HOLE), 'last'])),
  r('array/nested', A(0, [A(1, [A(2, [A(3, [1])])])])),
  r('array/of-objects', A(0, [O(1, [['a', 1]]), O(2, [['b', 2]])])),
];

// ---------------------------------------------------------------------------
// 5. Objects, null prototypes, well-known symbol keys, iterables.

const objects = [
  r('object/empty', O(0, [])),
  r('object/simple', O(0, [['a', 1], ['b', 'x']])),
  r('object/nested', O(0, [['a', O(1, [['b', O(2, [['c', O(3, [])]])]])]])),
  r('object/undefined-value', O(0, [['a', U]])),
  r('object/all-constant-values', O(0, [['t', true], ['f', false], ['n', null], ['u', U]])),
  r('object/to-string-tag', O(0, [['a', 1], [TAG, 'Foo']])),
  r('object/to-string-tag-non-string', O(0, [[TAG, 42]])),
  r('object/to-string-tag-symbol', O(0, [[TAG, sym('iterator')]])),
  r('object/to-string-tag-object', O(0, [[TAG, O(1, [])]])),
  r('object/is-concat-spreadable-true', O(0, [[SPREAD, true]])),
  r('object/is-concat-spreadable-false', O(0, [['a', 1], [SPREAD, false]])),
  r('object/is-concat-spreadable-number', O(0, [[SPREAD, 1]])),
  r('object/all-symbol-keys', O(0, [[SPREAD, true], [TAG, 'T'], [ITER, SEQ([1, U])], ['z', 0]])),
  r('null-proto/empty', NP(0, [])),
  r('null-proto/simple', NP(0, [['a', 1], ['b-c', 2]])),
  r('null-proto/nested', NP(0, [['a', 1], ['b', O(1, [['c', 2]])]])),
  r('null-proto/special-keys', NP(0, [['a-b', 1], ['1', 2], ['__proto__', 3], ['x', REF(0)]])),
  r('null-proto/self', NP(0, [['self', REF(0)], ['example', 'Hello World']])),
  r('null-proto/frozen', NP(0, [['a', 1]], 3)),
  r('null-proto/frozen-empty', NP(0, [], 3)),
  r('null-proto/sealed', NP(0, [['a', 1]], 2)),
  r('null-proto/non-extensible', NP(0, [['a', 1]], 1)),
  r('null-proto/to-string-tag', NP(0, [['a', 1], [TAG, 'X']])),
  r('null-proto/in-array-shared', A(0, [NP(1, [['a', 1]]), REF(1)])),
  r('null-proto/iterable', NP(0, [['a', 1], [ITER, SEQ([1, 2, U])]])),
  // Iterables (§2.8, §3.8).
  r('iterable/yield-1-2', O(0, [[ITER, SEQ([1, 2, U])]])),
  r('iterable/yield-1-2-return-3', O(0, [[ITER, SEQ([1, 2, 3])]])),
  r('iterable/empty', O(0, [[ITER, SEQ([U])]])),
  r('iterable/return-only', O(0, [[ITER, SEQ(['r'])]])),
  r('iterable/throws-after-1', O(0, [[ITER, SEQ([1, ERR(1, 'Error', 'boom')], 1, 1)]])),
  r('iterable/throws-immediately', O(0, [[ITER, SEQ(['x'], 0, 0)]])),
  r('iterable/throws-string', O(0, [[ITER, SEQ([1, 2, 'x'], 2, 2)]])),
  r('iterable/with-keys', O(0, [['a', 1], [ITER, SEQ([1, U])], ['b', 2]])),
  r('iterable/two-share-factory', A(0, [O(1, [[ITER, SEQ([1, U])]]), O(2, [[ITER, SEQ([2, U])]])])),
  r('iterable/yields-objects', O(0, [[ITER, SEQ([O(1, [['x', 1]]), A(2, [1]), U])]])),
  r('iterable/yields-shared', O(0, [['s', O(1, [['x', 1]])], [ITER, SEQ([REF(1), REF(1), U])]])),
  r('iterable/yields-itself-then-2', O(0, [[ITER, SEQ([REF(0), 2, U])]])),
  r('iterable/yields-only-itself', O(0, [[ITER, SEQ([REF(0), U])]])),
  r('iterable/returns-itself', O(0, [[ITER, SEQ([1, REF(0)])]])),
  r('iterable/nested-iterable', O(0, [[ITER, SEQ([O(1, [[ITER, SEQ([1, U])]]), U])]])),
  r('iterable/frozen', O(0, [[ITER, SEQ([1, U])]], 3)),
  r('iterable/with-tag', O(0, [[ITER, SEQ([1, U])], [TAG, 'Custom']])),
  r('iterable/yields-undefined-and-holes', O(0, [[ITER, SEQ([U, null, A(1, [HOLE]), U])]])),
];

// ---------------------------------------------------------------------------
// 6. Integrity flags (§3.6, §0.9).

const integrity = [
  r('integrity/freeze-object', O(0, [['a', 1]], 3)),
  r('integrity/seal-object', O(0, [['a', 1]], 2)),
  r('integrity/prevent-extensions-object', O(0, [['a', 1]], 1)),
  r('integrity/freeze-empty-object', O(0, [], 3)),
  r('integrity/seal-empty-object', O(0, [], 2)),
  r('integrity/prevent-extensions-empty-object', O(0, [], 1)),
  r('integrity/freeze-array', A(0, [1, 2], 3)),
  r('integrity/seal-array', A(0, [1, 2], 2)),
  r('integrity/prevent-extensions-array', A(0, [1, 2], 1)),
  r('integrity/freeze-empty-array', A(0, [], 3)),
  r('integrity/seal-empty-array', A(0, [], 2)),
  r('integrity/prevent-extensions-empty-array', A(0, [], 1)),
  r('integrity/freeze-array-with-holes', A(0, [HOLE, 1, HOLE], 3)),
  r('integrity/seal-array-with-holes', A(0, [HOLE, 1, HOLE], 2)),
  r('integrity/frozen-shared-values', O(0, [['a', O(1, [['x', 1]])], ['b', REF(1)]], 3)),
  r('integrity/frozen-self', O(0, [['s', REF(0)]], 3)),
  r('integrity/sealed-self', O(0, [['s', REF(0)]], 2)),
  r('integrity/frozen-array-self', A(0, [1, REF(0)], 3)),
  r('integrity/freeze-array-of-frozen-object', A(0, [O(1, [['y', 1]], 3)], 3)),
  r('integrity/freeze-object-with-frozen-array', O(0, [['inner', A(1, [1], 3)]], 3)),
  r('integrity/frozen-array-then-shared', A(0, [A(1, [O(2, [['x', 1]])], 3), REF(2), REF(2)])),
  r('integrity/mixed-levels', A(0, [O(1, [], 1), O(2, [['a', 1]], 2), O(3, [['b', 2]], 3), A(4, [1], 1), A(5, [1], 2)])),
  r('integrity/frozen-null-proto-assign', NP(0, [['a', 1]], 3)),
];

// ---------------------------------------------------------------------------
// 7. Dates.

const DATES = [
  ['epoch', 0],
  ['readme', 1701970137909],
  ['ms-precision', 1577934245678],
  ['minus-1ms', -1],
  ['invalid', null],
  ['year-1', -62135596800000],
  ['year-0', -62135596800001],
  ['year-minus-1', -62198755200000],
  ['year-9999-end', 253402300799999],
  ['year-10000', 253402300800000],
  ['max', 8.64e15],
  ['min', -8.64e15],
];

const dates = [
  ...DATES.map(([n, ms]) => r(`date/${n}`, DATE(0, ms))),
  r('date/shared', A(0, [DATE(1, 0), REF(1)])),
  r('date/many', A(0, DATES.map(([, ms], i) => DATE(i + 1, ms)))),
];

// ---------------------------------------------------------------------------
// 8. RegExp (each flag, tricky sources; bit 32 makes them throw).

const regexps = [
  r('regexp/readme', RE(0, '[a-z0-9]+', 'i')),
  r('regexp/empty', RE(0, '')),
  r('regexp/slash', RE(0, 'a/b')),
  r('regexp/escaped-slash', RE(0, 'a\\/b')),
  r('regexp/lt', RE(0, 'a<b')),
  r('regexp/script', RE(0, '</script>', 'u')),
  r('regexp/newline-char', RE(0, '\n')),
  r('regexp/newline-escape', RE(0, '\\n')),
  r('regexp/u2028-char', RE(0, '\u2028')),
  r('regexp/quote', RE(0, '"')),
  r('regexp/backslash', RE(0, '\\\\')),
  r('regexp/unicode-property', RE(0, '\\p{L}+', 'u')),
  r('regexp/non-ascii', RE(0, 'é😀')),
  r('regexp/lone-surrogate', RE(0, '\ud800')),
  r('regexp/class-with-slash', RE(0, '[/]')),
  ...['d', 'g', 'i', 'm', 's', 'u', 'v', 'y'].map((f) => r(`regexp/flag-${f}`, RE(0, 'a', f))),
  r('regexp/flags-all-u', RE(0, 'a', 'dgimsuy')),
  r('regexp/flags-all-v', RE(0, 'a', 'dgimsvy')),
  r('regexp/shared', A(0, [RE(1, 'x', 'g'), REF(1)])),
  r('regexp/in-object', O(0, [['re', RE(1, 'a<b', 'g')], ['n', 1]])),
];

// ---------------------------------------------------------------------------
// 9. Map and Set.

const maps = [
  r('map/empty', MAP(0, [])),
  r('map/number-entry', MAP(0, [[1, 2]])),
  r('map/string-entries', MAP(0, [['a', 1], ['b', 2]])),
  r('map/mixed', MAP(0, [['a', 1], [2, 'b'], [O(1, [['k', 1]]), A(2, [1])]])),
  r('map/value-object', MAP(0, [[1, O(1, [['x', 1]])]])),
  r('map/object-keys', MAP(0, [[O(1, []), 1], [A(2, []), 2], [MAP(3, []), 3]])),
  r('map/special-keys', MAP(0, [[NaN_, 1], [NEG0, 2], [U, 3], [null, 4], [true, 5], [big(1), 6], ['1', 7]])),
  r('map/symbol-keys', MAP(0, [[ITER, 1], [TAG, 2]])),
  r('map/self-value', MAP(0, [['self', REF(0)]])),
  r('map/self-key', MAP(0, [[REF(0), 1]])),
  r('map/self-key-object-value', MAP(0, [[REF(0), O(1, [['n', 1]])]])),
  r('map/self-key-and-value', MAP(0, [[REF(0), REF(0)]])),
  r('map/sentinel-key-fresh', O(0, [['m', MAP(1, [[O(2, [['n', 1]]), REF(1)]])], ['k', REF(2)]])),
  r('map/sentinel-value-fresh', O(0, [['m', MAP(1, [[REF(1), O(2, [['n', 1]])]])], ['v', REF(2)]])),
  // §3.6 "nested maps m1{a:m2}, m2{m1:"x",k:s}, root [m1,s]" (and the other entry order).
  r('map/nested-pair', A(0, [MAP(1, [['a', MAP(2, [[REF(1), 'x'], ['k', O(3, [])]])]]), REF(3)])),
  r('map/nested-pair-key-first', A(0, [MAP(1, [['a', MAP(2, [['k', O(3, [])], [REF(1), 'x']])]]), REF(3)])),
  r('map/two-maps', A(0, [MAP(1, [[1, 1]]), MAP(2, [[2, 2]])])),
  r('map/shared', A(0, [MAP(1, [[1, 2]]), REF(1)])),
  r('map/key-is-ancestor', O(0, [['m', MAP(1, [[REF(0), 1]])]])),
  r('map/key-is-ancestor-object-value', O(0, [['m', MAP(1, [[REF(0), O(2, [['n', 1]])]])]])),
  r('map/value-is-ancestor', O(0, [['m', MAP(1, [['root', REF(0)]])]])),
  r('map/shared-key-object', A(0, [O(1, [['k', 1]]), MAP(2, [[REF(1), REF(1)]])])),
  r('set/empty', SET(0, [])),
  r('set/ints', SET(0, [1, 2, 3])),
  r('set/mixed', SET(0, [1, 'a', O(1, [['x', 1]])])),
  r('set/special', SET(0, [NaN_, NEG0, U, null, big(1)])),
  r('set/self', SET(0, [1, REF(0)])),
  r('set/shared-items', A(0, [O(1, []), SET(2, [REF(1)])])),
  r('set/of-sets', SET(0, [SET(1, [1]), SET(2, [2])])),
  r('set/shared', A(0, [SET(1, [1]), REF(1)])),
  r('set/map-mutual', A(0, [MAP(1, [['s', SET(2, [REF(1)])]]), REF(2)])),
];

// ---------------------------------------------------------------------------
// 10. ArrayBuffer, typed arrays, DataView.

const BYTES16 = [0, 1, 2, 127, 128, 255, 0x80, 0x7f, 0xff, 0xff, 0xff, 0xff, 0, 0, 0xf0, 0x7f];
const KINDS = [
  ['Int8Array', 1],
  ['Uint8Array', 1],
  ['Uint8ClampedArray', 1],
  ['Int16Array', 2],
  ['Uint16Array', 2],
  ['Int32Array', 4],
  ['Uint32Array', 4],
  ['Float32Array', 4],
  ['Float64Array', 8],
  ['BigInt64Array', 8],
  ['BigUint64Array', 8],
];

const binary = [
  r('arraybuffer/bytes-1-2-3', AB(0, [1, 2, 3])),
  r('arraybuffer/empty', AB(0, [])),
  r('arraybuffer/byte-1', AB(0, [1])),
  r('arraybuffer/all-bytes', AB(0, Array.from({ length: 256 }, (_, i) => i))),
  r('arraybuffer/two', A(0, [AB(1, [1]), AB(2, [2])])),
  r('arraybuffer/shared', A(0, [AB(1, [1, 2]), REF(1)])),
  ...KINDS.map(([kind, bpe]) => r(`typedarray/${kind}`, TA(0, kind, AB(1, BYTES16), 0, 16 / bpe))),
  ...KINDS.map(([kind, bpe]) =>
    r(`typedarray/${kind}-offset`, TA(0, kind, AB(1, BYTES16), bpe, 1)),
  ),
  ...KINDS.map(([kind]) => r(`typedarray/${kind}-empty`, TA(0, kind, AB(1, []), 0, 0))),
  r('typedarray/uint8-1-2-3', TA(0, 'Uint8Array', AB(1, [1, 2, 3]), 0, 3)),
  r('typedarray/empty-at-end', TA(0, 'Uint8Array', AB(1, [1, 2]), 2, 0)),
  r('typedarray/uint16-on-8-byte-buffer', TA(0, 'Uint16Array', AB(1, [0, 0, 0, 0, 0, 0, 0, 0]), 2, 2)),
  r('typedarray/bigint64-1', TA(0, 'BigInt64Array', AB(1, [1, 0, 0, 0, 0, 0, 0, 0]), 0, 1)),
  r('typedarray/bigint64-1-minus-1', TA(0, 'BigInt64Array', AB(1, [1, 0, 0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255]), 0, 2)),
  r(
    'typedarray/two-views-one-buffer',
    A(0, [TA(1, 'Uint8Array', AB(2, [0, 0, 0, 0, 0, 0, 0, 0]), 0, 2), TA(3, 'Uint8Array', REF(2), 4, 4)]),
  ),
  r('typedarray/view-and-buffer', O(0, [['b', AB(1, [1, 2])], ['v', TA(2, 'Uint8Array', REF(1), 0, 2)]])),
  r(
    'typedarray/all-kinds-one-buffer',
    A(0, [AB(1, BYTES16), ...KINDS.map(([kind, bpe], i) => TA(i + 2, kind, REF(1), bpe === 8 ? 8 : bpe, 1))]),
  ),
  r(
    'typedarray/bigint-kinds-one-buffer',
    A(0, [TA(1, 'BigInt64Array', AB(2, BYTES16), 0, 2), TA(3, 'BigUint64Array', REF(2), 8, 1), TA(4, 'Uint8Array', REF(2), 0, 16)]),
  ),
  r('typedarray/shared', A(0, [TA(1, 'Int16Array', AB(2, [1, 0, 2, 0]), 0, 2), REF(1)])),
  r('dataview/full', DV(0, AB(1, [9, 8, 7, 6]), 0, 4)),
  r('dataview/offset', DV(0, AB(1, [9, 8, 7, 6]), 1, 2)),
  r('dataview/empty-at-end', DV(0, AB(1, [9, 8]), 2, 0)),
  r('dataview/shares-with-typed-array', A(0, [DV(1, AB(2, [1, 2, 3, 4]), 1, 2), TA(3, 'Uint8Array', REF(2), 0, 4)])),
  r('dataview/shared', A(0, [DV(1, AB(2, [1]), 0, 1), REF(1)])),
];

// ---------------------------------------------------------------------------
// 11. Errors and AggregateError (stack deleted or explicit).

const CTORS = ['Error', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError'];
const STACK = 'Error: x\n    at f (file.js:1:1)';

const errors = [
  ...CTORS.map((c) => r(`error/${c}`, ERR(0, c, 'm'))),
  ...CTORS.map((c) => r(`error/${c}-with-stack`, ERR(0, c, 'x', [['stack', `${c}: x\n    at f (file.js:1:1)`]]))),
  r('error/empty-message', ERR(0, 'Error', '')),
  r('error/message-escapes', ERR(0, 'Error', 'a"b\n<c>\u2028\\\ud800')),
  r('error/props', ERR(0, 'Error', 'p', [['code', 42], ['x-y', 'z']])),
  r('error/cause', ERR(0, 'Error', 'o', [['cause', ERR(1, 'Error', 'i')]])),
  r('error/cause-primitive', ERR(0, 'Error', 'outer', [['cause', 1]])),
  r('error/cause-self', ERR(0, 'Error', 'outer', [['cause', REF(0)]])),
  r('error/self-and-code', ERR(0, 'Error', 'x', [['self', REF(0)], ['code', 5]])),
  r('error/code-then-self', ERR(0, 'Error', 'x', [['code', 5], ['self', REF(0)]])),
  r('error/name-prop', ERR(0, 'TypeError', 'm', [['name', 'MyErr']])),
  r('error/name-other-ctor', ERR(0, 'Error', 'm', [['name', 'TypeError']])),
  r('error/name-same-ctor', ERR(0, 'RangeError', 'm', [['name', 'RangeError']])),
  r('error/stack-and-props', ERR(0, 'Error', 'x', [['stack', STACK], ['code', 1], ['cause', ERR(1, 'TypeError', 'c', [['stack', 'TypeError: c']])]])),
  r('error/stack-non-string', ERR(0, 'Error', 'x', [['stack', 42]])),
  r('error/shared', A(0, [ERR(1, 'Error', 'x'), REF(1)])),
  r('error/in-map', MAP(0, [['e', ERR(1, 'SyntaxError', 's')]])),
  r('error/errors-prop-on-plain-error', ERR(0, 'Error', 'x', [['errors', A(1, [1])]])),
  r('error/nested-object-prop', ERR(0, 'Error', 'x', [['data', O(1, [['a', A(2, [1, 2])]])]])),
  r('error/proto-key', ERR(0, 'Error', 'x', [['__proto__', 1]])),
  r('aggregate/basic', AGG(0, [ERR(1, 'Error', 'a'), 1], 'agg')),
  r('aggregate/errors-1', AGG(0, [1], 'agg')),
  r('aggregate/empty', AGG(0, [], 'none')),
  r('aggregate/self', AGG(0, [REF(0)], 'agg')),
  r('aggregate/nested', AGG(0, [AGG(1, [ERR(2, 'TypeError', 't')], 'inner')], 'outer')),
  r('aggregate/with-cause-and-stack', AGG(0, [ERR(1, 'Error', 'a')], 'agg', [['cause', 'why'], ['stack', 'AggregateError: agg\n    at g (file.js:2:2)']])),
  r('aggregate/with-props', AGG(0, [2], 'agg', [['code', 7], ['name', 'Custom']])),
  r('aggregate/shared-errors', AGG(0, [ERR(1, 'Error', 'a'), REF(1)], 'agg')),
];

// ---------------------------------------------------------------------------
// 12. Boxed primitives.

const boxed = [
  r('boxed/number', BOX(0, 1)),
  r('boxed/number-1.5', BOX(0, 1.5)),
  r('boxed/-0', BOX(0, NEG0)),
  r('boxed/NaN', BOX(0, NaN_)),
  r('boxed/Infinity', BOX(0, INF)),
  r('boxed/-Infinity', BOX(0, NINF)),
  r('boxed/string', BOX(0, 'hi')),
  r('boxed/string-empty', BOX(0, '')),
  r('boxed/string-escapes', BOX(0, '<"\n')),
  r('boxed/true', BOX(0, true)),
  r('boxed/false', BOX(0, false)),
  r('boxed/bigint', BOX(0, big(1))),
  r('boxed/bigint-big', BOX(0, big('-9007199254740993'))),
  r('boxed/shared', A(0, [BOX(1, 5), REF(1)])),
  r('boxed/all', A(0, [BOX(1, 1), BOX(2, 's'), BOX(3, false), BOX(4, big(2)), BOX(5, NEG0), BOX(6, NaN_)])),
];

// ---------------------------------------------------------------------------
// 13. Well-known symbols.

const WK = [
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

const symbols = [
  ...WK.map((s) => r(`symbol/${s}`, sym(s))),
  ...WK.map((s) => r(`symbol/${s}-shared`, A(0, [sym(s), sym(s)]))),
  r('symbol/all-in-array', A(0, WK.map(sym))),
  r('symbol/as-object-values', O(0, [['a', sym('iterator')], ['b', sym('iterator')], ['c', sym('match')]])),
  r('symbol/iterator-value-and-iterable', O(0, [['s', ITER], [ITER, SEQ([ITER, U])]])),
];

// ---------------------------------------------------------------------------
// 14. createReference, OpaqueReference.

const references = [
  r('reference/alone', REFN(0, 'my-fn')),
  r('reference/in-object', O(0, [['fn', REFN(1, 'my-fn')]])),
  r('reference/shared', O(0, [['fn', REFN(1, 'my-fn')], ['again', REF(1)]])),
  r('reference/two-names', A(0, [REFN(1, 'ref-a'), REFN(2, 'ref-b')])),
  r('reference/escaped-name', REFN(0, 'a"<b\n\u2028')),
  r('reference/in-map-key', MAP(0, [[REFN(1, 'my-fn'), 1]])),
  r('opaque/in-array-then-object', A(0, [OPQ(1, 'r'), O(2, [])])),
  r('opaque/undefined-replacement', O(0, [['a', OPQ(1, U)], ['b', 'replacement']])),
  r('opaque/object-replacement', OPQ(0, O(1, [['x', 1]]))),
  r('opaque/same-twice', A(0, [OPQ(1, 'r'), REF(1)])),
  r('opaque/same-twice-object-replacement', A(0, [OPQ(1, O(2, [['x', 1]])), REF(1)])),
  r('opaque/replacement-shared', A(0, [O(1, [['s', 1]]), OPQ(2, REF(1))])),
];

// ---------------------------------------------------------------------------
// 15. Streams (createStream), Point plugin.

const streams = [
  r('stream/next-return', STREAM(0, [['next', 1], ['return', 2]])),
  r('stream/next-throw', STREAM(0, [['next', 1], ['throw', ERR(1, 'Error', 'boom')]])),
  r('stream/return-only', STREAM(0, [['return', U]])),
  r('stream/throw-only', STREAM(0, [['throw', 'x']])),
  r('stream/many-nexts', STREAM(0, [['next', 'a'], ['next', 'b'], ['next', O(1, [['c', 1]])], ['return', 'c']])),
  r('stream/shared-values', STREAM(0, [['next', O(1, [])], ['next', REF(1)], ['return', REF(1)]])),
  r('stream/shared', A(0, [STREAM(1, [['return', 0]]), REF(1)])),
  r('stream/events-after-end-ignored', STREAM(0, [['next', 1], ['return', 2], ['next', 3], ['throw', 4]])),
  r('stream/contains-itself', STREAM(0, [['next', REF(0)], ['return', U]])),
  r('stream/in-object', O(0, [['s', STREAM(1, [['next', 1], ['return', U]])], ['n', 2]])),
  r('stream/open', STREAM(0, [['next', 1]])),
  r('stream/open-empty', STREAM(0, [])),
];

const plugin = [
  r('point/simple', PT(0, 1, 2)),
  r('point/object-y', PT(0, 1, O(1, [['z', 2]]))),
  r('point/shared', A(0, [PT(1, 1, O(2, [['z', 2]])), REF(1)])),
  r('point/nested', PT(0, PT(1, 1, 2), PT(2, 3, 4))),
  r('point/shared-child', PT(0, O(1, []), REF(1))),
  r('point/in-map', MAP(0, [[PT(1, 0, 0), 'origin']])),
  r('point/cycle-through-point', PT(0, 1, REF(0))),
  r('point/cycle-through-child', PT(0, O(1, [['p', REF(0)]]), 2)),
  r('point/special-numbers', PT(0, NEG0, NaN_)),
];

// ---------------------------------------------------------------------------
// 16. Sharing and cycles of every container kind (§2.8, §3.6).

const fortyShared = [];
for (let i = 0; i < 40; i++) fortyShared.push(O(i + 1, [['v', i]]), REF(i + 1));
const manyShared = [];
for (let i = 0; i < 2200; i++) manyShared.push(A(i + 1, []), REF(i + 1));
const selfKeys102 = [];
for (let i = 0; i < 102; i++) selfKeys102.push([`k${i}`, REF(0)]);

const sharing = [
  r('shared/object-twice', O(0, [['a', O(1, [['x', 1]])], ['b', REF(1)]])),
  r('shared/array-of-same', A(0, [O(1, [['x', 1]]), REF(1)])),
  r('shared/first-marked-order', A(0, [O(1, []), O(2, []), REF(2), REF(1)])),
  r('cycle/object-self', O(0, [['self', REF(0)]])),
  r('cycle/array-self-only', A(0, [REF(0)])),
  r('cycle/array-self-middle', A(0, [1, REF(0), 2])),
  r('cycle/array-self-twice', A(0, [1, REF(0), REF(0)])),
  r('cycle/mutual-root-a', O(0, [['b', O(1, [['a', REF(0)]])]])),
  r('cycle/mutual-in-array', A(0, [O(1, [['b', O(2, [['a', REF(1)]])]]), REF(2)])),
  r('cycle/self-between-keys', O(0, [['x', 1], ['y', REF(0)], ['z', 2]])),
  r('cycle/merge-same-value', O(0, [['a', REF(0)], ['b', 1], ['c', REF(0)]])),
  r('cycle/root-and-parent', O(0, [['a', O(1, [['b', O(2, [['root', REF(0)], ['parent', REF(1)]])]])]])),
  r('cycle/parent-child-chain', O(0, [['child', O(1, [['parent', REF(0)], ['child', O(2, [['parent', REF(1)]])]])]])),
  r('cycle/shared-and-self', O(0, [['x', O(1, [])], ['y', REF(0)], ['z', REF(1)]])),
  r('cycle/forty-shared', A(0, fortyShared)),
  r('cycle/102-self-keys', O(0, selfKeys102)),
  r('cycle/2200-shared-var-names', A(0, manyShared)),
  r('cycle/set-in-map-in-array', A(0, [MAP(1, [['set', SET(2, [REF(0), REF(1), REF(2)])]])])),
  r('cycle/error-in-own-props-via-object', ERR(0, 'Error', 'e', [['o', O(1, [['e', REF(0)]])]])),
  r('cycle/null-proto-mutual', NP(0, [['o', NP(1, [['p', REF(0)]])]])),
  r('cycle/null-proto-in-object', O(0, [['n', NP(1, [['root', REF(0)]])]])),
  r('cycle/deep-back-edge', A(0, [A(1, [A(2, [A(3, [REF(0), REF(1), REF(2), REF(3)])])])])),
  r(
    'readme/example',
    O(0, [
      ['number', A(1, [0.5, NEG0, NaN_, INF, NINF])],
      ['string', A(2, ['hello world', '<script>Hello World</script>'])],
      ['boolean', A(3, [true, false])],
      ['null', null],
      ['undefined', U],
      ['bigint', big('9007199254740991')],
      [
        'array',
        A(4, [
          HOLE,
          HOLE,
          HOLE,
          REF(4),
          MAP(5, [
            ['hello', 'world'],
            ['self', REF(5)],
            ['mutual', SET(6, ['hello', 'world', REF(6), REF(4)])],
          ]),
        ]),
      ],
      ['regexp', RE(7, '[a-z0-9]+', 'i')],
      ['date', DATE(8, 1701970137909)],
      ['map', REF(5)],
      ['set', REF(6)],
      ['self', REF(0)],
    ]),
  ),
];

// ---------------------------------------------------------------------------
// 17. Depth limits (§1.1) and feature-mask oddities (§0.5).

let deepObject = 1;
for (let i = 0; i < 5; i++) deepObject = O(4 - i, [['a', deepObject]]);

const limits = [
  r('depth/[[[1]]]-limit-3', A(0, [A(1, [A(2, [1])])]), { depthLimit: 3 }),
  r('depth/[[[]]]-limit-3', A(0, [A(1, [A(2, [])])]), { depthLimit: 3 }),
  r('depth/object-5-deep-limit-5', deepObject, { depthLimit: 5 }),
  r('depth/object-5-deep-limit-6', deepObject, { depthLimit: 6 }),
  r('depth/map-limit-2', MAP(0, [['k', O(1, [['a', 1]])]]), { depthLimit: 2 }),
  r('depth/primitive-limit-1', A(0, [1]), { depthLimit: 1 }),
  r('depth/empty-array-limit-1', A(0, []), { depthLimit: 1 }),
  r('features/unknown-bits', O(0, [['a', 1]]), { masks: [128, 128 | 4, 255] }),
];

// ---------------------------------------------------------------------------
// 18. Native entries (no recipe can express them).

function makeGenerator(items, ret) {
  return (function* gen() {
    for (const x of items) yield x;
    return ret;
  })();
}

class Foo {}
class IterableThing {
  *[Symbol.iterator]() {
    yield 1;
    yield 2;
  }
}
class MyMap extends Map {}
class MyErr extends Error {}
class MyTypeErr extends TypeError {}
class HttpError extends Error {
  constructor(message) {
    super(message);
    this.name = 'HttpError';
    this.status = 404;
  }
}

const refObject = createReference('ref/object', { a: 1 });
const refSymbol = createReference('ref/symbol', Symbol('s'));

function pyError(Ctor, message, name) {
  const e = noStack(new Ctor(message));
  if (name !== undefined) e.name = name;
  return e;
}

const n = (name, python, js, extra = {}) => ({ name, python, js, ...extra });

const natives = [
  // Python-natural values.
  n('py/tuple', 'py/tuple', () => [1, 2]),
  n('py/empty-tuple', 'py/empty-tuple', () => []),
  n('py/nested-tuple-shared', 'py/nested-tuple-shared', () => {
    const t = [1, 2];
    return [t, t];
  }),
  n('py/range', 'py/range', () => [0, 1, 2]),
  n('py/none-in-list', 'py/none-in-list', () => [null]),
  n('py/float-integral', 'py/float-integral', () => 1),
  n('py/bytes', 'py/bytes', () => new Uint8Array([1, 2, 3])),
  n('py/bytes-empty', 'py/bytes-empty', () => new Uint8Array(0)),
  n('py/bytearray', 'py/bytearray', () => new Uint8Array([1, 2, 3]).buffer),
  n('py/set-of-ints', 'py/set-of-ints', () => new Set([1, 2, 3])),
  n('py/frozenset', 'py/frozenset', () => new Set([1, 2])),
  n('py/datetime-with-offset', 'py/datetime-with-offset', () => new Date('2024-01-02T01:04:05.678Z')),
  n('py/value-error', 'py/value-error', () => pyError(Error, 'bad', 'ValueError')),
  n('py/type-error', 'py/type-error', () => pyError(TypeError, 't')),
  n('py/exception-with-cause', 'py/exception-with-cause', () => {
    const outer = pyError(Error, 'outer', 'RuntimeError');
    outer.cause = pyError(Error, "'k'", 'KeyError');
    return outer;
  }),
  n('py/exception-group', 'py/exception-group', () => {
    const g = noStack(new AggregateError([pyError(Error, 'a', 'ValueError')], 'many'));
    g.name = 'ExceptionGroup';
    return g;
  }),
  n('py/int-beyond-2^53', 'py/int-beyond-2^53', () => 2n ** 53n + 1n),
  n('py/int-negative-beyond-2^53', 'py/int-negative-beyond-2^53', () => -(2n ** 64n)),
  n('py/dict-int-keys', 'py/dict-int-keys', () => new Map([[1, 'a'], [2, 'b']])),
  n('py/dict-tuple-key', 'py/dict-tuple-key', () => new Map([[[1, 2], 'a']])),
  n('py/generator', 'py/generator', () => makeGenerator([1, 2], undefined)),

  // JS-only values.
  n('js/function', 'js/function', () => function f() {}),
  n('js/arrow-function', 'js/arrow-function', () => () => 1),
  n('js/class-instance', 'js/class-instance', () => new Foo()),
  n('js/iterable-class-instance', 'js/iterable-class-instance', () => new IterableThing()),
  n('js/map-subclass', 'js/map-subclass', () => new MyMap([[1, 2]])),
  n('js/object-proto-null-chain', 'js/object-proto-null-chain', () => Object.create(Object.create(null))),
  n('js/object-proto-plain', 'js/object-proto-plain', () => Object.create({})),
  n('js/inherited-iterator', 'js/inherited-iterator', () =>
    Object.setPrototypeOf(
      { a: 1 },
      {
        *[Symbol.iterator]() {
          yield 1;
        },
      },
    ),
  ),
  n('js/symbol-custom', 'js/symbol-custom', () => Symbol('x')),
  n('js/symbol-registered', 'js/symbol-registered', () => Symbol.for('x')),
  n('js/custom-symbol-key', 'js/custom-symbol-key', () => ({ a: 1, [Symbol('x')]: 2 })),
  n('js/non-enumerable-prop', 'js/non-enumerable-prop', () =>
    Object.defineProperty({ a: 1 }, 'b', { value: 2, enumerable: false }),
  ),
  n('js/getter', 'js/getter', () => ({
    get a() {
      return 1;
    },
    b: 2,
  })),
  n('js/array-extra-prop', 'js/array-extra-prop', () => Object.assign([1, 2], { extra: 3 })),
  n('js/arguments', 'js/arguments', () =>
    (function args() {
      return arguments;
    })(1, 2),
  ),
  n('js/generator-object', 'js/generator-object', () => makeGenerator([1], undefined)),
  n('js/generator-throws', 'js/generator-throws', () =>
    (function* gen() {
      yield 1;
      throw noStack(new Error('g'));
    })(),
  ),
  n('js/generator-returns', 'js/generator-returns', () => makeGenerator([1], 'r')),
  n('js/error-subclass', 'js/error-subclass', () => noStack(new MyErr('m'))),
  n('js/error-subclass-typeerror', 'js/error-subclass-typeerror', () => noStack(new MyTypeErr('m'))),
  n('js/error-subclass-own-name', 'js/error-subclass-own-name', () => noStack(new HttpError('nf'))),
  n('js/error-no-message', 'js/error-no-message', () => noStack(new Error())),
  n('js/error-options-cause', 'js/error-options-cause', () => noStack(new Error('o', { cause: 1 }))),
  n('js/error-name-equals-ctor', 'js/error-name-equals-ctor', () => pyError(Error, 'x', 'Error')),
  n('js/regexp-lastindex', 'js/regexp-lastindex', () => {
    const re = /a/g;
    re.lastIndex = 3;
    return re;
  }),
  n('js/frozen-set', 'js/frozen-set', () => Object.freeze(new Set([1]))),
  n('js/weakmap', 'js/weakmap', () => new WeakMap()),
  n('js/promise', 'js/promise', () => Promise.resolve(1)),
  n('js/async-iterable', 'js/async-iterable', () => ({
    async *[Symbol.asyncIterator]() {
      yield 1;
    },
  })),
  n('js/async-generator-object', 'js/async-generator-object', () => (async function* ag() {})()),
  n('js/live-stream', 'js/live-stream', () => createLiveStream().stream),
  n('js/boxed-symbol', null, () => Object(Symbol.iterator)),
  n('js/sparse-array-1000001', 'js/sparse-array-1000001', () => new Array(1000001)),
  n('js/reference-object', 'js/reference-object', () => refObject),
  n('js/reference-symbol', 'js/reference-symbol', () => refSymbol),
  n('js/nested-array-1000', 'js/nested-array-1000', () => nested(1000)),
  n('js/nested-array-1001', 'js/nested-array-1001', () => nested(1001)),
];

// ---------------------------------------------------------------------------

export const SECTIONS = {
  primitives,
  strings,
  keys,
  arrays,
  objects,
  integrity,
  dates,
  regexps,
  maps,
  binary,
  errors,
  boxed,
  symbols,
  references,
  streams,
  plugin,
  sharing,
  limits,
  natives,
  // Later: web (seroval-plugins/web), temporal.
};

export const CATALOGUE = Object.values(SECTIONS).flat();

/** The native entries, for the Python side to check its builders against. */
export const NATIVE_ENTRIES = CATALOGUE.filter((e) => e.recipe === undefined).map((e) => ({
  name: e.name,
  python: e.python,
}));
