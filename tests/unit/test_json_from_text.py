"""``json_from_text``: the same values as ``json.loads``, a new object on each call."""

from __future__ import annotations

import json

import pytest

from adapters.storage_common.json_text import json_from_text


@pytest.mark.parametrize(
    "text", ["{}", "null", "[]", '{"a": {}}', '{"units": "metric", "n": [1, 2.5, null]}', "0"]
)
def test_it_decodes_what_json_loads_decodes(text: str) -> None:
    assert json_from_text(text) == json.loads(text)
    assert type(json_from_text(text)) is type(json.loads(text))


def test_an_empty_object_is_a_new_object_each_time() -> None:
    first = json_from_text("{}")
    first["changed"] = True

    assert json_from_text("{}") == {}


def test_text_that_is_not_json_is_refused() -> None:
    with pytest.raises(json.JSONDecodeError):
        json_from_text("{not json")
