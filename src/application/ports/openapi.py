"""The OpenAPI port: a published API description, read into the OpenAPI 3 shape."""

from __future__ import annotations

from typing import Any, Protocol

from domain.json_types import JsonObject


class OpenApiParser(Protocol):
    """Reads an OpenAPI 3.0/3.1 or Swagger 2.0 document into the OpenAPI 3 shape."""

    def parse(self, data: Any) -> JsonObject:
        """Return ``data`` as an OpenAPI 3 document (Swagger 2.0 converted).

        Raises:
            InvalidOpenApiDocument: When ``data`` is not an OpenAPI or Swagger document.
        """
        ...
