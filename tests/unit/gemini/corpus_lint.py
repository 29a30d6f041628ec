"""Linting the whole external corpus (``../shared/corpus``) against Gemini realtime.

Shared by ``scripts/gemini_lint_corpus.py`` (which prints the report) and the corpus
test (which pins the counts). Every BFCL function doc and every MCP tool is imported
with ``import_function`` (as ``tools define`` would) and checked by
:class:`GeminiModelCompatibility`; identical definitions are checked once.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from adapters.gemini import GeminiModelCompatibility
from application.ports import CompatibilityVerdict
from domain.errors import InvalidSchema
from domain.schema.function_schema import import_function
from tests.corpus import iter_definitions


@dataclass
class SourceCounts:
    """Counts over the distinct definitions of one source (``bfcl`` or ``mcp``)."""

    checked: int = 0
    accepted: int = 0
    rejected: int = 0
    with_warnings: int = 0


@dataclass
class CorpusLint:
    """What linting the corpus found.

    Attributes:
        occurrences: Definitions read (every occurrence).
        rejected_occurrences: Occurrences whose definition is rejected.
        not_imported: ``(source, error)`` for definitions the platform itself refuses.
        sources: Counts over distinct definitions, by source.
        verdicts: ``(source, function name, verdict)`` per distinct definition.
        reasons: Rejected functions per grouped reason.
        warnings: Accepted functions per grouped warning.
        examples: One ``source (function): full text`` per group.
        import_seconds: Importing LiveKit's Google plugin (the first check's extra cost).
        check_seconds: Checking every distinct definition once, plugin already imported.
    """

    occurrences: int = 0
    rejected_occurrences: int = 0
    not_imported: list[tuple[str, str]] = field(default_factory=list)
    sources: dict[str, SourceCounts] = field(default_factory=dict)
    verdicts: list[tuple[str, str, CompatibilityVerdict]] = field(default_factory=list)
    reasons: Counter[str] = field(default_factory=Counter)
    warnings: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)
    import_seconds: float = 0.0
    check_seconds: float = 0.0

    @property
    def checked(self) -> int:
        """Distinct definitions checked."""
        return sum(counts.checked for counts in self.sources.values())

    @property
    def accepted(self) -> int:
        """Distinct definitions accepted."""
        return sum(counts.accepted for counts in self.sources.values())

    @property
    def rejected(self) -> int:
        """Distinct definitions rejected."""
        return sum(counts.rejected for counts in self.sources.values())

    @property
    def with_warnings(self) -> int:
        """Accepted distinct definitions with at least one warning."""
        return sum(counts.with_warnings for counts in self.sources.values())


def lint_corpus(corpus: Path, gemini: GeminiModelCompatibility | None = None) -> CorpusLint:
    """Check every distinct function of the corpus; count and group what was found."""
    gemini = gemini or GeminiModelCompatibility()
    report = CorpusLint()
    started = time.perf_counter()
    gemini.preload()
    report.import_seconds = time.perf_counter() - started
    seen: dict[str, bool] = {}
    for definition in iter_definitions(corpus):
        report.occurrences += 1
        key = definition.key
        if key not in seen:
            seen[key] = _check(definition.source, definition.data, gemini, report)
        report.rejected_occurrences += not seen[key]
    return report


def _check(source: str, data: object, gemini: GeminiModelCompatibility, report: CorpusLint) -> bool:
    try:
        function = import_function(data).schema
    except InvalidSchema as error:
        report.not_imported.append((source, str(error)))
        return True
    started = time.perf_counter()
    verdict = gemini.check(function)
    report.check_seconds += time.perf_counter() - started
    counts = report.sources.setdefault(source.split("/", 1)[0], SourceCounts())
    counts.checked += 1
    counts.accepted += verdict.accepted
    counts.rejected += not verdict.accepted
    counts.with_warnings += verdict.accepted and bool(verdict.warnings)
    report.verdicts.append((source, function.name, verdict))
    for counter, texts in ((report.reasons, verdict.reasons), (report.warnings, verdict.warnings)):
        groups = {}
        for text in texts:
            groups.setdefault(group_of(text), text)
        for group, text in groups.items():
            counter[group] += 1
            report.examples.setdefault(group, f"{source} ({function.name}): {text}")
    return verdict.accepted


_VALUES = (
    (re.compile(r"\((?:\[|\{|\"|-?\d|true|false|null).*?\)(?=$|:|;)"), "(...)"),
    (re.compile(r"among \d+"), "among N"),
    (re.compile(r"\"\$ref\" '[^']*'"), "\"$ref\" '...'"),
    (re.compile(r"names \[.*?\], not"), "names [...], not"),
)


_SUBSCHEMAS = re.compile(r"\d+ subschemas?")


def group_of(text: str) -> str:
    """A reason or warning without its location and values, keyed by what it is about."""
    path, _, message = text.partition(": ")
    if message.startswith("parameter name"):
        return "parameter name outside the documented rule (letters, digits, _)"
    if message.startswith("dropped by the converter ("):
        return f"{path.rsplit('.', 1)[-1]}: dropped by the converter"
    for pattern, replacement in _VALUES:
        message = pattern.sub(replacement, message)
    if path.endswith(".format"):
        return f"format {message}"
    if path.endswith((".oneOf", ".allOf", ".anyOf", ".additionalProperties", ".required")):
        message = _SUBSCHEMAS.sub("N subschemas", message)
        return f"{path.rsplit('.', 1)[-1]}: {message}"
    return message


def render(report: CorpusLint, corpus: Path) -> str:
    """The report as plain text (what ``scripts/gemini_lint_corpus.py`` prints)."""
    per_check = report.check_seconds / report.checked * 1000 if report.checked else 0.0
    lines = [
        f"Corpus: {corpus}",
        "Gemini realtime lint (GeminiModelCompatibility: LiveKit's converter)",
        f"  definitions read:     {report.occurrences} occurrences "
        f"({report.rejected_occurrences} of them rejected)",
        f"  functions checked:    {report.checked} distinct",
        f"  accepted:             {report.accepted}",
        f"  rejected:             {report.rejected}",
        f"  with warnings:        {report.with_warnings} (accepted, at least one warning)",
        f"  not importable:       {len(report.not_imported)}",
    ]
    for name, counts in sorted(report.sources.items()):
        lines.append(
            f"  {name + ':':<21} checked {counts.checked}, accepted {counts.accepted}, "
            f"rejected {counts.rejected}, with warnings {counts.with_warnings}"
        )
    lines += [
        f"  plugin import:        {report.import_seconds:.2f} s (once per process)",
        f"  checks:               {report.check_seconds:.2f} s ({per_check:.2f} ms per function)",
        "Rejections by reason (functions; one example each)",
    ]
    lines += _groups(report.reasons, report.examples)
    lines.append("Warnings by kind (accepted functions; one example each)")
    lines += _groups(report.warnings, report.examples)
    lines.extend(f"  NOT IMPORTED {source}: {error}" for source, error in report.not_imported)
    return "\n".join(lines)


def _groups(counter: Counter[str], examples: dict[str, str]) -> list[str]:
    return [
        f"  {count:5d}  {group}\n         e.g. {examples[group]}"
        for group, count in counter.most_common()
    ]
