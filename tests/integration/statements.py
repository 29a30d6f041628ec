"""Count the SQL statements an engine sends, for the "one round trip" tests.

::

    async with engine.connect() as connection:  # warm: the pool holds a connection
        await connection.execute(text("SELECT 1"))
    with count_statements(engine) as log:
        toolset = await loader.load(agent_id)
    assert len(log.selects) == 1, log.statements

The counter listens to SQLAlchemy's ``before_cursor_execute`` event, so it sees every
statement SQLAlchemy executes on a DBAPI cursor: the ORM's and Core's queries, flushes,
``exec_driver_sql``. It does not see what never goes through a cursor: the DBAPI's own
``BEGIN``/``COMMIT``/``ROLLBACK`` (SQLAlchemy calls ``connection.commit()``, and
asyncpg opens its transactions internally), ``connect`` event handlers working on the
raw DBAPI connection (``PRAGMA journal_mode``), the dialect's first-connect checks
(they run with events off), and asyncpg's type introspection. An explicit
``text("BEGIN")`` or savepoint would be seen, and classified by its first keyword.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncEngine

_COMMENTS_AND_PARENS = re.compile(r"^(?:\s+|--[^\n]*(?:\n|$)|/\*.*?\*/|\()*", re.DOTALL)
_FIRST_WORD = re.compile(r"[A-Za-z]+")
_WRITES = re.compile(r"\b(?:INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)


def statement_kind(sql: str) -> str:
    """Classify a statement by its first keyword, upper-cased (``SELECT``, ``INSERT``...).

    Leading whitespace, comments and opening parentheses are skipped. A ``WITH`` query
    counts as ``SELECT`` unless it writes (contains ``INSERT``, ``UPDATE``, ``DELETE``
    or ``MERGE``), in which case it is ``WITH``.

    Args:
        sql: The statement text as sent to the driver.

    Returns:
        The kind, or ``""`` for a statement with no keyword.
    """
    rest = _COMMENTS_AND_PARENS.sub("", sql, count=1)
    word = _FIRST_WORD.match(rest)
    if word is None:
        return ""
    kind = word.group().upper()
    if kind == "WITH" and not _WRITES.search(rest):
        return "SELECT"
    return kind


@dataclass(frozen=True)
class Statement:
    """One statement sent to a cursor.

    Attributes:
        sql: The SQL text, with the driver's placeholders.
        parameters: The bound parameters (a sequence of them for ``executemany``).
        executemany: Whether it was sent once for many parameter sets.
    """

    sql: str
    parameters: Any
    executemany: bool

    @property
    def kind(self) -> str:
        """The statement's kind (see :func:`statement_kind`)."""
        return statement_kind(self.sql)


@dataclass
class StatementLog:
    """The statements recorded by :func:`count_statements`, in the order they ran.

    Attributes:
        recorded: Every statement seen so far.
    """

    recorded: list[Statement] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, statement: Statement) -> None:
        """Record one statement (called by the event listener)."""
        with self._lock:
            self.recorded.append(statement)

    @property
    def statements(self) -> list[str]:
        """The SQL text of every statement."""
        return [statement.sql for statement in self.recorded]

    @property
    def selects(self) -> list[str]:
        """The SQL text of the ``SELECT`` statements (``WITH`` queries that only read)."""
        return self.of_kind("SELECT")

    def of_kind(self, kind: str) -> list[str]:
        """The SQL text of the statements of one kind.

        Args:
            kind: A first keyword, any case (``"insert"``, ``"SELECT"``).

        Returns:
            Their SQL text, in order.
        """
        wanted = kind.upper()
        return [statement.sql for statement in self.recorded if statement.kind == wanted]

    def clear(self) -> None:
        """Forget what was recorded (to count only what follows, e.g. after a warm-up)."""
        with self._lock:
            self.recorded.clear()


@contextmanager
def count_statements(engine: AsyncEngine | Engine) -> Iterator[StatementLog]:
    """Record the statements ``engine`` sends to its cursors while the block runs.

    The listener is attached to the engine (``sync_engine`` for an ``AsyncEngine``), so
    it sees every connection of the engine, and removed on exit.

    Args:
        engine: The engine to watch.

    Yields:
        The log, filled while the block runs; it keeps its content after the block.
    """
    target = engine.sync_engine if isinstance(engine, AsyncEngine) else engine
    log = StatementLog()

    def record(statement: str, parameters: Any, executemany: bool, **_others: Any) -> None:
        log.add(Statement(sql=statement, parameters=parameters, executemany=executemany))

    event.listen(target, "before_cursor_execute", record, named=True)
    try:
        yield log
    finally:
        event.remove(target, "before_cursor_execute", record)
