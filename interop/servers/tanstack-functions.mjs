// The functions servers/tanstack-server.mjs serves, by id: [declared method, fn(data)].
// The JS side of tests/interop/test_python_client.py's TanStack cases.
import { RawStream, redirect } from "@tanstack/router-core";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export const FUNCTIONS = {
  thing_data: ["POST", ({ n, when }) => ({ id: n, when, tags: new Map([["a", 1], ["b", 2]]) })],
  later: ["POST", () => ({ now: 1, later: sleep(300).then(() => "done") })],
  count: [
    "POST",
    async function* (n) {
      for (let i = 1; i <= n; i++) {
        await sleep(10);
        yield i;
      }
    },
  ],
  chunks: [
    "POST",
    () => {
      const encoder = new TextEncoder();
      const stream = new ReadableStream({
        async start(controller) {
          for (const part of ["hello ", "world"]) {
            await sleep(10);
            controller.enqueue(encoder.encode(part));
          }
          controller.close();
        },
      });
      return { file: new RawStream(stream) };
    },
  ],
  boom: [
    "POST",
    () => {
      throw new Error("Boom");
    },
  ],
  go_posts: [
    "POST",
    () => {
      throw redirect({ to: "/posts", statusCode: 307 });
    },
  ],
  cyclic: [
    "POST",
    () => {
      const shared = { x: 1 };
      const value = { a: shared, b: shared, big: 2n ** 70n };
      value.self = value;
      return value;
    },
  ],
  echo_data: [
    "POST",
    (args) => {
      const [sparse, second, third] = args;
      const kind = (v) => (v === undefined ? "undefined" : v === null ? "null" : typeof v);
      const seen = [Array.isArray(sparse) ? "list" : kind(sparse), 1 in sparse ? kind(sparse[1]) : "hole"];
      seen.push(kind(sparse[3]), kind(second), kind(third.n));
      return { args, seen };
    },
  ],
  form: [
    "POST",
    async (data) => {
      const upload = data.get("upload");
      return { name: data.get("name"), file: upload.name, type: upload.type, text: await upload.text() };
    },
  ],
  file: [
    "POST",
    async (data) => {
      const file = data.get("file");
      return { name: file.name, size: file.size, text: await file.text() };
    },
  ],
  double: ["GET", (n) => n * 2],
};
