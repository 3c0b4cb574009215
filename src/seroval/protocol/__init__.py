"""The sans-I/O protocol core: value model, node tree, parse, deserialize, JSON text.

Nothing here does I/O or imports from ``seroval.codecs`` or ``seroval.transports``;
data flows one way, Python value -> nodes -> text/bytes, and back.
"""
