// Loaded with `node --conditions=browser --import ./register.mjs`: the build hooks,
// and what a browser page has that Node lacks (a page origin for relative URLs,
// `self`, `window`), set from SEROVAL_INTEROP_PROFILE / SEROVAL_INTEROP_ORIGIN.
import { register } from "node:module";

register("./hooks.mjs", import.meta.url);

const profile = process.env.SEROVAL_INTEROP_PROFILE ?? "solid2";
const origin = process.env.SEROVAL_INTEROP_ORIGIN ?? "http://127.0.0.1:8000";

const ENV = {
  solid2: { DEV: false, PROD: true, SSR: false, SEROVAL_MODE: "json", BASE_URL: "/" },
  "solid1-js": { DEV: false, PROD: true, SSR: false, SEROVAL_MODE: "js", SERVER_BASE_URL: "" },
  "solid1-json": { DEV: false, PROD: true, SSR: false, SEROVAL_MODE: "json", SERVER_BASE_URL: "" },
  tanstack: {},
  "tanstack-1.143": {},
};
globalThis.__INTEROP_ENV__ = ENV[profile];
process.env.TSS_SERVER_FN_BASE = "/_serverFn/";
process.env.NODE_ENV = "production";
globalThis.self = globalThis;
globalThis.window = globalThis;
globalThis.location = new URL("/", origin);

// A page resolves relative request URLs against its own origin.
const NativeRequest = globalThis.Request;
const nativeFetch = globalThis.fetch;
const absolute = (input) =>
  typeof input === "string" || input instanceof URL ? new URL(input, origin).href : input;
globalThis.Request = class Request extends NativeRequest {
  constructor(input, init) {
    super(absolute(input), init);
  }
};
globalThis.fetch = (input, init) => nativeFetch(absolute(input), init);
