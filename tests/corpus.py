"""Reading the external tool-definition corpus (``../shared/corpus``).

One module for everything the corpus tests and ``scripts/corpus_report.py`` share:
locating the corpus, reading its files, importing every function definition, and
turning BFCL ground truth into concrete calls. The corpus itself is described in its
``README.md``.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from domain.errors import InvalidArguments, InvalidSchema, Problem
from domain.schema.bfcl import is_bfcl
from domain.schema.drafts import draft_for
from domain.schema.function_schema import FunctionSchema, import_function

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS_ENV = "TOOL_PLATFORM_CORPUS_DIR"
"""Environment variable that points at the corpus instead of ``../shared/corpus``."""


# ---------------------------------------------------------------- locating the corpus


def corpus_path() -> Path:
    """Where the corpus should be: ``$TOOL_PLATFORM_CORPUS_DIR`` or ``../shared/corpus``."""
    override = os.environ.get(CORPUS_ENV)
    if override:
        return Path(override).expanduser().resolve()
    return REPO_ROOT.parent / "shared" / "corpus"


def find_corpus() -> Path | None:
    """Return the corpus folder when it is there (with ``bfcl/`` and ``mcp/``), else None."""
    path = corpus_path()
    if (path / "bfcl").is_dir() and (path / "mcp").is_dir():
        return path
    return None


def missing_corpus_reason() -> str:
    """Explain, for a skip or a failure, where the corpus was looked for."""
    return (
        f"tool-definition corpus not found at {corpus_path()} (expected bfcl/ and mcp/ "
        f"there); clone the shared data beside the repo or set {CORPUS_ENV}"
    )


def running_in_ci() -> bool:
    """Tell whether ``CI`` is set to a true value (CI must never skip corpus tests)."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def require_corpus() -> Path:
    """Return the corpus folder; when it is missing, fail under CI and skip elsewhere."""
    import pytest

    corpus = find_corpus()
    if corpus is None:
        if running_in_ci():
            pytest.fail(missing_corpus_reason())
        pytest.skip(missing_corpus_reason())
    return corpus


# ---------------------------------------------------------------------- reading files


def read_json_lines(path: Path) -> list[Any]:
    """Read a JSON Lines file (BFCL's ``.json`` files; no trailing newline needed)."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


@dataclass(frozen=True)
class Definition:
    """One function definition found in the corpus.

    Attributes:
        source: Where it was found (file and line id or tool name).
        data: The definition exactly as written.
    """

    source: str
    data: Any

    @property
    def key(self) -> str:
        """The definition as canonical JSON text: equal keys mean identical definitions."""
        return definition_key(self.data)


def definition_key(data: Any) -> str:
    """A definition as canonical JSON text (sorted keys): its identity in the counts."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


def bfcl_question_files(corpus: Path) -> list[Path]:
    """The BFCL question files (``bfcl/BFCL_v4_*.json``)."""
    return sorted((corpus / "bfcl").glob("BFCL_v4_*.json"))


def iter_definitions(corpus: Path) -> Iterator[Definition]:
    """Yield every function definition in the corpus, in a stable order.

    BFCL question files (each line's ``function`` list), BFCL function-doc files (one
    function per line), github-mcp-server tool snapshots (one tool per ``.snap``) and
    mcp-proxy captures (``tools: [...]``).
    """
    for path in bfcl_question_files(corpus):
        for line in read_json_lines(path):
            for function in line["function"]:
                yield Definition(f"bfcl/{path.name}:{line['id']}", function)
    for path in sorted((corpus / "bfcl" / "multi_turn_func_doc").glob("*.json")):
        for number, function in enumerate(read_json_lines(path), start=1):
            yield Definition(f"bfcl/multi_turn_func_doc/{path.name}:{number}", function)
    for path in sorted((corpus / "mcp" / "github-mcp-server-toolsnaps").glob("*.snap")):
        tool = json.loads(path.read_text(encoding="utf-8"))
        yield Definition(f"mcp/github-mcp-server-toolsnaps/{path.name}", tool)
    for path in sorted((corpus / "mcp" / "mcp-proxy-snapshots").glob("*.json")):
        for tool in json.loads(path.read_text(encoding="utf-8"))["tools"]:
            yield Definition(f"mcp/mcp-proxy-snapshots/{path.name}:{tool.get('name')}", tool)


# ------------------------------------------------------------------------- importing


@dataclass
class ImportReport:
    """What importing every corpus definition produced.

    Attributes:
        occurrences: Definitions read (every occurrence).
        distinct: Distinct definitions (exact JSON).
        imported: Occurrences that imported.
        imported_distinct: Distinct definitions that imported.
        failures: ``(source, error text)`` for each distinct definition that failed.
        dialects: Distinct definitions by detected dialect.
        dropped_occurrences: Defaults dropped, counted over every occurrence.
        dropped: Defaults dropped, counted over distinct definitions.
        dropped_by_reason: ``dropped`` by reason.
        dropped_examples: One ``source: path`` per reason.
        schemas: Each distinct definition's schema (or error text), by
            :func:`definition_key`; the ground-truth check reuses them.
    """

    occurrences: int = 0
    distinct: int = 0
    imported: int = 0
    imported_distinct: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    dialects: Counter[str] = field(default_factory=Counter)
    dropped_occurrences: int = 0
    dropped: int = 0
    dropped_by_reason: Counter[str] = field(default_factory=Counter)
    dropped_examples: dict[str, str] = field(default_factory=dict)
    schemas: dict[str, FunctionSchema | str] = field(default_factory=dict)


def import_corpus(corpus: Path) -> ImportReport:
    """Import every definition of the corpus with ``import_function`` and count it all."""
    report = ImportReport()
    dropped: dict[str, int] = {}
    for definition in iter_definitions(corpus):
        report.occurrences += 1
        key = definition.key
        if key not in report.schemas:
            dropped[key] = _import_one(definition, report)
        report.imported += isinstance(report.schemas[key], FunctionSchema)
        report.dropped_occurrences += dropped[key]
    report.distinct = len(report.schemas)
    report.imported_distinct = sum(
        isinstance(schema, FunctionSchema) for schema in report.schemas.values()
    )
    return report


def _import_one(definition: Definition, report: ImportReport) -> int:
    try:
        result = import_function(definition.data)
    except InvalidSchema as error:
        report.failures.append((definition.source, str(error)))
        report.schemas[definition.key] = str(error)
        return 0
    report.schemas[definition.key] = result.schema
    report.dialects[result.dialect.value] += 1
    for path in result.dropped_defaults:
        reason = dropped_default_reason(definition.data, result.schema, path)
        report.dropped += 1
        report.dropped_by_reason[reason] += 1
        report.dropped_examples.setdefault(reason, f"{definition.source}: {path}")
    return len(result.dropped_defaults)


def dropped_default_reason(original: Any, schema: FunctionSchema, path: str) -> str:
    """Say why a default was dropped: ``null``, ``wrong type``, ``not in enum``, ...

    Args:
        original: The definition as written (it still holds the default).
        schema: What it imported as (the default is gone, the structure is the same).
        path: The dropped default's path, as ``import_function`` reported it.
    """
    parts = _split_path(path)
    if parts == ["parameters", "default"] and is_bfcl(_parameters_of(original)):
        return "parameters-level default (BFCL; means nothing)"
    node = _resolve(schema.to_dict(), parts[:-1])
    value = _resolve(_parameters_of(original), parts[1:])
    if not isinstance(node, dict):
        return "unlocated"
    draft = draft_for(schema.parameters, "parameters")
    assert not isinstance(draft, Problem)
    error = next(iter(draft(node).iter_errors(value)), None)
    if error is None:
        return "valid once imported"
    if value is None:
        return "null"
    if error.validator == "type":
        return "wrong type"
    if error.validator == "enum":
        return "not in enum"
    return f"breaks {error.validator}"


def _parameters_of(data: Any) -> Any:
    if data.get("type") == "function":
        data = data.get("function", data)
    for key in ("parameters", "inputSchema", "input_schema"):
        if key in data:
            return data[key]
    return None


_INDEX = re.compile(r"^(.*?)((?:\[\d+\])*)$")


def _split_path(path: str) -> list[str | int]:
    """Split a rendered path (``a.b[0].c``) into keys and indexes."""
    parts: list[str | int] = []
    for chunk in path.split("."):
        match = _INDEX.match(chunk)
        assert match
        parts.append(match.group(1))
        parts.extend(int(i) for i in re.findall(r"\d+", match.group(2)))
    return parts


def _resolve(document: Any, parts: list[str | int]) -> Any:
    """Follow ``parts`` into ``document``, rejoining keys that themselves hold dots."""
    if not parts:
        return document
    head = parts[0]
    if isinstance(head, int):
        if isinstance(document, list) and head < len(document):
            return _resolve(document[head], parts[1:])
        return None
    if not isinstance(document, dict):
        return None
    for end in range(1, len(parts) + 1):
        chunk = parts[:end]
        if not all(isinstance(part, str) for part in chunk):
            break
        key = ".".join(str(part) for part in chunk)
        if key in document:
            found = _resolve(document[key], parts[end:])
            if found is not None:
                return found
    return None


# ------------------------------------------------------------------ BFCL ground truth

OMIT: Any = object()
"""Marks an argument the ground truth allows to be left out (``""`` is acceptable)."""


def pick_value(acceptable: list[Any]) -> Any:
    """Choose the argument for one ground-truth slot.

    ``""`` among the acceptable values means the parameter may be left out, so it is;
    otherwise the first acceptable value, built with :func:`build_value`.
    """
    if "" in acceptable or not acceptable:
        return OMIT
    return build_value(acceptable[0])


def build_value(value: Any) -> Any:
    """Turn one acceptable ground-truth value into a concrete JSON value.

    A dict maps each key to its own list of acceptable values; a list is built element
    by element (a list of dicts is compared element by element).
    """
    if isinstance(value, dict):
        return build_arguments(value)
    if isinstance(value, list):
        return [build_value(item) for item in value]
    return value


def build_arguments(slots: dict[str, list[Any]]) -> dict[str, Any]:
    """Build one call's arguments from ground-truth slots (name -> acceptable values)."""
    arguments = {}
    for name, acceptable in slots.items():
        chosen = pick_value(acceptable if isinstance(acceptable, list) else [acceptable])
        if chosen is not OMIT:
            arguments[name] = chosen
    return arguments


@dataclass(frozen=True)
class GroundTruthCall:
    """One expected call from ``bfcl/possible_answer``, made concrete.

    Attributes:
        id: The answer line id, with ``#n`` for the n-th call of parallel answers.
        name: The function name (the original one, dots included).
        function: The function definition from the question line (None: not found).
        arguments: The concrete arguments built from the acceptable values.
    """

    id: str
    name: str
    function: Any
    arguments: dict[str, Any]


def iter_ground_truth_calls(corpus: Path) -> Iterator[GroundTruthCall]:
    """Yield every ground-truth call, paired with its question line's definition."""
    for answers in sorted((corpus / "bfcl" / "possible_answer").glob("BFCL_v4_*.json")):
        questions = {line["id"]: line for line in read_json_lines(corpus / "bfcl" / answers.name)}
        for answer in read_json_lines(answers):
            functions = {f["name"]: f for f in questions[answer["id"]]["function"]}
            calls = answer["ground_truth"]
            for index, call in enumerate(calls):
                ((name, slots),) = call.items()
                ident = answer["id"] if len(calls) == 1 else f"{answer['id']}#{index}"
                yield GroundTruthCall(ident, name, functions.get(name), build_arguments(slots))


_VALUE_SHAPES = (
    (re.compile(r"^(must match the regular expression) .*", re.S), r"\1 <pattern>"),
    (re.compile(r"^(must be exactly) .*", re.S), r"\1 <const>"),
    (re.compile(r"[:;].*", re.S), ""),
    (re.compile(r"-?\d+(\.\d+)?"), "<n>"),
)


def problem_reason(problem: Problem) -> str:
    """The rule a problem reports, with the values stripped (for grouping)."""
    text = problem.message
    for pattern, replacement in _VALUE_SHAPES:
        text = pattern.sub(replacement, text)
    return text.strip()


@dataclass
class CallReport:
    """How the ground-truth calls fared against ``validate_arguments``.

    Attributes:
        calls: Ground-truth calls built.
        accepted: Calls whose arguments validated.
        rejected: ``(call, problems)`` for each call refused with ``InvalidArguments``.
        unresolved: Calls whose function could not be found or imported.
        reasons: Rejected calls per reason (a call counts once per distinct reason).
        examples: One ``id (path)`` per reason.
    """

    calls: int = 0
    accepted: int = 0
    rejected: list[tuple[GroundTruthCall, tuple[Problem, ...]]] = field(default_factory=list)
    unresolved: list[tuple[str, str]] = field(default_factory=list)
    reasons: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)

    @property
    def acceptance(self) -> float:
        """Accepted calls as a share of all calls."""
        return self.accepted / self.calls if self.calls else 0.0


def check_ground_truth(
    corpus: Path, schemas: dict[str, FunctionSchema | str] | None = None
) -> CallReport:
    """Validate every ground-truth call against its imported function schema.

    Args:
        corpus: The corpus folder.
        schemas: Schemas already imported (``ImportReport.schemas``); filled as needed.
    """
    report = CallReport()
    schemas = {} if schemas is None else schemas
    for call in iter_ground_truth_calls(corpus):
        report.calls += 1
        if call.function is None:
            report.unresolved.append((call.id, f"no function named {call.name!r}"))
            continue
        key = definition_key(call.function)
        if key not in schemas:
            try:
                schemas[key] = import_function(call.function).schema
            except InvalidSchema as error:
                schemas[key] = str(error)
        schema = schemas[key]
        if isinstance(schema, str):
            report.unresolved.append((call.id, schema))
            continue
        try:
            schema.validate_arguments(call.arguments)
        except InvalidArguments as error:
            report.rejected.append((call, error.problems))
            for problem in error.problems:
                reason = problem_reason(problem)
                report.examples.setdefault(reason, f"{call.id} ({problem.path})")
            for reason in {problem_reason(problem) for problem in error.problems}:
                report.reasons[reason] += 1
        else:
            report.accepted += 1
    return report


# --------------------------------------------------------------------------- report


def render_report(imports: ImportReport, calls: CallReport) -> str:
    """Render both reports as plain text."""
    lines = [
        "Function definitions",
        f"  read:            {imports.occurrences} occurrences, {imports.distinct} distinct",
        f"  imported:        {imports.imported} occurrences, {imports.imported_distinct} distinct",
        f"  failed:          {len(imports.failures)} distinct",
        "  dialects:        "
        + ", ".join(f"{name} {count}" for name, count in imports.dialects.most_common()),
        f"Defaults dropped:  {imports.dropped} in distinct definitions "
        f"({imports.dropped_occurrences} over all occurrences)",
    ]
    for reason, count in imports.dropped_by_reason.most_common():
        lines.append(f"  {count:6d}  {reason}   e.g. {imports.dropped_examples[reason]}")
    lines.extend(f"  FAILED {source}: {error}" for source, error in imports.failures)
    rejected = len(calls.rejected)
    lines += [
        "BFCL ground-truth calls",
        f"  calls:           {calls.calls}",
        f"  accepted:        {calls.accepted} ({calls.acceptance:.2%})",
        f"  rejected:        {rejected}",
        f"  unresolved:      {len(calls.unresolved)}",
        "Rejections by reason (calls; one example each)",
    ]
    for reason, count in calls.reasons.most_common():
        lines.append(f"  {count:6d}  {reason}   e.g. {calls.examples[reason]}")
    lines.extend(f"  UNRESOLVED {ident}: {why}" for ident, why in calls.unresolved)
    return "\n".join(lines)
