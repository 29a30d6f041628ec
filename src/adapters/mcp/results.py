"""What of an MCP ``tools/call`` result the model gets.

- ``isError``: a :class:`~domain.errors.ToolFailure` (``tool_error``) with the server's
  text;
- ``structuredContent``, when present: that JSON value (the text items of such a result
  repeat it as text, so they are not sent twice);
- otherwise the content items, one after another: text as it is; an image, audio or an
  embedded binary resource as one line naming its type and size (a voice model cannot
  use the bytes); an embedded text resource as its text; a resource link by name and URI.
"""

from __future__ import annotations

from mcp import types

from domain.errors import ToolFailure
from domain.json_types import JsonValue

NO_CONTENT = "(the tool returned no content)"


def model_output(result: types.CallToolResult) -> JsonValue:
    """The model's view of ``result``.

    Raises:
        ToolFailure: When the server says the call failed (``isError``), with its text.
    """
    if result.is_error:
        text = "\n".join(_described(item) for item in result.content).strip()
        raise ToolFailure(text or "the tool reported an error without saying why")
    if result.structured_content is not None:
        structured: JsonValue = result.structured_content
        return structured
    text = "\n".join(_described(item) for item in result.content)
    return text if result.content else NO_CONTENT


def _described(item: types.ContentBlock) -> str:
    if isinstance(item, types.TextContent):
        return item.text
    if isinstance(item, types.ImageContent | types.AudioContent):
        kind = "image" if isinstance(item, types.ImageContent) else "audio"
        return f"[{kind}: {item.mime_type}, {_size(item.data)}]"
    if isinstance(item, types.ResourceLink):
        return f"[resource link: {item.name} <{item.uri}>]"
    resource = item.resource
    if isinstance(resource, types.TextResourceContents):
        return resource.text
    mime = resource.mime_type or "application/octet-stream"
    return f"[embedded resource {resource.uri}: {mime}, {_size(resource.blob)}]"


def _size(base64_data: str) -> str:
    """The size of base64 data once decoded, without decoding it."""
    data = base64_data.strip()
    decoded = len(data) * 3 // 4 - (data.endswith("=") + data.endswith("=="))
    return f"{decoded:,} bytes"
