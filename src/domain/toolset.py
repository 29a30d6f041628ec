"""``AgentToolset``: an agent's resolved functions for one session."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from domain.agents import VoiceAgent
from domain.errors import NotFound
from domain.injection import ConfigInjection
from domain.schema.function_schema import FunctionSchema
from domain.tools.definition import ToolDefinition


@dataclass(frozen=True)
class ToolsetFunction:
    """One function the agent's LLM sees, and where it comes from.

    Attributes:
        schema: What the LLM sees.
        tool: The tool version loaded for this session (kept for the whole session).
        binding_id: The binding whose config and secrets the function runs with.
    """

    schema: FunctionSchema
    tool: ToolDefinition
    binding_id: str

    @property
    def name(self) -> str:
        """The function's name."""
        return self.schema.name


@dataclass(frozen=True)
class LeftOut:
    """A binding, or one function of it, that the session starts without.

    Attributes:
        tool_name: The tool.
        binding_id: The binding.
        reason: Why, in words an operator can act on.
        function: The function left out; None when the whole binding is.
    """

    tool_name: str
    binding_id: str
    reason: str
    function: str | None = None

    def __str__(self) -> str:
        what = f"{self.tool_name}.{self.function}" if self.function else self.tool_name
        return f"{what}: {self.reason}"


@dataclass(frozen=True)
class AgentToolset:
    """The functions an agent's session offers, with what each needs at call time.

    Attributes:
        agent: The agent.
        functions: The functions, with unique names, in a deterministic order.
        injections: Binding id -> its config injection (one per binding).
        left_out: What was left out, with reasons.
    """

    agent: VoiceAgent
    functions: tuple[ToolsetFunction, ...]
    injections: Mapping[str, ConfigInjection] = field(default_factory=dict)
    left_out: tuple[LeftOut, ...] = ()

    def __post_init__(self) -> None:
        names = [function.name for function in self.functions]
        if len(set(names)) != len(names):
            raise ValueError("function names in a toolset must be unique")
        if any(function.binding_id not in self.injections for function in self.functions):
            raise ValueError("every function of a toolset needs its binding's injection")
        object.__setattr__(self, "injections", MappingProxyType(dict(self.injections)))

    @property
    def function_names(self) -> tuple[str, ...]:
        """The names the LLM can call."""
        return tuple(function.name for function in self.functions)

    def function(self, name: str) -> ToolsetFunction:
        """Return the function called ``name``.

        Raises:
            NotFound: When the toolset offers no such function.
        """
        for function in self.functions:
            if function.name == name:
                return function
        known = ", ".join(self.function_names) or "none"
        raise NotFound(f"unknown function {name!r}; available: {known}")

    def injection_for(self, function: ToolsetFunction) -> ConfigInjection:
        """Return the config injection of the binding ``function`` belongs to."""
        return self.injections[function.binding_id]
