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
SIZE_REASON = (
    "parameters.properties.size: enum holds integer values ([1, 2]): Gemini takes only "
    "string enum values; use strings, or drop the enum and say the values in the description"
)
TAGS_WARNING = (
    'parameters.properties.tags: an array without "items": the Gemini API has been reported '
    'to refuse it ("items: missing field"); give it an items schema'
)


def shop_document() -> dict[str, Any]:
    """A tool with one plain, one rejected and one warned function."""
    return http_tool_document(
        "shop",
        ("search", function_doc("pick_size", SIZES), function_doc("tag", TAGS)),
    )


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """A CLI whose database (not migrated) and files live in ``tmp_path``."""
    monkeypatch.chdir(tmp_path)
    return Cli(tmp_path)


def test_a_file_with_a_rejected_function_exits_1_with_the_reasons(cli: Cli) -> None:
    path = cli.write_json("shop.json", shop_document())

    result = cli("tools", "lint", path)

    assert result.exit_code == 1
    assert result.stderr == ""
    assert result.stdout.splitlines() == [
        f"Gemini realtime rejects 1 of 3 functions of tool 'shop' ({path})",
        "  search     accepted",
        "  pick_size  REJECTED",
        f"      {SIZE_REASON}",
        "  tag        accepted, 1 warning",
        f"      warning: {TAGS_WARNING}",
    ]
    assert not (cli.directory / "tool_platform.db").exists()


def test_the_json_shape(cli: Cli) -> None:
    path = cli.write_json("shop.json", shop_document())

    result = cli("tools", "lint", path, "--json")

    assert result.exit_code == 1
    assert json.loads(result.stdout) == {
        "tool": "shop",
        "version": None,
        "source": path,
        "target": "Gemini realtime",
        "accepted": False,
        "functions": [
            {"name": "search", "accepted": True, "reasons": [], "warnings": []},
            {"name": "pick_size", "accepted": False, "reasons": [SIZE_REASON], "warnings": []},
            {"name": "tag", "accepted": True, "reasons": [], "warnings": [TAGS_WARNING]},
        ],
    }


def test_a_yaml_document_on_stdin_that_gemini_accepts_exits_0(cli: Cli) -> None:
    document = http_tool_document("weather", ("get_forecast", "get_alerts"))

    output = cli.ok("tools", "lint", "-", input=yaml.safe_dump(document))

    assert output.splitlines() == [
        "Gemini realtime accepts all 2 functions of tool 'weather' (-)",
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
    assert [f["accepted"] for f in report["functions"]] == [True, False, True]
    assert cli("tools", "lint", "shop").stdout.startswith(
        "Gemini realtime rejects 1 of 3 functions of tool 'shop' (version 2)"
    )


def test_lint_checks_gemini_whatever_the_model_target(cli: Cli) -> None:
    cli.env["TOOL_PLATFORM_MODEL_TARGET"] = "any"

    result = cli("tools", "lint", cli.write_json("shop.json", shop_document()))

    assert result.exit_code == 1
    assert "pick_size  REJECTED" in result.stdout


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
