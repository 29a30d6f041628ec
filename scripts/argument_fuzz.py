"""Throw hostile argument payloads at real corpus schemas; count what escapes validation.

Usage: ``.venv/bin/python scripts/argument_fuzz.py [--schemas N] [--payloads M] [--seed S]``
from the repository root. Takes the first N distinct corpus functions that import
(``../shared/corpus``, found as the tests find it), makes M payloads for each from a
seeded generator (huge integers, NaN and infinities, lone surrogates, megabyte strings
and keys, empty keys, deep nesting, wrong types, non-objects), and calls
``FunctionSchema.validate_arguments`` on each. It prints how many were accepted, refused
with ``InvalidArguments``, or raised anything else (the pipeline's promise is: none),
the longest refusal message, and how many refusals of an undeclared key name no field
(the empty key). Each accepted payload is checked to be printable as JSON. It runs against
whatever ``domain`` is on the path, so ``PYTHONPATH=<old checkout>/src`` measures an
older version with the same script.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from domain.errors import InvalidArguments
from domain.schema.function_schema import FunctionSchema
from tests.corpus import find_corpus, import_corpus, missing_corpus_reason

NAMELESS = re.compile(r"(^|[\s:]) ?: is not declared")
"""A refusal of an undeclared key that shows no name before the colon (the empty key)."""

HOSTILE_SCALARS: list[Any] = [
    10**5000,
    -(10**4400),
    math.nan,
    math.inf,
    -math.inf,
    "\ud800",
    "x" * 1_048_576,
    "",
    None,
    True,
    0,
    1.5,
    "5",
]


def hostile_value(rng: random.Random, depth: int = 0) -> Any:
    """A scalar or container of hostile scalars, sometimes deep."""
    roll = rng.random()
    if roll < 0.05:
        value: Any = rng.choice(HOSTILE_SCALARS)
        for _ in range(rng.choice([40, 600, 5000])):
            value = [value]
        return value
    if roll < 0.25 and depth < 3:
        return [hostile_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    if roll < 0.4 and depth < 3:
        return {hostile_key(rng): hostile_value(rng, depth + 1) for _ in range(rng.randint(0, 3))}
    return rng.choice(HOSTILE_SCALARS)


def hostile_key(rng: random.Random) -> str:
    """A key: often an odd one."""
    return rng.choice(["", " ", "k" * 1_048_576, "\ud800", "a.b", "$ref", "x", "0"])


def payload(rng: random.Random, schema: FunctionSchema) -> Any:
    """One argument payload for ``schema``: its own keys with hostile values, and extras."""
    if rng.random() < 0.05:
        return hostile_value(rng)
    declared = list(schema.parameters.get("properties", {}))
    arguments = {name: hostile_value(rng) for name in declared if rng.random() < 0.7}
    if rng.random() < 0.3:
        arguments[hostile_key(rng)] = hostile_value(rng)
    return arguments


def main() -> int:
    """Print the counts; exit 1 when anything but ``InvalidArguments`` escaped."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schemas", type=int, default=400)
    parser.add_argument("--payloads", type=int, default=250)
    parser.add_argument("--seed", type=int, default=7)
    options = parser.parse_args()
    corpus = find_corpus()
    if corpus is None:
        print(missing_corpus_reason(), file=sys.stderr)
        return 2
    schemas = [s for s in import_corpus(corpus).schemas.values() if isinstance(s, FunctionSchema)]
    schemas = schemas[: options.schemas]
    rng = random.Random(options.seed)
    outcomes: Counter[str] = Counter()
    longest = 0
    nameless = 0
    for schema in schemas:
        for _ in range(options.payloads):
            arguments = payload(rng, schema)
            try:
                accepted = schema.validate_arguments(arguments)
                json.dumps(accepted, allow_nan=False)
                outcomes["accepted"] += 1
            except InvalidArguments as error:
                outcomes["refused (InvalidArguments)"] += 1
                message = str(error)
                longest = max(longest, len(message))
                nameless += bool(NAMELESS.search(message))
            except Exception as error:  # the defect this script counts
                outcomes[f"raised {type(error).__name__}"] += 1
    total = sum(outcomes.values())
    print(f"{len(schemas)} corpus functions x {options.payloads} payloads = {total} calls")
    for outcome, count in sorted(outcomes.items()):
        print(f"  {outcome}: {count}")
    print(f"longest refusal message: {longest} characters")
    print(f"refusals naming no field for an undeclared key: {nameless}")
    escaped = total - outcomes["accepted"] - outcomes["refused (InvalidArguments)"]
    return 1 if escaped else 0


if __name__ == "__main__":
    sys.exit(main())
