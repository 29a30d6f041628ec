"""The call log: the audit's records with filters, and one call with its masked request."""

from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from application.authorization import Action
from application.moments import parse_moment
from domain.call_status import CallStatus
from domain.errors import InvalidCallQuery, NotFound
from entrypoints.web.context import ReadPage

DEFAULT_LIMIT = 100

router = APIRouter()


@router.get("/calls", response_class=HTMLResponse)
async def calls_list(
    page: ReadPage,
    *,
    agent: str = "",
    tool: str = "",
    function: str = "",
    outcome: str = "",
    since: str = "",
) -> Response:
    """The latest calls matching the filters (a user's: their own agents' calls only)."""
    visible = await page.container.agent_access().visible_ids(page.principal, Action.READ_CALLS)
    audit = page.container.call_audit()
    filters = {"agent": agent, "tool": tool, "function": function, "outcome": outcome}
    values: dict[str, Any] = {
        **filters,
        "since": since,
        "outcomes": [str(status) for status in CallStatus],
        "records": [],
        "error": "",
    }
    try:
        values["records"] = await audit.list(
            **{key: value or None for key, value in filters.items()},
            agent_ids=visible,
            since=parse_moment(since, audit.clock()) if since else None,
            limit=DEFAULT_LIMIT,
        )
    except (InvalidCallQuery, NotFound) as refused:
        values["error"] = str(refused)
    return page.render("calls.html", values)


@router.get("/calls/{record_id}", response_class=HTMLResponse)
async def call_page(page: ReadPage, record_id: str) -> Response:
    """One call: outcome, timing, the executor's details with the request as rendered."""
    visible = await page.container.agent_access().visible_ids(page.principal, Action.READ_CALLS)
    record = await page.container.call_audit().show(record_id, agent_ids=visible)
    return page.render(
        "call.html", {"record": record, "call_request": record.details.get("request")}
    )
