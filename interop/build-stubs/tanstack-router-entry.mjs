// `#tanstack-router-entry` of an app with one root route and nothing under it: the
// router createStartHandler's pipeline consults (server routes, redirects), with
// router-core's own non-reactive stores (what a server needs of an adapter).
import {
  BaseRootRoute,
  RouterCore,
  createNonReactiveMutableStore,
  createNonReactiveReadonlyStore,
} from "@tanstack/router-core";

const storeConfig = () => ({
  createMutableStore: createNonReactiveMutableStore,
  createReadonlyStore: createNonReactiveReadonlyStore,
  batch: (fn) => fn(),
});

export function getRouter() {
  return new RouterCore({ routeTree: new BaseRootRoute({}) }, storeConfig);
}
