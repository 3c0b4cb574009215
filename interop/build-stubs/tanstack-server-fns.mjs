// `#tanstack-start-server-fn-resolver` of a TanStack Start server build: the id ->
// server function table.  Each entry is what the compiler makes of
// `createServerFn({method}).handler(fn)` for the RPC endpoint: called with
// `{data, context, method}`, it resolves to `{result}` or `{error}`.
export const TABLE = new Map();

export function register(id, method, fn) {
  const action = async ({ data }) => {
    try {
      return { result: await fn(data) };
    } catch (error) {
      return { error };
    }
  };
  action.method = method;
  TABLE.set(id, action);
}

export async function getServerFnById(id) {
  const action = TABLE.get(id);
  if (!action) throw new Error(`Server function not found: ${id}`);
  return action;
}
