"""One module per family of commands; each lists its Click commands in ``COMMANDS``."""
