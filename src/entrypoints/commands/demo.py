"""``tool-platform demo``: the offline demo."""

from __future__ import annotations

import asyncio
import sys


def demo() -> None:
    """Run the offline demo: sync, define, bind, and a real session calling the tools.

    Everything runs on a SQLite catalog in a temporary folder, with a stand-in Calendar
    API on 127.0.0.1: no keys, no network, nothing left behind.
    """
    from entrypoints.demo import run_demo  # noqa: PLC0415 - what the demo needs loads when it runs

    asyncio.run(run_demo(sys.stdout))
