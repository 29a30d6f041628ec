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
    transport: str | None = None
    server: str | None = None
    env: dict[str, str] | None = None
    tool: str | None = None
    arguments: Any = None


class Execution(BaseModel):
    """A real call's outcome, as the model gets it (secrets scrubbed, cut to size)."""

    ok: bool
    status: str
    output: str
    repeated: bool


class ModelSettingsBody(BaseModel):
    """An agent's model settings; null leaves the model's own default."""

    model: str | None = None
    voice: str | None = None
    temperature: float | None = None


class AgentCreate(BaseModel):
    """A new agent. A user's agents are theirs: ``owner_id`` is theirs or left out."""

    model_config = ConfigDict(extra="forbid")

    name: str
    instructions: str = ""
    model: ModelSettingsBody = Field(default_factory=ModelSettingsBody)
    owner_id: str | None = None


class AgentUpdate(BaseModel):
    """Fields to change; each one left out keeps its stored value."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    instructions: str | None = None
    model: str | None = None
    voice: str | None = None
    temperature: float | None = None


class AgentOut(BaseModel):
    """An agent, as ``agents list --json`` shows it."""

    id: str
    name: str
    instructions: str
    model: ModelSettingsBody
    owner_id: str | None
    needs_attention: str | None


class LeftOutFunction(BaseModel):
    """A function of a binding its agent's session goes without, and why."""

    function: str | None
    reason: str


class BindingOut(BaseModel):
    """A binding: its config, allowlist and the names of its secrets (never a value)."""

    id: str
    tool: str
    enabled: bool
    config: dict[str, Any]
    functions: list[str] | None
    secret_names: list[str]
    created_at: str
    left_out: list[LeftOutFunction]


class AgentDetailsOut(BaseModel):
    """An agent with its bindings, as ``agents show --json`` shows it."""

    agent: AgentOut
    bindings: list[BindingOut]


class BindingPut(BaseModel):
    """A binding to create or change.

    Its config (validated against the tool's ``config_schema``), function allowlist and
    state; and, when it is created, its secrets.
    """

    model_config = ConfigDict(extra="forbid")

    config: dict[str, Any] = Field(default_factory=dict)
    functions: list[str] | None = None
    enabled: bool = True
    secrets: dict[str, str] = Field(
        default_factory=dict,
        description="Only when the binding is created (write-only); later, use "
        "PUT .../secrets/{name}.",
    )


class BindingPatch(BaseModel):
    """Enable or disable a binding."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool


class SecretValue(BaseModel):
    """A secret's new value (write-only: no response ever holds it)."""

    model_config = ConfigDict(extra="forbid")

    value: str = Field(min_length=1)


class SecretStateOut(BaseModel):
    """Whether a secret is set and since when; never its value."""

    required: bool
    set: bool
    updated_at: str | None


class CallSummary(BaseModel):
    """One recorded call, as ``calls list --json`` shows it."""

    id: str
    started_at: str
    agent_id: str
    session_id: str
    llm_call_id: str
    tool: str | None
    tool_version: int | None
    kind: str | None
    function: str
    outcome: str
    repeated: bool
    duration_ms: float
    error: str | None


class CallDetails(CallSummary):
    """One recorded call in full (secrets masked), as ``calls show --json`` shows it."""

    binding_id: str | None
    details: dict[str, Any]
    payloads: str
    arguments: Any = None
    result: Any = None


class FunctionStatsOut(BaseModel):
    """One function's calls: how many, errors, the error rate, duration percentiles."""

    tool: str | None
    function: str
    count: int
    errors: int
    error_rate: float
    p50_ms: float
    p95_ms: float
    p99_ms: float


class CallStats(BaseModel):
    """Call statistics per function, as ``calls stats --json`` shows them."""

    since: str | None
    functions: list[FunctionStatsOut]


class RefreshRequest(BaseModel):
    """Refreshing an ``mcp`` tool.

    The secrets its server needs to be listed (used for that connection only, never
    stored), and whether to store functions the model would reject.
    """

    model_config = ConfigDict(extra="forbid")

    secrets: dict[str, str] = Field(default_factory=dict)
    allow_incompatible: bool = False


class RefreshResult(BaseModel):
    """The drift since the latest version, and the tool's version after the refresh."""

    added: list[str]
    removed: list[str]
    changed: list[str]
    version: int
