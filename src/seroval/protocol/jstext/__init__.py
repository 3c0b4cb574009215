"""JS text: the writer (nodes to seroval's JS source) and the safe reader.

Writing: ``api`` (``serialize``, ``cross_serialize``, ``compile_json``) parses the
value into nodes and hands them to ``writer``, whose walk dispatches by node type
to ``write_containers``, ``write_scalars`` and ``write_async``; ``spelling`` holds
the names, numbers and deferred assignments they spell.

Reading: ``reader`` (``deserialize``) and ``cross`` (``CrossDeserializer``) parse
exactly the language seroval writes (``lexer``, ``parser``, ``parse_programs``,
``parse_builtins``, building the tree of ``syntax``) and evaluate it in JS order
without ``eval`` (``evaluate``, dispatching by expression class to
``eval_values``, ``eval_properties``, ``eval_calls`` and ``eval_builtins``;
``session`` and ``internal`` hold what a reader keeps between texts and what
helpers return).  ``helpers`` holds the helper texts seroval embeds, as wire
constants per version.
"""
