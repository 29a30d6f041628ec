"""Every error of the admin API as an RFC 9457 problem details document.

Domain errors are mapped to a status in one table (:data:`STATUS`); their messages
never hold a secret value. Located problems (a schema, a config) come in ``errors``
with their JSON paths. Anything unexpected is a 500 whose detail says nothing more.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException
from starlette.routing import compile_path

from domain.errors import (
    BindingMisfit,
    BindingRefused,
    Conflict,
    DomainError,
    Forbidden,
    HandlerNotAllowed,
    InvalidAgent,
    InvalidApiKey,
    InvalidCallQuery,
    InvalidOpenApiDocument,
    McpServerUnavailable,
    NotFound,
    PreconditionFailed,
    ProblemsError,
    SecretUnreadable,
    StorageUnavailable,
    StoredToolUnreadable,
    ToolFailure,
    Unauthenticated,
)
from entrypoints.commands.output import one_line

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://livekit-tool-platform.dev/problems/"
"""Each problem's ``type`` is this plus its slug (documented in docs/api.md)."""

logger = logging.getLogger(__name__)

STATUS: tuple[tuple[type[DomainError], int, str], ...] = (
    (Unauthenticated, 401, "unauthenticated"),
    (Forbidden, 403, "forbidden"),
    (NotFound, 404, "not-found"),
    (PreconditionFailed, 412, "precondition-failed"),
    (Conflict, 409, "conflict"),
    (StoredToolUnreadable, 409, "stored-tool-unreadable"),
    (SecretUnreadable, 409, "secret-unreadable"),
    (ProblemsError, 422, "invalid"),
    (BindingRefused, 422, "invalid"),
    (InvalidAgent, 422, "invalid"),
    (InvalidApiKey, 422, "invalid"),
    (HandlerNotAllowed, 422, "invalid"),
    (InvalidOpenApiDocument, 422, "invalid"),
    (InvalidCallQuery, 422, "invalid"),
    (ToolFailure, 422, "invalid"),
    (StorageUnavailable, 503, "unavailable"),
    (McpServerUnavailable, 502, "upstream-unavailable"),
    (BindingMisfit, 422, "invalid"),
)
"""Domain error -> HTTP status and problem slug; the first matching class wins."""


class ProblemLocation(BaseModel):
    """One located problem: where (a JSON path) and what."""

    path: str
    message: str


class Problem(BaseModel):
    """An RFC 9457 problem details document."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[ProblemLocation] = []


def documented_problems() -> dict[int | str, dict[str, Any]]:
    """The problem responses every credentialed operation may answer (for OpenAPI)."""
    reasons = {
        400: "A malformed parameter",
        401: "No credential, or one that proves nothing",
        403: "The credential may not do this",
        404: "Not found (or another owner's agent)",
        409: "A conflict with what is stored",
        412: "If-Match / If-None-Match not met",
        422: "A body or parameter that breaks a rule (errors: the paths)",
        502: "An MCP server to list cannot be reached",
        503: "The storage cannot be reached",
    }
    content = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    return {
        status: {"description": reason, "model": Problem, "content": content}
        for status, reason in reasons.items()
    }


def problem_response(
    status: int,
    slug: str,
    detail: str,
    errors: list[dict[str, str]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """A problem details response (``application/problem+json``)."""
    body: dict[str, Any] = {
        "type": TYPE_BASE + slug,
        "title": slug.replace("-", " ").capitalize(),
        "status": status,
        "detail": detail,
        "errors": errors or [],
    }
    return JSONResponse(
        body, status_code=status, media_type=PROBLEM_JSON, headers=dict(headers or {})
    )


def domain_problem(error: DomainError) -> JSONResponse:
    """The problem response for a domain error, by :data:`STATUS`."""
    status, slug = next(
        ((status, slug) for kind, status, slug in STATUS if isinstance(error, kind)),
        (400, "bad-request"),
    )
    errors = (
        [{"path": p.path, "message": p.message} for p in error.problems]
        if isinstance(error, ProblemsError)
        else None
    )
    detail = error.summary if isinstance(error, ProblemsError) else one_line(error)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return problem_response(status, slug, detail, errors, headers)


def install_problem_handlers(app: FastAPI) -> None:
    """Make every error of ``app`` a problem details response."""

    async def on_domain_error(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, DomainError)
        return domain_problem(error)

    async def on_invalid_request(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, RequestValidationError)
        errors = [
            {"path": _path(problem["loc"]), "message": str(problem["msg"])}
            for problem in error.errors()
        ]
        return problem_response(422, "invalid", "the request is not valid", errors)

    async def on_http_error(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, HTTPException)
        slug = {404: "not-found", 405: "method-not-allowed"}.get(error.status_code, "http-error")
        headers = dict(error.headers or {})
        if error.status_code == 405:
            headers["Allow"] = ", ".join(allowed_methods(app, request.url.path))
        return problem_response(error.status_code, slug, str(error.detail), None, headers)

    async def on_unexpected(request: Request, error: Exception) -> JSONResponse:
        logger.error(
            "internal error answering %s %s: %s",
            request.method,
            request.url.path,
            type(error).__name__,
        )
        return problem_response(500, "internal-error", "the server failed; it is logged")

    app.add_exception_handler(DomainError, on_domain_error)
    app.add_exception_handler(RequestValidationError, on_invalid_request)
    app.add_exception_handler(HTTPException, on_http_error)
    app.add_exception_handler(Exception, on_unexpected)


def allowed_methods(app: FastAPI, path: str) -> list[str]:
    """Every method the app documents for ``path``: a 405's ``Allow``, whatever route failed."""
    methods: set[str] = set()
    for template, operations in app.openapi()["paths"].items():
        pattern, _, _ = compile_path(template)
        if pattern.match(path):
            methods.update(method.upper() for method in operations)
    return sorted(methods)


def _path(location: tuple[Any, ...] | list[Any]) -> str:
    """A pydantic location as a dotted JSON path (``body.config.port``, ``query.limit``)."""
    return ".".join(str(part) for part in location)
