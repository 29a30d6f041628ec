"""Keep short notes for the caller.

A code-tool module written as tool authors write them: typed LiveKit function tools,
config from ``context.userdata``, secrets from ``tool_platform.secret``.

``add_note`` reads its config through ``current_injection()``, as every code tool did when
``tests/integration/storage/fixtures/schema_0001.db`` synced it: that fixture pins the
function's source (re-syncing it unchanged must write nothing), so its body stays as it
was synced there.
"""

from __future__ import annotations

from typing import Any

from livekit.agents import RunContext, ToolError, function_tool

from adapters.tool_context import current_injection
from tool_platform import secret

TOOL_DISPLAY_NAME = "Notes"
CONFIG_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"notebook": {"type": "string", "default": "inbox"}},
}
SECRET_NAMES = ["notes_token"]


@function_tool
async def add_note(text: str, pinned: bool = False) -> dict[str, Any]:
    """Add a note to the binding's notebook.

    Args:
        text: What to write down.
        pinned: Whether to pin the note.
    """
    if not text.strip():
        raise ToolError("a note needs some text")
    return {
        "notebook": current_injection().config["notebook"],
        "text": text,
        "pinned": pinned,
        "signed_with": secret("notes_token")[-4:],
    }


@function_tool
async def read_notebook(context: RunContext) -> str:
    """Read the binding's notebook name from the session's userdata."""
    return str(context.userdata.get("notebook"))


@function_tool
def count_words(text: str) -> int:
    """Count the words of a text (a plain def: it runs in a worker thread).

    Args:
        text: The text.
    """
    assert secret("notes_token")
    return len(text.split())
