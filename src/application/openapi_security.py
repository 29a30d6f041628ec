"""OpenAPI security requirements as a tool's secrets, auth headers/query or ``auth_type``.

Per operation, the first alternative of its ``security`` (else the document's) whose
schemes can all be carried over is used: an API key in a header or the query becomes a
``{secrets.NAME}`` placeholder there; HTTP bearer a ``Bearer`` header; HTTP basic and
OAuth2 client credentials the tool's ``auth_type`` (one per tool); other OAuth2 flows
and OpenID Connect fall back to a bearer token secret, said in the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from application.openapi_schemas import UnmappableSchema, resolve
from domain.json_types import JsonObject

BASIC = "basic"
CLIENT_CREDENTIALS = "oauth2_client_credentials"
_NOT_IDENTIFIER = re.compile(r"[^A-Za-z0-9_]+")


def secret_name(scheme: str, suffix: str = "") -> str:
    """A secret name (an identifier) made from a security scheme's name."""
    name = _NOT_IDENTIFIER.sub("_", scheme).strip("_").lower() or "secret"
    if not name[0].isalpha():
        name = f"s_{name}"
    return f"{name}_{suffix}" if suffix else name


@dataclass(frozen=True)
class RequestAuth:
    """What one operation's security adds to its request.

    Attributes:
        headers: Header name -> template (holding a secret).
        query: Query parameter name -> template (holding a secret).
        secrets: The secret names the templates use.
        auth_type: ``basic`` or ``oauth2_client_credentials`` when the tool must
            authenticate, else None.
        auth_config: The ``auth_config`` that ``auth_type`` needs.
        notes: What the report should say (fallbacks).
    """

    headers: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    secrets: tuple[str, ...] = ()
    auth_type: str | None = None
    auth_config: JsonObject = field(default_factory=dict)
    notes: tuple[str, ...] = ()


def request_auth(
    document: JsonObject, operation: JsonObject, tool_auth_type: str | None
) -> RequestAuth:
    """The auth of ``operation``, compatible with the tool's ``auth_type`` so far.

    Raises:
        UnmappableSchema: When no alternative of its security can be carried over.
    """
    requirements = operation.get("security", document.get("security"))
    if not requirements:
        return RequestAuth()
    schemes = (document.get("components") or {}).get("securitySchemes") or {}
    reasons: list[str] = []
    for alternative in requirements:
        if not alternative:
            return RequestAuth()
        try:
            auth = _alternative(document, schemes, alternative)
        except UnmappableSchema as reason:
            reasons.append(str(reason))
            continue
        if auth.auth_type and tool_auth_type and auth.auth_type != tool_auth_type:
            reasons.append(f"needs {auth.auth_type} while the tool already uses {tool_auth_type}")
            continue
        if tool_auth_type and any(header.lower() == "authorization" for header in auth.headers):
            reasons.append(f"sends its own Authorization while the tool uses {tool_auth_type}")
            continue
        return auth
    raise UnmappableSchema("; ".join(reasons) or "no usable security alternative")


def _alternative(document: JsonObject, schemes: JsonObject, alternative: Any) -> RequestAuth:
    merged = RequestAuth()
    for name, scopes in alternative.items():
        if name not in schemes:
            raise UnmappableSchema(f"security scheme {name!r} is not defined")
        one = _scheme(name, resolve(document, schemes[name]), scopes or [])
        if merged.auth_type and one.auth_type:
            raise UnmappableSchema("two schemes that each set auth_type")
        merged = RequestAuth(
            headers={**merged.headers, **one.headers},
            query={**merged.query, **one.query},
            secrets=(*merged.secrets, *one.secrets),
            auth_type=merged.auth_type or one.auth_type,
            auth_config=merged.auth_config or one.auth_config,
            notes=(*merged.notes, *one.notes),
        )
    return merged


def _scheme(name: str, scheme: JsonObject, scopes: list[str]) -> RequestAuth:
    kind = scheme.get("type")
    secret = secret_name(name)
    if kind == "apiKey":
        where, header = scheme.get("in"), str(scheme.get("name", ""))
        if where == "header":
            return RequestAuth(headers={header: f"{{secrets.{secret}}}"}, secrets=(secret,))
        if where == "query":
            return RequestAuth(query={header: f"{{secrets.{secret}}}"}, secrets=(secret,))
        raise UnmappableSchema(
            f"security scheme {name!r}: an API key in a {where} is not supported"
        )
    if kind == "http":
        http_scheme = str(scheme.get("scheme", "")).lower()
        if http_scheme == "basic":
            return RequestAuth(secrets=("username", "password"), auth_type=BASIC)
        if http_scheme == "bearer":
            return _bearer(secret)
        raise UnmappableSchema(f"security scheme {name!r}: HTTP {http_scheme!r} is not supported")
    if kind == "oauth2":
        flows = scheme.get("flows") or {}
        credentials = flows.get("clientCredentials")
        if isinstance(credentials, dict) and credentials.get("tokenUrl"):
            config: JsonObject = {"token_url": credentials["tokenUrl"]}
            if scopes:
                config["scopes"] = list(scopes)
            return RequestAuth(
                secrets=("client_id", "client_secret"),
                auth_type=CLIENT_CREDENTIALS,
                auth_config=config,
            )
        fallback = _bearer(secret_name(name, "token"))
        flow_names = ", ".join(sorted(flows)) or "none"
        note = (
            f"security scheme {name!r} (OAuth2 {flow_names}) falls back to a bearer token "
            f"secret {secret_name(name, 'token')!r}"
        )
        return RequestAuth(fallback.headers, {}, fallback.secrets, None, {}, (note,))
    if kind == "openIdConnect":
        fallback = _bearer(secret_name(name, "token"))
        note = f"security scheme {name!r} (OpenID Connect) falls back to a bearer token secret"
        return RequestAuth(fallback.headers, {}, fallback.secrets, None, {}, (note,))
    raise UnmappableSchema(f"security scheme {name!r} of type {kind!r} is not supported")


def _bearer(secret: str) -> RequestAuth:
    return RequestAuth(headers={"Authorization": f"Bearer {{secrets.{secret}}}"}, secrets=(secret,))
