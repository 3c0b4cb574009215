// The virtual modules of a SolidStart 2.0 server build with no middleware, no
// `serverFunctions.onError` hook and no page renderer (servers/solid2-server.mjs).
export default [];
export function createPageEvent() {
  throw new Error("this server renders no pages (single-flight is not served here)");
}
