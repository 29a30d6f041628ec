"""Typed settings, read from ``TOOL_PLATFORM_*`` environment variables (and ``.env``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from adapters.http.allowlist import OutboundAllowlist
from adapters.mcp.commands import parse_stdio_commands
from application.bindings import DEFAULT_MAX_SECRET_BYTES
from application.call_audit import DEFAULT_RETENTION_DAYS
from application.tool_session import DEFAULT_MAX_RESULT_CHARS
from application.tools import DEFAULT_MAX_DOCUMENT_BYTES
from domain.schema.limits import DEFAULT_LIMITS, SchemaLimits
from domain.secrets import Secret

ENV_FILE = ".env"


class PlatformSettings(BaseSettings):
    """Everything the operator can set. ``docs/configuration.md`` lists each variable.

    Attributes:
        storage: Which storage adapter to use.
        model_target: Which model functions are checked against when a tool is
            defined and loaded: ``gemini-realtime`` (LiveKit's own Gemini converter) or
            ``any`` (accept every valid function).
        database_url: The SQL database (SQLite file by default, or PostgreSQL).
        database_pool_size: Connections each engine keeps (CLI and other processes).
        database_max_overflow: Extra connections an engine may open under load.
        database_connect_timeout_seconds: How long a server database may take to
            answer a new connection before the command or job fails, naming it.
        job_database_pool_size: Connections each worker job's engine keeps (no overflow).
        worker_agent_name: The agent name the worker registers for explicit dispatch.
        agent_id_from_room_metadata: Whether a job without an agent id in its dispatch
            metadata may take it from the room's metadata.
        secret_key_file: Where the embedded default keeps a generated key when no
            ``secret_keys`` are set.
        handler_packages: Packages ``python`` tools may name handlers in
            (``TOOL_PLATFORM_HANDLER_PACKAGES=acme_tools,other_tools``).
        max_schema_bytes: Largest accepted function or config schema, in bytes of JSON.
        max_schema_depth: Deepest accepted schema nesting.
        max_argument_depth: Deepest accepted nesting of call arguments and config.
        max_description_chars: Longest accepted function description.
        max_parameter_description_chars: Longest accepted description inside parameters.
        max_document_bytes: Largest accepted tool document, in bytes of compact JSON.
        max_secret_bytes: Largest accepted secret value, in bytes of UTF-8.
        max_input_bytes: Largest file or standard input the command line reads.
        tool_timeout_seconds: Timeout of a function call that sets none itself.
        tool_result_max_chars: The most characters of one tool result the model gets
            (every kind); the rest is cut with a marker saying how much.
        http_max_response_bytes: The most bytes of an HTTP tool's response read.
        outbound_allow: What the outbound guard admits: CIDR networks and host names
            (``TOOL_PLATFORM_OUTBOUND_ALLOW=127.0.0.1/32,*.example.com``).
        outbound_only: Strict egress: nothing outside ``outbound_allow`` is reachable.
        outbound_proxy: The proxy every tool request goes through (secret: its URL may
            carry credentials); unset, proxy environment variables are ignored.
        mcp_stdio_commands: The stdio MCP servers' command lines, name -> whole command
            line (JSON); tool documents name an entry, never give a command.
        mcp_start_budget_seconds: How long opening one MCP server's session may take
            when a session starts; past it the server's tools are left out.
        secret_keys: ``id:base64key`` entries for secrets at rest; the first encrypts.
        livekit_url: LiveKit's usual ``LIVEKIT_URL`` (read by LiveKit; checked here).
        livekit_api_key: ``LIVEKIT_API_KEY``.
        livekit_api_secret: ``LIVEKIT_API_SECRET``.
        google_api_key: ``GOOGLE_API_KEY``, for Gemini.
        supabase_url: ``SUPABASE_URL``, the project URL (``storage`` ``supabase``).
        supabase_service_role_key: ``SUPABASE_SERVICE_ROLE_KEY``, never shown.
        supabase_timeout_seconds: How long one request to Supabase may take.
        api_jwks_url: The JWKS users' JWTs are verified with (Supabase's
            ``/auth/v1/.well-known/jwks.json``), fetched through the outbound guard.
        api_jwt_secret: The HS256 secret users' JWTs are verified with instead.
        api_jwt_issuer: The ``iss`` users' JWTs must carry (unset: not checked).
        api_jwt_audience: The ``aud`` users' JWTs must carry (unset: not checked).
    """

    model_config = SettingsConfigDict(
        env_prefix="TOOL_PLATFORM_", env_file=ENV_FILE, extra="ignore"
    )

    storage: Literal["sqlalchemy", "memory", "supabase"] = "sqlalchemy"
    model_target: Literal["gemini-realtime", "any"] = "gemini-realtime"
    database_url: str = "sqlite+aiosqlite:///tool_platform.db"
    database_pool_size: int = Field(default=5, ge=1, le=100)
    database_max_overflow: int = Field(default=10, ge=0, le=100)
    database_connect_timeout_seconds: float = Field(default=5.0, gt=0, le=300)
    job_database_pool_size: int = Field(default=2, ge=1, le=100)
    worker_agent_name: str = "tool-platform"
    agent_id_from_room_metadata: bool = False
    secret_key_file: Path = Path("tool_platform.key")
    handler_packages: Annotated[tuple[str, ...], NoDecode] = ()
    max_schema_bytes: int = Field(default=64 * 1024, ge=1024)
    max_schema_depth: int = Field(default=16, ge=2, le=64)
    max_argument_depth: int = Field(default=32, ge=2, le=256)
    max_description_chars: int = Field(default=DEFAULT_LIMITS.max_description_chars, ge=1)
    max_parameter_description_chars: int = Field(
        default=DEFAULT_LIMITS.max_parameter_description_chars, ge=1
    )
    max_document_bytes: int = Field(default=DEFAULT_MAX_DOCUMENT_BYTES, ge=1024)
    max_secret_bytes: int = Field(default=DEFAULT_MAX_SECRET_BYTES, ge=1)
    max_input_bytes: int = Field(default=32 * 1024 * 1024, ge=1024)
    tool_timeout_seconds: float = Field(default=10.0, gt=0, le=600)
    tool_result_max_chars: int = Field(default=DEFAULT_MAX_RESULT_CHARS, ge=200)
    http_max_response_bytes: int = Field(default=1024 * 1024, ge=1024)
    audit_retention_days: int = Field(default=DEFAULT_RETENTION_DAYS, ge=1, le=36500)
    audit_queue_size: int = Field(default=1000, ge=1, le=1_000_000)
    audit_flush_seconds: float = Field(default=5.0, ge=0, le=300)
    outbound_allow: Annotated[tuple[str, ...], NoDecode] = ()
    outbound_only: bool = False
    outbound_proxy: SecretStr | None = None
    mcp_stdio_commands: Annotated[dict[str, tuple[str, ...]], NoDecode] = Field(
        default_factory=dict
    )
    mcp_start_budget_seconds: float = Field(default=3.0, gt=0, le=120)
    secret_keys: SecretStr | None = None
    livekit_url: str | None = Field(default=None, validation_alias="LIVEKIT_URL")
    livekit_api_key: SecretStr | None = Field(default=None, validation_alias="LIVEKIT_API_KEY")
    livekit_api_secret: SecretStr | None = Field(
        default=None, validation_alias="LIVEKIT_API_SECRET"
    )
    google_api_key: SecretStr | None = Field(default=None, validation_alias="GOOGLE_API_KEY")
    supabase_url: str | None = Field(default=None, validation_alias="SUPABASE_URL")
    supabase_service_role_key: SecretStr | None = Field(
        default=None, validation_alias="SUPABASE_SERVICE_ROLE_KEY"
    )
    supabase_timeout_seconds: float = Field(default=10.0, gt=0, le=300)
    api_jwks_url: str | None = None
    api_jwt_secret: SecretStr | None = None
    api_jwt_issuer: str | None = None
    api_jwt_audience: str | None = None

    @field_validator("handler_packages", "outbound_allow", mode="before")
    @classmethod
    def _split_list(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("outbound_allow")
    @classmethod
    def _check_allowlist(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        OutboundAllowlist.parse(value)
        return value

    def api_jwt_shared_secret(self) -> Secret | None:
        """The HS256 secret users' JWTs are verified with, or None."""
        secret = self.api_jwt_secret
        return (
            None
            if secret is None or not secret.get_secret_value()
            else Secret(secret.get_secret_value())
        )

    @field_validator("mcp_stdio_commands", mode="before")
    @classmethod
    def _resolve_stdio_commands(cls, value: object) -> object:
        return parse_stdio_commands(value)

    def outbound_proxy_url(self) -> str | None:
        """The proxy URL tool requests go through, or None."""
        return None if self.outbound_proxy is None else self.outbound_proxy.get_secret_value()

    def outbound_allowlist(self) -> OutboundAllowlist:
        """The outbound guard's allowlist these settings describe."""
        return OutboundAllowlist.parse(self.outbound_allow)

    def missing_worker_environment(self, mode: str) -> list[str]:
        """Name the environment variables a worker ``mode`` needs that are not set.

        ``dev`` and ``start`` connect to a LiveKit server and need its URL and API key
        pair; every mode talks to Gemini and needs ``GOOGLE_API_KEY``.
        """
        needed: dict[str, object] = {"GOOGLE_API_KEY": self.google_api_key}
        if mode != "console":
            needed |= {
                "LIVEKIT_URL": self.livekit_url,
                "LIVEKIT_API_KEY": self.livekit_api_key,
                "LIVEKIT_API_SECRET": self.livekit_api_secret,
            }
        return sorted(name for name, value in needed.items() if not value)

    def schema_limits(self) -> SchemaLimits:
        """The schema limits these settings describe."""
        return SchemaLimits(
            max_schema_bytes=self.max_schema_bytes,
            max_depth=self.max_schema_depth,
            max_argument_depth=self.max_argument_depth,
            max_description_chars=self.max_description_chars,
            max_parameter_description_chars=self.max_parameter_description_chars,
        )


class SettingsUnreadable(Exception):
    """The settings cannot be read at all (a ``.env`` file that is not text)."""


def load_settings() -> PlatformSettings:
    """Read the settings from the environment and ``.env``.

    Raises:
        SettingsUnreadable: When ``.env`` is not UTF-8 text (its content is never shown).
        pydantic.ValidationError: When a setting is invalid.
    """
    try:
        return PlatformSettings()
    except UnicodeDecodeError as error:
        raise SettingsUnreadable(
            f"cannot read the settings file {ENV_FILE} in the working directory: "
            f"it is not UTF-8 text (byte {error.start})"
        ) from None
