"""Shared test setup: no display, no sound, no network; hypothesis without deadlines."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import pytest  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile("default", deadline=None, max_examples=60,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("soak", deadline=None, max_examples=2000,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture
def saves_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Saves and autosaves go to a temporary folder; textual's pilot polls for idle faster.
    (The terminal-UI test modules use it for every test.)"""
    monkeypatch.setenv("POWERPLAY_SAVES", str(tmp_path))
    monkeypatch.setattr("textual._wait.SLEEP_GRANULARITY", 0.005, raising=False)
    return tmp_path


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A soak test runs for minutes by design: its bound is .ci/run's budget for the soak run,
    not the 300 s every other test gets (pyproject.toml)."""
    for item in items:
        if item.get_closest_marker("soak") is not None:
            item.add_marker(pytest.mark.timeout(1500))


@pytest.fixture()
def screen(request: pytest.FixtureRequest) -> Iterator[Any]:
    """A pygame display of the test module's ``SIZE`` (SDL's dummy driver: no window)."""
    import pygame

    pygame.init()
    yield pygame.display.set_mode(getattr(request.module, "SIZE", (1280, 720)))
    pygame.quit()
