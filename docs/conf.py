"""Sphinx configuration: the API reference, built from the docstrings.

Build it as CI does (tests/test_docs.py), with warnings as errors::

    sphinx-build -W --keep-going -b html docs docs/_build
"""

project = "seroval for Python"
extensions = ["sphinx.ext.autodoc"]
autodoc_typehints = "none"  # the signatures carry them; docstrings say why
autodoc_member_order = "bysource"
exclude_patterns = ["_build"]
html_theme = "alabaster"
