"""Where the project's data lives: the built-in scenarios and the board's assets.

From a checkout or an editable install (``pip install -e .``) they are the repository's own
``scenarios/`` and ``assets/`` folders beside the package; an installed wheel carries copies
under ``<prefix>/share/powerplay/`` (see ``setup.py``). ``$POWERPLAY_ASSETS`` points the board
at another assets folder.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ASSETS_ENV = "POWERPLAY_ASSETS"


def data_dir(name: str) -> Path:
    """The project's data folder ``name`` ('scenarios' or 'assets')."""
    beside = Path(__file__).resolve().parents[1] / name
    if beside.is_dir():
        return beside
    return Path(sys.prefix) / "share" / "powerplay" / name


def assets_dir() -> Path:
    """``$POWERPLAY_ASSETS`` if set, else the project's ``assets`` folder."""
    env = os.environ.get(ASSETS_ENV)
    return Path(env) if env else data_dir("assets")
