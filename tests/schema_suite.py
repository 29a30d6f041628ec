"""Running the official JSON Schema Test Suite through ``FunctionSchema``.

The suite (``../shared/corpus/json-schema-test-suite/``) gives schemas and instances with
the verdict a conforming validator reaches. A function's ``parameters`` must be an object
schema, so each suite schema ``S`` is embedded as the one required property ``x`` of a
wrapper (``$schema`` and a root ``$id`` move to the wrapper; local references are
re-pointed below ``#/properties/x``) and each instance ``d`` is sent as ``{"x": d}``.

Every case falls in one category (:data:`CATEGORIES`): the platform agrees with the
suite, or it differs for a documented reason (``docs/coercion.md``,
``docs/schema-dialects.md``), or it differs for no documented reason (a defect).
Used by ``tests/unit/schema/test_schema_suite.py`` and ``scripts/schema_suite_report.py``.
"""

from __future__ import annotations

import copy
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jsonschema import validators

from domain.errors import InvalidArguments, InvalidSchema, Problem
from domain.schema import references
from domain.schema.formats import format_checker
from domain.schema.function_schema import FunctionSchema
from domain.schema.patterns import translate_patterns
from domain.schema.walk import iter_schemas
from tests.corpus import corpus_path

DRAFTS = {
    "draft7": "http://json-schema.org/draft-07/schema#",
    "draft2020-12": "https://json-schema.org/draft/2020-12/schema",
}
"""Suite folder -> the ``$schema`` the wrapper declares."""

AGREE = "agree"
REFUSED_DRAFT = "refused at define: $schema names a custom meta-schema"
REFUSED_REFERENCE = "refused at define: remote, $id-relative or anchor reference"
REFUSED_DEFAULT = "refused at define: default invalid for its own schema"
COERCED = "accepted-invalid: documented coercion"
CLOSED = "rejected-valid: closed plain object"
FORMAT = "rejected-valid: format asserted"
GAP_ACCEPTED = "format gap: invalid value accepted (documented)"
GAP_REJECTED = "format gap: valid value rejected (documented)"
WRONG_ACCEPT = "DEFECT: invalid instance accepted"
WRONG_REJECT = "DEFECT: valid instance rejected"
WRONG_REFUSE = "DEFECT: valid schema refused at define"
CRASH = "DEFECT: exception"
CATEGORIES = (
    AGREE,
    REFUSED_DRAFT,
    REFUSED_REFERENCE,
    REFUSED_DEFAULT,
    COERCED,
    CLOSED,
    FORMAT,
    GAP_ACCEPTED,
    GAP_REJECTED,
    WRONG_ACCEPT,
    WRONG_REJECT,
    WRONG_REFUSE,
    CRASH,
)
DEFECTS = (WRONG_ACCEPT, WRONG_REJECT, WRONG_REFUSE, CRASH)

_REFERENCE_REASONS = (references.REMOTE, references.ANCHOR, references.INSIDE_ID)
GAPS_ACCEPTING = frozenset({"idn-hostname", "iri", "iri-reference", "uri-template"})
"""Formats whose checks accept some values the suite calls invalid (docs/coercion.md)."""
GAPS_REJECTING = frozenset({"ecmascript-regex", "uri-template"})
"""Formats whose checks refuse some values the suite calls valid (docs/coercion.md)."""


@dataclass(frozen=True)
class Case:
    """One test of the suite: a schema, an instance and the expected verdict."""

    draft: str
    file: str
    group: str
    description: str
    schema: Any
    data: Any
    valid: bool

    @property
    def part(self) -> str:
        """``required`` or ``format`` (``optional/format``): they are counted apart."""
        return "format" if self.file.startswith("optional/format/") else "required"

    @property
    def format(self) -> str:
        """The format an ``optional/format`` file tests (its name without ``.json``)."""
        return self.file.removeprefix("optional/format/").removesuffix(".json")


def suite_path() -> Path:
    """Where the suite is: ``json-schema-test-suite/tests`` in the shared corpus."""
    return corpus_path() / "json-schema-test-suite" / "tests"


def iter_cases(root: Path) -> Iterator[Case]:
    """Yield every required case and every ``optional/format`` case of both drafts."""
    for draft in DRAFTS:
        folder = root / draft
        files = sorted(folder.glob("*.json")) + sorted(folder.glob("optional/format/*.json"))
        for file in files:
            for group in json.loads(file.read_text(encoding="utf-8")):
                for test in group["tests"]:
                    yield Case(
                        draft,
                        file.relative_to(folder).as_posix(),
                        group["description"],
                        test["description"],
                        group["schema"],
                        test["data"],
                        test["valid"],
                    )


def embed(schema: Any, draft: str) -> dict[str, Any]:
    """Wrap a suite schema as the one required property ``x`` of a parameters object."""
    wrapper: dict[str, Any] = {
        "$schema": DRAFTS[draft],
        "type": "object",
        "properties": {"x": schema},
        "required": ["x"],
    }
    if not isinstance(schema, dict):
        return wrapper
    inner = copy.deepcopy(schema)
    declared = inner.pop("$schema", DRAFTS[draft])
    if declared.rstrip("#") != DRAFTS[draft].rstrip("#"):
        wrapper["$schema"] = declared
    if isinstance(inner.get("$id"), str) and not inner["$id"].startswith("#"):
        wrapper["$id"] = inner.pop("$id")
    resources = [
        path
        for node, path in iter_schemas(inner)
        if path and isinstance(node.get("$id"), str) and not node["$id"].startswith("#")
    ]
    for node, path in iter_schemas(inner):
        inside_resource = any(path[: len(r)] == r for r in resources)
        for key in ("$ref", "$dynamicRef"):
            ref = node.get(key)
            if isinstance(ref, str) and not inside_resource and (ref == "#" or ref[:2] == "#/"):
                node[key] = "#/properties/x" + ref[1:]
    wrapper["properties"]["x"] = inner
    return wrapper


class SchemaCache:
    """Builds each group's function once; remembers what building it raised."""

    def __init__(self) -> None:
        self._built: dict[str, FunctionSchema | BaseException] = {}

    def function(self, case: Case) -> FunctionSchema | BaseException:
        """The function whose parameters embed ``case.schema``, or what building it raised."""
        parameters = embed(case.schema, case.draft)
        key = json.dumps(parameters, sort_keys=True)
        if key not in self._built:
            try:
                self._built[key] = FunctionSchema("suite", "", parameters)
            except Exception as exc:
                self._built[key] = exc
        return self._built[key]


def classify(case: Case, cache: SchemaCache) -> str:
    """Put one case in its category (one of :data:`CATEGORIES`)."""
    built = cache.function(case)
    if isinstance(built, InvalidSchema):
        return _refusal_category(built.problems)
    if isinstance(built, BaseException):
        return CRASH
    arguments = {"x": case.data}
    try:
        returned = built.validate_arguments(arguments)
    except InvalidArguments as refused:
        if not case.valid:
            return AGREE
        return _rejection_category(case, refused.problems)
    except Exception:
        return CRASH
    if case.valid:
        return AGREE
    if returned != arguments and _suite_accepts(case, returned):
        return COERCED
    if case.part == "format" and case.format in GAPS_ACCEPTING:
        return GAP_ACCEPTED
    return WRONG_ACCEPT


def _refusal_category(problems: tuple[Problem, ...]) -> str:
    if all(p.path == "parameters.$schema" for p in problems):
        return REFUSED_DRAFT
    if all(p.message in _REFERENCE_REASONS for p in problems):
        return REFUSED_REFERENCE
    if all(p.path.endswith(".default") for p in problems):
        return REFUSED_DEFAULT
    return WRONG_REFUSE


def _rejection_category(case: Case, problems: tuple[Problem, ...]) -> str:
    if all("is not declared" in p.message for p in problems):
        return CLOSED
    if all(p.message.startswith("must be a valid ") for p in problems):
        if case.part == "required":
            return FORMAT
        if case.format in GAPS_REJECTING:
            return GAP_REJECTED
    return WRONG_REJECT


def _suite_accepts(case: Case, returned: dict[str, Any]) -> bool:
    return valid_as_written(embed(case.schema, case.draft), returned)


def valid_as_written(parameters: dict[str, Any], value: Any) -> bool:
    """Whether ``value`` satisfies ``parameters`` as written (open objects, formats).

    Patterns run with their ECMA-262 meaning, formats with the platform's checker.
    """
    runnable = copy.deepcopy(parameters)
    translate_patterns(runnable)
    draft = validators.validator_for(runnable)
    return bool(draft(runnable, format_checker=format_checker()).is_valid(value))


def classify_all(root: Path) -> list[tuple[Case, str]]:
    """Every case of the suite under ``root`` with its category."""
    cache = SchemaCache()
    return [(case, classify(case, cache)) for case in iter_cases(root)]


def count(classified: list[tuple[Case, str]]) -> Counter[tuple[str, str, str]]:
    """Counts per ``(draft, part, category)``."""
    return Counter((case.draft, case.part, category) for case, category in classified)


def defects(classified: list[tuple[Case, str]]) -> list[str]:
    """One line per case in a defect category."""
    return [
        f"{category} | {case.draft} {case.file} | {case.group} | {case.description}"
        for case, category in classified
        if category in DEFECTS
    ]


def render(counts: Counter[tuple[str, str, str]]) -> str:
    """The counts as a table: one row per draft and part, one line per category."""
    lines = []
    for draft in DRAFTS:
        for part in ("required", "format"):
            total = sum(n for (d, p, _), n in counts.items() if (d, p) == (draft, part))
            lines.append(f"{draft} {part}: {total} cases")
            for category in CATEGORIES:
                n = counts[(draft, part, category)]
                if n:
                    lines.append(f"  {n:5d}  {category}")
    return "\n".join(lines)
