// node --import ./servers/register-server.mjs servers/tanstack-server.mjs
// @tanstack/start-server-core 1.169.45's own server-function handler
// (handleServerAction: payload decoding, the {result}/{error} envelope, JSON or
// x-tss-framed answers with RawStreams) serving servers/tanstack-functions.mjs on
// 127.0.0.1 at /_serverFn/<id>; prints the origin on its first stdout line.
import { createServer } from "node:http";
import { Readable } from "node:stream";
import { createServerFnErrorResponse, handleServerAction } from "../node_modules/@tanstack/start-server-core/dist/esm/server-functions-handler.js";
import { runWithStartContext } from "@tanstack/start-storage-context";
import {
  getStartEvent,
  withStartRequest,
} from "../node_modules/@tanstack/start-server-core/dist/esm/internal-request-response.js";
import { register } from "../build-stubs/tanstack-server-fns.mjs";
import { FUNCTIONS } from "./tanstack-functions.mjs";

for (const [id, [method, fn]] of Object.entries(FUNCTIONS)) register(id, method, fn);

// The request scope and start context createStartHandler gives each request (an
// app with no middleware and no serialization adapters).
const handle = withStartRequest(async (request) => {
  const serverFnId = new URL(request.url).pathname.slice("/_serverFn/".length).split("/")[0];
  const context = { request, startOptions: {}, contextAfterGlobalMiddlewares: {} };
  // createStartHandler answers what escapes handleServerAction (an unknown id's
  // failed lookup) with createServerFnErrorResponse.
  const response = await runWithStartContext(context, () =>
    handleServerAction({ request, serverFnId }).catch((error) => createServerFnErrorResponse(error)),
  );
  return typeof response?.createResponse === "function"
    ? response.createResponse(getStartEvent())
    : response;
});

const server = createServer(async (req, res) => {
  const url = new URL(req.url, `http://${req.headers.host}`);
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const body = chunks.length ? Buffer.concat(chunks) : undefined;
  const request = new Request(url, { method: req.method, headers: req.headers, body, duplex: "half" });
  const response = await handle(request);
  res.writeHead(response.status, Object.fromEntries(response.headers));
  if (response.body) Readable.fromWeb(response.body).pipe(res);
  else res.end();
});
server.listen(0, "127.0.0.1", () => {
  console.log(`http://127.0.0.1:${server.address().port}/`);
});
