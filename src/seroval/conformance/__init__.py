"""The conformance suite: the pinned seroval oracle, its vectors, and Python-side builders."""
