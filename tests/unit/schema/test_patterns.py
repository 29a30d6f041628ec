"""Patterns are ECMA-262: compiled when a schema is defined, run with ECMA-262 meaning."""

from __future__ import annotations

from typing import Any

import pytest

from domain.schema.ecma_regex import PatternError, to_python
from tests.unit.schema.support import accepted, function, messages, refusal, schema_problems


@pytest.mark.parametrize(
    ("pattern", "good", "bad"),
    [
        (r"^\p{Letter}+$", "Ünïcödé", "abc1"),
        (r"^\P{L}+$", "123 !", "a"),
        (r"^\p{Script=Greek}+$", "αβγ", "abc"),
        (r"^\d+$", "123", "١٢٣"),  # ECMA-262 \d is ASCII only
        (r"^\w+$", "a_1", "é"),
        (r"^abc$", "abc", "abc\n"),  # $ is the end of the input, not before a newline
        (r"^a.b$", "a b", "a\rb"),  # . matches no line terminator
        (r"^[^]$", "\n", ""),  # [^] is any character
        (r"^(?<x>a)\k<x>$", "aa", "ab"),
        (r"^\cJ$", "\n", "J"),
        (r"^\u{1F600}$", "😀", "x"),
        (r"^\s$", "\u00a0", "x"),
        (r"^[\w-]+$", "a-b", "a b"),
        (r"\bcat\b", "a cat", "concat"),
    ],
)
def test_patterns_match_as_ecma_262_reads_them(pattern: str, good: str, bad: str) -> None:
    schema = {"type": "string", "pattern": pattern}
    assert accepted(schema, good) == {"x": good}
    problems = messages(refusal(function({"x": schema}), {"x": bad}))
    assert problems == {"x": f"must match the regular expression {pattern}"}


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("(", "cannot be compiled"),
        ("[a", "never closed"),
        ("(?P<n>a)", "not ECMA-262 group syntax"),
        ("(?i)a", "not ECMA-262 group syntax"),
        ("(?#comment)", "not ECMA-262 group syntax"),
        (r"\a", r"\a, which is not an ECMA-262 escape"),
        (r"\Z", r"\Z, which is not an ECMA-262 escape"),
        (r"\p{NoSuchProperty}", "names no Unicode property"),
        (r"(?<=a+)b", "look-behind requires fixed-width pattern"),
        ("a\\", "lone backslash"),
    ],
)
def test_pattern_that_cannot_run_is_refused_at_define_naming_it(pattern: str, reason: str) -> None:
    problems = schema_problems(lambda: function({"x": {"type": "string", "pattern": pattern}}))
    assert len(problems) == 1
    assert problems[0].path == "parameters.properties.x.pattern"
    assert repr(pattern) in problems[0].message
    assert reason in problems[0].message
    with pytest.raises(PatternError):
        to_python(pattern)


def test_pattern_properties_keys_are_ecma_262_too() -> None:
    schema = function(
        {"tags": {"type": "object", "patternProperties": {r"^\p{Lu}": {"type": "integer"}}}}
    )
    assert schema.validate_arguments({"tags": {"Émile": "3", "x": "y"}}) == {
        "tags": {"Émile": 3, "x": "y"}
    }
    assert messages(refusal(schema, {"tags": {"Émile": "three"}})) == {
        "tags.Émile": "must be an integer, not a string"
    }
    problems = schema_problems(lambda: function({"t": {"patternProperties": {"(": {}}}}))
    assert [p.path for p in problems] == ["parameters.properties.t.patternProperties.("]


def test_additional_properties_sees_translated_pattern_properties() -> None:
    schema = function(
        {
            "m": {
                "type": "object",
                "patternProperties": {r"^\p{L}+$": {"type": "string"}},
                "additionalProperties": False,
            }
        }
    )
    assert schema.validate_arguments({"m": {"été": "x"}}) == {"m": {"été": "x"}}
    assert refusal(schema, {"m": {"1": "x"}})


def test_defaults_are_checked_with_ecma_262_patterns() -> None:
    parameters: dict[str, Any] = {
        "x": {"type": "string", "pattern": r"^\p{L}+$", "default": "été"},
        "y": {"type": "string", "pattern": "^a$", "default": "a\n"},
    }
    problems = schema_problems(lambda: function(parameters))
    assert [p.path for p in problems] == ["parameters.properties.y.default"]


def test_format_regex_means_an_ecma_262_pattern() -> None:
    schema = {"type": "string", "format": "regex"}
    assert accepted(schema, r"^\p{L}+$") == {"x": r"^\p{L}+$"}
    for bad in ["(?P<n>a)", "(", r"\a"]:
        assert messages(refusal(function({"x": schema}), {"x": bad})) == {
            "x": "must be a valid regex"
        }
