"""JS text: the writer (nodes to seroval's JS source) and the safe reader.

The reader tokenizes and parses exactly the language seroval writes (``parser``)
and evaluates it in JS order without ``eval`` (``reader``); ``helpers`` holds the
helper texts seroval embeds, as wire constants per version.
"""
