"""Fingerprints leave the run spec's defaults out: recompute the stored ones.

Versions do not change: only the stored ``fingerprint`` (in ``platform_tools``, in
``platform_tool_versions`` and inside each history document) is rewritten to what the
code now computes, so a tool defined again unchanged still writes nothing. A stored run
spec that the code cannot read keeps its fingerprint (its tool needs defining again).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from adapters.storage_common.tool_rows import CONTENT_COLUMNS
from domain.tools.definition import RUN_SPECS
from domain.tools.fingerprint import content_fingerprint
from domain.tools.kinds import ToolKind

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
JSON_COLUMNS = {"config_schema", "auth_config", "secret_names", "tool_functions_schema", "run"}
platform_tools = sa.table(
    "platform_tools",
    sa.column("id", sa.String()),
    sa.column("fingerprint", sa.String()),
    *(sa.column(name, JSON if name in JSON_COLUMNS else None) for name in CONTENT_COLUMNS),
)
platform_tool_versions = sa.table(
    "platform_tool_versions",
    sa.column("tool_id", sa.String()),
    sa.column("version", sa.Integer()),
    sa.column("document", JSON),
    sa.column("fingerprint", sa.String()),
)


def upgrade() -> None:
    """Rewrite every stored fingerprint; versions stay as they are."""
    connection = op.get_bind()
    latest = connection.execute(
        sa.select(platform_tools.c.id, *(platform_tools.c[c] for c in CONTENT_COLUMNS))
    )
    for row in latest.all():
        fingerprint = _fingerprint(row._mapping)
        if fingerprint is not None:
            connection.execute(
                platform_tools.update()
                .where(platform_tools.c.id == row.id)
                .values(fingerprint=fingerprint)
            )
    history = connection.execute(
        sa.select(
            platform_tool_versions.c.tool_id,
            platform_tool_versions.c.version,
            platform_tool_versions.c.document,
        )
    )
    for row in history.all():
        fingerprint = _fingerprint(row.document)
        if fingerprint is not None:
            connection.execute(
                platform_tool_versions.update()
                .where(
                    platform_tool_versions.c.tool_id == row.tool_id,
                    platform_tool_versions.c.version == row.version,
                )
                .values(
                    fingerprint=fingerprint, document={**row.document, "fingerprint": fingerprint}
                )
            )


def downgrade() -> None:
    """No way back: the old fingerprints counted defaults that are not recorded."""
    raise NotImplementedError("revision 0002 cannot be downgraded")


def _fingerprint(document: Mapping[Any, Any]) -> str | None:
    try:
        run = RUN_SPECS[ToolKind(document["kind"])].model_validate(document["run"])
    except (KeyError, ValueError):  # pydantic's ValidationError is a ValueError
        return None
    content = {key: value for key, value in document.items() if key in CONTENT_COLUMNS}
    return content_fingerprint(content, run)
