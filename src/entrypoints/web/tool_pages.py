"""The tools list and the tool editor: document, live lint, builder, versions, save."""

import difflib
import json
from typing import Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from adapters.gemini import GeminiSchemaOffering
from application.authorization import Action
from application.catalog import ToolFilter
from application.tools import Expected
from domain.errors import (
    Conflict,
    DomainError,
    Forbidden,
    HandlerNotAllowed,
    PreconditionFailed,
    ProblemsError,
)
from domain.tools.definition import ToolDefinition
from domain.tools.kinds import ToolKind
from domain.tools.unreadable import UnreadableTool
from entrypoints.commands.lint import lint_tool, report_json
from entrypoints.container import Container
from entrypoints.web import builder
from entrypoints.web.context import PREFIX, Page, ReadPage, WritePage
from entrypoints.web.forms import form_fields
from entrypoints.web.refusals import refusal

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
        base: The fingerprint of the version the editor was opened on (kept for the save).
    """

    document: str
    op: str
    function: str = ""
    name: str = ""
    kind: str = "string"
    description: str = ""
    required: str = ""
    base: str = ""


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
    page.authorize(Action.READ_CATALOG)
    entries = await page.container.catalog_overview().entries(ToolFilter(kind or None, q or None))
    offering = page.container.gemini_offering()
    calls = await _calls_by_tool(page)
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
                "lint": "ok" if _lints_clean(page, tool, offering) else "problems",
                "bound_by": entry.bound_by,
                "calls": calls.get(tool.name),
            }
        )
    values = {"rows": rows, "q": q, "kind": kind, "kinds": [str(k) for k in ToolKind]}
    return page.render("tools.html", values)


async def _calls_by_tool(page: Page) -> dict[str, tuple[int, float]]:
    """Per tool: the calls the audit holds and their error rate (of the agents visible).

    Empty when the principal may not read the call audit.
    """
    try:
        visible = await page.container.agent_access().visible_ids(page.principal, Action.READ_CALLS)
    except Forbidden:
        return {}
    totals: dict[str, tuple[int, int]] = {}
    for stats in await page.container.call_audit().stats(agent_ids=visible):
        if stats.tool is not None:
            count, errors = totals.get(stats.tool, (0, 0))
            totals[stats.tool] = (count + stats.count, errors + stats.errors)
    return {tool: (count, errors / count) for tool, (count, errors) in totals.items()}


def _lints_clean(page: Page, tool: ToolDefinition, offering: GeminiSchemaOffering) -> bool:
    """The list's lint badge: today's limits kept, and every function reaches the model."""
    return (
        not page.container.tools().problems(tool) and lint_tool(tool, "catalog", offering).accepted
    )


@router.get("/tools-new", response_class=HTMLResponse)
async def new_tool(page: ReadPage) -> Response:
    """The editor on a new tool's skeleton (saving it creates the tool, never replaces one)."""
    page.authorize(Action.READ_CATALOG)
    return _editor(page, None, [], "document")


@router.get("/tools/{name}", response_class=HTMLResponse)
async def edit_tool(page: ReadPage, name: str, tab: str = "document") -> Response:
    """The editor on a tool's latest version: document, versions or test tab."""
    page.authorize(Action.READ_CATALOG)
    versions = await page.container.tools().versions(name)
    return _editor(page, versions[-1], versions, tab)


def _editor(
    page: Page, tool: ToolDefinition | None, versions: list[ToolDefinition], tab: str
) -> Response:
    document = tool.to_document() if tool else NEW_TOOL_DOCUMENT
    values = {
        "tool": tool,
        "base": tool.fingerprint if tool else "",
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
    page.authorize(Action.READ_CATALOG)
    try:
        values = lint_values(page.container, parse_document(document))
    except DocumentUnreadable as unreadable:
        values = {"unreadable": str(unreadable)}
    return page.render("lint.html", {"lint": values})


@router.post("/tools-builder", response_class=HTMLResponse)
async def build(page: WritePage, edit: Annotated[BuilderEdit, Form()]) -> Response:
    """Apply one builder edit to the editor's document and show the editor again."""
    page.authorize(Action.READ_CATALOG)
    error, text = "", edit.document
    parsed: Any = None
    try:
        parsed = _apply(parse_document(edit.document), edit)
        text = pretty(parsed)
    except (DocumentUnreadable, builder.BuilderRefused) as refused:
        error, parsed = str(refused), None
    values = {
        "base": edit.base,
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
    base: Annotated[str, Form()] = "",
) -> Response:
    """Store the editor's document as the tool's next version, unless it changed meanwhile.

    ``base`` is the fingerprint of the version the editor was opened on (empty for a
    new tool): when the tool is not in that state, nothing is stored and the answer is 412.
    """
    try:
        parsed = parse_document(document)
    except DocumentUnreadable as unreadable:
        return outcome(page, str(unreadable), [], 422)
    return await store(page, parsed, base)


async def store(page: Page, document: Any, base: str) -> Response:
    """Define ``document`` if its tool is as the editor read it; else nothing is stored.

    ``base`` is the fingerprint of the version the editor was opened on, or empty for a
    new tool (then the tool must not exist). The answer redirects the editor to the
    stored version (``HX-Redirect``), or is a fragment saying why nothing was stored:
    412 changed meanwhile, 422 invalid, 409 refused.
    """
    page.authorize(Action.WRITE_TOOLS)
    expected = Expected(fingerprint=base) if base else Expected(absent=True)
    try:
        defined = await page.container.tools().define(document, expected=expected)
    except PreconditionFailed as stale:
        return outcome(page, f"{stale}. Reload to see it; nothing was saved", [], 412)
    except ProblemsError as invalid:
        return outcome(page, invalid.summary, [str(p) for p in invalid.problems], 422)
    except (HandlerNotAllowed, Conflict) as refused:
        return outcome(page, str(refused), [], 409)
    response = Response(status_code=204)
    tool = defined.tool
    response.headers["HX-Redirect"] = f"{PREFIX}/tools/{tool.name}?saved={tool.version}"
    return response


def outcome_fragment(page: Page, error: DomainError) -> Response:
    """The fragment for a refusal: its message (and located problems) with the API's status."""
    status, values = refusal(error)
    return page.render("save_outcome.html", values, status_code=status)


def outcome(page: Page, message: str, problems: list[str], status: int) -> Response:
    """A fragment saying why nothing was stored (or what was not found)."""
    values = {"message": message, "problems": problems}
    return page.render("save_outcome.html", values, status_code=status)


@router.get("/tools/{name}/diff", response_class=HTMLResponse)
async def diff(page: ReadPage, name: str, a: int, b: int) -> Response:
    """The unified diff between two versions' documents."""
    page.authorize(Action.READ_CATALOG)
    tools = page.container.tools()
    older, newer = await tools.show(name, a), await tools.show(name, b)
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
    base: Annotated[str, Form()],
) -> Response:
    """Store an older version's content as the next version (412 if the tool changed)."""
    old = await page.container.tools().show(name, version)
    return await store(page, old.content(), base)


def lint_values(container: Container, document: Any) -> dict[str, Any]:
    """The lint panel: what ``POST /api/v1/tools:validate`` answers, and the config form.

    The document's problems with their JSON paths (``ToolService.check``), then per
    function the Gemini realtime verdict and the schema the model would be offered (the
    report of ``tools lint``), and the form ``config_schema`` renders.
    """
    schema = document.get("config_schema") if isinstance(document, dict) else None
    preview = form_fields(schema, prefix="config") if isinstance(schema, dict) else ()
    try:
        tool = container.tools().check(document).tool
    except ProblemsError as invalid:
        problems = [str(problem) for problem in invalid.problems]
        return {"definable": False, "problems": problems, "config_preview": preview}
    except HandlerNotAllowed as refused:
        return {"definable": False, "problems": [str(refused)], "config_preview": preview}
    report = report_json(lint_tool(tool, "editor", container.gemini_offering()))
    functions = [
        {**function, "offered": pretty(function["offered_schema"] or "")}
        for function in report["functions"]
    ]
    return {
        "definable": report["accepted"],
        "target": report["target"],
        "problems": [],
        "functions": functions,
        "config_preview": form_fields(tool.config_schema, prefix="config"),
    }
