"""Screens of the terminal UI: setup, hand-off, team, umpire console, results, end, help."""
