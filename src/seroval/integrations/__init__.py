"""Helpers for embedding seroval in frameworks you already run (an optional extra).

* :mod:`seroval.integrations.starlette`: a Starlette / FastAPI response class that
  answers in the codec the request's ``Accept`` asks for (framed streaming when
  the value holds promises or streams), a request-body reader with limits, and an
  exception handler that answers a bad request with 400 instead of 500.
* :mod:`seroval.integrations.httpx`: read a response's value by its content type
  (framed or not) and send a value as a request body, sync and async.
* :mod:`seroval.integrations.content`: the framework-free part both use
  (negotiation, encoding, framed streams, limits, status codes).

Importing this package imports nothing else: each module imports its framework
only when it is imported itself (``pip install 'seroval[starlette]'`` or
``'seroval[http]'``).
"""

from __future__ import annotations

__all__: list[str] = []
