// node --import ./servers/register-server.mjs servers/solid1-server.mjs
// SolidStart 1.3.2's own server-function handler (dist/runtime/server-handler.js)
// on h3 1.15 (what vinxi 0.5 wraps), serving servers/functions.mjs on 127.0.0.1;
// SEROVAL_INTEROP_MODE picks the build's mode (js or json).  Prints the origin.
import { createServer } from "node:http";
import { createApp, toNodeListener } from "h3-v1";
import handler from "../node_modules/solid-start-1/dist/runtime/server-handler.js";

const app = createApp();
app.use(handler);
const server = createServer(toNodeListener(app));
server.listen(0, "127.0.0.1", () => {
  console.log(`http://127.0.0.1:${server.address().port}/`);
});

