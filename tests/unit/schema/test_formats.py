"""The formats the platform enforces: the same list under every draft, each one tested."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from domain.schema.drafts import SUPPORTED_DRAFTS
from domain.schema.formats import format_checker
from domain.schema.function_schema import FunctionSchema
from tests.unit.schema.support import messages, refusal

# format -> (a valid value, invalid values, among them what jsonschema's own check takes)
EXAMPLES: dict[str, tuple[str, list[str]]] = {
    "date": ("2024-02-29", ["2023-02-29", "2024-2-1"]),
    "date-time": (
        "1998-12-31T23:59:60Z",
        ["2024-01-01 10:00:00", "2024-01-01T10:00:00Z\n", "2024-01-01T10:00:60Z"],
    ),
    "time": ("10:00:00+02:00", ["25:00:00Z", "10:00:00Z\n", "10:00:60Z"]),
    "duration": ("P1Y2M3DT4H5M6S", ["P1.5D", "PT1D", "P1W2D", "-P1D", "P"]),
    "email": (
        '"joe bloggs"@example.com',
        ["joe.bloggs@", "@example.com", ".a@b.c", "a@[1.2.3.300]"],
    ),
    "idn-email": ("jürgen@example.com", ["no-at-sign"]),
    "hostname": ("xn--bcher-kva.example", ["example.", "a..b", "ab--c.com", "-a.com", "é.com"]),
    "idn-hostname": ("bücher.example", ["-bücher"]),
    "ipv4": ("192.168.0.1", ["192.168.0.01", "256.1.1.1"]),
    "ipv6": ("2001:db8::1", ["2001:db8::g", "12345::"]),
    "uri": ("https://example.com/a?b#c", ["/relative", "http://[::ffff:192.168.0.01]/"]),
    "uri-reference": ("/relative#frag", ["\\\\backslash", "//[::ffff:1.2.3.04]/"]),
    "uri-template": ("https://example.com/{id}", ["https://example.com/{id"]),
    "uuid": ("2eb8aa08-aa98-11ea-b4aa-73b441d16380", ["2eb8aa08-aa98-11ea-b4aa-73b441d1638_"]),
    "json-pointer": ("/a/b~1c", ["a/b", "/a~2"]),
    "relative-json-pointer": ("1/a", ["/a", "\u09e6/a", "01/a"]),
    "regex": (r"^\p{L}+$", ["(", "(?P<n>a)"]),
}
DOCS = Path(__file__).resolve().parents[3] / "docs" / "coercion.md"


def test_the_examples_cover_exactly_the_enforced_formats() -> None:
    assert set(EXAMPLES) == set(format_checker().checkers)


def test_the_documented_list_is_the_enforced_list() -> None:
    text = DOCS.read_text()
    start = text.index("Enforced formats (every draft")
    listing = text[start : text.index(".\n", start)]
    assert set(re.findall(r"`([a-z0-9-]+)`", listing)) == set(format_checker().checkers)


@pytest.mark.parametrize("draft", sorted(SUPPORTED_DRAFTS))
@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_each_enforced_format_accepts_a_good_value_and_refuses_bad_ones(
    draft: str, name: str
) -> None:
    good, bad = EXAMPLES[name]
    parameters = {
        "$schema": draft,
        "type": "object",
        "properties": {"x": {"type": "string", "format": name}},
    }
    schema = FunctionSchema("f", "", parameters)
    assert schema.validate_arguments({"x": good}) == {"x": good}
    for value in bad:
        assert messages(refusal(schema, {"x": value})) == {"x": f"must be a valid {name}"}, value


@pytest.mark.parametrize("name", ["color", "iri", "iri-reference", "made-up"])
def test_formats_not_in_the_list_are_annotations(name: str) -> None:
    parameters = {"type": "object", "properties": {"x": {"type": "string", "format": name}}}
    schema = FunctionSchema("f", "", parameters)
    assert schema.validate_arguments({"x": "::: not anything :::"}) == {"x": "::: not anything :::"}
