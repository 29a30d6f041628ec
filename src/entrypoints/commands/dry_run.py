"""``tool-platform call --dry-run``'s text: what a call would do, with nothing sent or run.

The rendering itself is the test runs' (``application/test_runs.py`` and
``adapters/executors/call_preview.py``), shared with the admin API.
"""

from __future__ import annotations

import json

from domain.json_types import JsonObject


def dry_run_text(described: JsonObject) -> str:
    """The dry run for a reader: the request as it would go on the wire, then the guard."""
    if "method" not in described:
        lines = [
            f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in described.items()
        ]
        return "\n".join([*lines, "nothing was run (dry run)"])
    headers = described["headers"]
    assert isinstance(headers, dict)
    lines = [f"{described['method']} {described['url']}"]
    lines.extend(f"{name}: {value}" for name, value in headers.items())
    body = described["body"]
    if body is not None:
        shown = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
        lines.extend(["", shown])
    guard = described["guard"]
    assert isinstance(guard, dict)
    verdict = "allowed" if guard["allowed"] else "refused"
    lines.extend(["", f"guard: {verdict} ({guard['reason']})", "nothing was sent (dry run)"])
    return "\n".join(lines)
