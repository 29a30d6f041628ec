"""``tool-platform tools import-openapi``: a real description imported, bound and called.

The README's three commands: import the OAI petstore-expanded description with
``--define``, bind it with its base URL on a local server, call a function through a
real LiveKit ``AgentSession``; the server sees the request the description asks for.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from tests.builders import data_of
from tests.corpus import corpus_path
from tests.integration.cli.support import Cli
from tests.integration.cli.test_http_call import serving_in_a_thread
from tests.integration.http_tools.upstream import Reply, Upstream

PETSTORE = str(corpus_path() / "openapi" / "oai-petstore-expanded-v3.0.yaml")


@pytest.fixture
def pet_api() -> Iterator[Upstream]:
    """The recording server, as the petstore."""
    server = Upstream()
    with serving_in_a_thread(server):
        yield server


def test_an_imported_description_is_defined_bound_and_called_end_to_end(
    cli: Cli, pet_api: Upstream
) -> None:
    cli.env["TOOL_PLATFORM_OUTBOUND_ALLOW"] = "127.0.0.1/32"
    defined = cli("tools", "import-openapi", PETSTORE, "--name", "petstore", "--all", "--define")
    assert defined.exit_code == 0, defined.stderr
    assert defined.stdout == "Defined tool 'petstore': version 1\n"
    assert "imported 4 operations, skipped 0" in defined.stderr
    cli.ok("agents", "create", "desk")
    cli.ok(
        "agents", "bind", "desk", "petstore", "--config", json.dumps({"base_url": pet_api.base_url})
    )
    pet_api.reply(Reply(body=[{"id": 1, "name": "Rex"}]))

    output = cli.json("call", "desk", "findPets", "--args", '{"tags": ["dog", "cat"], "limit": 2}')

    assert data_of(output["output"]) == [{"id": 1, "name": "Rex"}]
    [received] = pet_api.received
    assert (received.method, received.target) == ("GET", "/pets?tags=dog&tags=cat&limit=2")


def test_the_document_goes_to_out_and_the_report_to_a_json_file(cli: Cli) -> None:
    result = cli(
        "tools", "import-openapi", PETSTORE, "--name", "petstore",
        "--operation", "find pet by id", "--out", "pet.json", "--report", "report.json",
    )  # fmt: skip

    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    document = json.loads((cli.directory / "pet.json").read_text())
    assert document["run"]["requests"] == {
        "find_pet_by_id": {"method": "GET", "url": "{config.base_url}/pets/{args.id}"}
    }
    report = json.loads((cli.directory / "report.json").read_text())
    assert report["imported"] == [{"operation": "find pet by id", "function": "find_pet_by_id"}]
    assert report["model_check"]["accepted"] == ["find_pet_by_id"]


def test_no_choice_of_operations_is_a_usage_error_and_an_unknown_one_is_refused(cli: Cli) -> None:
    assert cli("tools", "import-openapi", PETSTORE, "--name", "petstore").exit_code == 2
    both = ("--all", "--out", "x.json", "--define")
    assert cli("tools", "import-openapi", PETSTORE, "--name", "petstore", *both).exit_code == 2
    assert not (cli.directory / "x.json").exists()
    refused = cli.refused("tools", "import-openapi", PETSTORE, "--name", "p", "--operation", "x")
    assert refused == "no operation 'x' in the document"
