"""An ``mcp`` tool's functions as its server lists them, and how a new listing differs.

``tools define`` of an ``mcp`` document that lists no functions, and ``tools refresh``,
connect as the operator, list the server's tools and write them into the document
(``tool_functions_schema.functions`` in MCP form, ``run.annotations``): the document is
then checked like any other. Nothing here does I/O.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from application.ports.mcp import ListedMcpFunction
from domain.errors import BindingMisfit, InvalidToolDocument, Problem, ProblemsError
from domain.injection import ConfigInjection
from domain.json_types import JsonObject, render_path
from domain.secrets import Secret
from domain.tools.definition import ToolDefinition
from domain.tools.placeholders import Source, parse_template, placeholders
from domain.tools.run_specs import McpRunSpec, McpServerSpec

FUNCTIONS = ("tool_functions_schema", "functions")
ALLOWED = "run.server.allowed_functions"


@dataclass(frozen=True)
class Drift:
    """How a tool's functions changed between two versions.

    Attributes:
        added: Functions only the new version has.
        removed: Functions only the old version had.
        changed: Functions in both whose schema, description or annotations differ.
    """

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


def listing_injection(
    tool: ToolDefinition, server: McpServerSpec, secrets: Mapping[str, str]
) -> ConfigInjection:
    """What the operator gives a connection made to list ``tool``'s server.

    The server's URL, headers or environment may use config (the defaults of
    ``config_schema``'s properties fill them) and secrets (given by the operator for
    this listing only).

    Raises:
        BindingMisfit: When a secret given is not declared by the tool, a secret the
            server needs is not given, or a config value it needs has no default.
    """
    undeclared = sorted(name for name in secrets if name not in tool.secret_names)
    if undeclared:
        declared = ", ".join(tool.secret_names) or "none"
        raise BindingMisfit(
            f"tool {tool.name!r} declares no secret {', '.join(map(repr, undeclared))}; "
            f"its secrets are: {declared}"
        )
    empty = sorted(name for name, value in secrets.items() if not value)
    if empty:
        raise BindingMisfit(f"secret {empty[0]!r} has an empty value")
    used = _server_placeholders(server)
    missing = sorted({name for source, name in used if source is Source.SECRETS} - set(secrets))
    if missing:
        given = " ".join(f"--secret {name}" for name in missing)
        raise BindingMisfit(
            f"listing the functions of tool {tool.name!r} needs its server's secrets "
            f"{', '.join(map(repr, missing))}: give them with {given} (or --secrets-file); "
            "they are used for this connection only and never stored"
        )
    properties = tool.config_schema.get("properties", {})
    defaults = {
        name: member["default"]
        for name, member in properties.items()
        if isinstance(member, dict) and "default" in member
    }
    lacking = sorted({name for source, name in used if source is Source.CONFIG} - set(defaults))
    if lacking:
        raise BindingMisfit(
            f"listing the functions of tool {tool.name!r} needs config "
            f"{', '.join(map(repr, lacking))} for its server, and config_schema gives it no "
            "default: add one, or list the functions in the document"
        )
    return ConfigInjection(
        agent_id="",
        binding_id="",
        tool_name=tool.name,
        tool_version=tool.version,
        config=defaults,
        secrets={name: Secret(value) for name, value in secrets.items()},
    )


def with_listing(
    tool: ToolDefinition, spec: McpRunSpec, listed: Sequence[ListedMcpFunction]
) -> JsonObject:
    """Return ``tool``'s document with the listed functions in place of its own.

    The listing is filtered by ``allowed_functions``; each function keeps its
    ``inputSchema`` as the server wrote it (MCP dialect, ``$schema`` honoured) and its
    annotations go to ``run.annotations``. Functions ``tool`` already has keep their
    place, new ones follow in the server's order: a server that only reorders its
    list changes nothing.

    Raises:
        InvalidToolDocument: When ``allowed_functions`` names a function the server
            does not offer, or nothing is left to offer.
    """
    offered = [function.name for function in listed]
    allowed = spec.server.allowed_functions
    known = {name: index for index, name in enumerate(tool.function_names)}
    kept = sorted(
        (f for f in listed if allowed is None or f.name in allowed),
        key=lambda f: known.get(f.name, len(known)),
    )
    problems = [
        Problem(
            ALLOWED,
            f"{name!r} is not offered by the server; it offers: {', '.join(offered) or 'nothing'}",
        )
        for name in allowed or ()
        if name not in offered
    ]
    if not kept and not problems:
        problems.append(Problem(render_path(FUNCTIONS), "the server offers no function to store"))
    if problems:
        raise InvalidToolDocument(f"Tool {tool.name!r} cannot be listed", problems)
    document = tool.content()
    document["tool_functions_schema"] = {
        "functions": [
            {
                "name": function.name,
                "description": function.description,
                "inputSchema": copy.deepcopy(function.input_schema),
            }
            for function in kept
        ]
    }
    hints = {function.name: function.annotations for function in kept}
    document["run"] = spec.model_copy(update={"annotations": hints}).model_dump(
        mode="json", by_alias=True
    )
    return document


def located_by_name(error: ProblemsError, document: JsonObject) -> ProblemsError:
    """Name the listed function in each problem's path instead of its position.

    ``tool_functions_schema.functions[2].parameters.x`` becomes
    ``tool_functions_schema.functions.search.parameters.x``: the author of the document
    never saw the positions, which are the server's order after filtering.
    """
    block = document.get("tool_functions_schema")
    functions = block.get("functions", []) if isinstance(block, dict) else []
    prefixes = {
        render_path((*FUNCTIONS, index)): render_path((*FUNCTIONS, str(function["name"])))
        for index, function in enumerate(functions)
        if isinstance(function, dict)
    }
    problems = [_renamed(problem, prefixes) for problem in error.problems]
    summary = (
        f"{error.summary} as its server lists it "
        "(run.server.allowed_functions can leave a function out)"
    )
    return type(error)(summary, problems)


def drift(before: ToolDefinition, after: ToolDefinition) -> Drift:
    """Say which functions ``after`` added, removed or changed compared to ``before``."""
    old = {function.name: function for function in before.functions}
    new = {function.name: function for function in after.functions}
    changed = tuple(
        name
        for name in new
        if name in old
        and (
            new[name].to_dict() != old[name].to_dict()
            or _hints(after, name) != _hints(before, name)
        )
    )
    return Drift(
        added=tuple(name for name in new if name not in old),
        removed=tuple(name for name in old if name not in new),
        changed=changed,
    )


def _hints(tool: ToolDefinition, name: str) -> object:
    run = tool.run
    return run.annotations.get(name) if isinstance(run, McpRunSpec) else None


def _renamed(problem: Problem, prefixes: Mapping[str, str]) -> Problem:
    for prefix, named in prefixes.items():
        if problem.path == prefix or problem.path.startswith((prefix + ".", prefix + "[")):
            return Problem(named + problem.path[len(prefix) :], problem.message, problem.location)
    return problem


def _server_placeholders(server: McpServerSpec) -> set[tuple[Source, str]]:
    templates = [server.url or "", *server.headers.values(), *server.env.values()]
    return {
        (placeholder.source, placeholder.name)
        for template in templates
        for placeholder in placeholders(parse_template(template))
        if placeholder.name is not None
    }
