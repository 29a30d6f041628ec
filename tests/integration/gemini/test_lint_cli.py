"""``tool-platform tools lint NAME|FILE``: files without storage, catalog tools on SQLite.

Each command runs in-process on a database in the test's ``tmp_path``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.builders import function_doc, http_tool_document
from tests.integration.cli.support import Cli

SIZES = {"type": "object", "properties": {"size": {"type": "integer", "enum": [1, 2]}}}
TAGS = {"type": "object", "properties": {"tags": {"type": "array"}}, "required": ["tags"]}
NEVER = {"type": "object", "properties": {"never": False}}
SIZE_AS_STORED = (
    "parameters.properties.size: enum holds integer values ([1, 2]): Gemini takes only "
    "string enum values; use strings, or drop the enum and say the values in the description"
)
NEVER_REASON = "parameters.properties.never: a schema that accepts nothing cannot be offered"


def shop_document() -> dict[str, Any]:
    """A tool with one plain, two adapted functions and one no rewrite can offer."""
    return http_tool_document(
        "shop",
        (
            "search",
            function_doc("pick_size", SIZES),
            function_doc("tag", TAGS),
            function_doc("never", NEVER),
        ),
    )


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """A CLI whose database (not migrated) and files live in ``tmp_path``."""
    monkeypatch.chdir(tmp_path)
    return Cli(tmp_path)


def test_a_file_gets_a_category_per_function_and_exits_1_for_an_impossible_one(
    cli: Cli,
) -> None:
    path = cli.write_json("shop.json", shop_document())

    result = cli("tools", "lint", path)

    assert result.exit_code == 1
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == f"Gemini realtime cannot take 1 of 4 functions of tool 'shop' ({path})"
    assert lines[1:4] == [
        "  search     accepted",
        "  pick_size  adapted",
        f"      as stored: {SIZE_AS_STORED}",
    ]
    assert "  tag        adapted" in lines
    never = lines.index("  never      impossible")
    assert lines[never + 1] == f"      {NEVER_REASON}"
    assert not (cli.directory / "tool_platform.db").exists()


def test_the_json_shape(cli: Cli) -> None:
    path = cli.write_json("shop.json", shop_document())

    result = cli("tools", "lint", path, "--json")

    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert {key: report[key] for key in ("tool", "version", "source", "target", "accepted")} == {
        "tool": "shop",
        "version": None,
        "source": path,
        "target": "Gemini realtime",
        "accepted": False,
    }
    search, pick_size, tag, never = report["functions"]
    assert (search["category"], search["accepted"], search["hints"]) == ("accepted", True, [])
    assert search["offered_schema"]["parameters"]["properties"] == {"text": {"type": "string"}}
    assert pick_size["category"] == "adapted"
    assert pick_size["as_stored"] == [SIZE_AS_STORED]
    assert pick_size["offered_schema"]["parameters"]["properties"]["size"] == {
        "type": "string",
        "enum": ["1", "2"],
    }
    assert tag["offered_schema"]["parameters"]["properties"]["tags"]["items"]["type"] == "string"
    assert (never["category"], never["accepted"], never["reasons"]) == (
        "impossible",
        False,
        [NEVER_REASON],
    )
    assert (never["hints"], never["offered_schema"]) == ([], None)


def test_constraints_gemini_cannot_be_told_are_hints(cli: Cli) -> None:
    email = {"type": "object", "properties": {"to": {"type": "string", "format": "email"}}}
    document = http_tool_document("mail", (function_doc("send", email),))

    output = cli.ok("tools", "lint", "-", input=yaml.safe_dump(document))

    assert output.splitlines()[1:3] == [
        "  send  adapted_with_hints",
        '      hint: parameters.properties.to: format "email": moved to the description '
        "(Gemini cannot be told); enforced at call time",
    ]
    [send] = json.loads(cli.ok("tools", "lint", "-", "--json", input=yaml.safe_dump(document)))[
        "functions"
    ]
    assert (
        send["warnings"]
        == send["hints"]
        == [
            'parameters.properties.to: format "email": moved to the description '
            "(Gemini cannot be told); enforced at call time"
        ]
    )


def test_a_yaml_document_on_stdin_that_gemini_accepts_exits_0(cli: Cli) -> None:
    document = http_tool_document("weather", ("get_forecast", "get_alerts"))

    output = cli.ok("tools", "lint", "-", input=yaml.safe_dump(document))

    assert output.splitlines() == [
        "Gemini realtime takes all 2 functions of tool 'weather' (-)",
        "  get_forecast  accepted",
        "  get_alerts    accepted",
    ]


def test_a_catalog_tool_is_linted_at_its_latest_version(cli: Cli) -> None:
    cli.ok("db", "upgrade")
    cli.refused("tools", "define", cli.write_json("shop.json", shop_document()))
    cli.env["TOOL_PLATFORM_MODEL_TARGET"] = "any"
    cli.ok("tools", "define", cli.write_json("shop.json", shop_document()))
    cli.ok("tools", "define", cli.write_json("v2.json", {**shop_document(), "description": "2"}))
    del cli.env["TOOL_PLATFORM_MODEL_TARGET"]

    result = cli("tools", "lint", "shop", "--json")

    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert (report["version"], report["source"], report["accepted"]) == (2, "catalog", False)
    assert [f["category"] for f in report["functions"]] == [
        "accepted",
        "adapted",
        "adapted",
        "impossible",
    ]
    assert cli("tools", "lint", "shop").stdout.startswith(
        "Gemini realtime cannot take 1 of 4 functions of tool 'shop' (version 2)"
    )


def test_lint_checks_gemini_whatever_the_model_target(cli: Cli) -> None:
    cli.env["TOOL_PLATFORM_MODEL_TARGET"] = "any"

    result = cli("tools", "lint", cli.write_json("shop.json", shop_document()))

    assert result.exit_code == 1
    assert "  never      impossible" in result.stdout.splitlines()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("nope",), "tool 'nope' does not exist"),
        (("missing.json",), "cannot read the tool document missing.json"),
        (("./missing",), "cannot read the tool document ./missing"),
    ],
)
def test_what_cannot_be_linted_is_one_error_line(
    cli: Cli, arguments: tuple[str, ...], message: str
) -> None:
    cli.ok("db", "upgrade")

    assert cli.refused("tools", "lint", *arguments).startswith(message)


def test_an_invalid_document_is_one_error_line(cli: Cli) -> None:
    path = cli.write_json("bad.json", {"name": "bad"})

    assert cli.refused("tools", "lint", path).startswith("Tool document 'bad' is invalid")


def test_define_stores_adapted_functions_and_refuses_only_impossible_ones(cli: Cli) -> None:
    cli.ok("db", "upgrade")
    adapted = http_tool_document("sizes", (function_doc("pick_size", SIZES),))

    cli.ok("tools", "define", cli.write_json("sizes.json", adapted))
    refusal = cli.refused("tools", "define", cli.write_json("shop.json", shop_document()))
    cli.ok("tools", "define", "--allow-incompatible", cli.write_json("shop.json", shop_document()))

    assert "never" in refusal
    assert "pick_size" not in refusal
    assert [tool["name"] for tool in cli.json("tools", "list")] == ["shop", "sizes"]
