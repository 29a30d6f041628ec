"""``TOOL_PLATFORM_MCP_STDIO_COMMANDS``: whole command lines by name, resolved when read."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from entrypoints.commands.output import settings_problem
from entrypoints.settings import PlatformSettings

SETTING = "TOOL_PLATFORM_MCP_STDIO_COMMANDS"


def _read(monkeypatch: pytest.MonkeyPatch, value: str) -> PlatformSettings:
    monkeypatch.setenv(SETTING, value)
    return PlatformSettings(_env_file=None)  # type: ignore[call-arg]


def _refusal(monkeypatch: pytest.MonkeyPatch, value: str) -> str:
    with pytest.raises(ValidationError) as error:
        _read(monkeypatch, value)
    return settings_problem(error.value)


def test_unset_means_no_stdio_server_and_the_start_budget_is_three_seconds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(SETTING, raising=False)
    monkeypatch.delenv("TOOL_PLATFORM_MCP_START_BUDGET_SECONDS", raising=False)

    settings = PlatformSettings(_env_file=None)  # type: ignore[call-arg]

    assert settings.mcp_stdio_commands == {}
    assert settings.mcp_start_budget_seconds == 3.0


def test_a_bare_executable_is_resolved_on_path_and_arguments_are_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = _read(
        monkeypatch,
        json.dumps({"time": ["python3", "-m", "mcp_server_time"], "abs": [sys.executable]}),
    )

    assert settings.mcp_stdio_commands == {
        "time": (shutil.which("python3"), "-m", "mcp_server_time"),
        "abs": (sys.executable,),
    }


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ('{"time": ["no-such-program"]}', "entry 'time': 'no-such-program' is not found on PATH"),
        ('{"time": []}', "entry 'time': must be a non-empty list of non-empty strings"),
        ('{"time": "python3 -m x"}', "entry 'time': must be a non-empty list of non-empty strings"),
        ('{"time": ["python3", 3]}', "entry 'time': must be a non-empty list of non-empty strings"),
        ('{"time": ["bin/server"]}', "entry 'time': 'bin/server' must be an absolute path"),
        ('{"time": ["/no/such/bin"]}', "entry 'time': '/no/such/bin' is not an executable file"),
        ('{"a b": ["python3"]}', "entry 'a b': a name is letters, digits"),
        ('["python3"]', "must be a JSON object of name -> command line"),
        ("{time: python3}", "is not JSON"),
    ],
)
def test_a_malformed_or_missing_entry_is_one_clear_error_naming_it(
    monkeypatch: pytest.MonkeyPatch, value: str, said: str
) -> None:
    problem = _refusal(monkeypatch, value)

    assert problem.startswith(f"invalid settings: {SETTING}: ")
    assert said in problem


def test_a_file_that_is_not_executable_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    script = tmp_path / "server"
    script.write_text("#!/bin/sh\n")

    problem = _refusal(monkeypatch, json.dumps({"local": [str(script)]}))

    assert f"entry 'local': '{script}' is not an executable file" in problem


@pytest.mark.parametrize("value", ["0", "-1", "121"])
def test_the_start_budget_is_positive_and_bounded(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("TOOL_PLATFORM_MCP_START_BUDGET_SECONDS", value)

    with pytest.raises(ValidationError) as error:
        PlatformSettings(_env_file=None)  # type: ignore[call-arg]

    assert "TOOL_PLATFORM_MCP_START_BUDGET_SECONDS" in settings_problem(error.value)
