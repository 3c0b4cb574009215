"""Ready-made plugins, mirroring the npm package ``seroval-plugins``.

:mod:`seroval.plugins.web` is ``seroval-plugins/web``: URL, Headers, Blob, File,
FormData, ReadableStream, Request, Response, events, DOMException, AbortSignal and
ImageData, each as a small Python type that a JS app on the other end reads as the
real web value.  :mod:`seroval.plugins.validators` is ``seroval/validator``, the
field checks plugins declare in ``Plugin.validate``.
"""

from __future__ import annotations

from . import python, validators, web

__all__ = ["python", "validators", "web"]
