"""``tool-platform serve``: the admin API on uvicorn, on the configured storage."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.integration.cli.support import Cli, cli_environment
from tests.integration.postgres import free_port

STARTUP_SECONDS = 30


def test_serve_answers_health_and_refuses_without_a_key_then_accepts_one(
    cli: Cli, tmp_path: Path
) -> None:
    key = cli.json("api-keys", "create", "ops", "--scope", "admin")["key"]
    port = free_port()
    environment = {**os.environ, **{k: v for k, v in cli_environment(tmp_path).items() if v}}
    environment.pop("TOOL_PLATFORM_SECRET_KEYS", None)
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "tool-platform"), "serve", "--port", str(port)],
        cwd=tmp_path,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        health = _wait_for(f"{base}/health", server)
        refused = httpx.get(f"{base}/tools", timeout=5)
        me = httpx.get(f"{base}/me", headers={"Authorization": f"Bearer {key}"}, timeout=5)
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0].decode()

    assert health.json() == {"status": "ok"}
    assert refused.status_code == 401
    assert json.loads(me.text)["name"] == "ops"
    assert key not in output


def _wait_for(url: str, server: subprocess.Popen[bytes]) -> httpx.Response:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server stopped"
        try:
            return httpx.get(url, timeout=1)
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError(f"the server did not answer within {STARTUP_SECONDS} s")
