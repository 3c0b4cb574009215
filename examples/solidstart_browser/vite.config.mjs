// Vite builds the page with Solid and the published @solidjs/start 2.0.5 client
// runtime, installed in interop/ from its lock file (./node_modules is a link to
// interop/node_modules that app.py's build() makes).  What
// SolidStart's own Vite plugin would add for a client build, and nothing more:
// `import.meta.env.SEROVAL_MODE` ("json", its default) and the virtual module of
// user seroval plugins (none).
import { fileURLToPath } from "node:url";
import solid from "vite-plugin-solid";
import { defineConfig } from "vite";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const modules = here("../../interop/node_modules/");

export default defineConfig({
  root: here("."),
  logLevel: "warn",
  plugins: [solid()],
  define: { "import.meta.env.SEROVAL_MODE": JSON.stringify("json") },
  resolve: {
    alias: [
      { find: /^@solidjs\/start\/(.*)$/, replacement: `${modules}solid-start-2/dist/$1.js` },
      { find: "solid-start:seroval-plugins", replacement: here("./src/no-plugins.js") },
    ],
  },
  build: { outDir: here("./dist"), emptyOutDir: true, minify: true },
});
