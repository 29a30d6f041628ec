"""The ``tool-platform`` sub-commands, one module per group (``docs/cli.md``)."""
