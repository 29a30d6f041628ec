"""``FreezeOnce``: the garbage collector stops scanning what a warm process holds.

After a worker's first job the process holds what it keeps for its whole life: its
modules, its settings, the tool versions it has read with their compiled validators.
A full collection scans every tracked object, so with a 500-function toolset read it
took tens of milliseconds and landed inside a later load (a toolset load's p99 was
2-10x its p50). :func:`gc.freeze` moves every object tracked so far out of the
collector's reach; objects made later are collected as usual. What the first job
itself made is frozen with the rest: its cyclic garbage, if any, stays for the life of
the process (one job's worth, once).
"""

from __future__ import annotations

import gc
import threading


class FreezeOnce:
    """Calls :func:`gc.freeze` the first time it is called, never again (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._frozen = False

    def __call__(self) -> None:
        """Freeze every object tracked now, unless an earlier call did."""
        with self._lock:
            if self._frozen:
                return
            self._frozen = True
        gc.freeze()
