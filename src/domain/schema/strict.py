"""The closed-world reading of a schema used to validate arguments.

The rule: a node gets ``"additionalProperties": false`` when it is a **plain object**,
that is when all of these hold:

1. it lists ``properties`` and says nothing else about other keys (no
   ``additionalProperties``, ``patternProperties``, ``unevaluatedProperties``);
2. it combines with no other schema in place (no ``allOf``, ``anyOf``, ``oneOf``,
   ``not``, ``if``/``then``/``else``, ``dependentSchemas``, ``dependencies``, ``$ref``,
   ``$dynamicRef``, ``$recursiveRef``), whose members may declare more keys;
3. it sits in a **plain position**: it is the root, or it is reached from a plain
   position only through ``properties``, ``patternProperties``,
   ``additionalProperties``, ``items``, ``prefixItems`` and ``additionalItems``
   (whatever else the parent holds), or it is the target of references all of which
   are plain aliases (a node in a plain position holding a local reference and nothing
   but annotations such as ``description`` or ``default``).

Why this never widens what the schema accepts: each of those keywords requires its
subschema to hold for some members of the value and says nothing else, so a value that
fails a narrower subschema fails the parent too; by induction from the root, narrowing a
node in a plain position narrows the whole schema. Nodes under ``not``, ``oneOf``,
``if`` or ``contains`` (with ``maxContains``) are left alone: there narrowing a member
can make the whole accept more. Members of ``anyOf``, ``allOf`` and ``then``/``else``,
and targets of other references, are left alone too, though closing them would narrow:
their siblings may declare the other keys (pydantic's ``allOf: [{"$ref"}, {...}]``,
2020-12's ``unevaluatedProperties: false``), and closing them would refuse valid values.
"""

from __future__ import annotations

import json

from domain.json_types import JsonObject, JsonValue
from domain.schema.walk import REFERENCE_KEYWORDS, iter_schemas, resolve_pointer

_OPENING = frozenset({"additionalProperties", "patternProperties", "unevaluatedProperties"})
_COMBINING = frozenset(
    {"allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas", "dependencies"}
) | frozenset(REFERENCE_KEYWORDS)
_ANNOTATIONS = frozenset(
    {"title", "description", "default", "examples", "$comment", "deprecated", "readOnly"}
    | {"writeOnly"}
)
_SINGLE_EDGES = ("additionalProperties", "items", "additionalItems")
_MAP_EDGES = ("properties", "patternProperties")
_LIST_EDGES = ("prefixItems", "items")


def close_objects(schema: JsonObject) -> JsonObject:
    """Return a copy of ``schema`` in which plain objects refuse undeclared keys.

    Args:
        schema: The function's ``parameters``.

    Returns:
        The closed copy; ``schema`` itself is not changed.
    """
    closed: JsonObject = json.loads(json.dumps(schema))  # unlike deepcopy, shares no node
    for node in _plain_nodes(closed):
        if isinstance(node.get("properties"), dict) and not node.keys() & (_OPENING | _COMBINING):
            node["additionalProperties"] = False
    return closed


def _plain_nodes(root: JsonObject) -> list[JsonObject]:
    """Every node in a plain position: the greatest set the rule allows."""
    referrers: dict[int, list[JsonObject]] = {}
    for node, _ in iter_schemas(root):
        for keyword in REFERENCE_KEYWORDS:
            target = resolve_pointer(root, node.get(keyword))
            if isinstance(target, dict):
                referrers.setdefault(id(target), []).append(node)
    aliased = {target for target, nodes in referrers.items() if all(_is_alias(n) for n in nodes)}
    while True:
        plain = _reach(root, referrers, aliased)
        kept = {t for t in aliased if all(id(n) in plain for n in referrers[t])}
        if kept == aliased:
            return list(plain.values())
        aliased = kept


def _reach(
    root: JsonObject, referrers: dict[int, list[JsonObject]], aliased: set[int]
) -> dict[int, JsonObject]:
    plain: dict[int, JsonObject] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in plain or (id(node) in referrers and id(node) not in aliased):
            continue
        plain[id(node)] = node
        stack.extend(_plain_children(root, node))
    return plain


def _plain_children(root: JsonObject, node: JsonObject) -> list[JsonObject]:
    children: list[JsonValue] = [node.get(keyword) for keyword in _SINGLE_EDGES]
    for keyword in _MAP_EDGES:
        members = node.get(keyword)
        if isinstance(members, dict):
            children.extend(members.values())
    for keyword in _LIST_EDGES:
        members = node.get(keyword)
        if isinstance(members, list):
            children.extend(members)
    if _is_alias(node):
        children.extend(resolve_pointer(root, node.get(k)) for k in REFERENCE_KEYWORDS)
    return [child for child in children if isinstance(child, dict)]


def _is_alias(node: JsonObject) -> bool:
    keywords = node.keys() & frozenset(REFERENCE_KEYWORDS)
    return len(keywords) == 1 and not node.keys() - keywords - _ANNOTATIONS
