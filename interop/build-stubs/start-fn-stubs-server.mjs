// @tanstack/start-fn-stubs as TanStack's compiler leaves it in a *server* build:
// an isomorphic function is its server implementation.
function isomorphic(serverImpl) {
  const fn = (...args) => serverImpl?.(...args);
  return Object.assign(fn, {
    client: () => isomorphic(serverImpl),
    server: (impl) => isomorphic(impl),
  });
}
export function createIsomorphicFn() {
  return isomorphic(undefined);
}
export const createServerOnlyFn = (fn) => fn;
export const createClientOnlyFn = () => () => {
  throw new Error("createClientOnlyFn() functions cannot be called on the server");
};
