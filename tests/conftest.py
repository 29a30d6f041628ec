"""Shared fixtures for the whole test suite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from tests.corpus import require_corpus

# Under CI the property tests draw the same examples every run, so a landing is never
# decided by the luck of a seed; elsewhere each run explores new examples.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI") == "true":
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The external tool-definition corpus (``../shared/corpus``, or ``$TOOL_PLATFORM_CORPUS_DIR``).

    When it is missing the test fails under ``CI=true`` and is skipped otherwise.
    """
    return require_corpus()
