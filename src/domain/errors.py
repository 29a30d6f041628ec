"""Every error the domain raises.

Each error carries a message meant for the person (or the LLM) who has to act on it.
No error message ever contains a secret value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from domain.call_status import CallStatus
from domain.json_types import JsonPath


class DomainError(Exception):
    """Base class of every error the platform raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a document, located by its JSON path.

    Attributes:
        path: Where the problem is, as a dotted JSON path (``parameters.properties.x``).
        message: What is wrong, in words.
        location: The same place as keys and indexes, when it is in a validated value
            (so it can be named again in another shape; see ``ToolSession``).
    """

    path: str
    message: str
    location: JsonPath | None = field(default=None, compare=False, repr=False)

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class ProblemsError(DomainError):
    """An error made of one or more located problems."""

    def __init__(self, summary: str, problems: Sequence[Problem]) -> None:
        self.summary = summary
        self.problems = tuple(problems)
        super().__init__(self._render())

    def _render(self) -> str:
        if len(self.problems) == 1:
            return f"{self.summary}: {self.problems[0]}"
        lines = "\n".join(f"  - {problem}" for problem in self.problems)
        return f"{self.summary}:\n{lines}"


class InvalidSchema(ProblemsError):
    """A function schema breaks JSON Schema or the platform's rules."""


class InvalidToolDocument(ProblemsError):
    """A tool document is malformed: fields, templates, handlers or its functions."""


class InvalidConfig(ProblemsError):
    """A binding's configuration does not satisfy the tool's ``config_schema``."""


class InvalidArguments(ProblemsError):
    """Arguments sent for a function call do not satisfy its schema.

    The message names every failing field and rule in words an LLM can act on.
    """


class InvalidAgent(DomainError):
    """An agent's fields break a rule (name length, temperature range, blank settings)."""


class NotFound(DomainError):
    """A named thing (tool, version, agent, binding) does not exist."""


class Conflict(DomainError):
    """A change would break a uniqueness rule (names, bindings, function names)."""


class BindingRefused(DomainError):
    """A binding cannot be made or changed as asked."""


class BindingMisfit(DomainError):
    """A binding does not fit its tool: config, secrets or allowlisted functions."""


class HandlerNotAllowed(DomainError):
    """A ``python`` tool names a handler outside the operator's allowlist."""


class IncompatibleWithModel(ProblemsError):
    """The target model would reject one or more functions of a tool."""


class InvalidOpenApiDocument(DomainError):
    """A document given to the OpenAPI import is not one it can read, or asks for nothing."""


class ToolFailure(DomainError):
    """A call failed; its message is meant for the LLM.

    Handlers raise it (code tools raise LiveKit's ``ToolError``, which the executor
    turns into this) to tell the model what went wrong; executors raise it with the
    ``status`` that names the kind of failure. Secret values are scrubbed from the
    message like from any output.

    Args:
        message: What went wrong, for the model.
        status: How the call ended (``tool_error`` for a handler's own refusal).
        retry_after_seconds: When the upstream said a retry may help (``Retry-After``).
    """

    def __init__(
        self,
        message: str,
        *,
        status: CallStatus = CallStatus.TOOL_ERROR,
        retry_after_seconds: float | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after_seconds = retry_after_seconds


class VersionConflict(Conflict):
    """Another writer stored the same tool version first; the caller may retry."""


class SecretUnreadable(DomainError):
    """A stored secret cannot be decrypted: unknown key, wrong key, or moved ciphertext."""


class StorageUnavailable(DomainError):
    """The storage cannot be reached or used right now (down, locked, misconfigured)."""


class StoredToolUnreadable(DomainError):
    """A stored tool breaks today's settings or rules (they were looser when it was defined).

    Attributes:
        name: The tool's name.
        version: The stored version that cannot be read.
    """

    def __init__(self, message: str, name: str, version: int) -> None:
        super().__init__(message)
        self.name = name
        self.version = version


class InvalidApiKey(DomainError):
    """An API key's name or scopes break a rule."""


class Unauthenticated(DomainError):
    """No credential was given, or the one given is not valid (unknown, expired, revoked)."""


class Forbidden(DomainError):
    """The caller is known but may not do this (a missing scope, a user's limits)."""


class PreconditionFailed(DomainError):
    """A conditional change found the resource in another state than the caller expected."""


class BindingConfigRefused(InvalidConfig, BindingRefused):
    """A binding is refused because its config breaks the tool's ``config_schema``.

    Each problem is located (the config key's path), as :class:`InvalidConfig` does.
    """


class InvalidCallQuery(DomainError):
    """A call audit query is malformed: a time or duration, an outcome, a limit."""


class McpServerUnavailable(DomainError):
    """An MCP server could not be connected; the message says why, in one line.

    The server is down, refused the credentials, failed or hung at start, or its stdio
    command is not one of the operator's. The message is for the operator (logs, the
    command line) and holds no secret value.
    """
