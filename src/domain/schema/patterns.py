"""The regular expressions of a schema: checked at define, translated for validation."""

from __future__ import annotations

from collections.abc import Iterator

from domain.errors import Problem
from domain.json_types import JsonObject, JsonPath, render_path
from domain.schema.ecma_regex import PatternError, to_python
from domain.schema.fields import cut
from domain.schema.walk import iter_schemas


def pattern_problems(schema: JsonObject, root: str) -> list[Problem]:
    """Name every ``pattern`` and ``patternProperties`` key that cannot run, and why.

    Args:
        schema: The schema document (its nesting already bounded).
        root: How to name the document's root in paths.

    Returns:
        One problem per pattern that is not ECMA-262 or that Python cannot run.
    """
    problems = []
    for pattern, path in _patterns(schema):
        try:
            to_python(pattern)
        except PatternError as exc:
            problems.append(
                Problem(
                    render_path(path, root),
                    f"{cut(repr(pattern))} is not an ECMA-262 regular expression the platform "
                    f"can run: it {exc}",
                )
            )
    return problems


def translate_patterns(schema: JsonObject) -> dict[str, str]:
    """Rewrite, in place, every pattern of ``schema`` in Python ``re`` syntax.

    Call it on a private copy whose patterns passed :func:`pattern_problems`.

    Args:
        schema: The copy a validator will run.

    Returns:
        Each rewritten pattern mapped to the pattern the schema wrote.
    """
    originals: dict[str, str] = {}
    for node, _ in iter_schemas(schema):
        pattern = node.get("pattern")
        if isinstance(pattern, str):
            node["pattern"] = to_python(pattern)
            originals[node["pattern"]] = pattern
        keyed = node.get("patternProperties")
        if isinstance(keyed, dict):
            translated = {to_python(key): key for key in keyed}
            node["patternProperties"] = {new: keyed[old] for new, old in translated.items()}
            originals.update(translated)
    return originals


def _patterns(schema: JsonObject) -> Iterator[tuple[str, JsonPath]]:
    for node, path in iter_schemas(schema):
        pattern = node.get("pattern")
        if isinstance(pattern, str):
            yield pattern, (*path, "pattern")
        keyed = node.get("patternProperties")
        if isinstance(keyed, dict):
            for key in keyed:
                yield key, (*path, "patternProperties", key)
