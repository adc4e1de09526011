"""keepwarm: keep a professional network warm through many small, frequent touches."""

__version__ = "0.1.0"
