"""The JSON bodies of the admin API, as pydantic models (its OpenAPI document shows them).

The shapes follow the CLI's ``--json`` ones (``entrypoints/commands/views.py``), which
build most of them: a binding shows its secret names, never a value.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Located(BaseModel):
    """One located message: a JSON path and what is said about it."""

    path: str
    message: str


class ToolSummary(BaseModel):
    """A tool's latest version in a listing, with what needs attention."""

    name: str
    display_name: str
    description: str
    kind: str | None
    version: int
    fingerprint: str | None
    functions: list[str]
    secret_names: list[str]
    needs_attention: str | None


class ToolList(BaseModel):
    """One page of tools, by name; ``next_cursor`` fetches the next (None on the last)."""

    items: list[ToolSummary]
    next_cursor: str | None


class ToolVersion(BaseModel):
    """One stored version of a tool."""

    version: int
    fingerprint: str
    functions: list[str]
    secret_names: list[str]


class DefineResult(BaseModel):
    """What storing a tool document did (``changed`` False: the content was the same)."""

    name: str
    version: int
    changed: bool
    fingerprint: str
    dropped_defaults: list[str]
    incompatible: list[Located]
    warnings: list[Located]


class Change(BaseModel):
    """One change between two versions of a tool document."""

    path: str
    kind: str = Field(description="added, removed or changed")
    before: Any = None
    after: Any = None


class ToolDiff(BaseModel):
    """Every change from one version of a tool to another."""

    name: str
    from_version: int
    to_version: int
    changes: list[Change]


class FunctionLint(BaseModel):
    """The Gemini realtime verdict on one function, and the schema it would be offered."""

    name: str
    category: str
    accepted: bool
    reasons: list[str]
    hints: list[str]
    warnings: list[str]
    as_stored: list[str]
    offered_schema: dict[str, Any] | None


class Validation(BaseModel):
    """A tool document checked, nothing saved: its problems, and what the model would see."""

    valid: bool
    errors: list[Located]
    target: str | None = None
    accepted: bool | None = None
    functions: list[FunctionLint] = []


class TestRunRequest(BaseModel):
    """A test run: a function, its arguments, and the agent whose binding it runs with.

    The binding gives the config and the secrets (masked in a rendering).
    """

    model_config = ConfigDict(extra="forbid")

    agent: str = Field(min_length=1, description="The agent's id or name.")
    function: str = Field(min_length=1, description="The function to call.")
    arguments: dict[str, Any] = Field(default_factory=dict)


class Guard(BaseModel):
    """What the outbound guard would decide for the request's address."""

    allowed: bool
    reason: str


class Rendering(BaseModel):
    """What a call would do, nothing sent.

    An HTTP request (secrets masked) and the guard's verdict, or a python handler, or
    an MCP server and tool.
    """

    kind: str
    method: str | None = None
    url: str | None = None
    headers: dict[str, str] | None = None
    body: Any = None
    guard: Guard | None = None
    handler: str | None = None
    server: str | None = None
    tool: str | None = None
    arguments: Any = None


class Execution(BaseModel):
    """A real call's outcome, as the model gets it (secrets scrubbed, cut to size)."""

    ok: bool
    status: str
    output: str
    repeated: bool
