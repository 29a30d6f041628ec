"""The tools list and the tool editor: document, live lint, builder, versions, save."""

import difflib
import json
from typing import Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from domain.errors import Conflict, HandlerNotAllowed, NotFound, ProblemsError
from domain.tools.definition import ToolDefinition
from domain.tools.kinds import ToolKind
from domain.tools.unreadable import UnreadableTool
from entrypoints.container import Container
from entrypoints.web import builder
from entrypoints.web.context import PREFIX, Page, ReadPage, WritePage
from entrypoints.web.forms import form_fields

NEW_TOOL_DOCUMENT: dict[str, Any] = {
    "name": "new_tool",
    "display_name": "New tool",
    "description": "What the tool is for.",
    "kind": "http",
    "config_schema": {"type": "object", "properties": {}},
    "secret_names": [],
    "tool_functions_schema": {"functions": []},
    "run": {"requests": {}},
}
"""What the editor starts a new tool from."""

router = APIRouter()


class DocumentUnreadable(ValueError):
    """The editor's text is not a JSON document."""


class BuilderEdit(BaseModel):
    """One edit of the visual builder, with the document it applies to.

    Attributes:
        document: The editor's text.
        op: ``add_function``, ``add_parameter`` or ``remove_parameter``.
        function: The function a parameter edit is about.
        name: The new function's or the parameter's name.
        kind: The new parameter's type.
        description: The new function's or parameter's description.
        required: ``true`` when the new parameter is required.
        base_version: The version the editor was opened on (kept for the save).
    """

    document: str
    op: str
    function: str = ""
    name: str = ""
    kind: str = "string"
    description: str = ""
    required: str = ""
    base_version: str = ""


def parse_document(text: str) -> Any:
    """The editor's text as JSON.

    Raises:
        DocumentUnreadable: Saying where the JSON breaks.
    """
    try:
        return json.loads(text)
    except ValueError as error:
        raise DocumentUnreadable(f"the document is not valid JSON: {error}") from None
    except RecursionError:
        raise DocumentUnreadable("the document is nested too deeply") from None


def pretty(document: Any) -> str:
    """A document as the editor shows it."""
    return json.dumps(document, indent=2, ensure_ascii=False)


@router.get("/tools", response_class=HTMLResponse)
async def tools_list(page: ReadPage, q: str = "", kind: str = "") -> Response:
    """The catalog: kind, version, lint badge, how many agents are bound to each tool."""
    entries = await page.container.catalog_overview().entries(q, kind)
    linter = page.container.tool_linter()
    rows: list[dict[str, Any]] = []
    for entry in entries:
        tool = entry.tool
        if isinstance(tool, UnreadableTool):
            rows.append({"name": tool.name, "unreadable": tool.message, "bound_by": ()})
            continue
        rows.append(
            {
                "name": tool.name,
                "display_name": tool.display_name,
                "kind": str(tool.kind),
                "version": tool.version,
                "functions": len(tool.functions),
                "lint": "ok" if linter.lint(tool.to_document()).definable else "problems",
                "bound_by": entry.bound_by,
            }
        )
    values = {"rows": rows, "q": q, "kind": kind, "kinds": [str(k) for k in ToolKind]}
    return page.render("tools.html", values)


@router.get("/tools-new", response_class=HTMLResponse)
async def new_tool(page: ReadPage) -> Response:
    """The editor on a new tool's skeleton (saving it creates the tool, never replaces one)."""
    return _editor(page, None, [], "document")


@router.get("/tools/{name}", response_class=HTMLResponse)
async def edit_tool(page: ReadPage, name: str, tab: str = "document") -> Response:
    """The editor on a tool's latest version: document, versions or test tab."""
    try:
        versions = await page.container.tools().versions(name)
    except NotFound as missing:
        return page.render("missing.html", {"error": str(missing)}, 404)
    return _editor(page, versions[-1], versions, tab)


def _editor(
    page: Page, tool: ToolDefinition | None, versions: list[ToolDefinition], tab: str
) -> Response:
    document = tool.to_document() if tool else NEW_TOOL_DOCUMENT
    values = {
        "tool": tool,
        "base_version": str(tool.version) if tool else "",
        "document_text": pretty(document),
        "tab": tab,
        "versions": list(reversed(versions)),
        "functions": builder.function_entries(document),
        "parameter_types": builder.PARAMETER_TYPES,
        "lint": lint_values(page.container, document),
    }
    return page.render("tool_editor.html", values)


@router.post("/tools-lint", response_class=HTMLResponse)
async def lint(page: WritePage, document: Annotated[str, Form()] = "") -> Response:
    """The live lint of the editor's text; nothing is stored."""
    try:
        values = lint_values(page.container, parse_document(document))
    except DocumentUnreadable as unreadable:
        values = {"unreadable": str(unreadable)}
    return page.render("lint.html", {"lint": values})


@router.post("/tools-builder", response_class=HTMLResponse)
async def build(page: WritePage, edit: Annotated[BuilderEdit, Form()]) -> Response:
    """Apply one builder edit to the editor's document and show the editor again."""
    error, text = "", edit.document
    parsed: Any = None
    try:
        parsed = _apply(parse_document(edit.document), edit)
        text = pretty(parsed)
    except (DocumentUnreadable, builder.BuilderRefused) as refused:
        error, parsed = str(refused), None
    values = {
        "base_version": edit.base_version,
        "document_text": text,
        "functions": builder.function_entries(parsed),
        "parameter_types": builder.PARAMETER_TYPES,
        "builder_error": error,
        "lint": lint_values(page.container, parsed) if parsed is not None else {},
    }
    return page.render("document_form.html", values)


def _apply(document: Any, edit: BuilderEdit) -> Any:
    if edit.op == "add_function":
        return builder.add_function(document, edit.name, edit.description)
    if edit.op == "add_parameter":
        required = edit.required == "true"
        return builder.add_parameter(
            document, edit.function, edit.name, edit.kind, edit.description, required=required
        )
    if edit.op == "remove_parameter":
        return builder.remove_parameter(document, edit.function, edit.name)
    raise builder.BuilderRefused(f"unknown builder action {edit.op!r}")


@router.post("/tools-save", response_class=HTMLResponse)
async def save(
    page: WritePage,
    document: Annotated[str, Form()],
    base_version: Annotated[str, Form()] = "",
) -> Response:
    """Store the editor's document as the tool's next version, unless it changed meanwhile.

    ``base_version`` is the version the editor was opened on (empty for a new tool):
    when the latest version is another one, nothing is stored and the answer is 412.
    """
    try:
        parsed = parse_document(document)
    except DocumentUnreadable as unreadable:
        return outcome(page, str(unreadable), [], 422)
    return await store(page, parsed, base_version)


async def store(page: Page, document: Any, base_version: str) -> Response:
    """Define ``document`` unless its tool's latest version is not ``base_version`` (412).

    The answer redirects the editor to the stored version (``HX-Redirect``), or is a
    fragment saying why nothing was stored: 412 stale, 422 invalid, 409 refused.
    """
    name = document.get("name") if isinstance(document, dict) else None
    if isinstance(name, str) and name:
        stale = await _stale(page.container, name, base_version)
        if stale:
            return outcome(page, stale, [], 412)
    try:
        defined = await page.container.tools().define(document)
    except ProblemsError as invalid:
        return outcome(page, invalid.summary, [str(p) for p in invalid.problems], 422)
    except (HandlerNotAllowed, Conflict) as refused:
        return outcome(page, str(refused), [], 409)
    response = Response(status_code=204)
    tool = defined.tool
    response.headers["HX-Redirect"] = f"{PREFIX}/tools/{tool.name}?saved={tool.version}"
    return response


async def _stale(container: Container, name: str, base_version: str) -> str:
    try:
        latest: int | None = (await container.tools().show(name)).version
    except NotFound:
        latest = None
    if latest is None:
        return ""
    if base_version == "":
        return f"tool {name!r} already exists (version {latest}); open it to edit it"
    if str(latest) != base_version:
        return (
            f"tool {name!r} changed since this page loaded it: you edited version "
            f"{base_version}, the latest is version {latest}. Reload to see it; "
            "nothing was saved"
        )
    return ""


def outcome(page: Page, message: str, problems: list[str], status: int) -> Response:
    """A fragment saying why nothing was stored (or what was not found)."""
    values = {"message": message, "problems": problems}
    return page.render("save_outcome.html", values, status_code=status)


@router.get("/tools/{name}/diff", response_class=HTMLResponse)
async def diff(page: ReadPage, name: str, a: int, b: int) -> Response:
    """The unified diff between two versions' documents."""
    tools = page.container.tools()
    try:
        older, newer = await tools.show(name, a), await tools.show(name, b)
    except NotFound as missing:
        return outcome(page, str(missing), [], 404)
    lines = difflib.unified_diff(
        pretty(older.content()).splitlines(),
        pretty(newer.content()).splitlines(),
        f"version {a}",
        f"version {b}",
        lineterm="",
    )
    return page.render("diff.html", {"lines": list(lines), "a": a, "b": b})


@router.post("/tools/{name}/restore", response_class=HTMLResponse)
async def restore(
    page: WritePage,
    name: str,
    version: Annotated[int, Form()],
    base_version: Annotated[str, Form()],
) -> Response:
    """Store an older version's content as the next version (412 if the tool changed)."""
    try:
        old = await page.container.tools().show(name, version)
    except NotFound as missing:
        return outcome(page, str(missing), [], 404)
    return await store(page, old.content(), base_version)


def lint_values(container: Container, document: Any) -> dict[str, Any]:
    """What the lint panel shows for a document: problems, verdicts, the config form."""
    verdict = container.tool_linter().lint(document)
    schema = verdict.tool.config_schema if verdict.tool else None
    if schema is None and isinstance(document, dict):
        schema = document.get("config_schema")
    preview = form_fields(schema, prefix="config") if isinstance(schema, dict) else ()
    return {
        "definable": verdict.definable,
        "problems": [str(problem) for problem in verdict.problems],
        "functions": [
            {
                "name": f.name,
                "accepted": f.accepted,
                "reasons": f.reasons,
                "warnings": f.warnings,
                "offered": pretty(f.offered) if f.offered is not None else "",
            }
            for f in verdict.functions
        ],
        "config_preview": preview,
    }
