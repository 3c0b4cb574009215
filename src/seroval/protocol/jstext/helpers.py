"""The helper function texts seroval embeds in its JS output: wire-format constants.

They are the ``Function.prototype.toString`` text of functions in the published
dist of **seroval 1.8.1** and **seroval-plugins 1.8.0**, tabs and newlines included,
and appear byte for byte in ``serialize`` and ``cross_serialize`` output.  They were
taken from the real output by ``conformance/oracle/dump-helpers.mjs`` and are checked
against it by the tests; never reformat them.  :data:`FINGERPRINTS` holds the first 16
hex digits of each text's SHA-256 (the same as the reference document's table).
"""

from __future__ import annotations

from typing import Final

SEROVAL_VERSION: Final = "1.8.1"
SEROVAL_PLUGINS_VERSION: Final = "1.8.0"

#: SpecialReference 5: decodes base64 into an ArrayBuffer.
ARRAY_BUFFER_CONSTRUCTOR: Final = (
    "(b64) => {\n"
    "\tconst decoded = atob(b64);\n"
    "\tconst length = decoded.length;\n"
    "\tconst arr = new Uint8Array(length);\n"
    "\tfor (let i = 0; i < length; i++) arr[i] = decoded.charCodeAt(i);\n"
    "\treturn arr.buffer;\n"
    "}"
)

#: SpecialReference 1: makes a promise resolver record ``{p, s, f}``.
PROMISE_CONSTRUCTOR: Final = (
    "() => {\n"
    "\tconst resolver = {\n"
    "\t\tp: 0,\n"
    "\t\ts: 0,\n"
    "\t\tf: 0\n"
    "\t};\n"
    "\tresolver.p = new Promise((resolve, reject) => {\n"
    "\t\tresolver.s = resolve;\n"
    "\t\tresolver.f = reject;\n"
    "\t});\n"
    "\treturn resolver;\n"
    "}"
)

#: SpecialReference 2: fulfils a resolver record.
PROMISE_SUCCESS: Final = (
    "(resolver, data) => {\n\tresolver.s(data);\n\tresolver.p.s = 1;\n\tresolver.p.v = data;\n}"
)

#: SpecialReference 3: rejects a resolver record.
PROMISE_FAILURE: Final = (
    "(resolver, data) => {\n\tresolver.f(data);\n\tresolver.p.s = 2;\n\tresolver.p.v = data;\n}"
)

#: SpecialReference 4: seroval's stream constructor (takes the ``live`` flag since 1.7).
STREAM_CONSTRUCTOR: Final = (
    "(live) => {\n"
    "\tconst buffer = [];\n"
    "\tconst listeners = [];\n"
    "\tlet alive = true;\n"
    "\tlet success = false;\n"
    "\tlet count = 0;\n"
    "\tconst internal = {\n"
    "\t\tflush(value, mode, x) {\n"
    "\t\t\tlive > 1 || buffer.push(value);\n"
    "\t\t\tfor (x = 0; x < count; x++) {\n"
    "\t\t\t\tconst listener = listeners[x];\n"
    "\t\t\t\tif (listener) listener[mode](value);\n"
    "\t\t\t}\n"
    "\t\t},\n"
    "\t\tup(listener, x, z, current) {\n"
    "\t\t\tfor (x = 0, z = buffer.length; x < z; x++) {\n"
    "\t\t\t\tcurrent = buffer[x];\n"
    '\t\t\t\tif (!alive && x === z - 1) listener[success ? "return" : "throw"](current);\n'
    "\t\t\t\telse listener.next(current);\n"
    "\t\t\t}\n"
    "\t\t},\n"
    "\t\ton(listener, temp = 0) {\n"
    '\t\t\tif (live > 1) throw new Error("Stream consumed");\n'
    "\t\t\tlet subscribed = alive;\n"
    "\t\t\tif (alive) {\n"
    "\t\t\t\tfor (temp = 0; temp < count; temp++) if (!listeners[temp]) break;\n"
    "\t\t\t\tif (temp === count) count++;\n"
    "\t\t\t\tlisteners[temp] = listener;\n"
    "\t\t\t}\n"
    "\t\t\tinternal.up(listener);\n"
    "\t\t\tif (live) {\n"
    "\t\t\t\tlive = 2;\n"
    "\t\t\t\tbuffer.length = 0;\n"
    "\t\t\t}\n"
    "\t\t\treturn () => {\n"
    "\t\t\t\tif (alive && subscribed) {\n"
    "\t\t\t\t\tsubscribed = false;\n"
    "\t\t\t\t\tlisteners[temp] = void 0;\n"
    "\t\t\t\t\twhile (count > 0 && !listeners[count - 1]) count--;\n"
    "\t\t\t\t\tlisteners.length = count;\n"
    "\t\t\t\t}\n"
    "\t\t\t};\n"
    "\t\t}\n"
    "\t};\n"
    "\treturn {\n"
    "\t\t__SEROVAL_STREAM__: true,\n"
    "\t\ton(listener) {\n"
    "\t\t\treturn internal.on(listener);\n"
    "\t\t},\n"
    "\t\tnext(value) {\n"
    '\t\t\tif (alive) internal.flush(value, "next");\n'
    "\t\t},\n"
    "\t\tthrow(value) {\n"
    "\t\t\tif (alive) {\n"
    '\t\t\t\tinternal.flush(value, "throw");\n'
    "\t\t\t\talive = false;\n"
    "\t\t\t\tsuccess = false;\n"
    "\t\t\t\tlisteners.length = 0;\n"
    "\t\t\t}\n"
    "\t\t},\n"
    "\t\treturn(value) {\n"
    "\t\t\tif (alive) {\n"
    '\t\t\t\tinternal.flush(value, "return");\n'
    "\t\t\t\talive = false;\n"
    "\t\t\t\tsuccess = true;\n"
    "\t\t\t\tlisteners.length = 0;\n"
    "\t\t\t}\n"
    "\t\t}\n"
    "\t};\n"
    "}"
)

#: The IteratorFactory: makes a sync iterator factory from a Sequence.
ITERATOR_FACTORY: Final = (
    "(symbol) => (sequence) => () => {\n"
    "\tlet index = 0;\n"
    "\tconst instance = {\n"
    "\t\t[symbol]() {\n"
    "\t\t\treturn instance;\n"
    "\t\t},\n"
    "\t\tnext() {\n"
    "\t\t\tif (index > sequence.d) return {\n"
    "\t\t\t\tdone: true,\n"
    "\t\t\t\tvalue: void 0\n"
    "\t\t\t};\n"
    "\t\t\tconst currentIndex = index++;\n"
    "\t\t\tconst data = sequence.v[currentIndex];\n"
    "\t\t\tif (currentIndex === sequence.t) throw data;\n"
    "\t\t\treturn {\n"
    "\t\t\t\tdone: currentIndex === sequence.d,\n"
    "\t\t\t\tvalue: data\n"
    "\t\t\t};\n"
    "\t\t}\n"
    "\t};\n"
    "\treturn instance;\n"
    "}"
)

#: The AsyncIteratorFactory: makes an async iterator factory from a stream.
ASYNC_ITERATOR_FACTORY: Final = (
    "(symbol, createPromise) => (stream) => () => {\n"
    "\tlet count = 0;\n"
    "\tlet doneAt = -1;\n"
    "\tlet isThrow = false;\n"
    "\tconst buffer = [];\n"
    "\tconst pending = [];\n"
    "\tconst internal = { finalize(i = 0, len = pending.length) {\n"
    "\t\tfor (; i < len; i++) pending[i].s({\n"
    "\t\t\tdone: true,\n"
    "\t\t\tvalue: void 0\n"
    "\t\t});\n"
    "\t} };\n"
    "\tstream.on({\n"
    "\t\tnext(value) {\n"
    "\t\t\tconst temp = pending.shift();\n"
    "\t\t\tif (temp) temp.s({\n"
    "\t\t\t\tdone: false,\n"
    "\t\t\t\tvalue\n"
    "\t\t\t});\n"
    "\t\t\tbuffer.push(value);\n"
    "\t\t},\n"
    "\t\tthrow(value) {\n"
    "\t\t\tconst temp = pending.shift();\n"
    "\t\t\tif (temp) temp.f(value);\n"
    "\t\t\tinternal.finalize();\n"
    "\t\t\tdoneAt = buffer.length;\n"
    "\t\t\tisThrow = true;\n"
    "\t\t\tbuffer.push(value);\n"
    "\t\t},\n"
    "\t\treturn(value) {\n"
    "\t\t\tconst temp = pending.shift();\n"
    "\t\t\tif (temp) temp.s({\n"
    "\t\t\t\tdone: true,\n"
    "\t\t\t\tvalue\n"
    "\t\t\t});\n"
    "\t\t\tinternal.finalize();\n"
    "\t\t\tdoneAt = buffer.length;\n"
    "\t\t\tbuffer.push(value);\n"
    "\t\t}\n"
    "\t});\n"
    "\tconst instance = {\n"
    "\t\t[symbol]() {\n"
    "\t\t\treturn instance;\n"
    "\t\t},\n"
    "\t\tnext() {\n"
    "\t\t\tif (doneAt === -1) {\n"
    "\t\t\t\tconst index = count++;\n"
    "\t\t\t\tif (index >= buffer.length) {\n"
    "\t\t\t\t\tconst temp = createPromise();\n"
    "\t\t\t\t\tpending.push(temp);\n"
    "\t\t\t\t\treturn temp.p;\n"
    "\t\t\t\t}\n"
    "\t\t\t\treturn {\n"
    "\t\t\t\t\tdone: false,\n"
    "\t\t\t\t\tvalue: buffer[index]\n"
    "\t\t\t\t};\n"
    "\t\t\t}\n"
    "\t\t\tif (count > doneAt) return {\n"
    "\t\t\t\tdone: true,\n"
    "\t\t\t\tvalue: void 0\n"
    "\t\t\t};\n"
    "\t\t\tconst index = count++;\n"
    "\t\t\tconst value = buffer[index];\n"
    "\t\t\tif (index !== doneAt) return {\n"
    "\t\t\t\tdone: false,\n"
    "\t\t\t\tvalue\n"
    "\t\t\t};\n"
    "\t\t\tif (isThrow) throw value;\n"
    "\t\t\treturn {\n"
    "\t\t\t\tdone: true,\n"
    "\t\t\t\tvalue\n"
    "\t\t\t};\n"
    "\t\t}\n"
    "\t};\n"
    "\treturn instance;\n"
    "}"
)

#: seroval-plugins FormDataFactory: builds a FormData from entries.
FORM_DATA_FACTORY: Final = (
    "(e, f = new FormData(), i = 0, s = e.length, t) => {\n"
    "\tfor (; i < s; i++) {\n"
    "\t\tt = e[i];\n"
    "\t\tf.append(t[0], t[1]);\n"
    "\t}\n"
    "\treturn f;\n"
    "}"
)

#: seroval-plugins ReadableStreamFactory: wraps a stream as a ReadableStream.
READABLE_STREAM_FACTORY: Final = (
    "(stream) => new ReadableStream({ start(controller) {\n"
    "\tstream.on({\n"
    "\t\tnext(value) {\n"
    "\t\t\ttry {\n"
    "\t\t\t\tcontroller.enqueue(value);\n"
    "\t\t\t} catch (_error) {}\n"
    "\t\t},\n"
    "\t\tthrow(value) {\n"
    "\t\t\tcontroller.error(value);\n"
    "\t\t},\n"
    "\t\treturn() {\n"
    "\t\t\ttry {\n"
    "\t\t\t\tcontroller.close();\n"
    "\t\t\t} catch (_error) {}\n"
    "\t\t}\n"
    "\t});\n"
    "} })"
)

#: seroval-plugins AbortControllerFactoryPlugin: an AbortController aborted by a promise.
ABORT_CONTROLLER_FACTORY: Final = (
    "(promise) => {\n"
    "\tconst controller = new AbortController();\n"
    "\tconst abort = controller.abort.bind(controller);\n"
    "\tpromise.then(abort, abort);\n"
    "\treturn controller;\n"
    "}"
)

FINGERPRINTS: Final = {
    "ARRAY_BUFFER_CONSTRUCTOR": "024813beade387b5",
    "PROMISE_CONSTRUCTOR": "fe8120745dfde7e9",
    "PROMISE_SUCCESS": "e64fbf495456734d",
    "PROMISE_FAILURE": "45b839a5f9572c85",
    "STREAM_CONSTRUCTOR": "2595cf17667dc855",
    "ITERATOR_FACTORY": "3a4f9fa0a0c92552",
    "ASYNC_ITERATOR_FACTORY": "d0be2d66d4209970",
    "FORM_DATA_FACTORY": "abe5159e67a30f3e",
    "READABLE_STREAM_FACTORY": "ae4c2632dc03af5b",
    "ABORT_CONTROLLER_FACTORY": "6f47b4b9cbf01491",
}
