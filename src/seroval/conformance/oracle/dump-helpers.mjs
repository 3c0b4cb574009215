// Prints the helper function texts seroval 1.8.1 and seroval-plugins 1.8.0 embed in
// their JS output, as one JSON object, taken from the outputs themselves (so the
// text is exactly what appears on the wire).  Used to write seroval/protocol/helpers.py.
import * as S from 'seroval';
import * as W from 'seroval-plugins/web';

const between = (text, before, after) => {
  const start = text.indexOf(before);
  if (start < 0) throw new Error('missing ' + before);
  const end = text.indexOf(after, start + before.length);
  return text.slice(start + before.length, end);
};

const stream = S.createStream();
stream.return(0);
const ended = S.serialize(stream); // (h=>(h=(STREAM)(),h.return(0),h))()
const ab = S.serialize(new Uint8Array([1]).buffer); // (AB)("AQ==")
const iter = S.serialize({ *[Symbol.iterator]() {} }); // ...(({ITER})(h))...
const chunks = [];
let resolve;
const pending = new Promise((r) => { resolve = r; });
const rejecting = Promise.reject(1);
rejecting.catch(() => {});
async function* gen() { yield 1; }
await new Promise((done) => {
  S.crossSerializeStream({ a: pending, b: rejecting, c: gen() }, {
    onSerialize: (data) => chunks.push(data),
    onDone: done,
  });
  resolve(2);
});
const all = chunks.join('\n');
const helpers = {
  STREAM: between(ended, '(h=>(h=(', ')(),h.return(0),h))()'),
  AB: between(ab, '(', ')("AQ==")'),
  ITER: between(iter, '[h=Symbol.iterator]:((', ')(h))('),
  PCTOR: between(all, '$R[3]=', ')()).p'),
  AITER: /\((\(symbol, createPromise\) => [\s\S]*?\n\})\)\(\$R\[/.exec(all)[1],
  PRES: null,
  PREJ: null,
};
for (const chunk of chunks) {
  const m = /^\(?\$R\[\d+\]=(\(resolver, data\) => \{[\s\S]*?\n\})\)/.exec(chunk);
  if (m) {
    if (m[1].includes('resolver.s(data)')) helpers.PRES = m[1];
    if (m[1].includes('resolver.f(data)')) helpers.PREJ = m[1];
  }
}
const form = new FormData();
form.append('a', '1');
helpers.FORMDATA = between(S.serialize(form, { plugins: [W.FormDataPlugin] }), '(', ')([["a","1"]])');
const rsChunks = [];
await new Promise((done) => {
  S.crossSerializeStream(new ReadableStream({ start(c) { c.close(); } }), {
    plugins: [W.ReadableStreamPlugin],
    onSerialize: (data) => rsChunks.push(data),
    onDone: done,
  });
});
helpers.RS = between(rsChunks[0], '$R[1]=', ')($R[2]=');
const controller = new AbortController();
const abortChunks = [];
S.crossSerializeStream(controller.signal, {
  plugins: [W.AbortSignalPlugin],
  onSerialize: (data) => abortChunks.push(data),
});
helpers.ABORT = between(abortChunks[0], '$R[1]=', ')($R[2]=');
controller.abort('x');
console.log(JSON.stringify(helpers, null, 1));
