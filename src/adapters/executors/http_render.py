"""Rendering an ``http`` tool's request template into the request to send.

The rules (docs/tool-documents.md, RELIABILITY.md "HTTP tools"): each path placeholder
becomes exactly one percent-encoded segment, and a value that is empty, ``.`` or ``..``
is refused; query values go through ``params`` (an absent optional argument leaves its
parameter out, an array repeats its key); a header value with CR, LF, another control
character or a character outside latin-1 is refused; the body is built as a JSON value
and serialized (or form-encoded), never spliced as text. A refusal is a
``ToolFailure`` naming the argument (or config key), raised before anything is sent.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from adapters.executors.http_form import form_pairs
from domain.call_status import CallStatus
from domain.errors import ToolFailure
from domain.json_types import JsonObject, JsonValue
from domain.tools.placeholders import Placeholder, Segment, Source, parse_template, placeholders
from domain.tools.run_specs import HttpRequestTemplate

_UNSAFE_HEADER_TEXT = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
JSON_CONTENT_TYPE = "application/json"


class _Absent:
    """The value of a placeholder with nothing to fill it (an absent optional argument)."""


ABSENT = _Absent()


@dataclass(frozen=True)
class Values:
    """What placeholders are filled from.

    Attributes:
        arguments: The call's validated arguments.
        config: The binding's config, defaults applied.
        secret: Returns a secret's value by name (the dry run passes a mask).
    """

    arguments: JsonObject
    config: Mapping[str, Any]
    secret: Callable[[str], str] = field(repr=False)

    def of(self, placeholder: Placeholder) -> Any:
        """The value ``placeholder`` stands for, or :data:`ABSENT`."""
        if placeholder.source is Source.ARGS:
            if placeholder.name is None:
                return self.arguments
            return self.arguments.get(placeholder.name, ABSENT)
        if placeholder.source is Source.CONFIG:
            return self.config.get(placeholder.name or "", ABSENT)
        return self.secret(placeholder.name or "")


@dataclass(frozen=True)
class RenderedRequest:
    """A request ready to send (and to show in a dry run).

    Attributes:
        method: The HTTP method.
        url: The URL without its query.
        params: Query parameters, in order: the URL's literal ones, then the
            template's ``query`` (a key repeats for an array).
        headers: Header name -> value, as the template names them.
        body: The body as it is sent, or None.
        sensitive_headers: The headers that came from a secret or from auth (dropped
            on a cross-origin redirect).
    """

    method: str
    url: str
    params: tuple[tuple[str, str], ...] = ()
    headers: dict[str, str] = field(default_factory=dict, repr=False)
    body: bytes | None = field(default=None, repr=False)
    sensitive_headers: frozenset[str] = frozenset()

    @property
    def full_url(self) -> str:
        """The URL with its query, as it goes on the wire."""
        if not self.params:
            return self.url
        return f"{self.url}?{urlencode(self.params)}"

    def with_header(self, name: str, value: str, *, sensitive: bool) -> RenderedRequest:
        """A copy with one more header (from auth or the idempotency key)."""
        headers = {key: text for key, text in self.headers.items() if key.lower() != name.lower()}
        headers[name] = value
        marked = self.sensitive_headers | {name.lower()} if sensitive else self.sensitive_headers
        return RenderedRequest(self.method, self.url, self.params, headers, self.body, marked)


def render_request(template: HttpRequestTemplate, values: Values) -> RenderedRequest:
    """Render ``template`` with ``values``.

    Raises:
        ToolFailure: When a value cannot go where the template puts it; names the
            argument or config key; nothing has been sent.
    """
    headers = _headers(template, values)
    body = _body(template, values)
    if body is not None:
        encoded = FORM_CONTENT_TYPE if template.body_encoding == "form" else JSON_CONTENT_TYPE
        if not any(name.lower() == "content-type" for name in headers):
            headers["Content-Type"] = encoded
    sensitive = frozenset(
        name.lower() for name, text in template.headers.items() if "{secrets." in text
    )
    url, _, literal_query = _url(template.url, values).partition("?")
    return RenderedRequest(
        method=template.method,
        url=url,
        params=(*parse_qsl(literal_query, keep_blank_values=True), *_params(template, values)),
        headers=headers,
        body=body,
        sensitive_headers=sensitive,
    )


def render_text(template: str, values: Values) -> str | None:
    """Render a text template (an MCP stdio server's env value); None when a value is absent."""
    rendered = _text(_segments(template), values)
    return None if isinstance(rendered, _Absent) else rendered


@lru_cache(maxsize=4096)
def _segments(text: str) -> tuple[Segment, ...]:
    """``text`` parsed, once per text: a stored template never changes, and calls repeat it."""
    return tuple(parse_template(text))


def _refused(placeholder: Placeholder, why: str) -> ToolFailure:
    subject = "argument" if placeholder.source is Source.ARGS else str(placeholder.source)
    name = placeholder.name if placeholder.source is not Source.SECRETS else "(a secret)"
    # An argument the model can change is an invalid argument; config and secrets are not.
    status = (
        CallStatus.INVALID_ARGUMENT if placeholder.source is Source.ARGS else CallStatus.TOOL_ERROR
    )
    return ToolFailure(f"{subject} {name!r} {why}; nothing was sent", status=status)


def _url(url: str, values: Values) -> str:
    segments = _segments(url)
    parts: list[str] = []
    if segments and isinstance(segments[0], Placeholder):
        parts.append(_base_url(segments[0], values))
        segments = segments[1:]
    for segment in segments:
        parts.append(segment if isinstance(segment, str) else _path_segment(segment, values))
    return "".join(parts)


def _base_url(placeholder: Placeholder, values: Values) -> str:
    base = values.of(placeholder)
    parts = urlsplit(base) if isinstance(base, str) else None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or "@" in parts.netloc
        or parts.query
        or parts.fragment
    ):
        raise _refused(
            placeholder, "is not an http(s) base URL without userinfo, query or fragment"
        )
    return base.rstrip("/") if isinstance(base, str) else ""


def _path_segment(placeholder: Placeholder, values: Values) -> str:
    value = values.of(placeholder)
    if isinstance(value, (dict, list)) or value is ABSENT or value is None:
        raise _refused(placeholder, "must be a single value to fill a path segment")
    text = _scalar_text(value)
    if text in ("", ".", ".."):
        raise _refused(placeholder, f"cannot be {text!r} in a URL path")
    return quote(text, safe="")


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return json.dumps(value)


def _text(segments: Sequence[Segment], values: Values) -> str | _Absent:
    """A template of text and placeholders; absent when any of its values is."""
    parts = []
    for segment in segments:
        if isinstance(segment, str):
            parts.append(segment)
            continue
        value = values.of(segment)
        if value is ABSENT or value is None:
            return ABSENT
        parts.append(_scalar_text(value))
    return "".join(parts)


def _params(template: HttpRequestTemplate, values: Values) -> tuple[tuple[str, str], ...]:
    params: list[tuple[str, str]] = []
    for name, text in template.query.items():
        segments = _segments(text)
        if len(segments) == 1 and isinstance(segments[0], Placeholder):
            value = values.of(segments[0])
            if isinstance(value, list):
                items = [_scalar_text(item) for item in value if item is not None]
                if template.query_arrays == "comma":
                    params.append((name, ",".join(items)))
                else:
                    params.extend((name, item) for item in items)
                continue
        rendered = _text(segments, values)
        if not isinstance(rendered, _Absent):
            params.append((name, rendered))
    return tuple(params)


def _headers(template: HttpRequestTemplate, values: Values) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, text in template.headers.items():
        segments = _segments(text)
        for placeholder in placeholders(segments):
            value = values.of(placeholder)
            if value is ABSENT or value is None:
                continue
            shown = _scalar_text(value)
            if _UNSAFE_HEADER_TEXT.search(shown):
                raise _refused(
                    placeholder, f"holds a line break or control character (header {name})"
                )
            try:
                shown.encode("latin-1")
            except UnicodeEncodeError:
                raise _refused(
                    placeholder, f"holds characters a header cannot carry (header {name})"
                ) from None
        rendered = _text(segments, values)
        if not isinstance(rendered, _Absent):
            headers[name] = rendered.strip(" \t")  # white space around a value is not part of it
    return headers


def _body(template: HttpRequestTemplate, values: Values) -> bytes | None:
    if template.body is None:
        return None
    value = _json(template.body, values)
    if isinstance(value, _Absent):
        value = {}
    if template.body_encoding == "form":
        if not isinstance(value, dict):
            raise ToolFailure("the request body must be an object to be form-encoded")
        return urlencode(form_pairs(value, template.form_arrays)).encode("ascii")
    return json.dumps(value, ensure_ascii=False, allow_nan=False).encode("utf-8")


def _json(template: JsonValue, values: Values) -> JsonValue | _Absent:
    """Fill a JSON template: a string that is one placeholder keeps the value's type."""
    if isinstance(template, dict):
        filled = {key: _json(member, values) for key, member in template.items()}
        return {key: value for key, value in filled.items() if not isinstance(value, _Absent)}
    if isinstance(template, list):
        items = [_json(member, values) for member in template]
        return [item for item in items if not isinstance(item, _Absent)]
    if not isinstance(template, str):
        return template
    segments = _segments(template)
    if len(segments) == 1 and isinstance(segments[0], Placeholder):
        value: JsonValue | _Absent = values.of(segments[0])
        return value
    return _text(segments, values)
