// node --conditions=browser --import ./register.mjs run.mjs [case ...]
// Runs the interop cases against SEROVAL_INTEROP_ORIGIN with the client of
// SEROVAL_INTEROP_PROFILE; the function ids come as JSON in SEROVAL_INTEROP_IDS.
// Prints one JSON line per case: {"case", "ok", "error"}.
import { CASES, EXCEPT, ONLY } from "./cases.mjs";
import { loadClient } from "./clients.mjs";

const ids = JSON.parse(process.env.SEROVAL_INTEROP_IDS ?? "{}");
const wanted = process.argv.slice(2);
const client = await loadClient(ids);
const TIMEOUT_MS = 15000;

for (const [name, run] of Object.entries(CASES)) {
  if (wanted.length && !wanted.includes(name)) continue;
  if (ONLY[name] && !ONLY[name].includes(client.profile)) continue;
  if (EXCEPT[name]?.includes(client.profile)) continue;
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
  });
  try {
    await Promise.race([run(client), timeout]);
    console.log(JSON.stringify({ case: name, ok: true }));
  } catch (error) {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    console.log(JSON.stringify({ case: name, ok: false, error: text }));
  } finally {
    clearTimeout(timer);
  }
}
process.exit(0);
