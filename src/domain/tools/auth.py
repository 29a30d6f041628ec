"""The two ``auth_type`` values the platform acts on, and what each needs from a tool.

They act on ``http`` tools; a python tool's ``auth_type`` stays a label (the built-in
email tool says ``basic`` for the SMTP login its own code makes). Every other value
stays the seed's free-text label (stored rows keep working): bearer tokens and API keys
are plain ``{secrets.x}`` placeholders in a template.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from domain.errors import Problem
from domain.json_types import JsonObject

BASIC = "basic"
"""HTTP Basic auth from the binding's ``username`` and ``password`` secrets."""

OAUTH2_CLIENT_CREDENTIALS = "oauth2_client_credentials"
"""An OAuth 2.0 client-credentials token from ``auth_config.token_url``."""

AUTH_SECRETS: dict[str, tuple[str, ...]] = {
    BASIC: ("username", "password"),
    OAUTH2_CLIENT_CREDENTIALS: ("client_id", "client_secret"),
}
"""The secrets each acting ``auth_type`` needs every binding to supply."""

AUTHORIZATION = "authorization"


def acts(auth_type: str) -> bool:
    """Tell whether the platform itself authenticates requests for ``auth_type``."""
    return auth_type in AUTH_SECRETS


def auth_problems(
    auth_type: str, auth_config: JsonObject, secret_names: tuple[str, ...]
) -> list[Problem]:
    """Check that a tool supplies what its acting ``auth_type`` needs.

    Args:
        auth_type: The tool's ``auth_type``.
        auth_config: The tool's ``auth_config``.
        secret_names: The secrets its bindings supply.

    Returns:
        Every problem, with its path; none for a label the platform does not act on.
    """
    if not acts(auth_type):
        return []
    missing = [name for name in AUTH_SECRETS[auth_type] if name not in secret_names]
    problems = []
    if missing:
        problems.append(
            Problem(
                "secret_names",
                f"auth_type {auth_type!r} needs the secrets {', '.join(missing)}; "
                "list them in secret_names",
            )
        )
    if auth_type == OAUTH2_CLIENT_CREDENTIALS:
        problems.extend(_oauth_config_problems(auth_config))
    return problems


def _oauth_config_problems(auth_config: JsonObject) -> list[Problem]:
    problems = []
    token_url = auth_config.get("token_url")
    parts = urlsplit(token_url) if isinstance(token_url, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        problems.append(
            Problem("auth_config.token_url", "must be an absolute http:// or https:// URL")
        )
    elif parts.username or parts.password or parts.fragment:
        problems.append(Problem("auth_config.token_url", "must have no userinfo or fragment"))
    scopes = auth_config.get("scopes", [])
    if not isinstance(scopes, list) or not all(isinstance(scope, str) for scope in scopes):
        problems.append(Problem("auth_config.scopes", "must be a list of strings"))
    audience = auth_config.get("audience")
    if audience is not None and not isinstance(audience, str):
        problems.append(Problem("auth_config.audience", "must be a string"))
    problems.extend(
        Problem(f"auth_config.{key}", "is not an oauth2_client_credentials setting")
        for key in sorted(set(auth_config) - {"token_url", "scopes", "audience"})
    )
    return problems
