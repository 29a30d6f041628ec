"""``tool-platform calls``: after ``call`` runs an HTTP function, the audit shows it.

The quickstart's weather tool, bound with the canary as its API key, is called through
a real LiveKit ``AgentSession`` (``tool-platform call``); ``calls list``, ``show``,
``stats`` and ``prune`` then read the record from the same SQLite database.
"""

from __future__ import annotations

import json

import pytest

from tests.builders import assert_no_secret
from tests.integration.cli.support import Cli
from tests.integration.cli.test_http_call import (  # noqa: F401 - fixtures
    weather_agent,
    weather_api,
)
from tests.integration.http_tools.upstream import Reply, Upstream


@pytest.fixture
def called(weather_agent: Cli, weather_api: Upstream) -> Cli:  # noqa: F811 - fixtures
    """One successful and one failing call of ``get_current_weather``, recorded."""
    weather_api.reply(Reply(body={"city": "Paris", "temperature": 68}))
    weather_agent("call", "front-desk", "get_current_weather", "--args", '{"city": "Paris"}')
    weather_agent("call", "front-desk", "get_current_weather", "--args", '{"town": "Lyon"}')
    return weather_agent


def test_calls_list_shows_the_call_and_show_its_masked_rendered_request(
    called: Cli,
    weather_api: Upstream,  # noqa: F811 - the fixture
) -> None:
    listed = called.json("calls", "list")
    ok = next(item for item in listed if item["outcome"] == "ok")
    shown = called.json("calls", "show", ok["id"])
    text = called.ok("calls", "show", ok["id"])

    assert [item["outcome"] for item in listed] == ["invalid_argument", "ok"]
    assert ok["tool"] == "weather"
    assert ok["tool_version"] == 1
    assert ok["kind"] == "http"
    assert ok["function"] == "get_current_weather"
    assert ok["error"] is None
    assert listed[0]["error"].startswith("Invalid arguments for get_current_weather")
    assert listed[0]["session_id"] != ok["session_id"]  # one session per `call`
    assert shown["details"] == {
        "request": {
            "method": "GET",
            "url": f"{weather_api.base_url}/v1/current?q=Paris&units=imperial",
            "header_names": ["Authorization"],
            "body": None,
        },
        "status_code": 200,
        "response_bytes": len(json.dumps({"city": "Paris", "temperature": 68})),
    }
    assert shown["payloads"] == "none"
    assert shown["arguments"] == {"size": len('{"city": "Paris"}'), "fields": ["city"]}
    assert f"GET {weather_api.base_url}/v1/current?q=Paris&units=imperial" in text
    assert "header names    Authorization" in text
    for printed in called.transcript:
        assert_no_secret(printed)


def test_calls_list_filters_and_stats_count_per_function(called: Cli) -> None:
    by_outcome = called.json("calls", "list", "--outcome", "ok", "--since", "15m")
    by_agent = called.json("calls", "list", "--agent", "front-desk", "--limit", "1")
    none_later = called.json("calls", "list", "--since", "2999-01-01T00:00:00Z")
    stats = called.json("calls", "stats", "--since", "24h")

    assert [item["outcome"] for item in by_outcome] == ["ok"]
    assert len(by_agent) == 1
    assert none_later == []
    [weather] = stats["functions"]
    assert (weather["tool"], weather["function"], weather["count"]) == (
        "weather",
        "get_current_weather",
        2,
    )
    assert weather["errors"] == 1
    assert weather["error_rate"] == 0.5
    assert 0 < weather["p50_ms"] <= weather["p95_ms"] <= weather["p99_ms"]
    assert "get_current_weather" in called.ok("calls", "stats")


def test_calls_prune_deletes_what_is_older_and_keeps_the_rest(called: Cli) -> None:
    kept = called.json("calls", "prune", "--older-than", "7d")
    pruned = called.json("calls", "prune", "--older-than", "0m")

    assert kept["deleted"] == 0
    assert pruned["deleted"] == 2
    assert called.json("calls", "list") == []
    assert "No calls recorded" in called.ok("calls", "list")


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        (("calls", "list", "--since", "yesterday"), "'yesterday' is not an ISO 8601 time"),
        (("calls", "list", "--outcome", "fine"), "unknown outcome 'fine'; one of: ok, "),
        (("calls", "list", "--limit", "0"), "the limit must be 1 to 10,000, not 0"),
        (("calls", "list", "--agent", "nobody"), "no agent has the id or name 'nobody'"),
        (("calls", "show", "no-such-call"), "no call record has the id 'no-such-call'"),
        (("calls", "prune", "--older-than", "2026-01-01"), "is not a duration"),
        (("calls", "stats", "--since", "99999999d"), "reaches back before year 1"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(
    cli: Cli, arguments: tuple[str, ...], said: str
) -> None:
    assert said in cli.refused(*arguments)
