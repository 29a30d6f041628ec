"""``ToolService``: define, list, show, versions and delete, against the in-memory adapters."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.memory.compatibility import InMemoryModelCompatibility
from application.agents import AgentService
from application.bindings import BindingService
from application.policies import HandlerPolicy
from application.ports import CompatibilityVerdict, ModelCompatibility, UnitOfWorkFactory
from application.tools import ToolService
from domain.errors import (
    Conflict,
    HandlerNotAllowed,
    IncompatibleWithModel,
    InvalidToolDocument,
    NotFound,
)
from domain.schema.function_schema import FunctionSchema
from domain.schema.limits import SchemaLimits
from tests.builders import function_doc, http_tool_document, python_tool_document


async def assert_nothing_stored(tools: ToolService, name: str) -> None:
    assert await tools.list_all() == []
    with pytest.raises(NotFound):
        await tools.show(name)


# ------------------------------------------------------------------ define


async def test_defining_a_new_tool_stores_it_as_version_1(tools: ToolService) -> None:
    outcome = await tools.define(http_tool_document("weather"))

    assert outcome.changed is True
    assert outcome.tool.version == 1
    assert await tools.show("weather") == outcome.tool
    assert [t.name for t in await tools.list_all()] == ["weather"]


async def test_defining_the_same_content_again_writes_nothing(tools: ToolService) -> None:
    first = await tools.define(http_tool_document("weather"))

    again = await tools.define(http_tool_document("weather"))

    assert again.changed is False
    assert again.tool == first.tool
    assert [v.version for v in await tools.versions("weather")] == [1]


async def test_a_document_carrying_version_and_fingerprint_is_still_unchanged(
    tools: ToolService,
) -> None:
    first = await tools.define(http_tool_document("weather"))

    exported = first.tool.to_document() | {"version": 7, "fingerprint": "sha256:stale"}
    again = await tools.define(exported)

    assert again.changed is False
    assert [v.version for v in await tools.versions("weather")] == [1]


async def test_changed_content_becomes_version_2_and_version_1_stays_readable(
    tools: ToolService,
) -> None:
    first = await tools.define(http_tool_document("weather", description="Old."))

    second = await tools.define(http_tool_document("weather", description="New."))

    assert second.changed is True
    assert second.tool.version == 2
    assert (await tools.show("weather")).description == "New."
    assert await tools.show("weather", 1) == first.tool
    assert [(v.version, v.description) for v in await tools.versions("weather")] == [
        (1, "Old."),
        (2, "New."),
    ]


async def test_going_back_to_earlier_content_is_a_new_version(tools: ToolService) -> None:
    await tools.define(http_tool_document("weather", description="A."))
    await tools.define(http_tool_document("weather", description="B."))

    back = await tools.define(http_tool_document("weather", description="A."))

    assert back.changed is True
    assert back.tool.version == 3


CANONICAL_FUNCTION = {
    "name": "convert",
    "description": "Convert an amount.",
    "parameters": {
        "type": "object",
        "properties": {
            "amount": {"type": "number", "description": "How much."},
            "tags": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["amount"],
    },
}

DIALECTS: dict[str, dict[str, Any]] = {
    "canonical": CANONICAL_FUNCTION,
    "openai": {"type": "function", "function": CANONICAL_FUNCTION},
    "mcp": {
        "name": "convert",
        "description": "Convert an amount.",
        "inputSchema": CANONICAL_FUNCTION["parameters"],
        "annotations": {"readOnlyHint": True},
    },
    "bfcl": {
        "name": "convert",
        "description": "Convert an amount.",
        "parameters": {
            "type": "dict",
            "properties": {
                "amount": {"type": "float", "description": "How much."},
                "tags": {"type": "list", "items": {"type": "string"}},
            },
            "required": ["amount"],
        },
    },
}


@pytest.mark.parametrize("dialect", DIALECTS.values(), ids=DIALECTS.keys())
async def test_functions_in_any_dialect_are_stored_in_canonical_form(
    tools: ToolService, dialect: dict[str, Any]
) -> None:
    await tools.define(http_tool_document("money", [dialect]))

    stored = (await tools.show("money")).to_document()

    assert stored["tool_functions_schema"] == {"functions": [CANONICAL_FUNCTION]}


async def test_the_same_function_in_another_dialect_is_unchanged_content(
    tools: ToolService,
) -> None:
    await tools.define(http_tool_document("money", [DIALECTS["bfcl"]]))

    again = await tools.define(http_tool_document("money", [DIALECTS["openai"]]))

    assert again.changed is False


async def test_defaults_invalid_for_their_schema_are_dropped_and_reported(
    tools: ToolService,
) -> None:
    bfcl = {
        "name": "search",
        "description": "Search.",
        "parameters": {
            "type": "dict",
            "properties": {
                "query": {"type": "string"},
                "site": {"type": "string", "default": None},
            },
            "required": ["query"],
        },
    }

    outcome = await tools.define(http_tool_document("finder", [bfcl]))

    assert outcome.dropped_defaults == (
        "tool_functions_schema.functions[0].parameters.properties.site.default",
    )
    stored = (await tools.show("finder")).function("search")
    assert "default" not in stored.parameters["properties"]["site"]


async def test_a_python_tool_inside_the_allowlist_is_stored(tools: ToolService) -> None:
    outcome = await tools.define(python_tool_document("echoes", {"echo": "echo"}))

    assert outcome.changed is True
    assert (await tools.show("echoes")).function_names == ("echo",)


@pytest.mark.parametrize(
    "handler",
    ["os:system", "subprocess:run", "tests.handlersx.evil:run", "tests:handlers"],
)
async def test_a_python_tool_with_a_handler_outside_the_allowlist_is_refused(
    tools: ToolService, handler: str
) -> None:
    document = python_tool_document("shell", {"echo": "echo", "run": handler})

    with pytest.raises(HandlerNotAllowed) as caught:
        await tools.define(document)

    assert handler in str(caught.value)
    assert "tests.handlers.echo_tools:echo" not in str(caught.value)
    await assert_nothing_stored(tools, "shell")


async def test_a_handler_refused_for_a_new_version_keeps_the_old_version_latest(
    tools: ToolService,
) -> None:
    await tools.define(python_tool_document("echoes", {"echo": "echo"}))

    with pytest.raises(HandlerNotAllowed):
        await tools.define(python_tool_document("echoes", {"echo": "os:system"}))

    assert [v.version for v in await tools.versions("echoes")] == [1]


async def test_a_tool_the_target_model_rejects_is_refused_and_nothing_is_stored(
    unit_of_work: UnitOfWorkFactory, picky: ModelCompatibility, policy: HandlerPolicy
) -> None:
    tools = ToolService(unit_of_work, picky, policy)
    document = http_tool_document("ops", ["get_status", "x_reboot"])

    with pytest.raises(IncompatibleWithModel) as caught:
        await tools.define(document)

    assert [p.path for p in caught.value.problems] == ["tool_functions_schema.functions.x_reboot"]
    assert "picky-model" in str(caught.value)
    assert "reserved" in str(caught.value)
    await assert_nothing_stored(tools, "ops")


async def test_a_compatible_tool_passes_the_model_check(
    unit_of_work: UnitOfWorkFactory, picky: ModelCompatibility, policy: HandlerPolicy
) -> None:
    tools = ToolService(unit_of_work, picky, policy)

    outcome = await tools.define(http_tool_document("ops", ["get_status"]))

    assert outcome.tool.version == 1


def _bad_type(document: dict[str, Any]) -> None:
    document["tool_functions_schema"]["functions"][0]["parameters"]["properties"]["text"] = {
        "type": "strnig"
    }


def _host_placeholder(document: dict[str, Any]) -> None:
    document["run"]["requests"]["get_forecast"]["url"] = "https://{args.text}.example.com/x"


def _unknown_field(document: dict[str, Any]) -> None:
    document["colour"] = "blue"


def _missing_run(document: dict[str, Any]) -> None:
    del document["run"]


def _duplicate_function(document: dict[str, Any]) -> None:
    document["tool_functions_schema"]["functions"].append(function_doc("get_forecast"))


def _bad_tool_name(document: dict[str, Any]) -> None:
    document["name"] = "Weather Tool"


def _unknown_secret_placeholder(document: dict[str, Any]) -> None:
    document["run"]["requests"]["get_forecast"]["headers"] = {"X-Key": "{secrets.nope}"}


def _bad_config_schema(document: dict[str, Any]) -> None:
    document["config_schema"] = {"type": "object", "properties": {"units": {"type": 5}}}


def _function_without_request(document: dict[str, Any]) -> None:
    document["tool_functions_schema"]["functions"].append(function_doc("get_alerts"))


INVALID_DOCUMENTS = {
    "bad-parameter-type": (
        _bad_type,
        "tool_functions_schema.functions[0].parameters.properties.text.type",
    ),
    "placeholder-in-host": (_host_placeholder, "run.requests.get_forecast.url"),
    "unknown-field": (_unknown_field, "colour"),
    "missing-run": (_missing_run, "run"),
    "duplicate-function": (_duplicate_function, "tool_functions_schema.functions"),
    "bad-tool-name": (_bad_tool_name, "name"),
    "unknown-secret-placeholder": (
        _unknown_secret_placeholder,
        "run.requests.get_forecast.headers.X-Key",
    ),
    "bad-config-schema": (_bad_config_schema, "config_schema.properties.units.type"),
    "function-without-request": (_function_without_request, "run.requests"),
}


@pytest.mark.parametrize(
    ("breaks", "path"), INVALID_DOCUMENTS.values(), ids=INVALID_DOCUMENTS.keys()
)
async def test_an_invalid_document_is_refused_naming_the_path_and_nothing_is_stored(
    tools: ToolService, breaks: Any, path: str
) -> None:
    document = http_tool_document("weather")
    breaks(document)

    with pytest.raises(InvalidToolDocument) as caught:
        await tools.define(document)

    assert path in [problem.path for problem in caught.value.problems]
    assert path in str(caught.value)
    assert await tools.list_all() == []


@pytest.mark.parametrize("document", [None, [], "weather", 42], ids=repr)
async def test_a_document_that_is_not_an_object_is_refused(
    tools: ToolService, document: Any
) -> None:
    with pytest.raises(InvalidToolDocument):
        await tools.define(document)


# ------------------------------------------------------------------ read


async def test_list_all_gives_the_latest_version_of_each_tool_by_name(tools: ToolService) -> None:
    await tools.define(http_tool_document("zulu"))
    await tools.define(http_tool_document("alpha", description="1"))
    await tools.define(http_tool_document("alpha", description="2"))

    listed = await tools.list_all()

    assert [(t.name, t.version) for t in listed] == [("alpha", 2), ("zulu", 1)]


async def test_show_of_an_unknown_tool_or_version_raises_not_found(tools: ToolService) -> None:
    await tools.define(http_tool_document("weather"))

    with pytest.raises(NotFound, match="'nothing'"):
        await tools.show("nothing")
    with pytest.raises(NotFound, match="version 2"):
        await tools.show("weather", 2)


async def test_versions_of_an_unknown_tool_raises_not_found(tools: ToolService) -> None:
    with pytest.raises(NotFound, match="'nothing'"):
        await tools.versions("nothing")


# ------------------------------------------------------------------ delete


async def test_deleting_a_bound_tool_is_refused_naming_the_agents(
    tools: ToolService, agents: AgentService, bindings: BindingService
) -> None:
    await tools.define(http_tool_document("weather"))
    await agents.create("support")
    await agents.create("sales")
    await bindings.bind("support", "weather")
    await bindings.bind("sales", "weather", enabled=False)

    with pytest.raises(Conflict) as caught:
        await tools.delete("weather")

    assert "support" in str(caught.value)
    assert "sales" in str(caught.value)
    assert (await tools.show("weather")).version == 1
    assert len((await agents.show("support")).bindings) == 1


async def test_deleting_a_tool_after_unbinding_removes_every_version(
    tools: ToolService, agents: AgentService, bindings: BindingService
) -> None:
    await tools.define(http_tool_document("weather", description="1"))
    await tools.define(http_tool_document("weather", description="2"))
    await agents.create("support")
    await bindings.bind("support", "weather")
    await bindings.unbind("support", "weather")

    await tools.delete("weather")

    assert await tools.list_all() == []
    with pytest.raises(NotFound):
        await tools.versions("weather")
    with pytest.raises(NotFound):
        await tools.show("weather", 1)


async def test_deleting_an_unknown_tool_raises_not_found(tools: ToolService) -> None:
    with pytest.raises(NotFound):
        await tools.delete("nothing")


class WarnsAboutEverything:
    """A target model that accepts every function but says what it would not be told."""

    @property
    def target(self) -> str:
        return "lossy-model"

    def check(self, function: FunctionSchema) -> CompatibilityVerdict:
        return CompatibilityVerdict(True, warnings=(f"{function.name}: descriptions dropped",))


async def test_define_reports_what_the_target_model_would_not_be_told(
    unit_of_work: UnitOfWorkFactory, policy: HandlerPolicy
) -> None:
    service = ToolService(unit_of_work, WarnsAboutEverything(), policy)

    outcome = await service.define(http_tool_document("weather", ["get_forecast", "get_alerts"]))

    assert outcome.changed is True
    assert outcome.incompatible == ()
    assert [str(warning) for warning in outcome.warnings] == [
        "tool_functions_schema.functions.get_forecast: get_forecast: descriptions dropped",
        "tool_functions_schema.functions.get_alerts: get_alerts: descriptions dropped",
    ]


# ------------------------------------------------------------------ limits


SMALL = SchemaLimits(max_description_chars=20, max_parameter_description_chars=10)


def wordy_document(description: str, city: str, nested: str = "") -> dict[str, Any]:
    parameters = {
        "type": "object",
        "properties": {
            "city": {"type": "string", "description": city},
            "stops": {"type": "array", "items": {"type": "string", "description": nested}},
            "description": {"type": "string"},  # a property named so is not a description
        },
    }
    return http_tool_document("wordy", [function_doc("plan", parameters, description)])


def limited(unit_of_work: UnitOfWorkFactory, policy: HandlerPolicy, **options: Any) -> ToolService:
    return ToolService(unit_of_work, InMemoryModelCompatibility(), policy, SMALL, **options)


async def test_descriptions_at_their_limits_are_accepted(
    unit_of_work: UnitOfWorkFactory, policy: HandlerPolicy
) -> None:
    tools = limited(unit_of_work, policy)

    outcome = await tools.define(wordy_document("d" * 20, "c" * 10, "n" * 10))

    assert outcome.changed is True
    assert tools.problems(outcome.tool) == []


async def test_descriptions_over_their_limits_are_refused_naming_each(
    unit_of_work: UnitOfWorkFactory, policy: HandlerPolicy
) -> None:
    tools = limited(unit_of_work, policy)

    with pytest.raises(InvalidToolDocument) as refused:
        await tools.define(wordy_document("d" * 21, "c" * 11, "n" * 11))

    where = "tool_functions_schema.functions[0]"
    assert [str(problem) for problem in refused.value.problems] == [
        f"{where}.description: is 21 characters long; at most 20 are accepted",
        f"{where}.parameters.properties.city.description: is 11 characters long; "
        "at most 10 are accepted",
        f"{where}.parameters.properties.stops.items.description: is 11 characters long; "
        "at most 10 are accepted",
    ]
    await assert_nothing_stored(tools, "wordy")


async def test_a_document_over_the_size_limit_is_refused(
    unit_of_work: UnitOfWorkFactory, policy: HandlerPolicy
) -> None:
    document = http_tool_document("big", description="x" * 2000)
    tools = limited(unit_of_work, policy, max_document_bytes=2000)

    with pytest.raises(InvalidToolDocument, match="Tool document 'big' is invalid: the document"):
        await tools.define(document)

    await assert_nothing_stored(tools, "big")


async def test_a_stored_tool_that_breaks_lowered_limits_is_flagged_not_refused(
    unit_of_work: UnitOfWorkFactory, policy: HandlerPolicy
) -> None:
    document = wordy_document("d" * 20, "c") | {"description": "t" * 1024}
    stored = (await limited(unit_of_work, policy).define(document)).tool
    stricter = ToolService(
        unit_of_work,
        InMemoryModelCompatibility(),
        policy,
        SchemaLimits(max_description_chars=5),
        max_document_bytes=1024,
    )

    [listed] = await stricter.list_all()

    assert listed == stored
    problems = [str(problem) for problem in stricter.problems(listed)]
    assert len(problems) == 2
    assert problems[0].startswith("the document is ")
    assert "at most 1024 are accepted" in problems[0]
    assert problems[1] == (
        "tool_functions_schema.functions[0].description: is 20 characters long; "
        "at most 5 are accepted"
    )


def nested(depth: int) -> Any:
    value: Any = "deep"
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize("value", [10**5000, nested(5000)], ids=["huge integer", "deep"])
async def test_a_document_that_cannot_be_measured_is_refused_by_the_document_rules(
    tools: ToolService, value: Any
) -> None:
    parameters = {"type": "object", "properties": {"x": {"const": value}}}
    document = http_tool_document("odd", [function_doc("plan", parameters)])

    with pytest.raises(InvalidToolDocument):
        await tools.define(document)

    await assert_nothing_stored(tools, "odd")
