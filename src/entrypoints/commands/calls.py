"""``tool-platform calls``: the call audit: list, show, statistics, retention."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import typer

from application.call_audit import CallAuditService, FunctionStats
from application.moments import parse_duration, parse_moment
from domain.call_records import CallRecord
from entrypoints.commands.output import (
    JsonFlag,
    emit_json,
    fields,
    pretty_json,
    printable,
    reported_errors,
    say,
    table,
)
from entrypoints.commands.session import run
from entrypoints.commands.views import call_stats_view, call_summary_view, call_view

app = typer.Typer(help="The call audit: every tool call, recorded.", no_args_is_help=True)

Since = Annotated[
    str | None,
    typer.Option(
        help="Only calls started since then: an ISO 8601 time (2026-11-30T09:00:00Z, UTC "
        "when it names no zone) or a duration back from now (15m, 24h, 7d, PT15M)."
    ),
]


@app.command("list")
def list_calls(
    *,
    agent: Annotated[str | None, typer.Option(help="One agent's id or name.")] = None,
    tool: Annotated[str | None, typer.Option(help="One tool's name.")] = None,
    function: Annotated[str | None, typer.Option(help="One function's name.")] = None,
    outcome: Annotated[
        str | None, typer.Option(help="One outcome: ok, no_results, tool_error, timeout_...")
    ] = None,
    since: Since = None,
    limit: Annotated[int, typer.Option(help="The most calls shown (1 to 10,000).")] = 50,
    as_json: JsonFlag = False,
) -> None:
    """List recorded calls, newest first."""

    async def work(audit: CallAuditService) -> list[CallRecord]:
        return await audit.list(
            agent=agent,
            tool=tool,
            function=function,
            outcome=outcome,
            since=_moment(since, audit),
            limit=limit,
        )

    with reported_errors():
        records = run(lambda container: work(container.call_audit()))
    if as_json:
        emit_json([call_summary_view(record) for record in records])
        return
    if not records:
        say("No calls recorded that match.")
        return
    rows = [
        (
            record.id,
            record.started_at.isoformat(timespec="seconds"),
            printable(_tool(record)),
            printable(record.function[:64]),
            str(record.outcome) + (" (repeated)" if record.repeated else ""),
            f"{record.duration_ms:.0f}",
        )
        for record in records
    ]
    say(table(("ID", "STARTED", "TOOL", "FUNCTION", "OUTCOME", "MS"), rows))


@app.command()
def show(
    record_id: Annotated[str, typer.Argument(metavar="ID", help="The call record's id.")],
    as_json: JsonFlag = False,
) -> None:
    """Show one call: its tool version, what was sent (secrets masked), what came back."""
    with reported_errors():
        record = run(lambda container: container.call_audit().show(record_id))
    view = call_view(record)
    if as_json:
        emit_json(view)
        return
    shown = {**view, **_request_lines(view.pop("details"))}
    say(
        fields(
            (key.replace("_", " "), value if isinstance(value, str) else pretty_json(value))
            for key, value in shown.items()
            if value is not None and key != "details"
        )
    )


def _request_lines(details: dict[str, Any]) -> dict[str, Any]:
    """What the executor did, an HTTP request as it went on the wire (secrets masked)."""
    request = details.get("request")
    if not isinstance(request, dict):
        return details
    return {
        "request": f"{request['method']} {request['url']}",
        "header names": ", ".join(request["header_names"]) or "-",
        "body": request["body"],
        **{key: value for key, value in details.items() if key != "request"},
    }


@app.command()
def stats(since: Since = None, as_json: JsonFlag = False) -> None:
    """Per function: how many calls, the error rate, and p50/p95/p99 durations."""

    async def work(audit: CallAuditService) -> tuple[datetime | None, list[FunctionStats]]:
        moment = _moment(since, audit)
        return moment, await audit.stats(since=moment)

    with reported_errors():
        moment, found = run(lambda container: work(container.call_audit()))
    view = call_stats_view(moment, found)
    if as_json:
        emit_json(view)
        return
    functions = view["functions"]
    if not functions:
        say("No calls recorded in that period.")
        return
    rows = [
        (
            printable(str(item["tool"] or "-")),
            printable(str(item["function"])[:64]),
            str(item["count"]),
            f"{item['error_rate']:.1%}",
            f"{item['p50_ms']:.0f}",
            f"{item['p95_ms']:.0f}",
            f"{item['p99_ms']:.0f}",
        )
        for item in functions
    ]
    say(table(("TOOL", "FUNCTION", "CALLS", "ERRORS", "P50 MS", "P95 MS", "P99 MS"), rows))


@app.command()
def prune(
    older_than: Annotated[
        str | None,
        typer.Option(
            metavar="DURATION",
            help="Delete the calls older than this (15m, 24h, 7d, PT15M); default: "
            "TOOL_PLATFORM_AUDIT_RETENTION_DAYS.",
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Delete old call records (the worker also does it once a day)."""
    with reported_errors():
        age = None if older_than is None else parse_duration(older_than)
        report = run(lambda container: container.call_audit().prune(older_than=age))
    if as_json:
        emit_json({"deleted": report.deleted, "before": report.before.isoformat()})
    else:
        say(f"Deleted {report.deleted} call record(s) of calls started before {report.before}.")


def _moment(text: str | None, audit: CallAuditService) -> datetime | None:
    return None if text is None else parse_moment(text, audit.clock())


def _tool(record: CallRecord) -> str:
    if record.tool is None:
        return "-"
    return f"{record.tool}@{record.tool_version}"
