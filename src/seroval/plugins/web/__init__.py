"""``seroval-plugins/web`` for Python: the 14 web plugins of seroval-plugins 1.8.0.

Opt in as seroval does, with a plugin list, either the whole set or single plugins
(each with what it ``extends``)::

    from seroval import to_json, serialize
    from seroval.plugins import web

    to_json(web.URL("https://example.com/"), plugins=web.ALL)
    serialize(web.Headers({"x-a": "1"}), plugins=[web.HeadersPlugin()])

Tags, field names and JS text are seroval-plugins' own, byte for byte, so a JS
app using ``seroval-plugins/web`` reads what Python writes and the other way round.
Each plugin class has one instance (``URLPlugin() is URLPlugin()``), so listing a
plugin that another one also ``extends`` is harmless, as in seroval.

:data:`ALL` is ``Object.values(web)``: the exports in alphabetical order, which is
the order seroval tries them in.  Two consequences carry over from seroval: a
``File`` is written as a ``Blob`` (``BlobPlugin`` comes first) and a
``CustomEvent`` as a ``CustomEvent`` (``CustomEventPlugin`` precedes
``EventPlugin``).

Modes differ from seroval's only where Python can do more: Blob, File, and
Request/Response with a bytes body are written in sync mode too (their bytes are
at hand), in the form seroval's async mode gives them.  See each module.
"""

from __future__ import annotations

from typing import Final

from ...protocol.model.plugins import Plugin
from .abort import (
    AbortController,
    AbortControllerFactoryPlugin,
    AbortSignal,
    AbortSignalPlugin,
)
from .blob import Blob, BlobPlugin, File, FilePlugin
from .dom_exception import DOMException, DOMExceptionPlugin
from .events import CustomEvent, CustomEventPlugin, Event, EventPlugin
from .fetch import Request, RequestPlugin, Response, ResponsePlugin
from .form_data import FormData, FormDataFactoryPlugin, FormDataPlugin
from .headers import Headers, HeadersPlugin
from .image_data import ImageData, ImageDataPlugin
from .streams import ReadableStream, ReadableStreamFactoryPlugin, ReadableStreamPlugin
from .url import URL, URLPlugin, URLSearchParams, URLSearchParamsPlugin

__all__ = [
    "ALL",
    "PLUGINS_BY_NAME",
    "URL",
    "AbortController",
    "AbortControllerFactoryPlugin",
    "AbortSignal",
    "AbortSignalPlugin",
    "Blob",
    "BlobPlugin",
    "CustomEvent",
    "CustomEventPlugin",
    "DOMException",
    "DOMExceptionPlugin",
    "Event",
    "EventPlugin",
    "File",
    "FilePlugin",
    "FormData",
    "FormDataFactoryPlugin",
    "FormDataPlugin",
    "Headers",
    "HeadersPlugin",
    "ImageData",
    "ImageDataPlugin",
    "ReadableStream",
    "ReadableStreamFactoryPlugin",
    "ReadableStreamPlugin",
    "Request",
    "RequestPlugin",
    "Response",
    "ResponsePlugin",
    "URLPlugin",
    "URLSearchParams",
    "URLSearchParamsPlugin",
]

#: The exported plugins by their seroval-plugins export name, in export order.
PLUGINS_BY_NAME: Final[dict[str, Plugin]] = {
    "AbortSignalPlugin": AbortSignalPlugin(),
    "BlobPlugin": BlobPlugin(),
    "CustomEventPlugin": CustomEventPlugin(),
    "DOMExceptionPlugin": DOMExceptionPlugin(),
    "EventPlugin": EventPlugin(),
    "FilePlugin": FilePlugin(),
    "FormDataPlugin": FormDataPlugin(),
    "HeadersPlugin": HeadersPlugin(),
    "ImageDataPlugin": ImageDataPlugin(),
    "ReadableStreamPlugin": ReadableStreamPlugin(),
    "RequestPlugin": RequestPlugin(),
    "ResponsePlugin": ResponsePlugin(),
    "URLPlugin": URLPlugin(),
    "URLSearchParamsPlugin": URLSearchParamsPlugin(),
}

#: Every web plugin, in the order ``Object.values(web)`` gives them in JS.
ALL: Final[tuple[Plugin, ...]] = tuple(PLUGINS_BY_NAME.values())
