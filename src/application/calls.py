"""The call pipeline: one path for every function call, whatever the tool's kind.

validate the arguments against the stored schema -> take the binding's config
injection -> execute under a timeout -> scrub the binding's secret values from the
result -> JSON text for the LLM. Every failure becomes a :class:`CallResult` with
``ok=False`` and a message the LLM can read; no exception leaves :meth:`CallPipeline.call`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from domain.errors import InvalidArguments, NotFound, ToolFailure
from domain.injection import ConfigInjection
from domain.json_types import JsonObject, JsonValue
from domain.secrets import REDACTED
from domain.tools.kinds import ToolKind
from domain.toolset import AgentToolset, ToolsetFunction

logger = logging.getLogger(__name__)


class FunctionExecutor(Protocol):
    """Runs one function of one kind of tool (python, http, mcp)."""

    async def execute(
        self, function: ToolsetFunction, arguments: JsonObject, injection: ConfigInjection
    ) -> JsonValue:
        """Run ``function`` with validated ``arguments`` and its binding's ``injection``."""
        ...


@dataclass(frozen=True)
class CallResult:
    """What the LLM gets back from one call.

    Attributes:
        ok: False when the call failed (the output is then an error message).
        output: JSON text (or the function's own text), free of the binding's secrets.
    """

    ok: bool
    output: str


class CallPipeline:
    """Runs function calls of one agent's toolset.

    Args:
        executors: The executor for each tool kind the runtime supports.
        default_timeout_seconds: The timeout of functions that set none themselves.
    """

    def __init__(
        self, executors: Mapping[ToolKind, FunctionExecutor], default_timeout_seconds: float
    ) -> None:
        self._executors = dict(executors)
        self._default_timeout = default_timeout_seconds

    async def call(
        self, toolset: AgentToolset, name: str, arguments: JsonValue, call_id: str
    ) -> CallResult:
        """Run one call and describe its outcome for the LLM; never raises.

        Args:
            toolset: The session's toolset.
            name: The function the LLM called.
            arguments: The arguments it sent (parsed JSON).
            call_id: The LLM's id for the call (for the log line).

        Returns:
            The result text, or the error text, for the LLM.
        """
        started = time.monotonic()
        try:
            function = toolset.function(name)
        except NotFound as error:
            return CallResult(ok=False, output=str(error))
        injection = toolset.injection_for(function)
        result = await self._run(function, injection, arguments)
        result = CallResult(result.ok, scrub(result.output, injection.secret_values()))
        logger.info(
            "tool call agent=%s tool=%s version=%s function=%s call_id=%s "
            "duration_ms=%d outcome=%s",
            toolset.agent.id,
            function.tool.name,
            function.tool.version,
            function.name,
            call_id,
            (time.monotonic() - started) * 1000,
            "ok" if result.ok else "error",
        )
        return result

    async def _run(
        self, function: ToolsetFunction, injection: ConfigInjection, arguments: JsonValue
    ) -> CallResult:
        try:
            validated = function.schema.validate_arguments(arguments)
        except InvalidArguments as error:
            return CallResult(ok=False, output=str(error))
        executor = self._executors.get(function.tool.kind)
        if executor is None:
            return CallResult(ok=False, output=f"{function.name} cannot run in this runtime")
        timeout = self._timeout(function)
        try:
            async with asyncio.timeout(timeout):
                value = await executor.execute(function, validated, injection.for_call())
            return CallResult(ok=True, output=_as_text(value))
        except ToolFailure as failure:
            return CallResult(ok=False, output=str(failure))
        except TimeoutError:
            return CallResult(
                ok=False,
                output=f"{function.name} did not finish within {timeout:g} seconds; "
                "its outcome is unknown",
            )
        except Exception as error:
            logger.warning(
                "tool call failed: tool=%s function=%s error=%s",
                function.tool.name,
                function.name,
                type(error).__name__,
            )
            return CallResult(ok=False, output=f"{function.name} failed with an internal error")

    def _timeout(self, function: ToolsetFunction) -> float:
        own = function.tool.run.timeout_for(function.name)
        return self._default_timeout if own is None else own


def _as_text(value: JsonValue) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def scrub(text: str, secrets: Iterable[str]) -> str:
    """Replace every secret value in ``text``, raw or JSON-escaped, by a redaction mark.

    Args:
        text: What is about to reach the LLM.
        secrets: The secret values bound to the call.

    Returns:
        The text without any of the values.
    """
    for secret in sorted(set(secrets), key=len, reverse=True):
        if not secret:
            continue
        escaped = json.dumps(secret, ensure_ascii=False)[1:-1]
        ascii_escaped = json.dumps(secret)[1:-1]
        for form in {secret, escaped, ascii_escaped}:
            text = text.replace(form, REDACTED)
    return text
