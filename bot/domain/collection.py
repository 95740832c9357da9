"""Python's cycle collector paused while a set-up file is read and imported."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cycle collection inside: a national set-up makes 500,000 objects that all live to
    the end, and the collector walked them again and again (half the import's CPU time)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:  # an import inside another leaves it to the outer one
            gc.enable()
