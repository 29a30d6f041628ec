"""The CPU time of the measuring process, beside the wall time the timer keeps.

On a shared machine the wall time of an operation follows what else runs; the CPU time
this process spends on it (``time.process_time``: every thread, the database driver's
included; not the servers' processes) is the part the platform's own code decides.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Awaitable, Callable

Operation = Callable[[], Awaitable[object]]


class CpuTimes:
    """The CPU seconds of each run of the operations :meth:`timed` wraps, by name."""

    def __init__(self) -> None:
        self._seconds: dict[str, list[float]] = {}

    def timed(self, name: str, operation: Operation) -> Operation:
        """``operation``, keeping the CPU time of each run under ``name``."""
        runs = self._seconds.setdefault(name, [])

        async def run() -> object:
            started = time.process_time()
            outcome = await operation()
            runs.append(time.process_time() - started)
            return outcome

        return run

    def p50(self, name: str) -> float:
        """The median CPU seconds of ``name``'s runs."""
        return statistics.median(self._seconds[name])
