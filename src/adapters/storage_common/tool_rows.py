"""A tool's stored columns: written from a definition, read back leniently."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.errors import InvalidToolDocument
from domain.schema.limits import SchemaLimits
from domain.tools.definition import ToolDefinition
from domain.tools.document import read_tool_document
from domain.tools.unreadable import UnreadableTool

CONTENT_COLUMNS = (
    "name",
    "display_name",
    "description",
    "kind",
    "config_schema",
    "auth_type",
    "auth_config",
    "secret_names",
    "tool_functions_schema",
    "run",
    "version",
)
"""The columns of a tool's latest row that make up its document."""

POLICY_IN_RUN = "call_policy"
"""The key of the ``run`` column that holds the document's ``call_policy`` (when set).

The policy is document content without a column of its own: it rides in the ``run``
JSON column, so no table changes for it, and is lifted back to the top when read.
"""


def tool_columns(tool: ToolDefinition) -> dict[str, Any]:
    """The latest row of ``tool``: its document's :data:`CONTENT_COLUMNS` and fingerprint."""
    document = tool.to_document()
    columns = {column: document[column] for column in (*CONTENT_COLUMNS, "fingerprint")}
    if "call_policy" in document:
        columns["run"] = {**columns["run"], POLICY_IN_RUN: document["call_policy"]}
    return columns


def _lifted_policy(document: Mapping[Any, Any]) -> dict[Any, Any]:
    """``document`` with a ``call_policy`` kept in its ``run`` column back at the top."""
    lifted = dict(document)
    run = lifted.get("run")
    if isinstance(run, dict) and POLICY_IN_RUN in run:
        lifted["run"] = {key: value for key, value in run.items() if key != POLICY_IN_RUN}
        lifted["call_policy"] = run[POLICY_IN_RUN]
    return lifted


def read_stored_tool(
    document: Mapping[Any, Any], limits: SchemaLimits
) -> ToolDefinition | UnreadableTool:
    """Read a stored tool document; one that today's limits or rules refuse comes back unreadable.

    Args:
        document: The stored document (or a row's :data:`CONTENT_COLUMNS`).
        limits: The schema limits in force today.
    """
    try:
        return read_tool_document(_lifted_policy(document), limits).tool
    except InvalidToolDocument as error:
        problems = "; ".join(str(problem) for problem in error.problems)
        return UnreadableTool(
            str(document.get("name")), int(document.get("version") or 0), problems or str(error)
        )


def readable(tool: ToolDefinition | UnreadableTool) -> ToolDefinition:
    """Return ``tool`` when it could be read.

    Raises:
        StoredToolUnreadable: When it could not, naming why and what to do.
    """
    if isinstance(tool, UnreadableTool):
        raise tool.error()
    return tool


def stored_function_names(tool_functions_schema: Any) -> list[str]:
    """The function names of a stored ``tool_functions_schema``, read without checking it."""
    functions = (
        tool_functions_schema.get("functions") if isinstance(tool_functions_schema, dict) else None
    )
    return [
        function["name"]
        for function in (functions if isinstance(functions, list) else ())
        if isinstance(function, dict) and isinstance(function.get("name"), str)
    ]
