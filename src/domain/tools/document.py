"""Reading a tool document: the seed's JSON shape plus the platform's own fields.

A document looks like this (``docs/tool-documents.md`` has the full reference)::

    {"name": "weather", "display_name": "Weather", "description": "...",
     "kind": "http", "config_schema": {...}, "auth_type": "api_key", "auth_config": {},
     "secret_names": ["api_key"],
     "tool_functions_schema": {"functions": [{"name", "description", "parameters"}]},
     "run": {"requests": {"get_forecast": {"method": "GET", "url": "..."}}},
     "call_policy": {"get_forecast": {"side_effects": "none"}},
     "version": 3, "fingerprint": "sha256:..."}

Functions may be written in any dialect :meth:`FunctionSchema.from_dict` reads;
``version`` and ``fingerprint`` are optional on input (the catalog assigns the version
and the fingerprint is always recomputed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from domain.errors import InvalidSchema, InvalidToolDocument, Problem
from domain.json_types import render_path
from domain.pydantic_problems import pydantic_problems
from domain.schema.function_schema import FunctionSchema, import_function
from domain.schema.limits import DEFAULT_LIMITS, SchemaLimits
from domain.tools.call_policy import FunctionCallPolicy
from domain.tools.definition import EMPTY_CONFIG_SCHEMA, RUN_SPECS, ToolDefinition
from domain.tools.kinds import ToolKind


class _FunctionsBlock(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    functions: list[dict[str, Any]] = Field(default_factory=list)


class _Document(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    name: str
    display_name: str | None = None
    description: str = ""
    kind: Literal["python", "http", "mcp"]
    config_schema: dict[str, Any] | None = None
    auth_type: str | None = None
    auth_config: dict[str, Any] | None = None
    secret_names: list[str] = Field(default_factory=list)
    tool_functions_schema: _FunctionsBlock = Field(default_factory=_FunctionsBlock)
    run: dict[str, Any]
    call_policy: dict[str, FunctionCallPolicy] = Field(default_factory=dict)
    version: int | None = Field(default=None, ge=1)
    fingerprint: str | None = None
    id: Any = None
    created_at: Any = None
    updated_at: Any = None


@dataclass(frozen=True)
class ToolDocumentImport:
    """What reading one tool document produced.

    Attributes:
        tool: The tool definition.
        dropped_defaults: Paths of function ``default`` values dropped at import
            because their own schema rejects them.
    """

    tool: ToolDefinition
    dropped_defaults: tuple[str, ...]


def invalid_document_summary(document: Any) -> str:
    """The first words of an error about ``document``: the tool's name when it has one."""
    name = document.get("name") if isinstance(document, dict) else None
    return f"Tool document {name!r} is invalid" if name else "Tool document is invalid"


def read_tool_document(document: Any, limits: SchemaLimits = DEFAULT_LIMITS) -> ToolDocumentImport:
    """Read and check a tool document.

    Args:
        document: The parsed JSON (or YAML) document.
        limits: The schema limits in force.

    Returns:
        The tool and what its import dropped.

    Raises:
        InvalidToolDocument: Listing every problem with its path in the document.
    """
    summary = invalid_document_summary(document)
    try:
        fields = _Document.model_validate(document)
    except ValidationError as error:
        raise InvalidToolDocument(summary, pydantic_problems(error)) from None
    problems: list[Problem] = []
    functions: list[FunctionSchema] = []
    dropped: list[str] = []
    for index, data in enumerate(fields.tool_functions_schema.functions):
        where = render_path(("tool_functions_schema", "functions", index))
        try:
            imported = import_function(data, limits)
        except InvalidSchema as error:
            problems.extend(Problem(_join(where, p.path), p.message) for p in error.problems)
            continue
        functions.append(imported.schema)
        dropped.extend(_join(where, path) for path in imported.dropped_defaults)
    kind = ToolKind(fields.kind)
    try:
        run = RUN_SPECS[kind].model_validate(fields.run)
    except ValidationError as error:
        problems.extend(pydantic_problems(error, ("run",)))
    if problems:
        raise InvalidToolDocument(summary, problems)
    tool = ToolDefinition(
        name=fields.name,
        display_name=fields.display_name or fields.name,
        description=fields.description,
        kind=kind,
        functions=tuple(functions),
        run=run,
        config_schema=fields.config_schema or EMPTY_CONFIG_SCHEMA,
        secret_names=tuple(fields.secret_names),
        auth_type=fields.auth_type or "none",
        auth_config=fields.auth_config or {},
        call_policy=dict(fields.call_policy),
        version=fields.version or 1,
        limits=limits,
    )
    return ToolDocumentImport(tool, tuple(dropped))


def _join(prefix: str, path: str) -> str:
    return f"{prefix}.{path}" if path else prefix
