// @tanstack/start-fn-stubs as TanStack's compiler leaves it in a *client* build:
// an isomorphic function is its client implementation; server-only ones throw.
function isomorphic(clientImpl) {
  const fn = (...args) => clientImpl?.(...args);
  return Object.assign(fn, {
    client: (impl) => isomorphic(impl),
    server: () => isomorphic(clientImpl),
  });
}
export function createIsomorphicFn() {
  return isomorphic(undefined);
}
export const createServerOnlyFn = () => () => {
  throw new Error("createServerOnlyFn() functions cannot be called on the client");
};
export const createClientOnlyFn = (fn) => fn;
