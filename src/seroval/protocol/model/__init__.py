"""The value model: node-type constants, the Python types for JS concepts, plugins and refs.

No walking happens here: these are the nouns the walkers in :mod:`..tree`,
:mod:`..jstext` and :mod:`..aio` share.
"""
