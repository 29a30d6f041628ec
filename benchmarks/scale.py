"""Item 6, scale: defining, binding, syncing and importing at the catalog's full size.

- define: every BFCL tool through ``ToolService.define``, time per definition and the
  SQLite file's size after;
- bind: ``BindingService.bind`` 500 times, one agent, one tool each: the median of the
  last ten binds against the median of the first ten (linear means flat per bind);
- sync: ``tools sync`` of the built-in packages a second time (nothing changed):
  statements that write, counted on the engine;
- import: ``import_function`` over every corpus definition in a fresh interpreter.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy.engine import make_url

from adapters.code_sync import sync_packages
from benchmarks.catalog import tool_documents
from benchmarks.environment import open_platform, settings_for
from benchmarks.report import Report, Row, ms
from tests.integration.statements import count_statements

SECTION = "scale"
SYNCED_PACKAGE = "adapters.tool_packages"
COLD_IMPORT = (
    "import time, sys; started = time.perf_counter()\n"
    "from tests.corpus import find_corpus, import_corpus\n"
    "report = import_corpus(find_corpus())\n"
    "print(time.perf_counter() - started, report.occurrences, report.distinct)\n"
)


async def run(report: Report, database_url: str, catalog: int | None, binds: int) -> None:
    """Measure the four and add the rows."""
    documents = tool_documents(catalog)
    async with open_platform(settings_for(database_url)) as container:
        tools = container.tools()
        started = time.perf_counter()
        for document in documents:
            await tools.define(document, allow_incompatible=True)
        defined = time.perf_counter() - started
        database = Path(str(make_url(database_url).database))
        size = sum(path.stat().st_size for path in database.parent.glob(f"{database.name}*"))
        report.add(
            Row(
                SECTION,
                f"define {len(documents)} BFCL tools",
                f"{defined:.1f} s",
                f"{ms(defined / len(documents))} each, database {size / 2**20:.1f} MiB",
                figure=defined,
            )
        )
        agent = await container.agents().create("wide")
        bindings = container.bindings()
        spans = []
        for document in documents[:binds]:
            started = time.perf_counter()
            await bindings.bind(agent.id, document["name"])
            spans.append(time.perf_counter() - started)
        first, last = statistics.median(spans[:10]), statistics.median(spans[-10:])
        report.add(
            Row(
                SECTION,
                f"bind one agent to {binds} tools: last 10 binds",
                ms(last),
                f"first 10 {ms(first)}; all {sum(spans):.1f} s",
                last / first,
                2.0,
                last,
            )
        )
        await sync_packages([SYNCED_PACKAGE], tools)
        with count_statements(container.storage().engine) as log:  # type: ignore[attr-defined]
            await sync_packages([SYNCED_PACKAGE], tools)
        writes = sum(len(log.of_kind(kind)) for kind in ("INSERT", "UPDATE", "DELETE"))
        report.add(
            Row(
                SECTION,
                f"tools sync {SYNCED_PACKAGE}, unchanged: writes",
                str(writes),
                f"{len(log.statements)} statements in all",
                target=0,
                figure=writes,
            )
        )
    root = Path(__file__).resolve().parent.parent
    output = subprocess.run(
        [sys.executable, "-c", COLD_IMPORT], cwd=root, capture_output=True, text=True, check=True
    ).stdout.split()
    seconds, occurrences, distinct = float(output[0]), int(output[1]), int(output[2])
    report.add(
        Row(
            SECTION,
            "schema import of the whole corpus, cold",
            f"{seconds:.1f} s",
            f"{occurrences} definitions ({distinct} distinct), {ms(seconds / occurrences)} each",
            figure=seconds,
        )
    )
