"""Assessing the whole external corpus (``../shared/corpus``) for Gemini realtime.

Shared by ``scripts/gemini_lint_corpus.py`` (which prints the report) and the corpus
test (which pins the counts). Every BFCL function doc and every MCP tool is imported
with ``import_function`` (as ``tools define`` would) and assessed by
:class:`GeminiSchemaOffering` (accepted, adapted, adapted_with_hints, impossible), as the
lint does; identical definitions are assessed once.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from adapters.gemini import Assessment, Category, GeminiSchemaOffering
from domain.errors import InvalidSchema
from domain.schema.function_schema import FunctionSchema, import_function
from tests.corpus import iter_definitions


@dataclass
class CorpusLint:
    """What assessing the corpus found.

    Attributes:
        occurrences: Definitions read (every occurrence).
        not_imported: ``(source, error)`` for definitions the platform itself refuses.
        categories: Distinct definitions per ``(source, category)``.
        assessed: ``(source, stored function, assessment)`` per distinct definition.
        groups: Functions per grouped hint or reason.
        examples: One ``source (function): full text`` per group.
        import_seconds: Importing LiveKit's Google plugin (the first assessment's extra cost).
        assess_seconds: Assessing every distinct definition once, plugin already imported.
        cached_seconds: Offering every distinct definition again (from the cache), as each
            toolset load does.
    """

    occurrences: int = 0
    not_imported: list[tuple[str, str]] = field(default_factory=list)
    categories: Counter[tuple[str, Category]] = field(default_factory=Counter)
    assessed: list[tuple[str, FunctionSchema, Assessment]] = field(default_factory=list)
    groups: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)
    import_seconds: float = 0.0
    assess_seconds: float = 0.0
    cached_seconds: float = 0.0

    def count(self, category: Category, source: str | None = None) -> int:
        """Distinct definitions in ``category`` (of one source, or all)."""
        return sum(
            n for (s, c), n in self.categories.items() if c is category and source in (None, s)
        )

    @property
    def checked(self) -> int:
        """Distinct definitions assessed."""
        return len(self.assessed)


def lint_corpus(corpus: Path, offering: GeminiSchemaOffering | None = None) -> CorpusLint:
    """Assess every distinct function of the corpus; count and group what was found."""
    offering = offering or GeminiSchemaOffering()
    report = CorpusLint()
    started = time.perf_counter()
    offering.preload()
    report.import_seconds = time.perf_counter() - started
    seen: set[str] = set()
    for definition in iter_definitions(corpus):
        report.occurrences += 1
        if definition.key not in seen:
            seen.add(definition.key)
            _assess(definition.source, definition.data, offering, report)
    started = time.perf_counter()
    for _, function, _ in report.assessed:
        offering.offer(function)
    report.cached_seconds = time.perf_counter() - started
    return report


def _assess(source: str, data: object, offering: GeminiSchemaOffering, report: CorpusLint) -> None:
    try:
        function = import_function(data).schema
    except InvalidSchema as error:
        report.not_imported.append((source, str(error)))
        return
    started = time.perf_counter()
    assessment = offering.assess(function)
    report.assess_seconds += time.perf_counter() - started
    report.categories[(source.split("/", 1)[0], assessment.category)] += 1
    report.assessed.append((source, function, assessment))
    groups: dict[str, str] = {}
    for text in (*assessment.hints, *assessment.reasons):
        groups.setdefault(group_of(text), text)
    for group, text in groups.items():
        report.groups[group] += 1
        report.examples.setdefault(group, f"{source} ({function.name}): {text}")


_VALUES = re.compile(r"\"[^\"]*\"|-?\d+(\.\d+)?|\[.*?\]")


def group_of(text: str) -> str:
    """A hint or reason without its location and values, keyed by what it is about."""
    _, _, message = text.partition(": ")
    return _VALUES.sub("...", message.split(": moved to the description")[0])


def hardest(report: CorpusLint, count: int = 3) -> list[tuple[str, FunctionSchema, Assessment]]:
    """The adapted functions that needed the most.

    Refused as stored first, then by the findings on the stored schema plus the hints,
    then by the offered schema's size.
    """

    def weight(entry: tuple[str, FunctionSchema, Assessment]) -> tuple[bool, int, int]:
        _, _, assessment = entry
        size = len(str(assessment.offered.parameters)) if assessment.offered else 0
        as_stored = assessment.as_stored
        findings = len(as_stored.reasons) + len(as_stored.warnings) + len(assessment.hints)
        return not as_stored.accepted, findings, size

    adapted = [e for e in report.assessed if e[2].category in _ADAPTED]
    return sorted(adapted, key=weight, reverse=True)[:count]


_ADAPTED = (Category.ADAPTED, Category.ADAPTED_WITH_HINTS)


def render_hardest(report: CorpusLint, count: int = 3) -> str:
    """The ``count`` hardest adapted functions, each with its hints and offered parameters."""
    lines = [f"The {count} hardest adapted functions (refused as stored, then most findings)"]
    for source, function, assessment in hardest(report, count):
        assert assessment.offered is not None
        lines.append(f"  {source} ({function.name}): {assessment.category}")
        as_stored = assessment.as_stored
        lines.extend(f"    as stored: {text}" for text in as_stored.reasons + as_stored.warnings)
        lines.extend(f"    hint: {hint}" for hint in assessment.hints)
        lines.append(
            f"    offered: {json.dumps(assessment.offered.parameters, ensure_ascii=False)}"
        )
    return "\n".join(lines)


def render(report: CorpusLint, corpus: Path) -> str:
    """The report as plain text (what ``scripts/gemini_lint_corpus.py`` prints)."""
    per = report.assess_seconds / report.checked * 1000 if report.checked else 0.0
    lines = [
        f"Corpus: {corpus}",
        "Gemini realtime lint (GeminiSchemaOffering: adaptation, then LiveKit's converter)",
        f"  definitions read:     {report.occurrences} occurrences",
        f"  functions assessed:   {report.checked} distinct",
        f"  not importable:       {len(report.not_imported)}",
    ]
    for category in Category:
        per_source = ", ".join(
            f"{source} {report.count(category, source)}" for source in ("bfcl", "mcp")
        )
        lines.append(f"  {category + ':':<21} {report.count(category)} ({per_source})")
    lines += [
        f"  plugin import:        {report.import_seconds:.2f} s (once per process)",
        f"  assessments:          {report.assess_seconds:.2f} s ({per:.2f} ms per function)",
        f"  offers, cached:       {report.cached_seconds:.2f} s "
        f"({report.cached_seconds / max(report.checked, 1) * 1000:.3f} ms per function)",
        "Hints and reasons by kind (functions; one example each)",
    ]
    lines += [
        f"  {n:5d}  {group}\n         e.g. {report.examples[group]}"
        for group, n in report.groups.most_common()
    ]
    lines.extend(f"  NOT IMPORTED {source}: {error}" for source, error in report.not_imported)
    return "\n".join(lines)
