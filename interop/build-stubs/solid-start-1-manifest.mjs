// `solidstart:server-fn-manifest`: each fixture function (servers/functions.mjs)
// under its name as the id, as vinxi's manifest lists `"use server"` exports.
import { FUNCTIONS } from "../servers/functions.mjs";

const manifest = {};
for (const name of Object.keys(FUNCTIONS)) {
  manifest[name] = { functionName: name, importer: async () => FUNCTIONS };
}
export default manifest;
