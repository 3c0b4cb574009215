// node --import ./servers/register-server.mjs servers/solid2-server.mjs
// SolidStart 2.0.5's own server-function handler (dist/fns/handler.js) on h3,
// serving the fixture functions of servers/functions.mjs on 127.0.0.1; prints the
// origin on its first stdout line.  The Python client's tests call it.
import { H3, serve } from "h3";
import { handleServerFunction } from "../node_modules/solid-start-2/dist/fns/handler.js";
import { registerServerFunction } from "../node_modules/solid-start-2/dist/fns/registration.js";
import { FUNCTIONS } from "./functions.mjs";

for (const [id, fn] of Object.entries(FUNCTIONS)) registerServerFunction(id, fn);
const app = new H3().all("/_server/**", (event) => handleServerFunction(event));
app.all("/_server", (event) => handleServerFunction(event));
const server = serve(app, { port: 0, hostname: "127.0.0.1", silent: true });
await server.ready();
console.log(server.url);
