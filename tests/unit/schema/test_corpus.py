"""Real third-party tool definitions (``../shared/corpus``) against ``FunctionSchema``.

Every BFCL function doc and every MCP snapshot tool must import; BFCL's ground-truth
calls, made concrete, must mostly validate, and every refusal must name a parameter.
Run with ``pytest -s`` to see the counts; ``scripts/corpus_report.py`` prints the same
report.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.errors import Problem
from tests.corpus import (
    CORPUS_ENV,
    OMIT,
    CallReport,
    ImportReport,
    build_arguments,
    check_ground_truth,
    import_corpus,
    pick_value,
    problem_reason,
    render_report,
    require_corpus,
)

# Counts from the corpus README (section 1.4 and 2): they catch a reader that loses lines.
BFCL_OCCURRENCES = 8_888
BFCL_DISTINCT = 3_420
MCP_TOOLS = 117 + 83
GROUND_TRUTH_CALLS = 3_302
BFCL_NULL_DEFAULTS_DROPPED = 488 - 4  # the 4 on `any` parameters are valid and kept
MIN_ACCEPTANCE = 0.95


@pytest.fixture(scope="module")
def imports(corpus_dir: Path) -> ImportReport:
    return import_corpus(corpus_dir)


@pytest.fixture(scope="module")
def calls(corpus_dir: Path, imports: ImportReport) -> CallReport:
    return check_ground_truth(corpus_dir, imports.schemas)


@pytest.mark.corpus
def test_every_definition_imports(imports: ImportReport) -> None:
    print()
    print(
        f"definitions: {imports.occurrences} occurrences ({imports.distinct} distinct), "
        f"imported {imports.imported} ({imports.imported_distinct} distinct); "
        f"defaults dropped: {imports.dropped} in distinct definitions "
        f"({dict(imports.dropped_by_reason)})"
    )
    assert imports.failures == []
    assert imports.occurrences == BFCL_OCCURRENCES + MCP_TOOLS
    assert imports.imported == imports.occurrences
    assert imports.dialects["bfcl"] == BFCL_DISTINCT
    assert imports.dialects["mcp"] + imports.dialects["bfcl"] == imports.distinct


@pytest.mark.corpus
def test_invalid_defaults_are_dropped_for_known_reasons(imports: ImportReport) -> None:
    assert imports.dropped_by_reason["null"] == BFCL_NULL_DEFAULTS_DROPPED
    assert set(imports.dropped_by_reason) <= {
        "null",
        "wrong type",
        "not in enum",
        "parameters-level default (BFCL; means nothing)",
    }
    assert imports.dropped == sum(imports.dropped_by_reason.values())


@pytest.mark.corpus
def test_ground_truth_calls_validate(calls: CallReport, imports: ImportReport) -> None:
    print()
    print(render_report(imports, calls))
    assert calls.unresolved == []
    assert calls.calls == GROUND_TRUTH_CALLS
    assert calls.accepted + len(calls.rejected) == calls.calls
    assert calls.acceptance >= MIN_ACCEPTANCE


@pytest.mark.corpus
def test_every_rejection_names_a_parameter(calls: CallReport) -> None:
    for call, problems in calls.rejected:
        assert problems, call.id
        for problem in problems:
            assert problem.path, f"{call.id}: {problem} names no parameter"
            top = problem.path.split(".")[0].split("[")[0]
            declared = call.function["parameters"].get("properties", {})
            assert top in declared or top in call.arguments, f"{call.id}: {problem}"


# ------------------------------------------------- the helpers behind those tests


def test_empty_string_among_acceptable_values_means_left_out() -> None:
    assert pick_value(["", "metric"]) is OMIT
    assert pick_value(["metric", ""]) is OMIT
    assert pick_value([]) is OMIT
    assert pick_value(["metric", "imperial"]) == "metric"
    assert pick_value([None, 3]) is None


def test_ground_truth_dicts_are_built_recursively() -> None:
    slots = {
        "loc": ["Berkeley"],
        "unit": ["", "C"],
        "prefs": [{"size": ["large", "L"], "milk": ["", "oat"], "extra": [{"hot": [True]}]}],
        "items": [[{"item": ["tea"], "qty": [2]}, {"item": ["cake"], "qty": ["", 1]}]],
        "tags": [["a", "b"], ["b", "a"]],
    }
    assert build_arguments(slots) == {
        "loc": "Berkeley",
        "prefs": {"size": "large", "extra": {"hot": True}},
        "items": [{"item": "tea", "qty": 2}, {"item": "cake"}],
        "tags": ["a", "b"],
    }


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ('must be one of: "a", "b"', "must be one of"),
        ("is not declared; declared arguments: a, b", "is not declared"),
        ("must be at least 10", "must be at least <n>"),
        (
            "must match the regular expression ^[a-z]+$",
            "must match the regular expression <pattern>",
        ),
        ("must be an integer, not a string", "must be an integer, not a string"),
    ],
)
def test_problem_reasons_strip_values(message: str, reason: str) -> None:
    assert problem_reason(Problem("x", message)) == reason


def test_missing_corpus_fails_under_ci_and_skips_elsewhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CORPUS_ENV, str(tmp_path / "nowhere"))
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="corpus not found"):
        require_corpus()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match=CORPUS_ENV):
        require_corpus()


def test_corpus_dir_override_is_honoured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "bfcl").mkdir()
    (tmp_path / "mcp").mkdir()
    monkeypatch.setenv(CORPUS_ENV, str(tmp_path))
    assert require_corpus() == tmp_path.resolve()
