"""The ``outlook`` command: a skin over the library that nothing outside this package imports.

``main`` is also importable from here (entry points written for ``outlook.cli:main``).
"""

from outlook.cli.main import main

__all__ = ["main"]
