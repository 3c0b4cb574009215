// node compile-ids.mjs <absolute module id>: runs SolidStart 2.0.5's own directive
// compiler (dist/directives/compile.js) over a module with three "use server"
// functions, in client mode and production, and prints the ids its output calls.
const url = new URL("./node_modules/solid-start-2/dist/directives/compile.js", import.meta.url);
const { compile } = await import(url.href);

const id = process.argv[2];
const code = `
export async function first(a) { "use server"; return a; }
export async function second(a) { "use server"; return a; }
export const third = async () => { "use server"; return 3; };
`;
const clone = { kind: "named", name: "cloneServerReference", source: "@solidjs/start/fns/client" };
const result = await compile(id, code, {
  directive: "use server",
  mode: "client",
  env: "production",
  definitions: { register: { ...clone, name: "createServerReference" }, clone },
});
const ids = [...result.code.matchAll(/cloneServerReference\("([^"]+)"\)/g)].map((m) => m[1]);
console.log(JSON.stringify({ ids, code: result.code }));
