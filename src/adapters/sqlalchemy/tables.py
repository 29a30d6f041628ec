"""The database schema, as SQLAlchemy Core tables (the seed's names and JSON shapes).

Alembic migrations (``migrations/``) create and change it; a test fails when these
tables and the migrations disagree.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect


class UtcDateTime(sa.TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every database (SQLite drops the zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Store timestamps in UTC."""
        return None if value is None else value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Read timestamps back as aware UTC datetimes."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


Json: sa.types.TypeEngine[Any] = sa.JSON().with_variant(JSONB(), "postgresql")
"""JSON everywhere, JSONB on PostgreSQL."""

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

platform_tools = sa.Table(
    "platform_tools",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("name", sa.String(64), nullable=False, unique=True),
    sa.Column("display_name", sa.Text, nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("config_schema", Json, nullable=False),
    sa.Column("auth_type", sa.String(64), nullable=False),
    sa.Column("auth_config", Json, nullable=False),
    sa.Column("secret_names", Json, nullable=False),
    sa.Column("tool_functions_schema", Json, nullable=False),
    sa.Column("run", Json, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("fingerprint", sa.String(80), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
)
"""Each tool at its latest version (the seed's table)."""

platform_tool_versions = sa.Table(
    "platform_tool_versions",
    metadata,
    sa.Column(
        "tool_id",
        sa.String(36),
        sa.ForeignKey("platform_tools.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("document", Json, nullable=False),
    sa.Column("fingerprint", sa.String(80), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
)
"""The immutable history: every version's whole document."""

agents = sa.Table(
    "agents",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("name", sa.String(100), nullable=False, unique=True),
    sa.Column("instructions", sa.Text, nullable=False),
    sa.Column("model", sa.String(200), nullable=True),
    sa.Column("voice", sa.String(100), nullable=True),
    sa.Column("temperature", sa.Float, nullable=True),
    sa.Column("owner_id", sa.String(200), nullable=True),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.Column("audit_payloads", sa.String(8), nullable=False, server_default="none"),
)

agent_tools = sa.Table(
    "agent_tools",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column(
        "agent_id",
        sa.String(36),
        sa.ForeignKey("agents.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column(
        "tool_id",
        sa.String(36),
        sa.ForeignKey("platform_tools.id", ondelete="RESTRICT"),
        nullable=False,
        index=True,
    ),
    sa.Column("config", Json, nullable=False),
    sa.Column("sensitive_config", Json, nullable=False),
    sa.Column("is_enabled", sa.Boolean, nullable=False),
    sa.Column("functions", Json, nullable=True),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint("agent_id", "tool_id", name="uq_agent_tools_agent_id_tool_id"),
)
"""Bindings (the seed's table): ``sensitive_config`` holds ciphertexts only."""

api_keys = sa.Table(
    "api_keys",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("name", sa.String(100), nullable=False, unique=True),
    sa.Column("scopes", Json, nullable=False),
    sa.Column("key_hash", sa.String(64), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("revoked_at", UtcDateTime, nullable=True),
)
"""Admin API keys: the SHA-256 of each key, never the key (``docs/api.md``)."""
tool_calls = sa.Table(
    "tool_calls",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("started_at", UtcDateTime, nullable=False, index=True),
    sa.Column("agent_id", sa.String(36), nullable=False),
    sa.Column("session_id", sa.Text, nullable=False),
    sa.Column("llm_call_id", sa.Text, nullable=False),
    sa.Column("function", sa.Text, nullable=False),
    sa.Column("duration_ms", sa.Float, nullable=False),
    sa.Column("outcome", sa.String(32), nullable=False),
    sa.Column("repeated", sa.Boolean, nullable=False),
    sa.Column("binding_id", sa.String(36), nullable=True),
    sa.Column("tool", sa.String(64), nullable=True),
    sa.Column("tool_version", sa.Integer, nullable=True),
    sa.Column("kind", sa.String(16), nullable=True),
    sa.Column("error", sa.Text, nullable=True),
    sa.Column("details", Json, nullable=False),
    sa.Column("payloads", sa.String(8), nullable=False),
    sa.Column("arguments", Json, nullable=True),
    sa.Column("result", Json, nullable=True),
    sa.Index("ix_tool_calls_agent_id_started_at", "agent_id", "started_at"),
    sa.Index("ix_tool_calls_tool_started_at", "tool", "started_at"),
    sa.Index("ix_tool_calls_function_started_at", "function", "started_at"),
    sa.Index("ix_tool_calls_outcome_started_at", "outcome", "started_at"),
)
"""The call audit: one row per call (no foreign key: a deleted agent's calls stay until
they are pruned)."""
