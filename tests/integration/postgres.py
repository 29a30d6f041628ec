"""A throwaway PostgreSQL 15 server for the integration tests (DESIGN.md section 7).

Plain functions, registered as fixtures by ``tests/integration/conftest.py``:

- :func:`session_server_url` starts one cluster per test session (``initdb`` into a
  fresh temporary directory, ``pg_ctl start`` on a free loopback port, run as the
  ``postgres`` user when the tests run as root), yields an asyncpg SQLAlchemy URL to a
  database in it, and always stops the cluster and deletes the directory at the end
  (also on KeyboardInterrupt and SIGTERM; a session killed outright leaves its
  cluster to the next session's :func:`sweep_stale_clusters`). The directory is in
  ``/dev/shm`` when it has room, where ``CREATE DATABASE`` is some ten times faster.
  ``$TOOL_PLATFORM_TEST_DATABASE_URL`` points it at an existing server instead.
- :class:`DatabaseFactory` creates empty databases on that server, one per test, and
  drops them afterwards.

When no server can be had, :func:`unavailable` fails the test under ``CI=true`` and
skips it elsewhere, with the reason and the captured output.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import pwd
import re
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, NoReturn, Self, TypeVar

import pytest
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

TEST_DATABASE_URL_ENV = "TOOL_PLATFORM_TEST_DATABASE_URL"
"""Environment variable naming an existing server to test against instead."""

PG_MAJOR = 15
"""The PostgreSQL major version the cluster must run."""

SUPERUSER = "postgres"
"""The superuser created by ``initdb`` (``-A trust``: no password)."""

SESSION_DATABASE = "tool_platform_test"
"""The database created in the throwaway cluster for :func:`session_server_url`."""

SERVER_OS_USER = "postgres"
"""The OS user the server runs as when the tests run as root."""

COMMAND_TIMEOUT = 60.0
"""Seconds any one ``initdb`` or ``pg_ctl`` call may take."""

START_TIMEOUT = 30
"""Seconds ``pg_ctl -w start`` waits for the server to accept connections."""

START_ATTEMPTS = 3
"""Start attempts, each on a new free port (another process may take the port)."""

SHM_DIR = Path("/dev/shm")
"""A tmpfs folder the cluster goes into when it has room (see :func:`_base_dir`)."""

MIN_SHM_FREE = 1 << 30
"""Bytes that must be free in :data:`SHM_DIR` for the cluster to go there."""

ROOT_PREFIX = "tool-platform-pg-"
"""Start of the name of every cluster's temporary directory."""

OWNER_FILE = "owner.pid"
"""File in a cluster's directory naming the process that owns the cluster."""

_SOCKET_PATH_MAX = 100
"""Longest Unix socket path we let PostgreSQL create (the OS limit is ~107 bytes)."""

_T = TypeVar("_T")


# ------------------------------------------------------------------------ reporting


class PostgresUnavailable(Exception):
    """No PostgreSQL server could be had.

    Args:
        reason: One line saying why.
        output: What the failing commands printed (may be empty).
    """

    def __init__(self, reason: str, output: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.output = output


def running_in_ci() -> bool:
    """Tell whether ``CI`` is set to a true value (CI never skips PostgreSQL tests)."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def unavailable(problem: PostgresUnavailable) -> NoReturn:
    """Fail (under ``CI=true``) or skip (elsewhere) the requesting test.

    Args:
        problem: Why there is no server, with the captured output.

    Raises:
        pytest.fail.Exception: Under ``CI=true``, with the reason and the whole output.
        pytest.skip.Exception: Elsewhere, with the reason and the output's last line.
    """
    if running_in_ci():
        message = f"PostgreSQL is required under CI=true but none could be had: {problem.reason}"
        if problem.output.strip():
            message += f"\n--- captured output ---\n{problem.output.strip()}"
        pytest.fail(message, pytrace=False)
    lines = problem.output.strip().splitlines()
    detail = f" ({lines[-1].strip()})" if lines else ""
    pytest.skip(
        f"PostgreSQL not available: {problem.reason}{detail}; install PostgreSQL {PG_MAJOR} "
        f"or set {TEST_DATABASE_URL_ENV}"
    )


@dataclass
class Timings:
    """How long the PostgreSQL set-up took in this session, in seconds.

    Attributes:
        initdb: ``initdb`` of the throwaway cluster (None: no cluster was made).
        start: ``pg_ctl -w start`` until the server accepted connections.
        session_database: Creating the session database.
        created: Each ``CREATE DATABASE`` of :class:`DatabaseFactory`.
        dropped: Each drop of the databases of one :class:`DatabaseFactory`.
        stop: ``pg_ctl -m immediate stop`` and deleting the directory.
    """

    initdb: float | None = None
    start: float | None = None
    session_database: float | None = None
    created: list[float] = field(default_factory=list)
    dropped: list[float] = field(default_factory=list)
    stop: float | None = None

    def summary(self) -> str | None:
        """One line for the terminal summary, or None when no server was used."""
        parts: list[str] = []
        if self.initdb is not None:
            parts.append(f"initdb {self.initdb:.2f}s")
        if self.start is not None:
            parts.append(f"start {self.start:.2f}s")
        if self.session_database is not None:
            parts.append(f"session database {self.session_database * 1000:.0f}ms")
        if self.created:
            mean = sum(self.created) / len(self.created) * 1000
            parts.append(f"{len(self.created)} fresh databases, {mean:.0f}ms each on average")
        if self.dropped:
            parts.append(f"drops {sum(self.dropped) * 1000:.0f}ms in all")
        if self.stop is not None:
            parts.append(f"stop and clean-up {self.stop:.2f}s")
        return f"postgres: {', '.join(parts)}" if parts else None


TIMINGS = Timings()
"""The timings of this session (reported by the integration conftest)."""


# ------------------------------------------------------------------------- binaries


def _pg_major(bindir: Path) -> int | None:
    """The major version of the ``initdb`` in ``bindir``, or None when it cannot be run."""
    try:
        result = subprocess.run(
            [str(bindir / "initdb"), "--version"],
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT,
            check=False,
        )
    except OSError:
        return None
    found = re.search(r"\(PostgreSQL\)\s+(\d+)", result.stdout)
    return int(found.group(1)) if found else None


def _candidate_bindirs() -> list[Path]:
    """Folders that may hold ``initdb`` and ``pg_ctl``, most specific first."""
    candidates = [
        Path(f"/usr/lib/postgresql/{PG_MAJOR}/bin"),  # Debian, Ubuntu
        Path(f"/usr/pgsql-{PG_MAJOR}/bin"),  # RHEL (PGDG)
        Path(f"/opt/homebrew/opt/postgresql@{PG_MAJOR}/bin"),  # macOS (Homebrew)
        Path(f"/usr/local/opt/postgresql@{PG_MAJOR}/bin"),
    ]
    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            bindir = subprocess.run(
                [pg_config, "--bindir"],
                capture_output=True,
                text=True,
                timeout=COMMAND_TIMEOUT,
                check=False,
            ).stdout.strip()
            if bindir:
                candidates.append(Path(bindir))
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(initdb).parent)
        candidates.append(Path(initdb).resolve().parent)
    unique: list[Path] = []
    for candidate in candidates:
        if candidate not in unique:
            unique.append(candidate)
    return unique


def find_bindir() -> Path:
    """Find the PostgreSQL 15 server binaries (``initdb`` and ``pg_ctl``).

    Looks in the usual package folders, then ``pg_config --bindir``, then ``PATH``.

    Returns:
        The folder holding both binaries.

    Raises:
        PostgresUnavailable: No folder holds a PostgreSQL 15 ``initdb`` and ``pg_ctl``.
    """
    rejected: list[str] = []
    for bindir in _candidate_bindirs():
        if not all(os.access(bindir / name, os.X_OK) for name in ("initdb", "pg_ctl")):
            continue
        major = _pg_major(bindir)
        if major == PG_MAJOR:
            return bindir
        rejected.append(f"{bindir} is PostgreSQL {major or 'of unknown version'}")
    found = f" ({'; '.join(rejected)})" if rejected else ""
    raise PostgresUnavailable(
        f"no PostgreSQL {PG_MAJOR} initdb and pg_ctl found in /usr/lib/postgresql/"
        f"{PG_MAJOR}/bin, pg_config --bindir or PATH{found}"
    )


# --------------------------------------------------------------------------- cluster


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, then closed)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _reachable_by_others(path: Path) -> bool:
    """Whether every folder from ``/`` down to ``path`` lets any user pass through."""
    for folder in (path, *path.parents):
        try:
            if not folder.stat().st_mode & stat.S_IXOTH:
                return False
        except OSError:
            return False
    return True


def _conf_string(value: str) -> str:
    """Quote a value for ``postgresql.conf``."""
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"


@dataclass
class Cluster:
    """One throwaway PostgreSQL cluster in its own temporary directory.

    Attributes:
        bindir: Folder of ``initdb`` and ``pg_ctl``.
        root: The temporary directory (data, log and Unix socket live in it).
        run_as: The OS user that runs ``initdb`` and ``pg_ctl`` (None: this process's).
        port: The loopback port the server listens on (0 until started).
        started: Whether ``pg_ctl start`` succeeded.
        output: Everything ``initdb`` and ``pg_ctl`` printed, for error reports.
    """

    bindir: Path
    root: Path
    run_as: str | None
    port: int = 0
    started: bool = False
    output: list[str] = field(default_factory=list)

    @property
    def datadir(self) -> Path:
        """The data directory."""
        return self.root / "data"

    @property
    def logfile(self) -> Path:
        """The server log."""
        return self.root / "postgres.log"

    def url(self, database: str) -> URL:
        """The asyncpg SQLAlchemy URL of ``database`` in this cluster."""
        return URL.create(
            "postgresql+asyncpg",
            username=SUPERUSER,
            host="127.0.0.1",
            port=self.port,
            database=database,
        )

    def _command(self, *args: str) -> list[str]:
        if self.run_as is None:
            return list(args)
        if shutil.which("runuser"):
            return ["runuser", "-u", self.run_as, "--", *args]
        return ["su", self.run_as, "-s", "/bin/sh", "-c", " ".join(map(_shell_quote, args))]

    def run(self, *args: str, timeout: float = COMMAND_TIMEOUT) -> subprocess.CompletedProcess[str]:
        """Run a PostgreSQL binary as the cluster's user, recording its output.

        Args:
            *args: The binary's name (in :attr:`bindir`) and its arguments.
            timeout: Seconds before the command is killed.

        Returns:
            The finished process (its exit status is not checked).
        """
        command = self._command(str(self.bindir / args[0]), *args[1:])
        env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
        env["LC_ALL"] = "C"
        try:
            result = subprocess.run(
                command,
                cwd=self.root,  # the tests' folder may be closed to the postgres user
                env=env,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            self.output.append(f"$ {' '.join(command)}\n(timed out after {timeout}s)")
            raise PostgresUnavailable(f"{args[0]} timed out after {timeout}s") from error
        self.output.append(
            f"$ {' '.join(command)}  (exit {result.returncode})\n{result.stdout}{result.stderr}"
        )
        return result

    def report(self) -> str:
        """Everything the commands printed, then the server log."""
        text = "\n".join(self.output)
        with contextlib.suppress(OSError):
            text += f"\n--- {self.logfile} ---\n" + self.logfile.read_text(errors="replace")
        return text

    def init(self) -> None:
        """Run ``initdb`` and write the test settings into ``postgresql.conf``.

        Raises:
            PostgresUnavailable: ``initdb`` failed.
        """
        started = time.perf_counter()
        result = self.run(
            "initdb",
            "-D",
            str(self.datadir),
            "-U",
            SUPERUSER,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
            "--no-instructions",
        )
        if result.returncode != 0:
            raise PostgresUnavailable(f"initdb failed with exit status {result.returncode}")
        TIMINGS.initdb = time.perf_counter() - started
        socket_dir = str(self.root) if len(str(self.root)) < _SOCKET_PATH_MAX else ""
        settings = {
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": _conf_string(socket_dir),
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "shared_buffers": "'16MB'",
            "autovacuum": "off",
            "max_connections": "100",
        }
        with (self.datadir / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write("\n# tests/integration/postgres.py\n")
            conf.writelines(f"{name} = {value}\n" for name, value in settings.items())

    def start(self) -> None:
        """Start the server on a free loopback port and wait until it accepts connections.

        Raises:
            PostgresUnavailable: It did not start (after a few ports were tried).
        """
        started = time.perf_counter()
        for _attempt in range(START_ATTEMPTS):
            self.port = free_port()
            with (self.datadir / "postgresql.conf").open("a", encoding="utf-8") as conf:
                conf.write(f"port = {self.port}\n")  # the last setting wins
            result = self.run(
                "pg_ctl",
                "-D",
                str(self.datadir),
                "-l",
                str(self.logfile),
                "-w",
                "-t",
                str(START_TIMEOUT),
                "-s",
                "start",
                timeout=START_TIMEOUT + 10,
            )
            if result.returncode == 0:
                self.started = True
                TIMINGS.start = time.perf_counter() - started
                return
            log = self.logfile.read_text(errors="replace") if self.logfile.exists() else ""
            if "could not bind" not in log and "already in use" not in log:
                break
        raise PostgresUnavailable(f"pg_ctl start failed with exit status {result.returncode}")

    def stop(self) -> None:
        """Stop the server if it runs (``pg_ctl -m immediate stop``, else SIGQUIT)."""
        pidfile = self.datadir / "postmaster.pid"
        if not pidfile.exists():
            return
        with contextlib.suppress(PostgresUnavailable, OSError):
            self.run("pg_ctl", "-D", str(self.datadir), "-m", "immediate", "-w", "-s", "stop")
        if not pidfile.exists():
            return
        with contextlib.suppress(OSError, ValueError, IndexError):
            pid = int(pidfile.read_text().split()[0])
            os.kill(pid, signal.SIGQUIT)  # what "immediate" sends
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                os.kill(pid, 0)  # raises once the process is gone
                time.sleep(0.05)

    def remove(self) -> None:
        """Delete the temporary directory."""
        shutil.rmtree(self.root, ignore_errors=True)


def _shell_quote(text: str) -> str:
    return "'" + text.replace("'", "'\"'\"'") + "'"


def _server_os_user() -> str | None:
    """The OS user to run the server as: ``postgres`` when we are root, else ourselves.

    Raises:
        PostgresUnavailable: We are root and there is no ``postgres`` user.
    """
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SERVER_OS_USER)
    except KeyError:
        raise PostgresUnavailable(
            f"the tests run as root, PostgreSQL refuses to, and there is no "
            f"{SERVER_OS_USER!r} user to run it as"
        ) from None
    if not (shutil.which("runuser") or shutil.which("su")):
        raise PostgresUnavailable("the tests run as root and neither runuser nor su is there")
    return SERVER_OS_USER


def _base_dir(run_as: str | None) -> Path:
    """Where to put the cluster: in memory when there is room, else the temp folder.

    ``CREATE DATABASE`` is some ten times faster on tmpfs (``/dev/shm``) than on disk,
    even with ``fsync`` off, so it is used when it has :data:`MIN_SHM_FREE` bytes free.
    When the server runs as another user, the folder must let that user through.
    """
    candidates = [Path(tempfile.gettempdir()), Path("/tmp")]
    with contextlib.suppress(OSError):
        shm = os.statvfs(SHM_DIR)
        if shm.f_bavail * shm.f_frsize >= MIN_SHM_FREE:
            candidates.insert(0, SHM_DIR)
    for base in candidates:
        usable = base.is_dir() and os.access(base, os.W_OK | os.X_OK)
        if usable and (run_as is None or _reachable_by_others(base)):
            return base
    return candidates[-1]  # mkdtemp or initdb will say what is wrong


def _make_root(run_as: str | None) -> Path:
    """A fresh temporary directory the server's OS user owns and can reach.

    It records the process that made it in :data:`OWNER_FILE`, for
    :func:`sweep_stale_clusters`.
    """
    root = Path(tempfile.mkdtemp(prefix=ROOT_PREFIX, dir=_base_dir(run_as)))
    (root / OWNER_FILE).write_text(str(os.getpid()))
    if run_as is not None:
        account = pwd.getpwnam(run_as)
        os.chown(root, account.pw_uid, account.pw_gid)
    return root


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True


def sweep_stale_clusters(bindir: Path, run_as: str | None) -> list[Path]:
    """Stop and delete the clusters of test sessions that died without cleaning up.

    A session killed with SIGKILL (or a crash of the interpreter) cannot stop its
    cluster; the next session does, when the process named in the cluster's
    :data:`OWNER_FILE` is gone. Clusters of live sessions and folders we cannot read
    are left alone.

    Args:
        bindir: Folder of ``pg_ctl``.
        run_as: The OS user to run ``pg_ctl`` as (None: this process's).

    Returns:
        The folders removed.
    """
    removed: list[Path] = []
    bases = {SHM_DIR, Path(tempfile.gettempdir()), Path("/tmp")}
    for root in sorted(root for base in bases for root in base.glob(f"{ROOT_PREFIX}*")):
        try:
            owner = int((root / OWNER_FILE).read_text())
        except (OSError, ValueError):
            continue  # not readable by us, or still being made
        if owner == os.getpid() or _alive(owner):
            continue
        stale = Cluster(bindir=bindir, root=root, run_as=run_as)
        stale.stop()
        stale.remove()
        removed.append(root)
    return removed


@contextlib.contextmanager
def _clean_up_on_termination(clean_up: Callable[[], None]) -> Iterator[None]:
    """Run ``clean_up`` on SIGTERM or SIGHUP, then die of the signal as before.

    Only where the signal still has its default action, and only on the main thread.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: object) -> None:
        clean_up()
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)

    installed = [
        number
        for number in (signal.SIGTERM, signal.SIGHUP)
        if signal.getsignal(number) is signal.SIG_DFL
    ]
    for number in installed:
        signal.signal(number, handler)
    try:
        yield
    finally:
        for number in installed:
            if signal.getsignal(number) is handler:
                signal.signal(number, signal.SIG_DFL)


@contextlib.contextmanager
def throwaway_cluster(bindir: Path | None = None) -> Iterator[Cluster]:
    """Start a PostgreSQL 15 cluster in a fresh temporary directory; always remove it.

    The cluster is stopped and its directory deleted on exit, on errors, on
    KeyboardInterrupt, on SIGTERM and SIGHUP, and (should the exit never run) when the
    interpreter exits. Clusters left behind by killed sessions are swept first.

    Args:
        bindir: Folder of ``initdb`` and ``pg_ctl`` (found with :func:`find_bindir`
            when None).

    Yields:
        The running cluster.

    Raises:
        PostgresUnavailable: No binaries, or ``initdb`` or ``pg_ctl start`` failed; the
            captured output and server log are in its ``output``.
    """
    bindir = bindir or find_bindir()
    run_as = _server_os_user()
    sweep_stale_clusters(bindir, run_as)
    cluster = Cluster(bindir=bindir, root=_make_root(run_as), run_as=run_as)

    def clean_up() -> None:
        started = time.perf_counter()
        try:
            cluster.stop()
        finally:
            cluster.remove()
            if cluster.started:
                TIMINGS.stop = time.perf_counter() - started

    atexit.register(clean_up)
    try:
        with _clean_up_on_termination(clean_up):
            try:
                cluster.init()
                cluster.start()
            except PostgresUnavailable as problem:
                problem.output = cluster.report()
                raise
            yield cluster
    finally:
        atexit.unregister(clean_up)
        clean_up()


# ------------------------------------------------------------------------- databases


def _run_async(work: Callable[[], Coroutine[Any, Any, _T]]) -> _T:
    """Run a coroutine to completion on a private event loop in a worker thread.

    Works from sync fixtures and from code running inside the test's event loop alike
    (for example a backend factory calling ``request.getfixturevalue`` from an async
    fixture), where ``asyncio.run`` on this thread would be refused.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="postgres-admin") as pool:
        return pool.submit(lambda: asyncio.run(work())).result()


def asyncpg_url(url: str | URL) -> URL:
    """The same database as a ``postgresql+asyncpg`` SQLAlchemy URL.

    Args:
        url: A ``postgresql://``, ``postgres://`` or ``postgresql+driver://`` URL.

    Returns:
        The URL with the asyncpg driver.

    Raises:
        ValueError: It is not a PostgreSQL URL.
    """
    text = url if isinstance(url, str) else url.render_as_string(hide_password=False)
    if text.startswith("postgres://"):
        text = "postgresql://" + text.removeprefix("postgres://")
    parsed = make_url(text)
    if parsed.get_backend_name() != "postgresql":
        raise ValueError(f"not a PostgreSQL URL: {parsed!r}")
    return parsed.set(drivername="postgresql+asyncpg")


async def _execute(url: URL, *statements: str) -> None:
    engine = create_async_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            for statement in statements:
                await connection.exec_driver_sql(statement)
    finally:
        await engine.dispose()


def execute(url: str | URL, *statements: str) -> None:
    """Run SQL statements one by one, outside any transaction, on one connection.

    Args:
        url: The database to connect to (any PostgreSQL URL).
        *statements: The statements (``CREATE DATABASE`` and the like are allowed).
    """
    target = asyncpg_url(url)
    _run_async(lambda: _execute(target, *statements))


def unique_database_name(prefix: str = "tp_test") -> str:
    """A new database name nobody else uses: the prefix and 16 random hex digits."""
    return f"{prefix}_{uuid.uuid4().hex[:16]}"


class DatabaseFactory:
    """Creates empty databases on one server and drops them all on :meth:`close`.

    Args:
        server_url: Any database on the server; the new ones are created from it.
        prefix: Start of the new databases' names.
    """

    def __init__(self, server_url: str | URL, prefix: str = "tp_test") -> None:
        self._server = asyncpg_url(server_url)
        self._prefix = prefix
        self.names: list[str] = []

    def __call__(self) -> str:
        """Create one new, empty database.

        Returns:
            Its asyncpg SQLAlchemy URL (password included).
        """
        name = unique_database_name(self._prefix)
        started = time.perf_counter()
        execute(self._server, f'CREATE DATABASE "{name}"')
        TIMINGS.created.append(time.perf_counter() - started)
        self.names.append(name)
        return self._server.set(database=name).render_as_string(hide_password=False)

    def close(self) -> None:
        """Drop every database made here, closing connections still open to them."""
        if not self.names:
            return
        started = time.perf_counter()
        drops = [f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)' for name in self.names]
        self.names = []
        execute(self._server, *drops)
        TIMINGS.dropped.append(time.perf_counter() - started)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


# -------------------------------------------------------------------------- fixtures


def session_server_url(bindir: Path | None = None) -> Iterator[str]:
    """The body of the session fixture ``postgres_url``.

    With ``$TOOL_PLATFORM_TEST_DATABASE_URL`` set, yields that server (checked with a
    ``SELECT 1``; a server that was named but cannot be reached is an error, CI or
    not). Otherwise starts a throwaway cluster, creates :data:`SESSION_DATABASE` in it
    and yields its URL; the cluster is stopped and deleted when the generator closes.

    Args:
        bindir: Folder of ``initdb`` and ``pg_ctl`` (searched for when None).

    Yields:
        An asyncpg SQLAlchemy URL, password included.
    """
    configured = os.environ.get(TEST_DATABASE_URL_ENV, "").strip()
    if configured:
        url = asyncpg_url(configured)
        try:
            execute(url, "SELECT 1")
        except (TimeoutError, OSError, SQLAlchemyError) as error:
            pytest.fail(
                f"{TEST_DATABASE_URL_ENV} names {url!r}, which cannot be used: {error!r}",
                pytrace=False,
            )
        yield url.render_as_string(hide_password=False)
        return
    try:
        with throwaway_cluster(bindir) as cluster:
            started = time.perf_counter()
            try:
                execute(cluster.url("postgres"), f'CREATE DATABASE "{SESSION_DATABASE}"')
            except (TimeoutError, OSError, SQLAlchemyError) as error:
                raise PostgresUnavailable(
                    f"could not create the session database: {error!r}", cluster.report()
                ) from error
            TIMINGS.session_database = time.perf_counter() - started
            yield cluster.url(SESSION_DATABASE).render_as_string(hide_password=False)
    except PostgresUnavailable as problem:
        unavailable(problem)
