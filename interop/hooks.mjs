// Module hooks standing in for the build step of each framework's client bundle.
//
// A SolidStart or TanStack client never runs its package files as they are: Vite
// replaces `import.meta.env.*`, fills virtual modules and compiles the isomorphic
// helpers for the browser.  These hooks do the same to the installed package
// files at load time (nothing is copied): the published fetch/serialization code
// itself runs unchanged.
import { fileURLToPath, pathToFileURL } from "node:url";
import { existsSync } from "node:fs";

const here = new URL("./", import.meta.url);
const STUBS = new URL("./build-stubs/", here);

const VIRTUAL = {
  // SolidStart 2.0's virtual module of user seroval plugins: the app adds none.
  "solid-start:seroval-plugins": new URL("solid-start-plugins.mjs", STUBS).href,
  // TanStack's compiler turns createIsomorphicFn().client(a).server(b) into `a`
  // in the client build; this module is that client-build behaviour.
  "@tanstack/start-fn-stubs": new URL(
    process.env.SEROVAL_INTEROP_SIDE === "server" ? "start-fn-stubs-server.mjs" : "start-fn-stubs.mjs",
    STUBS,
  ).href,
  // A SolidStart 2.0 server build's virtual modules (servers/solid2-server.mjs):
  // no middleware, no error hook, the functions registered by the server script.
  "solid-start:server-fn-manifest": new URL("solid-start-server.mjs", STUBS).href,
  "solid-start:server-fn-error-handler": new URL("solid-start-server.mjs", STUBS).href,
  "solid-start:middleware": new URL("solid-start-server.mjs", STUBS).href,
  // A SolidStart 1.x server build (servers/solid1-server.mjs): vinxi's h3 wrapper
  // and the function manifest.
  "vinxi/http": new URL("vinxi-http.mjs", STUBS).href,
  "vinxi/lib/invariant": new URL("vinxi-invariant.mjs", STUBS).href,
  "solidstart:server-fn-manifest": new URL("solid-start-1-manifest.mjs", STUBS).href,
  // TanStack Start's server build (servers/tanstack-start-server.mjs).
  "tanstack-start-manifest:v": new URL("tanstack-start-manifest.mjs", STUBS).href,
};

function isSolidStart(url) {
  return /\/node_modules\/solid-start-[12]\//.test(url ?? "");
}

export async function resolve(specifier, context, nextResolve) {
  if (VIRTUAL[specifier]) return { url: VIRTUAL[specifier], shortCircuit: true };
  if (specifier === "#tanstack-router-entry" || specifier === "#tanstack-start-entry") {
    // An app with a bare router and no start instance (the start entry is
    // start-client-core's own fallback).
    const file =
      specifier === "#tanstack-router-entry"
        ? "build-stubs/tanstack-router-entry.mjs"
        : "node_modules/@tanstack/start-client-core/dist/esm/fake-entries/start.js";
    return { url: new URL(file, here).href, shortCircuit: true };
  }
  if (specifier === "#tanstack-start-server-fn-resolver") {
    // The server build's function table (servers/tanstack-server.mjs fills it).
    return { url: new URL("tanstack-server-fns.mjs", STUBS).href, shortCircuit: true };
  }
  if (isSolidStart(context.parentURL) && specifier.startsWith(".")) {
    // SolidStart 1.x ships extensionless relative imports (Vite resolves them).
    if (specifier === "../server/handler.js" && context.parentURL.endsWith("/dist/fns/handler.js")) {
      // The page renderer (JSX, only reached by single-flight): not part of this server.
      return { url: new URL("solid-start-server.mjs", STUBS).href, shortCircuit: true };
    }
    if (
      (specifier === "../server/handler" || specifier === "../server/pageEvent") &&
      context.parentURL.endsWith("/solid-start-1/dist/runtime/server-handler.js")
    ) {
      return { url: new URL("solid-start-1-server.mjs", STUBS).href, shortCircuit: true };
    }
    if (specifier.endsWith("/server/islands/index")) {
      return { url: new URL("solid-start-islands.mjs", STUBS).href, shortCircuit: true };
    }
    const target = new URL(specifier, context.parentURL);
    if (!existsSync(fileURLToPath(target))) {
      for (const ext of [".js", ".jsx"]) {
        const candidate = pathToFileURL(fileURLToPath(target) + ext);
        if (existsSync(fileURLToPath(candidate))) {
          return { url: candidate.href, shortCircuit: true, format: "module" };
        }
      }
    }
  }
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  const result = await nextLoad(url, context);
  if (isSolidStart(url) && result.source) {
    // Vite's define of import.meta.env for the client build.
    const source = String(result.source).replaceAll("import.meta.env", "globalThis.__INTEROP_ENV__");
    return { ...result, source, shortCircuit: true };
  }
  return result;
}
