"""Time a CLI command against a database server that accepts and never answers.

Usage: ``.venv/bin/python scripts/connect_timeout.py [--timeout SECONDS]``. A listener on
loopback accepts every connection and says nothing; ``tool-platform agents list`` is
pointed at it (``TOOL_PLATFORM_DATABASE_CONNECT_TIMEOUT_SECONDS`` set when ``--timeout``
is given) and the script prints how long it took and the line it printed.
"""

from __future__ import annotations

import argparse
import base64
import os
import socket
import subprocess
import sys
import threading
import time


def silent_listener() -> tuple[socket.socket, int]:
    """A loopback listener whose accepted connections are held open and never answered."""
    server = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                held.append(server.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    return server, server.getsockname()[1]


def main() -> int:
    """Run the command once and print the numbers."""
    parser = argparse.ArgumentParser(description="Connect timeout against a silent server.")
    parser.add_argument("--timeout", type=float, default=None, help="the setting, in seconds")
    options = parser.parse_args()
    server, port = silent_listener()
    env = {
        **os.environ,
        "TOOL_PLATFORM_DATABASE_URL": f"postgresql+asyncpg://admin:pw@127.0.0.1:{port}/tools",
        "TOOL_PLATFORM_SECRET_KEYS": "k1:" + base64.b64encode(bytes(32)).decode(),
    }
    if options.timeout is not None:
        env["TOOL_PLATFORM_DATABASE_CONNECT_TIMEOUT_SECONDS"] = str(options.timeout)
    command = [sys.executable, "-c", "from entrypoints.cli import main; main()", "agents", "list"]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    server.close()
    last = (done.stderr.strip().splitlines() or ["(nothing)"])[-1]
    print(f"exit {done.returncode} after {elapsed:.1f} s: {last}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
