"""The sans-I/O protocol core: seroval's wire format and nothing else.

Everything passes through the node tree, and the subpackages follow the arrows::

    model/     the value model (JS types Python lacks), node constants, plugins, refs
    temporal/  Temporal values and their ISO texts
    tree/      value -> nodes (parse), nodes -> value (deserialize), JSON text
    jstext/    nodes -> JS text (writer), JS text -> nodes -> value (safe reader, no eval)
    aio/       promises and streams: the async and streaming serializers (the only
               part that imports anyio)
    errors.py  the exception tree, shared by every step

Each subpackage imports only from the ones above it in this list.  Nothing here
does I/O or imports from ``seroval.codecs``, ``seroval.rpc`` or
``seroval.transports``; ``tests/test_layering.py`` checks both rules.
"""
