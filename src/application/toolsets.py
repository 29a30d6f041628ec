"""Use case: load an agent's toolset for a session."""

from __future__ import annotations

import json
from collections.abc import Hashable, Iterable

from application.identity_memo import IdentityMemo
from application.lookup import unknown_agent
from application.ports import HandlerCheck, ModelCompatibility, UnitOfWorkFactory
from domain.bindings import AgentToolBinding
from domain.errors import BindingMisfit
from domain.json_types import JsonObject
from domain.schema.descriptions import description_problems
from domain.schema.function_schema import FunctionSchema
from domain.schema.limits import DEFAULT_LIMITS, SchemaLimits
from domain.tools.definition import ToolDefinition
from domain.tools.kinds import ToolKind
from domain.toolset import AgentToolset
from domain.toolset_resolution import fitted_config, resolve_toolset

FittedConfig = JsonObject | str
"""A binding's config fitted to a tool version, or why it does not fit (``BindingMisfit``'s
message: the exception itself is not kept, its traceback would hold the binding)."""


class ToolsetLoader:
    """Loads what an agent's session offers: every enabled binding, at its tool's latest version.

    A binding that no longer fits that version, a function of a kind no executor of
    the runtime runs, a function whose descriptions today's limits refuse (stored
    before the limits were lowered; the model would read them in every session), a
    function the target model would reject, and a handler outside the allowlist are each
    left out with a reason; the load itself never fails because of one of them. So the
    model is never offered a function that could only fail.

    Args:
        unit_of_work: Opens transactions over the repositories.
        compatibility: The target model's compatibility check.
        handlers: Decides whether ``python`` handlers may run (the operator's allowlist).
        runnable_kinds: The kinds of tool the runtime has executors for.
        limits: The limits in force (the description lengths are checked here).
        verdicts: The verdicts already reached, by stored function (shared by the
            loaders of a process with these settings; a memo of its own when None).
        fits: The binding configs already fitted, by stored tool version and config
            (shared like ``verdicts``; a memo of its own when None).
    """

    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        compatibility: ModelCompatibility,
        handlers: HandlerCheck,
        runnable_kinds: Iterable[ToolKind],
        limits: SchemaLimits = DEFAULT_LIMITS,
        *,
        verdicts: IdentityMemo[str | None] | None = None,
        fits: IdentityMemo[FittedConfig] | None = None,
    ) -> None:
        self._unit_of_work = unit_of_work
        self._compatibility = compatibility
        self._handlers = handlers
        self._runnable_kinds = frozenset(runnable_kinds)
        self._limits = limits
        self._verdicts: IdentityMemo[str | None] = IdentityMemo() if verdicts is None else verdicts
        self._fits: IdentityMemo[FittedConfig] = IdentityMemo() if fits is None else fits

    async def load(self, agent_reference: str) -> AgentToolset:
        """Return the toolset of the agent with this id or name.

        Raises:
            NotFound: When no agent has that id or name.
        """
        async with self._unit_of_work(read_only=True) as uow:
            found = await uow.bindings.load_agent_toolset(agent_reference)
        if found is None:
            raise unknown_agent(agent_reference)
        agent, bound = found
        return resolve_toolset(agent, bound, self._refusal, self._fitted)

    def _fitted(self, binding: AgentToolBinding, tool: ToolDefinition) -> JsonObject:
        # Validating a config against its tool's config_schema is the costliest step left
        # per binding, and its outcome depends only on the (shared, immutable) tool
        # version and what the binding holds: reached once, found again on every load.
        fitted = self._fits.get_or_make(
            (tool,), lambda: _fit_outcome(binding, tool), key=_fit_key(binding)
        )
        if isinstance(fitted, str):
            raise BindingMisfit(fitted)
        return fitted

    def _refusal(self, tool: ToolDefinition, function: FunctionSchema) -> str | None:
        if tool.kind not in self._runnable_kinds:
            return f"{tool.kind} tools cannot run here yet: no executor of this runtime runs them"
        # Stored versions are shared objects (read once per process): check each once.
        return self._verdicts.get_or_make((tool, function), lambda: self._verdict(tool, function))

    def _verdict(self, tool: ToolDefinition, function: FunctionSchema) -> str | None:
        too_long = description_problems(function, self._limits, function.name)
        if too_long:
            return (
                "its descriptions are longer than today's limits allow ("
                + "; ".join(map(str, too_long))
                + "); define the tool again with shorter ones"
            )
        handler = self._handlers.refusal(tool, function.name)
        if handler:
            return handler
        verdict = self._compatibility.check(function)
        if verdict.accepted:
            return None
        return f"{self._compatibility.target} would reject it: " + "; ".join(verdict.reasons)


def _fit_outcome(binding: AgentToolBinding, tool: ToolDefinition) -> FittedConfig:
    try:
        return fitted_config(binding, tool)
    except BindingMisfit as misfit:
        return str(misfit)


def _fit_key(binding: AgentToolBinding) -> Hashable:
    """What :func:`fitted_config` reads of a binding: its config, secret names, allowlist."""
    return (
        json.dumps(binding.config, sort_keys=True) if binding.config else "{}",
        binding.secret_names,
        binding.functions,
    )
