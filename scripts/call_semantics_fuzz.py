"""Run the randomized fault-injected call sequences at full size and count duplicates.

Usage: ``.venv/bin/python scripts/call_semantics_fuzz.py [--sequences 1000]
[--concurrency 16] [--first-seed 0]``. Each sequence is one real LiveKit
``AgentSession`` with a scripted LLM placing orders against a counting order service on
127.0.0.1, with interruptions, timeouts, 503s, dropped connections, re-issued and
concurrent identical calls (``tests/integration/semantics/fuzz.py``). Prints the number
of orders carried out more than once (the duplicate side effects; should be 0), the
totals, and one transcript in which the model is told ``"repeated": true``. Exit code 1
when any sequence duplicated an order. ``tests/integration/semantics/test_fuzz.py``
runs a sample in CI.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.integration.semantics.fuzz import run_sequences


def main() -> int:
    """Run the sequences and print the counts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sequences", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--first-seed", type=int, default=0)
    options = parser.parse_args()
    logging.disable(logging.ERROR)  # LiveKit and aiohttp log every interruption and drop
    seeds = range(options.first_seed, options.first_seed + options.sequences)
    started = time.perf_counter()
    outcomes = asyncio.run(run_sequences(seeds, options.concurrency))
    elapsed = time.perf_counter() - started
    duplicated = [outcome.seed for outcome in outcomes if outcome.duplicates]
    print(f"sequences: {len(outcomes)} in {elapsed:.0f} s")
    print(f"order requests received: {sum(o.requests for o in outcomes)}")
    print(f"orders carried out: {sum(o.placed for o in outcomes)}")
    print(f"calls answered as repeated: {sum(o.repeated for o in outcomes)}")
    print(f"duplicate side effects: {sum(o.duplicates for o in outcomes)}")
    stalled = [o.seed for o in outcomes if o.conversation.stalled]
    print(f"sequences cut short by a turn that did not end: {len(stalled)} {stalled or ''}")
    if duplicated:
        print(f"seeds with duplicates: {duplicated}")
    shown = next((o for o in outcomes if o.repeated), None)
    if shown is not None:
        print(f"\na transcript where the model is told repeated: true (seed {shown.seed}):")
        print("\n".join(shown.conversation.lines()))
    return 1 if duplicated else 0


if __name__ == "__main__":
    sys.exit(main())
