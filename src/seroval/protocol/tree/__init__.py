"""The node tree: Python values to nodes (``parse``), nodes to values (``deserialize``),
the ``to_json`` / ``from_json`` family (``api``), and JSON text exactly as JS writes it."""
