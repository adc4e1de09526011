"""The command-line interface: thin commands over core and store."""
