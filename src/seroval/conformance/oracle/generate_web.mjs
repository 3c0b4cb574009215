#!/usr/bin/env node
// Web-plugin and Temporal vectors: runs seroval 1.8.1 with seroval-plugins 1.8.0
// over the entries below and writes ../vectors/web/web.jsonl.gz (a folder of its
// own: load_vectors() reads only the top-level files, and these lines carry
// async and stream fields the core checks do not know). Format: RECIPES.md,
// "Web plugins and Temporal".
//
//   node generate_web.mjs [--out FILE]
//
// Deterministic byte for byte (run twice, compare the decompressed text): no
// clock (every File has an explicit lastModified), no Math.random, no stacks
// (recipes use no Error values), and values that change later do so at
// numbered schedule steps driven in order below.

import { IMAGE_DATA_IS_STAND_IN, webKinds } from './web-recipe.mjs'; // before seroval: globals
import { mkdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as S from 'seroval';
import * as web from 'seroval-plugins/web';
import { buildValue } from './recipe.mjs';
import { createSchedule, streamKinds } from './stream_kinds.mjs';
import { SCOPE_ID } from './generate.mjs';

const ALL = Object.values(web);
const MODES = ['sync', 'async', 'stream'];
const globalEval = eval;
globalThis.self ??= globalThis; // the $R header refers to `self`, as in a page
process.on('unhandledRejection', () => {});

// ---------------------------------------------------------------------------
// The entries: {name, recipe, plugins ("all" or export names), masks, modes}.

const b64 = (text) => Buffer.from(text, 'utf8').toString('base64');
const HELLO = b64('hello');
const ENTRIES = [];
const add = (name, recipe, extra = {}) => ENTRIES.push({ name, recipe, ...extra });

// URL and URLSearchParams (hrefs and query texts as JS writes them back).
add('web/url/basic', ['url', 0, 'https://example.com/a?b=1#c']);
add('web/url/root', ['url', 0, 'https://example.com/']);
add('web/url/file', ['url', 0, 'file:///tmp/x%20y']);
add('web/url/mailto', ['url', 0, 'mailto:someone@example.com']);
add('web/url/idn-and-escapes', ['url', 0, 'https://xn--r8jz45g.jp/%E3%83%91?q=%C3%BC&x=%3C%22#f%20g']);
add('web/url/credentials-port', ['url', 0, 'http://user:pw@example.com:8080/p?#']);
add('web/url/shared', ['array', 0, [['url', 1, 'https://a.com/'], ['ref', 1]]]);
add('web/url/missing-plugin', ['url', 0, 'https://a.com/'], { plugins: [] });
add('web/urlsearchparams/basic', ['urlsearchparams', 0, 'a=1&b=2&a=3']);
add('web/urlsearchparams/escapes', ['urlsearchparams', 0, 'q=hello+world&x=%26%3D%2B%7E&e=&k=%C3%BC%F0%9F%98%80']);
add('web/urlsearchparams/empty', ['urlsearchparams', 0, '']);
add('web/url/in-object', [
  'object', 0,
  [['u', ['url', 1, 'https://example.com/?x=1']], ['q', ['urlsearchparams', 2, 'x=1']], ['again', ['ref', 1]]],
]);

// Headers.
add('web/headers/basic', ['headers', 0, [['content-type', 'text/plain'], ['x-a', 'b']]]);
add('web/headers/sorted-combined', [
  'headers', 0,
  [['B', '1'], ['a', '2'], ['A', ' 3 '], ['set-cookie', 'x=1'], ['Set-Cookie', 'y=2'], ['x-e', '']],
]);
add('web/headers/empty', ['headers', 0, []]);
add('web/headers/latin1-and-quotes', ['headers', 0, [['x-q', 'a "b" <c> \u00e9']]]);
add('web/headers/shared', ['array', 0, [['headers', 1, [['a', 'b']]], ['ref', 1]]]);

// Blob and File (async in seroval; the whole list writes a File as a Blob).
add('web/blob/text', ['blob', 0, 'text/plain', HELLO]);
add('web/blob/empty', ['blob', 0, '', '']);
add('web/blob/binary-uppercase-type', ['blob', 0, 'Application/Octet-Stream', 'AAEC/f7/']);
add('web/blob/shared', ['array', 0, [['blob', 1, 'a/b', HELLO], ['ref', 1], ['blob', 2, 'a/b', HELLO]]]);
add('web/file/as-blob', ['file', 0, 'h.txt', 'text/plain', 1700000000000, HELLO]);
add('web/file/alone', ['file', 0, 'h.txt', 'text/plain', 1700000000000, HELLO], {
  plugins: ['FilePlugin'],
});
add('web/file/unicode-name', ['file', 0, 'r\u00e9sum\u00e9 <1>.txt', '', 0, ''], {
  plugins: ['FilePlugin'],
});

// FormData (a Blob or File entry keeps seroval to async mode).
add('web/formdata/strings', ['formdata', 0, [['a', '1'], ['b', '2'], ['a', '3']]]);
add('web/formdata/empty', ['formdata', 0, []]);
add('web/formdata/factory-shared', [
  'array', 0,
  [['formdata', 1, [['a', '1']]], ['ref', 1], ['formdata', 2, [['x', 'y']]]],
]);
add('web/formdata/blob-entry', ['formdata', 0, [['a', '1'], ['b', ['blob', 1, 'text/plain', HELLO]]]]);
add('web/formdata/file-entry', [
  'formdata', 0, [['f', ['file', 1, 'f.bin', 'application/octet-stream', 1, 'AAE=']]],
], { plugins: ['FormDataPlugin'] });

// ReadableStream (async and stream in seroval and here).
const close = (step) => ['return', ['undefined'], step];
add('web/readablestream/items', ['readablestream', 0, [['next', 1, 0], ['next', 'two', 0], close(0)]]);
add('web/readablestream/later', ['readablestream', 0, [['next', 'x', 1], ['next', 'y', 2], close(3)]]);
add('web/readablestream/empty', ['readablestream', 0, [close(0)]]);
add('web/readablestream/error', [
  'readablestream', 0,
  [['next', 1, 1], ['throw', ['domexception', 1, 'boom', 'AbortError'], 2]],
]);
add('web/readablestream/bytes', [
  'readablestream', 0,
  [['next', ['typedarray', 1, 'Uint8Array', ['arraybuffer', 2, HELLO], 0, 5], 1], close(2)],
]);
add('web/readablestream/objects-shared', [
  'object', 0,
  [
    ['s', ['readablestream', 1, [['next', ['object', 2, [['a', 1]]], 1], ['next', ['ref', 2], 2], close(3)]]],
    ['t', ['readablestream', 3, [close(1)]]],
  ],
]);

// Request and Response (async and stream in seroval; a bytes body also sync here).
add('web/request/get', ['request', 0, 'https://ex.com/', {}]);
add('web/request/headers', ['request', 0, 'https://ex.com/a?b', { headers: [['x-b', '2'], ['a', '1']] }]);
add('web/request/post-bytes', ['request', 0, 'https://ex.com/', { method: 'post', body: ['bytes', HELLO] }]);
add('web/request/post-empty', ['request', 0, 'https://ex.com/', { method: 'PUT', body: ['bytes', ''] }]);
add('web/request/options', [
  'request', 0, 'https://ex.com/x',
  {
    method: 'PATCH',
    cache: 'no-store',
    credentials: 'include',
    integrity: 'sha256-abc',
    keepalive: true,
    mode: 'same-origin',
    redirect: 'manual',
    referrer: '',
    referrerPolicy: 'no-referrer',
  },
]);
add('web/request/alone', ['request', 0, 'https://ex.com/', { headers: [['a', 'b']] }], {
  plugins: ['RequestPlugin'],
});
add('web/response/bytes', [
  'response', 0, ['bytes', b64('body')],
  { status: 201, statusText: 'Created', headers: [['a', 'b']] },
]);
add('web/response/null-body', ['response', 0, null, { status: 204 }]);
add('web/response/empty-body', ['response', 0, ['bytes', ''], {}]);
add('web/response/stream-body', [
  'response', 0, ['readablestream', 1, [['next', ['typedarray', 2, 'Uint8Array', ['arraybuffer', 3, HELLO], 0, 5], 1], close(2)]],
  { headers: [['content-type', 'text/plain']] },
]);

// Events and DOMException.
add('web/event/bubbles', ['event', 0, 'click', { bubbles: true }]);
add('web/event/defaults', ['event', 0, 'x', {}]);
add('web/event/all-flags', ['event', 0, 'a<b', { bubbles: true, cancelable: true, composed: true }]);
add('web/customevent/detail', ['customevent', 0, 'x', ['object', 1, [['a', 1]]], { cancelable: true }]);
add('web/customevent/null-detail', ['customevent', 0, 'x', null, {}]);
add('web/customevent/shared-detail', [
  'array', 0, [['object', 1, [['k', 'v']]], ['customevent', 2, 'y', ['ref', 1], { composed: true }]],
]);
add('web/customevent/as-event', ['customevent', 0, 'x', 1, { bubbles: true }], {
  plugins: ['EventPlugin'],
});
add('web/domexception/basic', ['domexception', 0, 'msg', 'AbortError']);
add('web/domexception/defaults-escapes', ['domexception', 0, 'a "b" <c>\n', 'Error']);

// AbortSignal (seroval's async mode waits for a pending signal to abort).
add('web/abortsignal/aborted', ['abortsignal', 0, 'aborted', 'why']);
add('web/abortsignal/aborted-default', ['abortsignal', 0, 'aborted', ['undefined']]);
add('web/abortsignal/aborted-object', ['abortsignal', 0, 'aborted', ['object', 1, [['code', 7]]]]);
add('web/abortsignal/pending', ['abortsignal', 0, 'pending'], { modes: ['sync', 'stream'] });
add('web/abortsignal/later', ['abortsignal', 0, 'later', 'late', 1]);
add('web/abortsignal/later-shared', [
  'array', 0, [['abortsignal', 1, 'later', ['object', 2, [['x', 1]]], 1], ['ref', 1]],
]);

// ImageData (a stand-in class under Node).
add('web/imagedata/srgb', ['imagedata', 0, 'AAECAwQFBgc=', 2, 1, 'srgb']);
add('web/imagedata/display-p3', ['imagedata', 0, '/////wAAAP8=', 1, 2, 'display-p3']);

// Temporal (Feature.Temporal; texts as toString() gives them back).
const temporal = (type, text) => ['temporal', 0, type, text];
const TEMPORAL_CASES = [
  ['Instant', '2020-01-01T00:00:00Z'],
  ['Instant', '2020-01-01T12:34:56.5Z'],
  ['Instant', '2020-01-01T00:00:00.123456789Z'],
  ['Instant', '-000001-01-01T00:00:00Z'],
  ['Duration', 'PT0S'],
  ['Duration', 'P1DT2H3M4.5S'],
  ['Duration', '-P1D'],
  ['Duration', 'PT90M'],
  ['Duration', 'P1Y2M3W4DT5H6M7.00800901S'],
  ['PlainDate', '2020-01-31'],
  ['PlainDate', '0000-01-01'],
  ['PlainDate', '+010000-01-01'],
  ['PlainDate', '2020-01-01[u-ca=japanese]'],
  ['PlainDateTime', '2020-01-01T00:00:00'],
  ['PlainDateTime', '2020-01-01T12:34:56.789'],
  ['PlainMonthDay', '12-25'],
  ['PlainTime', '00:00:00'],
  ['PlainTime', '12:34:56.000001'],
  ['PlainTime', '23:59:59.999999999'],
  ['PlainYearMonth', '2020-01'],
  ['ZonedDateTime', '2020-01-01T00:00:00+00:00[UTC]'],
  ['ZonedDateTime', '2020-07-01T12:00:00+02:00[Europe/Paris]'],
  ['ZonedDateTime', '1900-01-01T00:00:00+00:09[Europe/Paris]'],
  ['ZonedDateTime', '2020-11-01T01:30:00-05:00[America/New_York]'],
  ['ZonedDateTime', '2020-01-01T00:00:00+05:30[+05:30]'],
  ['ZonedDateTime', '2020-01-01T00:00:00.5+01:00[Europe/Paris][u-ca=japanese]'],
];
for (const [type, text] of TEMPORAL_CASES) {
  add(`temporal/${type}/${text}`, temporal(type, text), { masks: [64] });
}
add('temporal/shared', [
  'array', 0,
  [['temporal', 1, 'PlainDate', '2020-01-01'], ['ref', 1], ['temporal', 2, 'PlainTime', '12:00:00']],
]);
add('temporal/in-object-with-plugins', [
  'object', 0, [['when', ['temporal', 1, 'Instant', '2020-01-01T00:00:00Z']], ['url', ['url', 2, 'https://a.com/']]],
]);

// Everything together, as one payload.
add('web/mixed/object', [
  'object', 0,
  [
    ['url', ['url', 1, 'https://example.com/']],
    ['headers', ['headers', 2, [['a', 'b']]]],
    ['event', ['event', 3, 'e', {}]],
    ['error', ['domexception', 4, 'm', 'NotFoundError']],
    ['signal', ['abortsignal', 5, 'aborted', ['ref', 4]]],
    ['date', ['temporal', 6, 'PlainDate', '2020-02-29']],
    ['map', ['map', 7, [[['ref', 1], ['ref', 2]]]]],
  ],
]);

// ---------------------------------------------------------------------------
// Running seroval.

function errorRecord(err) {
  const specific = err != null && err.cause != null ? err.cause : err;
  const name =
    specific != null && typeof specific === 'object' && specific.constructor
      ? specific.constructor.name
      : typeof specific;
  return { name };
}

function pluginsOf(names) {
  return names === 'all' ? ALL : names.map((name) => web[name]);
}

function fresh(recipe) {
  const schedule = createSchedule();
  const value = buildValue(recipe, { ...streamKinds(schedule), ...webKinds(schedule) });
  return { value, schedule };
}

const tick = () => new Promise((done) => setImmediate(done));

async function ticks(count = 4) {
  for (let i = 0; i < count; i++) await tick();
}

/** Advance every step of the schedule in order, letting seroval react between steps. */
async function drive(schedule, finished) {
  await ticks();
  for (let step = 1; step <= schedule.last; step++) {
    schedule.advance(step);
    await ticks();
  }
  for (let i = 0; i < 20 && !finished(); i++) await tick();
}

/** Run `call(value)` on a fresh value; returns {result} or {error}. */
async function run(recipe, call) {
  const { value, schedule } = fresh(recipe);
  let settled = false;
  const pending = (async () => call(value))().finally(() => {
    settled = true;
  });
  pending.catch(() => {}); // read below, once the schedule has run
  await drive(schedule, () => settled);
  if (!settled) return { error: { name: 'Pending' } };
  try {
    return { result: await pending };
  } catch (err) {
    return { error: errorRecord(err) };
  }
}

async function streamRun(recipe, opts, useNodes, scopeId) {
  const { value, schedule } = fresh(recipe);
  const items = [];
  let state = null;
  const options = {
    ...opts,
    ...(scopeId === undefined ? {} : { scopeId }),
    onDone() {
      state ??= { done: true };
    },
    onError(err) {
      state ??= { error: errorRecord(err) };
    },
  };
  try {
    if (useNodes) {
      S.toCrossJSONStream(value, { ...options, onParse: (node) => items.push(JSON.stringify(node)) });
    } else {
      S.crossSerializeStream(value, { ...options, onSerialize: (data) => items.push(data) });
    }
  } catch (err) {
    state ??= { error: errorRecord(err) };
  }
  await drive(schedule, () => state !== null);
  return { items, state: state ?? { done: false } };
}

// ---------------------------------------------------------------------------
// Evaluating texts (JS's own reading of seroval's text, written again).

function evaluate(text, header) {
  delete globalThis.$R;
  if (header !== undefined) globalEval(header);
  return globalEval(text);
}

const SYNC_TEXTS = {
  serialize: [(v, o) => S.serialize(v, o), undefined],
  crossSerialize: [(v, o) => S.crossSerialize(v, o), S.getCrossReferenceHeader()],
  crossScoped: [(v, o) => S.crossSerialize(v, { ...o, scopeId: SCOPE_ID }), S.getCrossReferenceHeader(SCOPE_ID)],
  crossSharedOnly: [(v, o) => S.crossSerialize(v, { ...o, assignSharedRefsOnly: true }), S.getCrossReferenceHeader()],
};
const ASYNC_TEXTS = {
  serialize: [(v, o) => S.serializeAsync(v, o), undefined],
  crossSerialize: [(v, o) => S.crossSerializeAsync(v, o), S.getCrossReferenceHeader()],
  crossScoped: [(v, o) => S.crossSerializeAsync(v, { ...o, scopeId: SCOPE_ID }), S.getCrossReferenceHeader(SCOPE_ID)],
};

/** {field: JS's text for the evaluated text} where it differs from the text itself. */
async function evalResults(fields, texts, opts) {
  const out = {};
  for (const [field, [write, header]] of Object.entries(texts)) {
    const text = fields[field];
    if (typeof text !== 'string') continue;
    let again;
    try {
      again = await write(evaluate(text, header), opts);
    } catch (err) {
      again = { error: errorRecord(err) };
    }
    if (again !== text) out[field] = again;
  }
  return out;
}

// ---------------------------------------------------------------------------
// One vector.

async function syncPart(entry, opts) {
  const calls = {
    json: (v) => JSON.stringify(S.toJSON(v, opts)),
    crossJson: (v) => JSON.stringify(S.toCrossJSON(v, opts)),
    ...Object.fromEntries(Object.entries(SYNC_TEXTS).map(([k, [write]]) => [k, (v) => write(v, opts)])),
  };
  const out = {};
  let error = null;
  for (const [field, call] of Object.entries(calls)) {
    const { value } = fresh(entry.recipe);
    try {
      out[field] = call(value);
    } catch (err) {
      error ??= errorRecord(err);
      out[field] = null;
    }
  }
  if (error !== null) {
    for (const field of Object.keys(calls)) out[field] = null;
  }
  out.error = error;
  return out;
}

async function asyncPart(entry, opts) {
  const calls = {
    json: async (v) => JSON.stringify(await S.toJSONAsync(v, opts)),
    crossJson: async (v) => JSON.stringify(await S.toCrossJSONAsync(v, opts)),
    ...Object.fromEntries(Object.entries(ASYNC_TEXTS).map(([k, [write]]) => [k, (v) => write(v, opts)])),
  };
  const out = {};
  let error = null;
  for (const [field, call] of Object.entries(calls)) {
    const outcome = await run(entry.recipe, call);
    if ('error' in outcome) error ??= outcome.error;
    out[field] = outcome.result ?? null;
  }
  if (error !== null) {
    for (const field of Object.keys(calls)) out[field] = null;
    out.error = error;
    return out;
  }
  out.error = null;
  let again;
  try {
    again = JSON.stringify(await S.toJSONAsync(S.fromJSON(JSON.parse(out.json), opts), opts));
  } catch (err) {
    again = { error: errorRecord(err) };
  }
  if (again !== out.json) out.jsonRoundTrip = again;
  const evalOut = await evalResults(out, ASYNC_TEXTS, opts);
  if (Object.keys(evalOut).length) out.eval = evalOut;
  return out;
}

async function streamPart(entry, opts) {
  const plain = await streamRun(entry.recipe, opts, false);
  const scoped = await streamRun(entry.recipe, opts, false, SCOPE_ID);
  const nodes = await streamRun(entry.recipe, opts, true);
  return {
    chunks: plain.items,
    scopedChunks: scoped.items,
    nodes: nodes.items,
    done: plain.state.done === true,
    error: plain.state.error ?? null,
  };
}

async function webVector(entry, mask) {
  const plugins = entry.plugins ?? 'all';
  const opts = { plugins: pluginsOf(plugins), disabledFeatures: mask };
  const modes = entry.modes ?? MODES;
  const out = { name: entry.name, recipe: entry.recipe, python: null, native: false, plugins };
  out.disabledFeatures = mask;
  out.modes = modes;
  Object.assign(out, await syncPart(entry, opts));
  if (out.error === null) {
    const reread = (read, json) => {
      try {
        return JSON.stringify((json === 'json' ? S.toJSON : S.toCrossJSON)(read(), opts));
      } catch (err) {
        return { error: errorRecord(err) };
      }
    };
    const again = reread(() => S.fromJSON(JSON.parse(out.json), opts), 'json');
    if (again !== out.json) out.jsonRoundTrip = again;
    const cross = reread(
      () => S.fromCrossJSON(JSON.parse(out.crossJson), { ...opts, refs: new Map() }),
      'crossJson',
    );
    if (cross !== out.crossJson) out.crossJsonRoundTrip = cross;
    const evalOut = await evalResults(out, SYNC_TEXTS, opts);
    if (Object.keys(evalOut).length) out.eval = evalOut;
  }
  if (modes.includes('async')) out.async = await asyncPart(entry, opts);
  if (modes.includes('stream')) out.stream = await streamPart(entry, opts);
  return out;
}

// ---------------------------------------------------------------------------
// CLI.

async function main() {
  const here = dirname(fileURLToPath(import.meta.url));
  const argv = process.argv.slice(2);
  let out = resolve(here, '..', 'vectors', 'web', 'web.jsonl.gz');
  if (argv[0] === '--out' && argv[1]) out = resolve(argv[1]);
  else if (argv.length) throw new Error('usage: node generate_web.mjs [--out FILE]');
  if (!IMAGE_DATA_IS_STAND_IN) process.stderr.write('note: this platform has its own ImageData\n');
  const names = new Set();
  const lines = [];
  for (const entry of ENTRIES) {
    if (names.has(entry.name)) throw new Error('duplicate entry ' + entry.name);
    names.add(entry.name);
    for (const mask of [0, ...(entry.masks ?? [])]) {
      lines.push(JSON.stringify(await webVector(entry, mask)));
    }
  }
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, gzipSync(Buffer.from(lines.join('\n') + '\n', 'utf8'), { level: 9 }));
  process.stdout.write(`wrote ${lines.length} web and Temporal vectors to ${out}\n`);
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack ? err.stack : err) + '\n');
  process.exit(1);
});
