// node --import ./servers/register-server.mjs servers/tanstack-server.mjs
// @tanstack/start-server-core 1.169.45's whole request pipeline (createStartHandler:
// its default CSRF middleware, handleServerAction, serialized redirects) for an
// app with no start instance and a bare router (build-stubs), serving
// servers/tanstack-functions.mjs; prints the origin on its first stdout line.
import { createServer } from "node:http";
import { createStartHandler } from "@tanstack/start-server-core";
import { register } from "../build-stubs/tanstack-server-fns.mjs";
import { FUNCTIONS } from "./tanstack-functions.mjs";

for (const [id, [method, fn]] of Object.entries(FUNCTIONS)) register(id, method, fn);
const handler = createStartHandler(() => new Response("no pages here", { status: 404 }));

const server = createServer(async (req, res) => {
  const url = new URL(req.url, `http://${req.headers.host}`);
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const body = chunks.length ? Buffer.concat(chunks) : undefined;
  const request = new Request(url, { method: req.method, headers: req.headers, body, duplex: "half" });
  const response = await handler(request);
  res.writeHead(response.status, Object.fromEntries(response.headers));
  if (response.body) {
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      res.write(value);
    }
  }
  res.end();
});
server.listen(0, "127.0.0.1", () => {
  console.log(`http://127.0.0.1:${server.address().port}/`);
});
