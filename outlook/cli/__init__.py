"""The ``outlook`` command (``outlook.cli.main:main``): a skin over the library that nothing
outside this package imports."""
