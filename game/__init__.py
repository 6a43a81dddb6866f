"""Power Play: a tabletop wargame engine for political-military seminar games."""

__version__ = "0.1.0"
