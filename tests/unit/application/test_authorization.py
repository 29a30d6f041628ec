"""The one permission table: what API key scopes grant, what users may do, owner isolation."""

from __future__ import annotations

import pytest

from application.authorization import KEY_SCOPES, Action, authorize, owns
from application.principals import Principal, PrincipalKind
from domain.agents import VoiceAgent
from domain.api_keys import Scope
from domain.errors import Forbidden, NotFound


def key(*scopes: Scope) -> Principal:
    return Principal(PrincipalKind.API_KEY, "0123456789ab", "k", frozenset(scopes))


def user(user_id: str) -> Principal:
    return Principal(PrincipalKind.USER, user_id, user_id)


def owned_by(owner: str | None) -> VoiceAgent:
    return VoiceAgent("agent-1", "front-desk", owner_id=owner)


@pytest.mark.parametrize("action", list(Action))
def test_admin_may_do_everything(action: Action) -> None:
    authorize(key(Scope.ADMIN), action, owned_by("someone"))


@pytest.mark.parametrize(
    ("scope", "allowed"),
    [
        (Scope.TOOLS_WRITE, {Action.READ_CATALOG, Action.WRITE_TOOLS, Action.RENDER_TEST}),
        (Scope.AGENTS_WRITE, {Action.READ_CATALOG, Action.MANAGE_AGENTS}),
        (Scope.CALLS_READ, {Action.READ_CATALOG, Action.READ_CALLS}),
        (Scope.TOOLS_EXECUTE, {Action.READ_CATALOG, Action.RENDER_TEST, Action.EXECUTE_TEST}),
    ],
)
def test_each_scope_grants_its_row_of_the_table(scope: Scope, allowed: set[Action]) -> None:
    for action in Action:
        if action in allowed:
            authorize(key(scope), action)
        else:
            with pytest.raises(Forbidden, match="needs the scope"):
                authorize(key(scope), action)


def test_the_table_names_every_action() -> None:
    assert set(KEY_SCOPES) == set(Action)


def test_a_user_never_writes_tools() -> None:
    with pytest.raises(Forbidden, match="API key"):
        authorize(user("u1"), Action.WRITE_TOOLS)


@pytest.mark.parametrize("action", sorted(set(Action) - {Action.WRITE_TOOLS}))
def test_a_user_acts_on_their_own_agents_only(action: Action) -> None:
    authorize(user("u1"), action, owned_by("u1"))

    with pytest.raises(NotFound, match="'front-desk'"):
        authorize(user("u1"), action, owned_by("u2"), asked_as="front-desk")
    with pytest.raises(NotFound):
        authorize(user("u1"), action, owned_by(None))


def test_listings_show_a_user_their_own_agents_and_a_key_every_agent() -> None:
    mine, theirs = owned_by("u1"), owned_by("u2")

    assert owns(user("u1"), mine)
    assert not owns(user("u1"), theirs)
    assert owns(key(Scope.AGENTS_WRITE), theirs)
