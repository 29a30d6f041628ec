"""Write the admin API's OpenAPI document to docs/openapi.json (a test compares it).

Run it after changing the API: ``.venv/bin/python scripts/openapi.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

from entrypoints.api.app import create_app
from entrypoints.container import Container

TARGET = Path(__file__).resolve().parents[1] / "docs" / "openapi.json"


def main() -> None:
    """Write the document, indented, keys in the app's order."""
    document = create_app(Container()).openapi()
    TARGET.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {TARGET} ({len(document['paths'])} paths)")


if __name__ == "__main__":
    main()
