"""Placeholders in request templates: ``{args.x}``, ``{config.x}``, ``{secrets.x}``."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class Source(StrEnum):
    """Where a placeholder's value comes from."""

    ARGS = "args"
    """An argument the LLM sent (validated against the function's schema)."""
    CONFIG = "config"
    """The binding's config (validated against the tool's ``config_schema``)."""
    SECRETS = "secrets"
    """One of the binding's secrets."""


@dataclass(frozen=True)
class Placeholder:
    """One ``{source.name}`` in a template; ``{args}`` alone stands for all arguments.

    Attributes:
        source: Where the value comes from.
        name: The argument, config key or secret name; None for ``{args}``.
    """

    source: Source
    name: str | None

    def __str__(self) -> str:
        return f"{{{self.source}}}" if self.name is None else f"{{{self.source}.{self.name}}}"


_TOKEN = re.compile(r"\{(?:(args|config|secrets)\.([^{}\s]+)|(args))\}")

Segment = str | Placeholder
"""A template is a list of literal text and placeholders."""


def parse_template(text: str) -> list[Segment]:
    """Split ``text`` into literal text and placeholders.

    Args:
        text: The template.

    Returns:
        Its segments, in order.

    Raises:
        ValueError: When a brace is not part of a placeholder; the message says where.
    """
    segments: list[Segment] = []
    position = 0
    for match in _TOKEN.finditer(text):
        segments.extend(_literal(text[position : match.start()]))
        source, name, whole = match.groups()
        segments.append(Placeholder(Source(source or whole), name))
        position = match.end()
    segments.extend(_literal(text[position:]))
    return segments


def _literal(text: str) -> list[Segment]:
    if "{" in text or "}" in text:
        raise ValueError(
            f"has a brace that is not part of a placeholder near {text[:40]!r}; "
            "placeholders are {args.NAME}, {config.NAME} and {secrets.NAME}"
        )
    return [text] if text else []


def placeholders(segments: Sequence[Segment]) -> list[Placeholder]:
    """Return just the placeholders of a parsed template."""
    return [segment for segment in segments if isinstance(segment, Placeholder)]
