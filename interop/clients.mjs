// One calling convention over each framework's published client entry point:
// `call(name, args, {method})` runs the function the Python fixture app registered
// under `name`, through the package's own fetch + decode code.
//
// What the frameworks' compilers emit in a client bundle, and so what this does:
// - SolidStart 2.0: `cloneServerReference("<id>")` (@solidjs/start/fns/client);
// - SolidStart 1.x: `createServerReference(() => {}, "<id>", "<name>")`
//   (dist/runtime/server-runtime.js);
// - TanStack Start: `createServerFn({method}).handler(createClientRpc("<id>"))`
//   (1.170.39, and 1.143.12 for the RC generation's NDJSON answers).
const profile = process.env.SEROVAL_INTEROP_PROFILE ?? "solid2";

export async function loadClient(ids) {
  if (profile === "solid2") {
    const { cloneServerReference } = await import("solid-start-2/fns/client");
    return {
      profile,
      fn: (name) => cloneServerReference(ids[name]),
      withHeaders: (name, headers) => cloneServerReference(ids[name]).withOptions({ headers }),
      call: (name, args, { method } = {}) => {
        const ref = cloneServerReference(ids[name]);
        return method === "GET" ? ref.GET(...args) : ref(...args);
      },
    };
  }
  if (profile === "solid1-js" || profile === "solid1-json") {
    const url = new URL("./node_modules/solid-start-1/dist/runtime/server-runtime.js", import.meta.url);
    const { createServerReference } = await import(url.href);
    const reference = (name) => {
      const [id, hash] = ids[name].split("#");
      return createServerReference(() => {}, id, hash);
    };
    return {
      profile,
      fn: reference,
      withHeaders: (name, headers) => reference(name).withOptions({ headers }),
      call: (name, args, { method } = {}) => {
        const ref = reference(name);
        return method === "GET" ? ref.GET(...args) : ref(...args);
      },
    };
  }
  if (profile === "tanstack" || profile === "tanstack-1.143") {
    // tanstack-1.143: the last RC client (NDJSON answers, no RawStream), same server.
    const pkg = profile === "tanstack" ? "@tanstack/start-client-core" : "tanstack-client-1143";
    const { createServerFn } = await import(pkg);
    const { createClientRpc } = await import(`${pkg}/client-rpc`);
    return {
      profile,
      call: (name, args, { method = "POST" } = {}) => {
        const fn = createServerFn({ method }).handler(createClientRpc(ids[name]));
        return args.length === 0 ? fn() : fn({ data: args[0] });
      },
    };
  }
  throw new Error(`unknown profile ${profile}`);
}
