// node --import ./servers/register-server.mjs csrf.mjs < cases.json
// For each {url, headers} case on stdin (a JSON array), whether TanStack's own CSRF
// rule (isCsrfRequestAllowed, @tanstack/start-client-core 1.170.39) lets it through,
// with allowRequestsWithoutOriginCheck (our profile's policy for non-browser calls).
import { isCsrfRequestAllowed } from "@tanstack/start-client-core";

let input = "";
for await (const chunk of process.stdin) input += chunk;
const out = [];
for (const { url, headers } of JSON.parse(input)) {
  const request = new Request(url, { headers });
  out.push(await isCsrfRequestAllowed({ allowRequestsWithoutOriginCheck: true }, { request }));
}
console.log(JSON.stringify(out));
