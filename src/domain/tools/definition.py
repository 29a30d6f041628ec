"""``ToolDefinition``: a platform tool in the catalog."""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from domain.errors import InvalidConfig, InvalidToolDocument, NotFound, Problem
from domain.json_types import JsonObject
from domain.schema.function_schema import FunctionSchema
from domain.schema.instances import InstanceValidator
from domain.schema.limits import DEFAULT_LIMITS, SchemaLimits
from domain.schema.rules import object_schema_problems
from domain.tools.auth import OAUTH2_CLIENT_CREDENTIALS, auth_problems
from domain.tools.fingerprint import content_fingerprint
from domain.tools.kinds import ToolKind
from domain.tools.run_specs import HttpRunSpec, McpRunSpec, PythonRunSpec, RunSpec
from domain.tools.template_rules import (
    TemplateScope,
    http_problems,
    mcp_annotation_problems,
    mcp_problems,
    python_problems,
)

TOOL_NAME = re.compile(r"[a-z][a-z0-9_.-]{0,63}")
"""Tool names: lowercase, a letter first, then letters, digits, ``_ . -``; 64 at most."""

SECRET_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
"""Secret names: identifiers of at most 64 characters."""

EMPTY_CONFIG_SCHEMA: JsonObject = {"type": "object", "properties": {}}

RUN_SPECS: dict[ToolKind, type[RunSpec]] = {
    ToolKind.PYTHON: PythonRunSpec,
    ToolKind.HTTP: HttpRunSpec,
    ToolKind.MCP: McpRunSpec,
}


@dataclass(frozen=True)
class ToolDefinition:
    """A platform tool: its functions for the LLM, how it runs, and what a binding supplies.

    Construction checks the whole tool: names, unique function names, a valid
    ``config_schema``, secret names, and the run spec against the functions (every
    template placeholder names a declared parameter, config property or secret, and
    sits where it may).

    Attributes:
        name: The unique catalog name.
        display_name: The name a UI shows.
        description: What the tool is for.
        kind: ``python``, ``http`` or ``mcp``.
        functions: The functions the LLM can call (for ``mcp``, as last listed).
        run: How the functions run; its type matches ``kind``.
        config_schema: JSON Schema of a binding's config (a UI renders it as a form).
        secret_names: The secrets every binding must supply.
        auth_type: For an ``http`` tool, ``basic`` and ``oauth2_client_credentials``
            make the platform authenticate each request (:mod:`domain.tools.auth`);
            any other value, and every value of other kinds, is the seed's free-text
            label (``none``, ``api_key``...).
        auth_config: The auth settings (``token_url``, ``scopes``, ``audience`` for
            ``oauth2_client_credentials``); kept as given otherwise.
        version: Goes up by one whenever the content fingerprint changes.
        limits: The schema limits it was checked against (not part of its identity).

    Raises:
        InvalidToolDocument: Listing every problem with its path.
    """

    name: str
    display_name: str
    description: str
    kind: ToolKind
    functions: tuple[FunctionSchema, ...]
    run: RunSpec
    config_schema: JsonObject = field(default_factory=lambda: copy.deepcopy(EMPTY_CONFIG_SCHEMA))
    secret_names: tuple[str, ...] = ()
    auth_type: str = "none"
    auth_config: JsonObject = field(default_factory=dict)
    version: int = 1
    limits: SchemaLimits = field(default=DEFAULT_LIMITS, compare=False, repr=False)
    _config: InstanceValidator = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        problems = self._identity_problems()
        found, draft = object_schema_problems(self.config_schema, self.limits, "config_schema")
        problems.extend(found)
        if draft is not None and not found:
            problems.extend(self._run_problems())
        if problems or draft is None:
            raise InvalidToolDocument(f"Tool {self.name!r} is invalid", problems)
        object.__setattr__(self, "config_schema", copy.deepcopy(self.config_schema))
        validator = InstanceValidator(
            self.config_schema, draft, self.limits.max_argument_depth, "config"
        )
        object.__setattr__(self, "_config", validator)

    def _identity_problems(self) -> list[Problem]:
        problems = []
        if not isinstance(self.name, str) or not TOOL_NAME.fullmatch(self.name):
            problems.append(
                Problem(
                    "name",
                    "must be lowercase: a letter, then letters, digits, _ . - (64 at most)",
                )
            )
        if not isinstance(self.version, int) or self.version < 1:
            problems.append(Problem("version", "must be a positive integer"))
        names = [function.name for function in self.functions]
        problems.extend(
            Problem("tool_functions_schema.functions", f"function name {name!r} appears twice")
            for name in sorted({n for n in names if names.count(n) > 1})
        )
        if not names and self.kind is not ToolKind.MCP:
            problems.append(
                Problem("tool_functions_schema.functions", "must list at least one function")
            )
        problems.extend(
            Problem("secret_names", f"{name!r} is not an identifier of at most 64 characters")
            for name in self.secret_names
            if not SECRET_NAME.fullmatch(name)
        )
        if len(set(self.secret_names)) != len(self.secret_names):
            problems.append(Problem("secret_names", "lists a name twice"))
        if not isinstance(self.run, RUN_SPECS[self.kind]):
            problems.append(Problem("run", f"does not describe a {self.kind} tool"))
        return problems

    def _run_problems(self) -> list[Problem]:
        scope = TemplateScope(self.config_schema, self.secret_names, auth_type=self.auth_type)
        if isinstance(self.run, PythonRunSpec):
            return python_problems(self.run, self.functions)
        if isinstance(self.run, HttpRunSpec):
            return [
                *auth_problems(self.auth_type, self.auth_config, self.secret_names),
                *http_problems(self.run, self.functions, scope),
            ]
        return [
            *mcp_auth_problems(self),
            *mcp_problems(self.run, self.functions, scope),
            *mcp_annotation_problems(self.run, self.functions),
        ]

    @property
    def function_names(self) -> tuple[str, ...]:
        """The names of the tool's functions, in order."""
        return tuple(function.name for function in self.functions)

    def function(self, name: str) -> FunctionSchema:
        """Return the function called ``name``.

        Raises:
            NotFound: When the tool has no such function.
        """
        for function in self.functions:
            if function.name == name:
                return function
        raise NotFound(f"tool {self.name!r} has no function {name!r}")

    def validate_config(self, config: Mapping[str, Any]) -> JsonObject:
        """Check a binding's config against ``config_schema``; return it with defaults.

        Raises:
            InvalidConfig: Naming every failing key and its rule.
        """
        summary = f"Config for tool {self.name!r} (version {self.version}) is invalid"
        return self._config.validate(dict(config), InvalidConfig, summary)

    def content(self) -> JsonObject:
        """Return the tool document without bookkeeping (``version``, ``fingerprint``)."""
        return {
            "name": self.name,
            "display_name": self.display_name,
            "description": self.description,
            "kind": str(self.kind),
            "config_schema": copy.deepcopy(self.config_schema),
            "auth_type": self.auth_type,
            "auth_config": copy.deepcopy(self.auth_config),
            "secret_names": list(self.secret_names),
            "tool_functions_schema": {"functions": [f.to_dict() for f in self.functions]},
            "run": self.run.model_dump(mode="json", by_alias=True),
        }

    @property
    def fingerprint(self) -> str:
        """The hash of :meth:`content` as sorted-key JSON (run spec defaults left out)."""
        return content_fingerprint(self.content(), self.run)

    def to_document(self) -> JsonObject:
        """Return the tool document: its content, ``version`` and ``fingerprint``."""
        return {**self.content(), "version": self.version, "fingerprint": self.fingerprint}


def mcp_auth_problems(tool: ToolDefinition) -> list[Problem]:
    """An ``mcp`` tool's platform auth: OAuth client credentials, over HTTP transports only.

    Every other ``auth_type`` of an ``mcp`` tool stays a label (stored rows keep working).
    """
    if tool.auth_type != OAUTH2_CLIENT_CREDENTIALS or not isinstance(tool.run, McpRunSpec):
        return []
    problems = auth_problems(tool.auth_type, tool.auth_config, tool.secret_names)
    if tool.run.server.transport == "stdio":
        problems.append(
            Problem("auth_type", "OAuth client credentials apply to HTTP transports, not stdio")
        )
    return problems
