"""The pure domain of keepwarm: no database, no web framework, no terminal."""
