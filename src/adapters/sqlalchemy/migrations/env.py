"""Alembic environment: migrations run on a connection the storage hands over.

``SqlAlchemyStorage.upgrade`` (``tool-platform db upgrade``) opens the connection and
puts it in ``config.attributes["connection"]``; there is no alembic.ini and no offline
mode.
"""

from alembic import context

from adapters.sqlalchemy.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with `tool-platform db upgrade`")
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
