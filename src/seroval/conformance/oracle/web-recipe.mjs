// The web and Temporal recipe kinds (RECIPES.md, "Web plugins and Temporal"):
// webKinds(schedule) gives the extra kinds for buildValue(recipe, extraKinds).
// Values that change later (a ReadableStream's chunks, an AbortSignal that
// aborts later) do so at numbered steps of a schedule from stream_kinds.mjs,
// so that seroval's async and streamed output has one fixed order.
//
// Import this module before seroval: it installs the Temporal polyfill as
// globalThis.Temporal (Node 20 has no Temporal; seroval looks for the global)
// and, when the platform has none, a stand-in ImageData class (Node has no
// ImageData; seroval-plugins' ImageData plugin looks the global up each time).

import { Temporal } from '@js-temporal/polyfill';

globalThis.Temporal ??= Temporal;

/** A stand-in for the browser's ImageData, with its constructor checks. */
export class ImageDataStandIn {
  constructor(data, width, height, settings) {
    if (!(data instanceof Uint8ClampedArray)) throw new TypeError('data is not a Uint8ClampedArray');
    if (!width || data.length % (4 * width) !== 0) throw new RangeError('IndexSizeError: width');
    const rows = data.length / (4 * width);
    if (!rows || (height !== undefined && height !== rows)) {
      throw new RangeError('IndexSizeError: height');
    }
    const colorSpace = settings?.colorSpace ?? 'srgb';
    if (colorSpace !== 'srgb' && colorSpace !== 'display-p3') throw new TypeError('colorSpace');
    this.data = data;
    this.width = width;
    this.height = rows;
    this.colorSpace = colorSpace;
  }
}
Object.defineProperty(ImageDataStandIn, 'name', { value: 'ImageData' });
export const IMAGE_DATA_IS_STAND_IN = typeof globalThis.ImageData === 'undefined';
globalThis.ImageData ??= ImageDataStandIn;

export const TEMPORAL_TYPES = [
  'Instant',
  'Duration',
  'PlainDate',
  'PlainDateTime',
  'PlainMonthDay',
  'PlainTime',
  'PlainYearMonth',
  'ZonedDateTime',
];

function bytes(b64) {
  const data = Buffer.from(b64, 'base64');
  const out = new ArrayBuffer(data.length);
  new Uint8Array(out).set(data);
  return out;
}

function isKind(r, tag) {
  return Array.isArray(r) && r[0] === tag;
}

function checkEvents(events) {
  if (!Array.isArray(events) || events.length === 0) throw new Error('readablestream needs events');
  events.forEach(([kind, , step], i) => {
    if (!['next', 'throw', 'return'].includes(kind)) throw new Error('bad event ' + kind);
    if ((kind !== 'next') !== (i === events.length - 1)) {
      throw new Error('readablestream: exactly the last event is "throw" or "return"');
    }
    if (!Number.isInteger(step) || step < 0) throw new Error('bad step ' + step);
  });
}

/** The web and Temporal recipe kinds, bound to one schedule (createSchedule()). */
export function webKinds(schedule) {
  // A body: null, ["bytes", base64], or a recipe (a readablestream, a ref).
  const body = (r, build) => {
    if (r === null) return null;
    if (isKind(r, 'bytes')) return bytes(r[1]);
    return build(r);
  };
  return {
    url(r, { register }) {
      return register(r[1], new URL(r[2]));
    },
    urlsearchparams(r, { register }) {
      return register(r[1], new URLSearchParams(r[2]));
    },
    headers(r, { register }) {
      return register(r[1], new Headers(r[2]));
    },
    blob(r, { register }) {
      const [, id, type, b64] = r;
      return register(id, new Blob([bytes(b64)], { type }));
    },
    file(r, { register }) {
      const [, id, name, type, lastModified, b64] = r;
      return register(id, new File([bytes(b64)], name, { type, lastModified }));
    },
    formdata(r, { build, register }) {
      const [, id, entries] = r;
      const form = register(id, new FormData());
      for (const [name, valueR] of entries) form.append(name, build(valueR));
      return form;
    },
    readablestream(r, { build, register }) {
      const [, id, events] = r;
      checkEvents(events);
      let controller;
      const stream = register(id, new ReadableStream({ start: (c) => void (controller = c) }));
      for (const [kind, valueR, step] of events) {
        const value = build(valueR);
        schedule.at(step, () => {
          if (kind === 'next') controller.enqueue(value);
          else if (kind === 'throw') controller.error(value);
          else controller.close();
        });
      }
      return stream;
    },
    request(r, { build, register }) {
      const [, id, url, options] = r;
      const init = { ...options };
      if ('body' in options) init.body = body(options.body, build);
      if (init.body instanceof ReadableStream) init.duplex = 'half';
      return register(id, new Request(url, init));
    },
    response(r, { build, register }) {
      const [, id, bodyR, options] = r;
      return register(id, new Response(body(bodyR, build), options));
    },
    event(r, { register }) {
      const [, id, type, options] = r;
      return register(id, new Event(type, options));
    },
    customevent(r, { build, register }) {
      const [, id, type, detailR, options] = r;
      // The detail is fixed at construction, so it cannot refer to its own event.
      return register(id, new CustomEvent(type, { ...options, detail: build(detailR) }));
    },
    domexception(r, { register }) {
      const [, id, message, name] = r;
      return register(id, new DOMException(message, name));
    },
    abortsignal(r, { build, register }) {
      const [, id, state, reasonR, step] = r;
      if (state === 'aborted') {
        const reason = build(reasonR);
        return register(id, reason === undefined ? AbortSignal.abort() : AbortSignal.abort(reason));
      }
      const controller = new AbortController();
      register(id, controller.signal);
      if (state === 'later') {
        const reason = build(reasonR);
        schedule.at(step, () => controller.abort(reason));
      } else if (state !== 'pending') {
        throw new Error('bad abortsignal state ' + state);
      }
      return controller.signal;
    },
    imagedata(r, { register }) {
      const [, id, b64, width, height, colorSpace] = r;
      const data = new Uint8ClampedArray(bytes(b64));
      return register(id, new globalThis.ImageData(data, width, height, { colorSpace }));
    },
    temporal(r, { register }) {
      const [, id, type, text] = r;
      if (!TEMPORAL_TYPES.includes(type)) throw new Error('bad Temporal type ' + type);
      const value = Temporal[type].from(text);
      if (value.toString() !== text) {
        throw new Error(`Temporal.${type}.from(${text}).toString() is ${value.toString()}`);
      }
      return register(id, value);
    },
  };
}
