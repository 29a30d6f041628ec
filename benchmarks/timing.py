"""Interleaved timing: each round runs every variant once, in a rotating order."""

from __future__ import annotations

import statistics
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

AsyncVariant = Callable[[], Awaitable[object]]


@dataclass
class Samples:
    """Durations of one variant, in seconds."""

    values: list[float] = field(default_factory=list)

    def quantile(self, q: float) -> float:
        """The ``q`` quantile (0..1) by the nearest-rank method."""
        ordered = sorted(self.values)
        index = min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))
        return ordered[index]

    @property
    def p50(self) -> float:
        """The median."""
        return statistics.median(self.values)

    @property
    def p99(self) -> float:
        """The 99th percentile."""
        return self.quantile(0.99)


async def interleaved(
    variants: Mapping[str, AsyncVariant], rounds: int, warmup: int = 3
) -> dict[str, Samples]:
    """Time each variant ``rounds`` times, interleaved, after ``warmup`` untimed rounds.

    Args:
        variants: Name -> a coroutine function doing one operation. When the operation
            returns a coroutine function (a close, say), it is awaited after the timing
            stops: undoing what was measured is not measured.
        rounds: Timed rounds.
        warmup: Untimed rounds first (caches, pools, lazy imports).

    Returns:
        Name -> its samples.
    """
    names = list(variants)
    samples = {name: Samples() for name in names}
    for number in range(warmup + rounds):
        shift = number % len(names)
        for name in names[shift:] + names[:shift]:
            started = time.perf_counter()
            undo = await variants[name]()
            elapsed = time.perf_counter() - started
            if callable(undo):
                await undo()
            if number >= warmup:
                samples[name].values.append(elapsed)
    return samples


async def seconds_per_call(operation: AsyncVariant, loops: int) -> float:
    """Seconds per operation over ``loops`` operations run back to back."""
    started = time.perf_counter()
    for _ in range(loops):
        await operation()
    return (time.perf_counter() - started) / loops
