"""Widgets: each one draws a part of a :class:`~game.engine.views.View` (``show(view)``)."""
