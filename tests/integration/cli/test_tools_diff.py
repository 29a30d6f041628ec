"""``tool-platform tools diff NAME FROM TO``: the API's diff, on the command line."""

from __future__ import annotations

from tests.builders import python_tool_document
from tests.integration.cli.support import Cli


def test_diff_lists_each_change_by_path(cli: Cli) -> None:
    document = python_tool_document("weather", {"echo": "echo"})
    cli.ok("tools", "define", cli.write_json("v1.json", document | {"description": "One."}))
    cli.ok("tools", "define", cli.write_json("v2.json", document | {"description": "Two."}))

    shown = cli.json("tools", "diff", "weather", "1", "2")
    text = cli.ok("tools", "diff", "weather", "1", "2")
    same = cli.ok("tools", "diff", "weather", "2", "2")

    assert shown == {
        "name": "weather",
        "from_version": 1,
        "to_version": 2,
        "changes": [{"path": "description", "kind": "changed", "before": "One.", "after": "Two."}],
    }
    assert text.strip() == 'description: "One." -> "Two."'
    assert "same content" in same
    assert "version 9" in cli.refused("tools", "diff", "weather", "1", "9")
