"""What of an MCP tool result the model gets."""

from __future__ import annotations

import base64

import pytest
from mcp import types

from adapters.mcp.results import NO_CONTENT, model_output
from domain.call_status import CallStatus
from domain.errors import ToolFailure


def _encoded(size: int) -> str:
    return base64.b64encode(b"\x01" * size).decode("ascii")


@pytest.mark.parametrize("size", [0, 1, 2, 3, 1000, 1001])
def test_binary_items_are_one_line_with_their_decoded_size(size: int) -> None:
    result = types.CallToolResult(
        content=[
            types.AudioContent(data=_encoded(size), mime_type="audio/wav"),
            types.ImageContent(data=_encoded(size), mime_type="image/jpeg"),
        ]
    )

    assert model_output(result) == (
        f"[audio: audio/wav, {size:,} bytes]\n[image: image/jpeg, {size:,} bytes]"
    )


def test_text_items_are_joined_and_an_embedded_text_resource_gives_its_text() -> None:
    result = types.CallToolResult(
        content=[
            types.TextContent(text="first"),
            types.EmbeddedResource(
                resource=types.TextResourceContents(uri="file:///notes.txt", text="the notes")
            ),
            types.EmbeddedResource(
                resource=types.BlobResourceContents(uri="file:///raw", blob=_encoded(5))
            ),
        ]
    )

    assert model_output(result) == (
        "first\nthe notes\n[embedded resource file:///raw: application/octet-stream, 5 bytes]"
    )


def test_structured_content_wins_over_its_text_repetition() -> None:
    result = types.CallToolResult(
        content=[types.TextContent(text='{"n": 1}')], structured_content={"n": 1}
    )

    assert model_output(result) == {"n": 1}


def test_no_content_says_so() -> None:
    assert model_output(types.CallToolResult(content=[])) == NO_CONTENT


def test_is_error_is_a_tool_error_with_the_servers_text() -> None:
    result = types.CallToolResult(content=[types.TextContent(text="no such city")], is_error=True)

    with pytest.raises(ToolFailure) as failure:
        model_output(result)

    assert str(failure.value) == "no such city"
    assert failure.value.status is CallStatus.TOOL_ERROR


def test_is_error_without_text_still_says_it_failed() -> None:
    with pytest.raises(ToolFailure, match="the tool reported an error without saying why"):
        model_output(types.CallToolResult(content=[], is_error=True))
