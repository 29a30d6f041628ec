"""LiveKit's Google plugin is imported on the first check, never by importing the adapter.

Each test runs a fresh interpreter: the test session itself has long imported LiveKit.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]


def run_python(code: str) -> str:
    """Run ``code`` in a fresh interpreter from the repository root; return its stdout."""
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_importing_the_adapter_imports_no_livekit_until_the_first_check() -> None:
    output = run_python(
        """
        import sys
        import adapters.gemini
        from adapters.gemini import GeminiModelCompatibility, caveats, converter, diagnosis
        from domain.schema.function_schema import FunctionSchema

        gemini = GeminiModelCompatibility()
        print(sorted(name for name in sys.modules if name.startswith("livekit")))
        import entrypoints.commands.lint
        from entrypoints.container import Container

        Container().compatibility()
        print("livekit.plugins.google" in sys.modules)
        verdict = gemini.check(FunctionSchema("f", "", {"type": "object"}))
        print(verdict.accepted, "livekit.plugins.google" in sys.modules, converter.is_loaded())
        """
    )

    assert output.splitlines() == ["[]", "False", "True True True"]


def test_the_first_check_on_another_thread_says_to_import_on_the_main_thread() -> None:
    output = run_python(
        """
        import threading
        from adapters.gemini import GeminiModelCompatibility
        from adapters.gemini.converter import GeminiConverterUnavailable
        from domain.schema.function_schema import FunctionSchema

        gemini = GeminiModelCompatibility()
        function = FunctionSchema("f", "", {"type": "object"})
        outcome = []

        def check():
            try:
                outcome.append(gemini.check(function).accepted)
            except GeminiConverterUnavailable as error:
                outcome.append(str(error))

        thread = threading.Thread(target=check)
        thread.start()
        thread.join()
        gemini.preload()
        thread = threading.Thread(target=check)
        thread.start()
        thread.join()
        print(outcome[0])
        print(outcome[1])
        """
    )

    refusal, accepted = output.splitlines()
    assert refusal.startswith("cannot import LiveKit's Gemini converter (RuntimeError: Plugins")
    assert "call GeminiModelCompatibility.preload() on the main thread" in refusal
    assert accepted == "True"
