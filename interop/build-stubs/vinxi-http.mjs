// `vinxi/http` (vinxi 0.5, what SolidStart 1.x's server imports): h3 1.15's
// helpers, plus vinxi's name for h3's toWebRequest.
export * from "h3-v1";
export { toWebRequest as getWebRequest } from "h3-v1";
