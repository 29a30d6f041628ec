r"""Reading JSON Schema regular expressions (ECMA-262, Unicode mode) as Python ``re`` syntax.

JSON Schema patterns are ECMA-262 regular expressions; ``jsonschema`` runs them with
Python's ``re``, which reads some of them differently (``\d`` and ``\w`` match any
Unicode digit or letter, ``$`` matches before a final newline, ``.`` matches ``\r``)
and cannot compile others (``\p{Letter}``, ``(?<name>...)``, ``\cA``, ``[^]``).
:func:`to_python` rewrites a pattern into ``re`` syntax with the ECMA-262 meaning, and
refuses what ECMA-262 does not allow (``(?P<name>...)``, inline flags, ``\a``, ``\Z``,
...). Unicode property escapes become explicit character ranges, computed once per
property with the ``regex`` package (which knows the Unicode properties ``re`` lacks).
"""

from __future__ import annotations

import functools
import re

import regex

from domain.errors import DomainError

_Ranges = tuple[tuple[int, int], ...]

_MAX_CODE_POINT = 0x10FFFF
_DIGITS: _Ranges = ((0x30, 0x39),)
_WORD: _Ranges = ((0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A))
_SPACE: _Ranges = (
    (0x09, 0x0D),
    (0x20, 0x20),
    (0xA0, 0xA0),
    (0x1680, 0x1680),
    (0x2000, 0x200A),
    (0x2028, 0x2029),
    (0x202F, 0x202F),
    (0x205F, 0x205F),
    (0x3000, 0x3000),
    (0xFEFF, 0xFEFF),
)
_LINE_TERMINATORS: _Ranges = ((0x0A, 0x0A), (0x0D, 0x0D), (0x2028, 0x2029))
_CLASS_ESCAPES = {"d": _DIGITS, "w": _WORD, "s": _SPACE}
_CHARACTER_ESCAPES = {"f": "\\f", "n": "\\n", "r": "\\r", "t": "\\t", "v": "\\v"}
_GROUP_OPENINGS = ("(?:", "(?=", "(?!", "(?<=", "(?<!")
_GROUP_NAME = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
_PROPERTY_NAME = re.compile(r"[A-Za-z0-9_]+(=[A-Za-z0-9_]+)?")


class PatternError(DomainError):
    """A pattern is not an ECMA-262 regular expression the platform can run."""


def to_python(pattern: str) -> str:
    """Rewrite an ECMA-262 pattern as a Python ``re`` pattern with the same meaning.

    Args:
        pattern: The ``pattern`` (or ``patternProperties`` key) as the schema writes it.

    Returns:
        The ``re`` pattern; it compiles.

    Raises:
        PatternError: When ``pattern`` is not valid ECMA-262, or uses what ``re`` cannot
            run (a lookbehind of variable length); the message says why.
    """
    translated = _Translator(pattern).run()
    try:
        re.compile(translated)
    except (re.error, OverflowError, RecursionError) as exc:
        raise PatternError(f"cannot be compiled: {exc}") from None
    return translated


class _Translator:
    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.at = 0
        self.out: list[str] = []
        self.in_class = False

    def run(self) -> str:
        while self.at < len(self.pattern):
            char = self.pattern[self.at]
            self.at += 1
            if char == "\\":
                self._escape()
            elif self.in_class:
                self._class_char(char)
            elif char == "[":
                self._open_class()
            elif char == "(":
                self._group()
            elif char == "$":
                self.out.append("\\Z")
            elif char == ".":
                self.out.append(_render(_complement(_LINE_TERMINATORS), in_class=False))
            else:
                self.out.append(char)
        if self.in_class:
            raise PatternError("has a character class that is never closed")
        return "".join(self.out)

    def _class_char(self, char: str) -> None:
        if char == "]":
            self.in_class = False
            self.out.append("]")
        elif char in "[&~|":
            self.out.append("\\" + char)
        else:
            self.out.append(char)

    def _open_class(self) -> None:
        rest = self.pattern[self.at :]
        if rest.startswith("]"):
            self.out.append("(?!)")
            self.at += 1
        elif rest.startswith("^]"):
            self.out.append("(?s:.)")
            self.at += 2
        else:
            self.in_class = True
            self.out.append("[")
            if rest.startswith("^"):
                self.out.append("^")
                self.at += 1

    def _group(self) -> None:
        rest = self.pattern[self.at - 1 :]
        if not rest.startswith("(?"):
            self.out.append("(")
            return
        opening = next((o for o in _GROUP_OPENINGS if rest.startswith(o)), None)
        if opening:
            self.out.append(opening)
            self.at += len(opening) - 1
            return
        named = re.match(r"\(\?<([^>]*)>", rest)
        if named and _GROUP_NAME.fullmatch(named.group(1)):
            self.out.append(f"(?P<{named.group(1)}>")
            self.at += named.end() - 1
            return
        raise PatternError(f"uses {rest[:4]!r}, which is not ECMA-262 group syntax")

    def _escape(self) -> None:
        if self.at >= len(self.pattern):
            raise PatternError("ends with a lone backslash")
        char = self.pattern[self.at]
        self.at += 1
        lower = char.lower()
        if lower in _CLASS_ESCAPES:
            ranges = _CLASS_ESCAPES[lower]
            self._ranges(ranges if char == lower else _complement(ranges))
        elif lower == "p":
            ranges = _property_ranges(self._braced("a Unicode property name"))
            self._ranges(ranges if char == "p" else _complement(ranges))
        elif char in "bB":
            self.out.append("\\x08" if self.in_class else f"(?a:\\{char})")
        elif char in _CHARACTER_ESCAPES:
            self.out.append(_CHARACTER_ESCAPES[char])
        elif char == "c":
            self._control()
        elif char == "u":
            self._unicode()
        elif char == "x":
            self._literal(int(self._hex(2), 16))
        elif char == "k":
            self._backreference()
        elif char == "0" and not self.pattern[self.at : self.at + 1].isdigit():
            self.out.append("\\x00")
        elif char.isdigit():
            self._numbered_backreference(char)
        elif char.isalnum() or char == "_":
            raise PatternError(f"uses \\{char}, which is not an ECMA-262 escape")
        else:
            self._literal(ord(char))

    def _ranges(self, ranges: _Ranges) -> None:
        self.out.append(_render(ranges, in_class=self.in_class))

    def _literal(self, code: int) -> None:
        self.out.append(f"\\U{code:08x}")

    def _control(self) -> None:
        letter = self.pattern[self.at : self.at + 1]
        if not (letter.isascii() and letter.isalpha()):
            raise PatternError("uses \\c without a control letter after it")
        self.at += 1
        self._literal(ord(letter) % 32)

    def _unicode(self) -> None:
        if self.pattern.startswith("{", self.at):
            digits = self._braced("hexadecimal digits")
            if not re.fullmatch(r"[0-9A-Fa-f]{1,6}", digits) or int(digits, 16) > _MAX_CODE_POINT:
                raise PatternError("uses \\u{...} without a valid code point")
            self._literal(int(digits, 16))
        else:
            self._literal(int(self._hex(4), 16))

    def _hex(self, count: int) -> str:
        digits = self.pattern[self.at : self.at + count]
        if not re.fullmatch(f"[0-9A-Fa-f]{{{count}}}", digits):
            raise PatternError(f"has an escape that needs {count} hexadecimal digits")
        self.at += count
        return digits

    def _braced(self, what: str) -> str:
        end = self.pattern.find("}", self.at)
        if not self.pattern.startswith("{", self.at) or end < 0:
            raise PatternError(f"has an escape that needs {{{what}}}")
        text = self.pattern[self.at + 1 : end]
        self.at = end + 1
        return text

    def _backreference(self) -> None:
        named = re.match(r"<([^>]*)>", self.pattern[self.at :])
        if self.in_class or not named or not _GROUP_NAME.fullmatch(named.group(1)):
            raise PatternError("uses \\k without a group name <name> after it")
        self.at += named.end()
        self.out.append(f"(?P={named.group(1)})")

    def _numbered_backreference(self, first: str) -> None:
        digits = first
        while self.pattern[self.at : self.at + 1].isdigit():
            digits += self.pattern[self.at]
            self.at += 1
        if self.in_class:
            raise PatternError(f"uses \\{digits} inside a character class")
        self.out.append(f"(?:\\{digits})")


def _render(ranges: _Ranges, *, in_class: bool) -> str:
    body = "".join(
        f"\\U{low:08x}" if low == high else f"\\U{low:08x}-\\U{high:08x}" for low, high in ranges
    )
    if in_class:
        return body
    return f"[{body}]" if body else "(?!)"


def _complement(ranges: _Ranges) -> _Ranges:
    found = []
    start = 0
    for low, high in ranges:
        if low > start:
            found.append((start, low - 1))
        start = high + 1
    if start <= _MAX_CODE_POINT:
        found.append((start, _MAX_CODE_POINT))
    return tuple(found)


@functools.cache
def _property_ranges(name: str) -> _Ranges:
    """The code point ranges of a Unicode property (``Letter``, ``L``, ``Script=Greek``)."""
    if not _PROPERTY_NAME.fullmatch(name):
        raise PatternError(f"uses \\p{{{name[:40]}}}, which names no Unicode property")
    try:
        matcher = regex.compile(f"\\p{{{name}}}+")
    except regex.error:
        raise PatternError(f"uses \\p{{{name}}}, which names no Unicode property") from None
    return tuple((m.start(), m.end() - 1) for m in matcher.finditer(_every_code_point()))


def _every_code_point() -> str:
    return "".join(map(chr, range(_MAX_CODE_POINT + 1)))
