"""Call audit: the ``tool_calls`` table and each agent's ``audit_payloads``.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
TIMESTAMP = sa.DateTime(timezone=True)
INDEXES = {
    "ix_tool_calls_started_at": ["started_at"],
    "ix_tool_calls_agent_id_started_at": ["agent_id", "started_at"],
    "ix_tool_calls_tool_started_at": ["tool", "started_at"],
    "ix_tool_calls_function_started_at": ["function", "started_at"],
    "ix_tool_calls_outcome_started_at": ["outcome", "started_at"],
}


def upgrade() -> None:
    """Add ``agents.audit_payloads`` (``none`` for every agent) and ``tool_calls``."""
    with op.batch_alter_table("agents") as agents:
        agents.add_column(
            sa.Column("audit_payloads", sa.String(length=8), nullable=False, server_default="none")
        )
    op.create_table(
        "tool_calls",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("started_at", TIMESTAMP, nullable=False),
        sa.Column("agent_id", sa.String(length=36), nullable=False),
        sa.Column("session_id", sa.Text(), nullable=False),
        sa.Column("llm_call_id", sa.Text(), nullable=False),
        sa.Column("function", sa.Text(), nullable=False),
        sa.Column("duration_ms", sa.Float(), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("repeated", sa.Boolean(), nullable=False),
        sa.Column("binding_id", sa.String(length=36), nullable=True),
        sa.Column("tool", sa.String(length=64), nullable=True),
        sa.Column("tool_version", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("details", JSON, nullable=False),
        sa.Column("payloads", sa.String(length=8), nullable=False),
        sa.Column("arguments", JSON, nullable=True),
        sa.Column("result", JSON, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tool_calls")),
    )
    for name, columns in INDEXES.items():
        op.create_index(name, "tool_calls", columns)


def downgrade() -> None:
    """Drop ``tool_calls`` and ``agents.audit_payloads``."""
    for name in INDEXES:
        op.drop_index(name, table_name="tool_calls")
    op.drop_table("tool_calls")
    with op.batch_alter_table("agents") as agents:
        agents.drop_column("audit_payloads")
