"""``agents toolset``: each function with the schema Gemini is offered and the stored one."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.builders import function_doc, python_tool_document
from tests.integration.cli.support import Cli

SIZES = {
    "type": "object",
    "properties": {"size": {"type": "integer", "enum": [1, 2]}},
    "required": ["size"],
}


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """A CLI on SQLite in ``tmp_path``, agent ``desk`` bound to ``shop`` (an integer enum)."""
    monkeypatch.chdir(tmp_path)
    runner = Cli(tmp_path)
    runner.ok("db", "upgrade")
    shop = python_tool_document("shop", {"pick": "echo"}, functions=[function_doc("pick", SIZES)])
    runner.ok("tools", "define", runner.write_json("shop.json", shop))
    runner.ok("agents", "create", "desk")
    runner.ok("agents", "bind", "desk", "shop")
    return runner


def test_the_json_shows_the_offered_and_the_stored_schema(cli: Cli) -> None:
    [function] = cli.json("agents", "toolset", "desk")["functions"]

    offered_size = {"type": "string", "enum": ["1", "2"]}
    assert function["offered_schema"]["parameters"]["properties"]["size"] == offered_size
    assert function["stored_schema"]["parameters"] == SIZES
    assert {key: function[key] for key in ("name", "description", "parameters")} == function[
        "offered_schema"
    ]


def test_the_text_shows_what_the_model_sees_and_says_it_was_adapted(cli: Cli) -> None:
    output = cli.ok("agents", "toolset", "desk")

    assert '"1"' in output  # the token the model sees; the stored enum holds the integer 1
    assert "(adapted for the model; --json shows offered_schema and stored_schema)" in output


def test_with_any_target_the_stored_schema_is_offered(cli: Cli) -> None:
    cli.env["TOOL_PLATFORM_MODEL_TARGET"] = "any"

    [function] = cli.json("agents", "toolset", "desk")["functions"]

    assert function["offered_schema"] == function["stored_schema"]
    assert function["parameters"] == SIZES
