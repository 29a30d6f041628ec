"""Schemathesis against the app in process: every default check on every operation, plus a
check that the canary secret bound to an agent never appears in any response.

CI size: a few examples per operation (``SCHEMATHESIS_EXAMPLES``, default 5);
``scripts/api_fuzz.py`` runs the same at full size and prints the summary.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import Failure

from entrypoints.api.app import create_app
from entrypoints.container import Container
from tests.builders import CANARY, leaked_forms, python_tool_document
from tests.integration.api.conftest import api_settings

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "5"))


def seeded_app() -> tuple[Any, str]:
    """The app on in-memory storage with a tool, an agent bound with the canary, a key."""
    container = Container()
    container.settings.override(api_settings())

    async def seed() -> str:
        await container.tools().define(
            python_tool_document("weather", {"echo": "echo"}, secret_names=("api_key",))
        )
        await container.agents().create("desk", owner_id="u1")
        await container.bindings().bind("desk", "weather", secrets={"api_key": CANARY})
        return (await container.api_keys().create("fuzz", ["admin"])).key.reveal()

    key = asyncio.run(seed())
    return create_app(container), key


REFUSED_BEYOND_THE_SCHEMA = ["412", "422"]
"""Statuses a schema-valid request may still get: a tool document, an agent name, a time
expression have rules JSON Schema cannot state (each is answered with the problem's paths),
and a conditional PUT may find the tool changed."""

APP, KEY = seeded_app()
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "401", "403", "404", "409", *REFUSED_BEYOND_THE_SCHEMA]
            }
        }
    }
)
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", APP, config=CONFIG)


class CanaryLeaked(Failure):
    """A response held the canary secret."""


def canary_absent(ctx: Any, response: Any, case: Any) -> bool | None:
    """No response, whatever the request, holds the bound secret in any form."""
    text = response.content.decode("utf-8", errors="replace") + str(response.headers)
    for form in leaked_forms(CANARY):
        if form in text:
            raise CanaryLeaked(
                operation=case.operation.label,
                title="The canary secret leaked",
                message=f"the response holds {form!r}",
            )
    return None


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_every_operation_passes_every_check(case: Any) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {KEY}"}, additional_checks=[canary_absent]
    )
