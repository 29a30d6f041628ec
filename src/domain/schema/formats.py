"""The ``format`` values the platform enforces, the same under every draft.

``jsonschema``'s 2020-12 checker is the base (``docs/coercion.md`` lists its formats).
Where its check is known to accept bad values of a format that tools rely on, the
platform's own check replaces it: ``hostname`` (a trailing dot, ``--`` in the 3rd and
4th places, invalid Punycode), ``email`` (anything with an ``@``), ``date-time`` and
``time`` (a trailing newline), ``uuid`` (underscores, non-ASCII digits), ``duration``
(anything ``isoduration`` parses), ``regex`` (Python syntax instead of ECMA-262),
``relative-json-pointer`` (non-ASCII digits); ``date-time`` and ``time`` also accept a
leap second (``23:59:60`` in UTC), and ``uri`` and ``uri-reference`` also check an IPv6
host literal (no leading zeros in an embedded IPv4 address).
"""

from __future__ import annotations

import functools
import ipaddress
import re

import idna
from jsonschema import FormatChecker, validators

from domain.schema.ecma_regex import PatternError, to_python

_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?", re.ASCII)
_DOT_ATOM = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_QUOTED = re.compile(r'"(?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\[\x20-\x7e])*"')
_UUID = re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")
_DURATION = re.compile(
    r"P(?:(?:[0-9]+D|[0-9]+M(?:[0-9]+D)?|[0-9]+Y(?:[0-9]+M(?:[0-9]+D)?)?)(?:T(?:[0-9]+H"
    r"(?:[0-9]+M(?:[0-9]+S)?)?|[0-9]+M(?:[0-9]+S)?|[0-9]+S))?|T(?:[0-9]+H(?:[0-9]+M(?:[0-9]+S)?)?"
    r"|[0-9]+M(?:[0-9]+S)?|[0-9]+S)|[0-9]+W)"
)
_RELATIVE_POINTER = re.compile(r"(?:0|[1-9][0-9]*)(?:#|(?:/(?:[^~/]|~[01])*)*)")
_LEAP_SECOND = re.compile(
    r"([0-9]{2}):([0-9]{2}):60(\.[0-9]+)?([Zz]|([+-])([0-9]{2}):([0-9]{2}))\Z"
)
_IP_LITERAL = re.compile(r"//(?:[^/?#@\[]*@)?\[([^\]]*)\]")
_MAX_HOSTNAME = 253
_LAST_MINUTE = 23 * 60 + 59


@functools.cache
def format_checker() -> FormatChecker:
    """The checker every validator of the platform uses, whatever the schema's draft."""
    base = validators.Draft202012Validator.FORMAT_CHECKER
    checker = FormatChecker(())
    checker.checkers = dict(base.checkers)
    date_time, time = base.checkers["date-time"][0], base.checkers["time"][0]
    uri, uri_reference = base.checkers["uri"][0], base.checkers["uri-reference"][0]
    own = {
        "hostname": is_hostname,
        "email": is_email,
        "uuid": is_uuid,
        "duration": is_duration,
        "regex": is_ecma_regex,
        "relative-json-pointer": is_relative_json_pointer,
        "date-time": lambda value: _one_line(value) and date_time(_leap_second_as_59(value)),
        "time": lambda value: _one_line(value) and time(_leap_second_as_59(value)),
        "uri": lambda value: uri(value) and _ip_literal_ok(value),
        "uri-reference": lambda value: uri_reference(value) and _ip_literal_ok(value),
    }
    for name, check in own.items():
        checker.checks(name)(check)
    return checker


def is_hostname(value: object) -> bool:
    """An RFC 1123 host name in ASCII: LDH labels, at most 253 characters, no final dot."""
    if not isinstance(value, str):
        return True
    if not value or len(value) > _MAX_HOSTNAME:
        return False
    return all(_is_label(label) for label in value.split("."))


def _is_label(label: str) -> bool:
    if not _LABEL.fullmatch(label):
        return False
    if label[2:4] != "--":
        return True
    if label[:2].lower() != "xn":
        return False
    try:
        idna.decode(label)
    except (idna.IDNAError, UnicodeError, ValueError):
        return False
    return True


def is_email(value: object) -> bool:
    """An RFC 5321 mailbox: a dot-atom or quoted local part, ``@``, a host or address."""
    if not isinstance(value, str):
        return True
    local, at, domain = value.rpartition("@")
    if not at or not (_DOT_ATOM.fullmatch(local) or _QUOTED.fullmatch(local)):
        return False
    if domain.startswith("[IPv6:") and domain.endswith("]"):
        return _is_address(domain[6:-1], ipaddress.IPv6Address)
    if domain.startswith("[") and domain.endswith("]"):
        return _is_address(domain[1:-1], ipaddress.IPv4Address)
    return is_hostname(domain)


def _is_address(text: str, kind: type[ipaddress.IPv4Address | ipaddress.IPv6Address]) -> bool:
    try:
        kind(text)
    except ValueError:
        return False
    return True


def is_uuid(value: object) -> bool:
    """A UUID in its hyphenated hexadecimal form (RFC 4122)."""
    return not isinstance(value, str) or bool(_UUID.fullmatch(value))


def is_duration(value: object) -> bool:
    """A duration as RFC 3339 appendix A's ABNF writes it (``P1Y2M``, ``PT36H``, ``P4W``)."""
    return not isinstance(value, str) or bool(_DURATION.fullmatch(value))


def is_ecma_regex(value: object) -> bool:
    """An ECMA-262 regular expression the platform can run (see ``ecma_regex``)."""
    if not isinstance(value, str):
        return True
    try:
        to_python(value)
    except PatternError:
        return False
    return True


def is_relative_json_pointer(value: object) -> bool:
    """A Relative JSON Pointer: an ASCII non-negative integer, then ``#`` or a pointer."""
    return not isinstance(value, str) or bool(_RELATIVE_POINTER.fullmatch(value))


def _leap_second_as_59(value: object) -> object:
    """Read a leap second (second 60 of 23:59 UTC) as second 59; spoil any other 60."""
    if not isinstance(value, str):
        return value
    found = _LEAP_SECOND.search(value)
    if not found:
        return value
    hour, minute = int(found.group(1)), int(found.group(2))
    offset = 0
    if found.group(5):
        sign = 1 if found.group(5) == "+" else -1
        offset = sign * (int(found.group(6)) * 60 + int(found.group(7)))
    if (hour * 60 + minute - offset) % (24 * 60) != _LAST_MINUTE:
        return ""
    return f"{value[: found.end(2)]}:59{value[found.end(2) + 3 :]}"


def _ip_literal_ok(value: object) -> bool:
    found = _IP_LITERAL.search(value) if isinstance(value, str) else None
    if not found or found.group(1)[:1] in ("v", "V"):
        return True
    return _is_address(found.group(1).replace("%25", "%"), ipaddress.IPv6Address)


def _one_line(value: object) -> bool:
    return not isinstance(value, str) or "\n" not in value
