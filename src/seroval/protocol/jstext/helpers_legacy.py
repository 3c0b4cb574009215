"""Helper texts of seroval 1.6.x and 1.7.x that differ from 1.8.1, so older servers' JS text reads.

seroval embeds its helper functions' ``Function.prototype.toString`` text in its JS
output (see :mod:`seroval.protocol.jstext.helpers` for the 1.8.1 texts).  The JS text reader
recognises a helper only by comparing the whole text at that position with a known
text, so reading output from an older server needs that version's exact texts.

They were dumped from the published npm packages, every 1.6.x and 1.7.x release
(1.6.0-1.6.9, 1.6.11, 1.6.12, 1.7.0-1.7.3, 1.7.5, 1.7.7, 1.7.9, 1.7.10; 1.6.10 was never
published), by serializing values that embed each helper, the way
``conformance/oracle/dump-helpers.mjs`` does for 1.8.1.  The result:

* the ArrayBuffer, iterator, async-iterator and promise helpers (constructor, resolve,
  reject) are byte-identical to 1.8.1 in every one of those releases;
* the stream helper is identical to 1.8.1 from 1.7.0 on (the ``live`` parameter
  arrived in 1.7.0), and had two earlier texts, below.

To repeat the dump: install ``seroval@<version>`` in a scratch folder outside the
repository, then print ``crossSerializeStream`` output for an ended ``createStream()``:
the first chunk is ``$R[0]=($R[1]=<STREAM>)()``.

Semantics: the older stream helper takes no ``live`` argument (any argument is
ignored), so ``(<STREAM 1.6>)(1)`` is an ordinary, buffering stream.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "LEGACY_FINGERPRINTS",
    "LEGACY_STREAM_CONSTRUCTORS",
    "STREAM_CONSTRUCTOR_1_6_0",
    "STREAM_CONSTRUCTOR_1_6_6",
]

#: The stream helper of seroval 1.6.0 to 1.6.5 (no ``live`` parameter).
STREAM_CONSTRUCTOR_1_6_0: Final = (
    "() => {\n"
    "\tconst buffer = [];\n"
    "\tconst listeners = [];\n"
    "\tlet alive = true;\n"
    "\tlet success = false;\n"
    "\tlet count = 0;\n"
    "\tconst internal = {\n"
    "\t\tflush(value, mode, x) {\n"
    "\t\t\tfor (x = 0; x < count; x++) if (listeners[x]) listeners[x][mode](value);\n"
    "\t\t},\n"
    "\t\tup(listener, x, z, current) {\n"
    "\t\t\tfor (x = 0, z = buffer.length; x < z; x++) {\n"
    "\t\t\t\tcurrent = buffer[x];\n"
    '\t\t\t\tif (!alive && x === z - 1) listener[success ? "return" : "throw"](current);\n'
    "\t\t\t\telse listener.next(current);\n"
    "\t\t\t}\n"
    "\t\t},\n"
    "\t\ton(listener, temp) {\n"
    "\t\t\tif (alive) {\n"
    "\t\t\t\ttemp = count++;\n"
    "\t\t\t\tlisteners[temp] = listener;\n"
    "\t\t\t}\n"
    "\t\t\tinternal.up(listener);\n"
    "\t\t\treturn () => {\n"
    "\t\t\t\tif (alive) {\n"
    "\t\t\t\t\tlisteners[temp] = listeners[count];\n"
    "\t\t\t\t\tlisteners[count--] = void 0;\n"
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
    "\t\t\tif (alive) {\n"
    "\t\t\t\tbuffer.push(value);\n"
    '\t\t\t\tinternal.flush(value, "next");\n'
    "\t\t\t}\n"
    "\t\t},\n"
    "\t\tthrow(value) {\n"
    "\t\t\tif (alive) {\n"
    "\t\t\t\tbuffer.push(value);\n"
    '\t\t\t\tinternal.flush(value, "throw");\n'
    "\t\t\t\talive = false;\n"
    "\t\t\t\tsuccess = false;\n"
    "\t\t\t\tlisteners.length = 0;\n"
    "\t\t\t}\n"
    "\t\t},\n"
    "\t\treturn(value) {\n"
    "\t\t\tif (alive) {\n"
    "\t\t\t\tbuffer.push(value);\n"
    '\t\t\t\tinternal.flush(value, "return");\n'
    "\t\t\t\talive = false;\n"
    "\t\t\t\tsuccess = true;\n"
    "\t\t\t\tlisteners.length = 0;\n"
    "\t\t\t}\n"
    "\t\t}\n"
    "\t};\n"
    "}"
)

#: The stream helper of seroval 1.6.6 to 1.6.12 (listener slots reused; no ``live``).
STREAM_CONSTRUCTOR_1_6_6: Final = (
    "() => {\n"
    "\tconst buffer = [];\n"
    "\tconst listeners = [];\n"
    "\tlet alive = true;\n"
    "\tlet success = false;\n"
    "\tlet count = 0;\n"
    "\tconst internal = {\n"
    "\t\tflush(value, mode, x) {\n"
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
    "\t\t\tlet subscribed = alive;\n"
    "\t\t\tif (alive) {\n"
    "\t\t\t\tfor (temp = 0; temp < count; temp++) if (!listeners[temp]) break;\n"
    "\t\t\t\tif (temp === count) count++;\n"
    "\t\t\t\tlisteners[temp] = listener;\n"
    "\t\t\t}\n"
    "\t\t\tinternal.up(listener);\n"
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
    "\t\t\tif (alive) {\n"
    "\t\t\t\tbuffer.push(value);\n"
    '\t\t\t\tinternal.flush(value, "next");\n'
    "\t\t\t}\n"
    "\t\t},\n"
    "\t\tthrow(value) {\n"
    "\t\t\tif (alive) {\n"
    "\t\t\t\tbuffer.push(value);\n"
    '\t\t\t\tinternal.flush(value, "throw");\n'
    "\t\t\t\talive = false;\n"
    "\t\t\t\tsuccess = false;\n"
    "\t\t\t\tlisteners.length = 0;\n"
    "\t\t\t}\n"
    "\t\t},\n"
    "\t\treturn(value) {\n"
    "\t\t\tif (alive) {\n"
    "\t\t\t\tbuffer.push(value);\n"
    '\t\t\t\tinternal.flush(value, "return");\n'
    "\t\t\t\talive = false;\n"
    "\t\t\t\tsuccess = true;\n"
    "\t\t\t\tlisteners.length = 0;\n"
    "\t\t\t}\n"
    "\t\t}\n"
    "\t};\n"
    "}"
)

#: The legacy stream helper texts, each with the seroval versions that emit it.
LEGACY_STREAM_CONSTRUCTORS: Final = (
    (STREAM_CONSTRUCTOR_1_6_0, ("1.6.0", "1.6.1", "1.6.2", "1.6.3", "1.6.4", "1.6.5")),
    (STREAM_CONSTRUCTOR_1_6_6, ("1.6.6", "1.6.7", "1.6.8", "1.6.9", "1.6.11", "1.6.12")),
)

#: First 16 hex digits of the SHA-256 of each text (UTF-8), as in ``helpers.FINGERPRINTS``.
LEGACY_FINGERPRINTS: Final = {
    "STREAM_CONSTRUCTOR_1_6_0": "497cd54f84bebbd0",
    "STREAM_CONSTRUCTOR_1_6_6": "cbc225b5c02d7dfc",
}
