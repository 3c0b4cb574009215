// node --import ./servers/register-server.mjs servers/<name>-server.mjs
// The build hooks for a framework's *server* code, and the env a production
// server build is compiled with (SEROVAL_INTEROP_MODE: json or js).
import { register } from "node:module";

process.env.SEROVAL_INTEROP_SIDE = "server";
register("../hooks.mjs", import.meta.url);
globalThis.__INTEROP_ENV__ = {
  DEV: false,
  PROD: true,
  SSR: true,
  SEROVAL_MODE: process.env.SEROVAL_INTEROP_MODE ?? "json",
  SERVER_BASE_URL: "",
  BASE_URL: "/",
};
process.env.NODE_ENV = "production";
process.env.TSS_SERVER_FN_BASE = "/_serverFn/";
