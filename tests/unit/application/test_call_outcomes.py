"""The result contract's envelope: shapes, empty results, the cap, scrubbing."""

from __future__ import annotations

import json

import pytest

from application.call_outcomes import CallOutcome, envelope_text, failed, repeated_note, succeeded
from domain.call_status import CallStatus
from domain.json_types import JsonValue
from domain.scrubbing import Scrubber

SECRET = "canary-7f3a9c0e5b1d"
clean = Scrubber([SECRET])


def envelope(outcome: CallOutcome, max_chars: int = 8000) -> dict[str, object]:
    text = envelope_text(outcome, clean, max_chars)
    parsed = json.loads(text)
    assert isinstance(parsed, dict)
    return parsed


@pytest.mark.parametrize("value", [[], {}, None, "", "   "])
def test_an_empty_value_is_no_results(value: JsonValue) -> None:
    assert envelope(succeeded(value)) == {
        "status": "no_results",
        "retryable": False,
        "data": value,
    }


@pytest.mark.parametrize("value", [0, False, [0], {"a": None}, "0"])
def test_a_falsy_but_present_value_is_ok(value: JsonValue) -> None:
    assert envelope(succeeded(value))["status"] == "ok"


def test_data_over_the_cap_is_cut_as_text_and_marked_and_the_envelope_stays_json() -> None:
    value = {"items": [{"id": n, "name": "x" * 20} for n in range(100)]}

    cut = envelope(succeeded(value), max_chars=100)

    assert cut["truncated"] is True
    assert cut["data"] == json.dumps(value, ensure_ascii=False)[:100]


def test_a_secret_is_scrubbed_before_the_data_is_measured_and_wrapped() -> None:
    told = envelope(succeeded({"echo": f"Bearer {SECRET}", "n": 1}))

    assert told["data"] == {"echo": "Bearer ********", "n": 1}
    assert SECRET not in json.dumps(told)


def test_a_failure_carries_its_error_options_and_hint() -> None:
    told = envelope(
        failed(
            CallStatus.RATE_LIMITED,
            f"slow down {SECRET}",
            retry_after_seconds=2.2,
            valid_options={"unit": ["c", "f"]},
        )
    )

    assert told == {
        "status": "rate_limited",
        "retryable": True,
        "error": "slow down ********",
        "valid_options": {"unit": ["c", "f"]},
        "retry_hint": "the service asks to wait 3 seconds before trying again",
    }


def test_a_repeat_says_so_and_keeps_the_first_outcome() -> None:
    told = envelope(succeeded({"order_id": "o-1"}).as_repeat(15))

    assert told["repeated"] is True
    assert told["data"] == {"order_id": "o-1"}
    assert told["note"] == repeated_note(15)
    assert "confirm with the caller" in str(told["note"])
