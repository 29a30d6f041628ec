"""The one permission check of the admin API (docs/api.md has the same table).

An API key may do what its scopes grant (``admin`` grants everything). A signed-in
user reads the catalog and manages only the agents they own (``owner_id`` is their
user id): their bindings, secrets, test runs and calls; a user never writes tools.
Another owner's agent is answered as not found: its existence is not revealed.
"""

from __future__ import annotations

from enum import StrEnum

from application.principals import Principal, PrincipalKind
from domain.agents import VoiceAgent
from domain.api_keys import Scope
from domain.errors import Forbidden, NotFound


class Action(StrEnum):
    """What a request does, as the permission table names it."""

    READ_CATALOG = "read the tool catalog"
    WRITE_TOOLS = "create, change or delete tools"
    MANAGE_AGENTS = "create, read and change agents, their bindings and secrets"
    RENDER_TEST = "render a test run"
    EXECUTE_TEST = "execute a test run"
    READ_CALLS = "read the call audit"


KEY_SCOPES: dict[Action, frozenset[Scope]] = {
    Action.READ_CATALOG: frozenset(Scope),
    Action.WRITE_TOOLS: frozenset({Scope.TOOLS_WRITE}),
    Action.MANAGE_AGENTS: frozenset({Scope.AGENTS_WRITE}),
    Action.RENDER_TEST: frozenset({Scope.TOOLS_WRITE, Scope.TOOLS_EXECUTE}),
    Action.EXECUTE_TEST: frozenset({Scope.TOOLS_EXECUTE}),
    Action.READ_CALLS: frozenset({Scope.CALLS_READ}),
}
"""The scopes that grant each action to an API key (besides ``admin``)."""

USER_ACTIONS = frozenset(
    {
        Action.READ_CATALOG,
        Action.MANAGE_AGENTS,
        Action.RENDER_TEST,
        Action.EXECUTE_TEST,
        Action.READ_CALLS,
    }
)
"""What a signed-in user may do: all but writing tools, and on their own agents only."""


def authorize(
    principal: Principal,
    action: Action,
    agent: VoiceAgent | None = None,
    *,
    asked_as: str | None = None,
) -> None:
    """Allow ``principal`` to do ``action`` (on ``agent``, when it is about one), or refuse.

    Args:
        principal: The caller.
        action: What the request does.
        agent: The agent it is about; None for the catalog, or for listing and
            creating agents (a user's listings hold their own agents only, and the
            agents they create are theirs).
        asked_as: The id or name the caller gave for the agent (the not-found
            message repeats it, and nothing more).

    Raises:
        Forbidden: When the caller may not do this at all (the message names what
            would allow it).
        NotFound: When a user asks about an agent another owner has.
    """
    if principal.kind is PrincipalKind.API_KEY:
        granted = KEY_SCOPES[action] | {Scope.ADMIN}
        if not principal.scopes & granted:
            needed = " or ".join(sorted(scope.value for scope in granted))
            raise Forbidden(f"this API key may not {action}: it needs the scope {needed}")
        return
    if action not in USER_ACTIONS:
        raise Forbidden(f"users may not {action}: it needs an API key with a scope for it")
    if agent is not None and agent.owner_id != principal.user_id:
        raise NotFound(f"no agent has the id or name {(asked_as or agent.id)!r}")


def owns(principal: Principal, agent: VoiceAgent) -> bool:
    """Whether ``principal`` sees ``agent`` in listings: any API key, or its owner."""
    return principal.kind is PrincipalKind.API_KEY or agent.owner_id == principal.user_id
