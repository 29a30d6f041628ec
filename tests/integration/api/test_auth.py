"""Authentication of the admin API: API keys (hashed, scoped, revocable) and users' JWTs."""

from __future__ import annotations

import pytest

from tests.integration.api.conftest import Api, bearer, user_token


async def test_health_answers_without_a_credential(api: Api) -> None:
    response = await api.client.get("/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_a_request_without_a_credential_is_a_401_problem(api: Api) -> None:
    response = await api.client.get("/tools")

    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"] == "Bearer"
    problem = response.json()
    assert problem["status"] == 401
    assert problem["type"].endswith("/unauthenticated")
    assert "credential" in problem["detail"]


async def test_an_api_key_authenticates_with_its_name_and_scopes(api: Api) -> None:
    key = await api.key("tools:write", "calls:read", name="ci-deployer")

    response = await api.client.get("/me", headers=bearer(key))

    assert response.status_code == 200
    me = response.json()
    assert (me["kind"], me["name"], me["scopes"]) == (
        "api_key",
        "ci-deployer",
        ["calls:read", "tools:write"],
    )
    assert key.startswith("tpk_")


async def test_only_the_hash_of_a_key_is_stored(api: Api) -> None:
    key = await api.key("admin", name="stored")

    [record] = await api.container.api_keys().list_all()

    assert key not in repr(record)
    assert key.split("_", 2)[2] not in record.key_hash
    assert len(record.key_hash) == 64


@pytest.mark.parametrize(
    "credential",
    ["tpk_000000000000_wrong", "tpk_", "not-a-key-nor-a-jwt", "Bearer", "a.b.c"],
)
async def test_an_unknown_or_malformed_credential_is_refused(api: Api, credential: str) -> None:
    await api.key("admin")

    response = await api.client.get("/me", headers=bearer(credential))

    assert response.status_code == 401


async def test_a_key_with_a_changed_secret_part_is_refused(api: Api) -> None:
    key = await api.key("admin")
    forged = key[:-1] + ("A" if key[-1] != "A" else "B")

    response = await api.client.get("/me", headers=bearer(forged))

    assert response.status_code == 401


async def test_a_revoked_key_is_refused_at_once(api: Api) -> None:
    key = await api.key("admin", name="leaving")
    assert (await api.client.get("/me", headers=bearer(key))).status_code == 200

    await api.container.api_keys().revoke("leaving")

    response = await api.client.get("/me", headers=bearer(key))
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


async def test_a_user_jwt_authenticates_as_that_user(api: Api) -> None:
    token = user_token("user-1", email="ada@example.com")

    response = await api.client.get("/me", headers=bearer(token))

    assert response.status_code == 200
    assert response.json() == {
        "kind": "user",
        "id": "user-1",
        "name": "ada@example.com",
        "scopes": [],
    }


@pytest.mark.parametrize(
    ("token", "said"),
    [
        (user_token("user-1", expires_in=-120), "expired"),
        (user_token("user-1", issuer="https://evil.test/auth/v1"), "issuer"),
        (user_token("user-1", audience="anon"), "audience"),
        (user_token("user-1", secret="another-secret-0123456789abcdef0"), "not valid"),
    ],
    ids=["expired", "issuer", "audience", "signature"],
)
async def test_a_bad_jwt_is_refused_saying_why(api: Api, token: str, said: str) -> None:
    response = await api.client.get("/me", headers=bearer(token))

    assert response.status_code == 401
    assert said in response.json()["detail"]


async def test_a_jwt_without_a_subject_is_refused(api: Api) -> None:
    import jwt

    from tests.integration.api.conftest import AUDIENCE, ISSUER, JWT_SECRET

    token = jwt.encode(
        {"exp": 9999999999, "iss": ISSUER, "aud": AUDIENCE}, JWT_SECRET, algorithm="HS256"
    )

    response = await api.client.get("/me", headers=bearer(token))

    assert response.status_code == 401


async def test_an_unsigned_jwt_is_refused(api: Api) -> None:
    import jwt

    token = jwt.encode({"sub": "user-1", "exp": 9999999999}, None, algorithm="none")

    response = await api.client.get("/me", headers=bearer(token))

    assert response.status_code == 401
