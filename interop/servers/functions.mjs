// The functions servers/solid2-server.mjs registers, by id: the JS twins of
// tests/interop/reference_app.py (the Python functions the same tests call).
const WHEN = "2024-01-02T03:04:05.678Z";

export const FUNCTIONS = {
  // Results SolidStart 2.0 sends raw (X-Start-Type 1-7).
  raw_text: () => "hi there",
  raw_form: () => {
    const form = new FormData();
    form.append("name", "Ada");
    form.append("upload", new File(["file body"], "notes.txt", { type: "text/plain" }));
    return form;
  },
  raw_params: () => new URLSearchParams("a=1&b=two+words&c=%C3%A9"),
  raw_blob: () => new Blob(["a,b\n1,2\n"], { type: "text/csv" }),
  raw_file: () => new File(["file body"], "notes.txt", { type: "text/plain" }),
  raw_buffer: () => new Uint8Array([1, 2, 255]).buffer,
  raw_bytes: () => new Uint8Array([1, 2, 255]),
  // No-JS form posts (no X-Server-Instance): 302 and the flash cookie.
  nojs_value: (...args) => {
    const form = args[args.length - 1];
    return { ok: true, name: form.get("name"), bound: args.length - 1, when: new Date(WHEN) };
  },
  nojs_throw: () => {
    throw new Error("Nope: bad input");
  },
  nojs_redirect: () => new Response(null, { status: 303, headers: { Location: "/done" } }),
  nojs_thrown_redirect: () => {
    throw new Response(null, { status: 302, headers: { Location: "/login?next=%2F" } });
  },
  nojs_nothing: () => undefined,
  // The interop cases the Python client runs (tests/interop/test_python_client.py).
  thing: (n, when) => ({ id: n, when, tags: new Map([["a", 1], ["b", 2]]) }),
  later: () => ({ now: 1, later: new Promise((resolve) => setTimeout(() => resolve("done"), 300)) }),
  count: async function* (n) {
    for (let i = 1; i <= n; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      yield i;
    }
  },
  chunks: () =>
    new ReadableStream({
      async start(controller) {
        for (const part of ["hello ", "world"]) {
          await new Promise((resolve) => setTimeout(resolve, 10));
          controller.enqueue(part);
        }
        controller.close();
      },
    }),
  boom: () => {
    throw new Error("Boom");
  },
  go_posts: () => {
    throw new Response(null, { status: 307, headers: { Location: "/posts", "X-Revalidate": "posts" } });
  },
  cyclic: () => {
    const shared = { x: 1 };
    const value = { a: shared, b: shared, big: 2n ** 70n };
    value.self = value;
    return value;
  },
  echo: (...args) => {
    const [sparse, second, third] = args;
    const kind = (v) => (v === undefined ? "undefined" : v === null ? "null" : typeof v);
    const seen = [Array.isArray(sparse) ? "list" : kind(sparse), 1 in sparse ? kind(sparse[1]) : "hole"];
    seen.push(kind(sparse[3]), kind(second), kind(third.n));
    return { args, seen };
  },
  form: (data) => {
    const upload = data.get("upload");
    return upload.text().then((text) => ({
      name: data.get("name"),
      file: upload.name,
      type: upload.type,
      text,
    }));
  },
  file: async (file) => ({ name: file.name, size: file.size, text: await file.text() }),
  double: (n) => n * 2,
};
