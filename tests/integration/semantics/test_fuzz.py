"""A sample of the randomized fault-injected sequences: zero duplicate side effects.

The full run is ``scripts/call_semantics_fuzz.py`` (1,000 sequences).
"""

from __future__ import annotations

from tests.integration.semantics.fuzz import run_sequences

SAMPLE = range(12)


async def test_no_sequence_carries_an_order_out_twice() -> None:
    outcomes = await run_sequences(SAMPLE, concurrency=4)

    assert [o.seed for o in outcomes if o.duplicates] == []
    assert [o.seed for o in outcomes if o.conversation.stalled] == []
    assert sum(o.requests for o in outcomes) > sum(o.placed for o in outcomes) > 0
    assert sum(o.repeated for o in outcomes) > 0  # the sample exercises the repeats
