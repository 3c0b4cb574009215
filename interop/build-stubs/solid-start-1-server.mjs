// The parts of a SolidStart 1.x server build that servers/solid1-server.mjs does
// not run: the page renderer (single-flight) and its redirect-status helper,
// which is the same rule as 2.0's (dist/server/util.js, imported as it is).
export { getExpectedRedirectStatus } from "../node_modules/solid-start-2/dist/server/util.js";
export function createPageEvent() {
  throw new Error("this server renders no pages (single-flight is not served here)");
}
