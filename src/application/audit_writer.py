"""``AuditWriter``: call records off the hot path, through a bounded queue, in batches.

A call hands its record over with :meth:`AuditWriter.record`, which never waits and
never raises. A background task takes records from the queue and appends them to the
call log in batches, at most one batch per :data:`LINGER_SECONDS`: a batch that comes
sooner after the last one waits for more records until then (unless it is full, or a
flush or the shutdown asks for it), so that storing, which runs on the calls' event
loop, does not follow every call of a busy session; a record after a quiet spell is
stored at once. A full queue, a closed writer or a failing storage drop records:
each is counted, and a warning is logged at most once a minute; a storage that hangs
only fills the queue. :meth:`AuditWriter.aclose` flushes what is queued within a bound.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta

from application.clock import Clock, utc_now
from application.ports.call_log import CallLog, CallRecorder
from domain.call_records import CallRecord

logger = logging.getLogger(__name__)

WARNING_INTERVAL = timedelta(minutes=1)
"""The least time between two warnings about dropped records."""

LINGER_SECONDS = 0.5
"""The least time between two stored batches, unless a batch is full, flushed or closing."""


class AuditWriter(CallRecorder):
    """A bounded queue of call records and the task that stores them.

    Args:
        log: Where the records are stored.
        queue_size: The most records waiting; beyond it a record is dropped.
        batch_size: The most records appended at once.
        flush_seconds: How long :meth:`aclose` waits for the queue to drain.
        linger_seconds: The least time between two stored batches (unless full).
        clock: The time, for spacing the warnings.
    """

    def __init__(
        self,
        log: CallLog,
        *,
        queue_size: int = 1000,
        batch_size: int = 100,
        flush_seconds: float = 5.0,
        linger_seconds: float = LINGER_SECONDS,
        clock: Clock = utc_now,
    ) -> None:
        self._log = log
        self._queue: asyncio.Queue[CallRecord] = asyncio.Queue(maxsize=queue_size)
        self._batch_size = batch_size
        self._flush_seconds = flush_seconds
        self._linger_seconds = linger_seconds
        self._store_now = asyncio.Event()
        self._stored_at: float | None = None
        self._flushing = 0
        self._clock = clock
        self._task: asyncio.Task[None] | None = None
        self._closed = False
        self._dropped = 0
        self._written = 0
        self._last_warning: datetime | None = None

    @property
    def dropped(self) -> int:
        """How many records were dropped (a full queue, a storage failure, shutdown)."""
        return self._dropped

    @property
    def written(self) -> int:
        """How many records were stored."""
        return self._written

    def start(self) -> None:
        """Start the task that stores records (on the running loop)."""
        if self._task is None and not self._closed:
            self._task = asyncio.get_running_loop().create_task(
                self._run(), name="tool-platform-audit-writer"
            )

    def record(self, record: CallRecord) -> None:
        """Queue one record; when the queue is full or the writer closed, drop it."""
        if self._closed:
            self._drop(1, "the audit writer is closed")
            return
        try:
            self._queue.put_nowait(record)
        except asyncio.QueueFull:
            self._drop(1, "the audit queue is full (storage slow or down)")
            return
        if self._queue.qsize() >= self._batch_size - 1:  # the batch taken, and the rest
            self._store_now.set()

    async def flush(self) -> None:
        """Wait until every record queued so far has been stored or dropped."""
        if self._task is not None:
            self._flushing += 1
            self._store_now.set()
            try:
                await self._queue.join()
            finally:
                self._flushing -= 1

    async def aclose(self) -> None:
        """Store what is queued within ``flush_seconds``, then stop; the rest is dropped."""
        self._closed = True
        self._store_now.set()
        if self._task is None:
            self._drop_queued("the audit writer never started")
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._queue.join(), self._flush_seconds)
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None
        self._drop_queued("the audit writer stopped before storing them")

    async def _run(self) -> None:
        while True:
            batch = [await self._queue.get()]
            try:
                await self._linger()
                while len(batch) < self._batch_size and not self._queue.empty():
                    batch.append(self._queue.get_nowait())
                await self._log.append(batch)
            except asyncio.CancelledError:
                self._drop(len(batch), "the audit writer stopped while storing them")
                raise
            except Exception as error:
                self._drop(len(batch), f"storing call records failed ({type(error).__name__})")
            else:
                self._written += len(batch)
            finally:
                self._stored_at = asyncio.get_running_loop().time()
                for _ in batch:
                    self._queue.task_done()

    async def _linger(self) -> None:
        """Until ``linger_seconds`` after the last store, wait for a full batch or a flush."""
        if self._flushing or self._closed or self._stored_at is None:
            return
        self._store_now.clear()
        if self._queue.qsize() >= self._batch_size - 1:
            return
        due = self._stored_at + self._linger_seconds - asyncio.get_running_loop().time()
        if due <= 0:
            return
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(due):
                await self._store_now.wait()

    def _drop_queued(self, reason: str) -> None:
        left = self._queue.qsize()
        while not self._queue.empty():
            self._queue.get_nowait()
            self._queue.task_done()
        if left:
            self._drop(left, reason)

    def _drop(self, count: int, reason: str) -> None:
        self._dropped += count
        now = self._clock()
        if self._last_warning is None or now - self._last_warning >= WARNING_INTERVAL:
            self._last_warning = now
            logger.warning(
                "call audit: %d record(s) dropped so far; last: %s", self._dropped, reason
            )
