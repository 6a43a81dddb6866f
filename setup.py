"""Build script. A wheel carries the built-in scenarios and the board's assets under
``<prefix>/share/powerplay`` (where :mod:`game.paths` finds them when the package is not in a
checkout). The engine installs as plain Python; with ``POWERPLAY_COMPILE=1`` its hot
modules are compiled with mypyc instead (about twice as fast for batch runs and search;
needs mypy and a C compiler in the build environment; see docs/performance.md).

The random-number module and the expression compiler stay Python (tests replace the dice;
the expression closures are built at run time)."""

import os
import sys

from setuptools import setup

COMPILED = [
    "game/engine/actions.py",
    "game/engine/core.py",
    "game/engine/errors.py",
    "game/engine/knowledge.py",
    "game/engine/odds.py",
    "game/engine/rules.py",
    "game/engine/state.py",
]


def ext_modules() -> list:
    if os.environ.get("POWERPLAY_COMPILE") != "1":
        return []
    if "editable_wheel" in sys.argv:  # compiled modules in the tree would hide later edits
        raise SystemExit("POWERPLAY_COMPILE=1 builds a wheel: use 'pip install .', not -e")
    if "bdist_wheel" not in sys.argv:  # metadata and source builds need no compiling
        return []
    from mypyc.build import mypycify

    # the project's mypy settings load the pydantic plugin, which these modules do not need
    return mypycify(["--config-file", os.devnull, *COMPILED], opt_level="3")


def data_files() -> list[tuple[str, list[str]]]:
    out = []
    for top in ("scenarios", "assets"):
        for folder, _, files in sorted(os.walk(top)):
            if files:
                out.append((os.path.join("share", "powerplay", folder),
                            [os.path.join(folder, f) for f in sorted(files)]))
    return out


setup(ext_modules=ext_modules(), data_files=data_files())
