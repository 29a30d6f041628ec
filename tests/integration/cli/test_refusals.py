"""Bad input: one clear line on stderr, exit code 1, no traceback, nothing changed.

Each case runs one command against a copy of the seeded database and compares
everything the CLI can read before and after. Secret values given to a refused command
(the canary) must not show in its error either.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pytest

from tests.builders import CANARY, assert_no_secret, function_doc, http_tool_document
from tests.integration.cli.support import Cli


@dataclass(frozen=True)
class Refusal:
    """One refused command: arguments, stdin, files it reads, settings, what the error says."""

    args: tuple[str, ...]
    says: str
    input: str | bytes | None = None
    files: dict[str, str] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)


BIND = ("agents", "bind", "back-office", "weather")
HUGE = "9" * 4301
"""One digit more than Python turns into text."""
BINARY = bytes(range(256))
SMALL_INPUT = {"TOOL_PLATFORM_MAX_INPUT_BYTES": "1024"}
WITH_SECRET = ("--secret", f"api_key={CANARY}")
SET_API_KEY = ("agents", "secrets", "set", "front-desk", "weather", "api_key")
WORDY = function_doc("plan", description="d" * 8193)
WORDY_PARAMETER = function_doc(
    "plan",
    {"type": "object", "properties": {"text": {"type": "string", "description": "p" * 2049}}},
)

REFUSALS = {
    # ---- tools
    "invalid document": Refusal(
        ("tools", "define", "bad.json"),
        "Tool 'Bad Name' is invalid: name: must be lowercase",
        files={"bad.json": json.dumps(http_tool_document("Bad Name"))},
    ),
    "document with several problems": Refusal(
        ("tools", "define", "bad.json"),
        "is invalid: ",
        files={"bad.json": json.dumps({"name": "x", "kind": "http", "run": {}, "extra": 1})},
    ),
    "missing document": Refusal(
        ("tools", "define", "missing.json"),
        "cannot read the tool document missing.json: No such file or directory",
    ),
    "document not JSON": Refusal(
        ("tools", "define", "broken.json"),
        "the tool document in broken.json is not valid JSON: Expecting value at line 1",
        files={"broken.json": '{"name": '},
    ),
    "document not YAML": Refusal(
        ("tools", "define", "-"),
        "the tool document in standard input is not valid YAML",
        input="name: [unclosed\n",
    ),
    "YAML key that JSON cannot hold": Refusal(
        ("tools", "define", "doc.yaml"),
        "the tool document in doc.yaml is not plain JSON: the top level: "
        "has a key that is not a string (int)",
        files={"doc.yaml": "name: weather\n1: one\n"},
    ),
    "document not an object": Refusal(
        ("tools", "define", "-"), "Tool document is invalid", input="- just\n- a list\n"
    ),
    "document holds NaN": Refusal(
        ("tools", "define", "-"),
        "holds NaN, which JSON does not allow",
        input='{"name": "x", "n": NaN}',
    ),
    "show unknown tool": Refusal(("tools", "show", "nope"), "tool 'nope' does not exist"),
    "show unknown version": Refusal(
        ("tools", "show", "weather", "--version", "9"),
        "version 9 of tool 'weather' does not exist",
    ),
    "versions of unknown tool": Refusal(
        ("tools", "versions", "nope"), "tool 'nope' does not exist"
    ),
    "delete unknown tool": Refusal(("tools", "delete", "nope"), "tool 'nope' does not exist"),
    "delete bound tool": Refusal(
        ("tools", "delete", "weather"),
        "tool 'weather' is still bound to agents: front-desk; unbind it first",
    ),
    # ---- agents
    "create taken name": Refusal(
        ("agents", "create", "front-desk"), "an agent named 'front-desk' already exists"
    ),
    "create with temperature out of range": Refusal(
        ("agents", "create", "hot", "--temperature", "5"), "temperature must be between 0.0 and 2.0"
    ),
    "create with blank name": Refusal(("agents", "create", " "), "an agent name must be"),
    "create with blank model": Refusal(
        ("agents", "create", "x", "--model", " "), "model must not be blank"
    ),
    "update unknown agent": Refusal(
        ("agents", "update", "nope", "--voice", "Kore"), "no agent has the id or name 'nope'"
    ),
    "update to taken name": Refusal(
        ("agents", "update", "back-office", "--name", "front-desk"),
        "an agent named 'front-desk' already exists",
    ),
    "show unknown agent": Refusal(("agents", "show", "nope"), "no agent has the id or name"),
    "toolset of unknown agent": Refusal(
        ("agents", "toolset", "nope"), "no agent has the id or name"
    ),
    "delete unknown agent": Refusal(("agents", "delete", "nope"), "no agent has the id or name"),
    # ---- bind
    "bind unknown agent": Refusal(
        ("agents", "bind", "nope", "weather", *WITH_SECRET), "no agent has the id or name 'nope'"
    ),
    "bind unknown tool": Refusal(
        ("agents", "bind", "back-office", "nope", *WITH_SECRET), "tool 'nope' does not exist"
    ),
    "bind twice": Refusal(
        ("agents", "bind", "front-desk", "weather", *WITH_SECRET),
        "agent 'front-desk' is already bound to tool 'weather'",
    ),
    "config that fails config_schema": Refusal(
        (*BIND, "--config", '{"units": "kelvin"}', *WITH_SECRET),
        "cannot bind tool 'weather': its config does not fit version 1",
    ),
    "config that is not JSON": Refusal(
        (*BIND, "--config", '{"language": ', *WITH_SECRET),
        "the config in --config is not valid JSON",
    ),
    "config that is not an object": Refusal(
        (*BIND, "--config", "[1]", *WITH_SECRET),
        "the config in --config must be an object, not an array",
    ),
    "missing secret": Refusal(BIND, "needs secrets that are not set: api_key"),
    "undeclared secret": Refusal(
        (*BIND, *WITH_SECRET, "--secret", f"token={CANARY}"),
        "tool 'weather' declares no secret 'token'; its secrets are: api_key",
    ),
    "unknown function in allowlist": Refusal(
        (*BIND, *WITH_SECRET, "--functions", "get_forecast,nope"),
        "tool 'weather' has no function 'nope'; its functions are: get_forecast, get_alerts",
    ),
    "empty allowlist": Refusal(
        (*BIND, *WITH_SECRET, "--functions", " , "), "--functions names no function"
    ),
    "function name collision": Refusal(
        ("agents", "bind", "front-desk", "other-weather"),
        "agent 'front-desk' already has functions named get_forecast (from tool 'weather')",
    ),
    "prompt without a terminal": Refusal(
        (*BIND, "--secret", "api_key"),
        "--secret api_key asks for the value, but standard input is not a terminal",
    ),
    "missing secrets file": Refusal(
        (*BIND, "--secrets-file", "missing.yaml"),
        "cannot read the secrets file missing.yaml: No such file or directory",
    ),
    "secret that is not a string": Refusal(
        (*BIND, "--secrets-file", "-"),
        "the value of secret 'api_key' in the secrets file must be a string",
        input="api_key: 42\n",
    ),
    "secrets file that is not YAML": Refusal(
        (*BIND, "--secrets-file", "-"),
        "the secrets file in standard input is not valid YAML",
        input=f'api_key: "{CANARY}\n',
    ),
    "secrets file that is not JSON": Refusal(
        (*BIND, "--secrets-file", "secrets.json"),
        "the secrets file in secrets.json is not valid JSON",
        files={"secrets.json": f'{{"api_key": "{CANARY}" "x"}}'},
    ),
    "empty secret": Refusal((*BIND, "--secret", "api_key="), "secret 'api_key' has an empty value"),
    "secret given twice": Refusal(
        (*BIND, *WITH_SECRET, "--secrets-file", "-"),
        "secret 'api_key' is given more than once",
        input=json.dumps({"api_key": CANARY}),
    ),
    "secret without a name": Refusal((*BIND, "--secret", f"={CANARY}"), "--secret needs a name"),
    # ---- malformed input (no traceback, whatever the bytes)
    "huge integer in a JSON document": Refusal(
        ("tools", "define", "-"),
        "the tool document in standard input holds an integer of more than 4300 digits",
        input=f'{{"name": "x", "n": {HUGE}}}',
    ),
    "huge integer in a YAML document": Refusal(
        ("tools", "define", "doc.yaml"),
        "is not valid YAML: an integer of more than 4300 digits at line 2, column 4",
        files={"doc.yaml": f"name: x\nn: {HUGE}\n"},
    ),
    "huge hexadecimal integer in YAML": Refusal(
        ("tools", "define", "doc.yaml"),
        "the tool document in doc.yaml is not plain JSON: n: is an integer of more than 4300 "
        "digits",
        files={"doc.yaml": "n: 0x" + "f" * 4000},
    ),
    "huge integer in --config": Refusal(
        (*BIND, "--config", f'{{"units": {HUGE}}}', *WITH_SECRET),
        "the config in --config holds an integer of more than 4300 digits",
    ),
    "huge integer in a secrets file": Refusal(
        (*BIND, "--secrets-file", "-"),
        "an integer of more than 4300 digits at line 1, column 10",
        input=f"api_key: {HUGE}\n",
    ),
    "binary secrets file on stdin": Refusal(
        (*BIND, "--secrets-file", "-"),
        "cannot read the secrets file standard input: it is not UTF-8 text (byte 128)",
        input=BINARY,
    ),
    "binary secret on stdin": Refusal(
        (*SET_API_KEY, "--from-file", "-"),
        "cannot read the secret file standard input: it is not UTF-8 text",
        input=BINARY,
    ),
    "lone surrogate in a secrets file": Refusal(
        (*BIND, "--secrets-file", "-"),
        "is not plain JSON: api_key: contains a lone surrogate",
        input='{"api_key": "\\ud800"}',
    ),
    "secret that is not UTF-8 on the command line": Refusal(
        (*BIND, "--secret", "api_key=\udcff"),  # what Python makes of the byte 0xff in argv
        "secret 'api_key' is not valid Unicode text",
    ),
    "file larger than the input limit": Refusal(
        ("tools", "define", "big.json"),
        "the tool document in big.json is larger than 1024 bytes "
        "(TOOL_PLATFORM_MAX_INPUT_BYTES sets the limit)",
        files={"big.json": " " * 1025},
        env=SMALL_INPUT,
    ),
    "file that never ends": Refusal(
        ("tools", "define", "/dev/zero"),
        "the tool document in /dev/zero is larger than 1024 bytes",
        env=SMALL_INPUT,
    ),
    # ---- limits
    "document over the size limit": Refusal(
        ("tools", "define", "big.json"),
        "Tool document 'big' is invalid: the document is ",
        files={"big.json": json.dumps(http_tool_document("big", description="x" * 2000))},
        env={"TOOL_PLATFORM_MAX_DOCUMENT_BYTES": "2048"},
    ),
    "function description over the limit": Refusal(
        ("tools", "define", "wordy.json"),
        "Tool 'wordy' is invalid: tool_functions_schema.functions[0].description: "
        "is 8193 characters long; at most 8192 are accepted",
        files={"wordy.json": json.dumps(http_tool_document("wordy", [WORDY]))},
    ),
    "parameter description over the limit": Refusal(
        ("tools", "define", "wordy.json"),
        "tool_functions_schema.functions[0].parameters.properties.text.description: "
        "is 2049 characters long; at most 2048 are accepted",
        files={"wordy.json": json.dumps(http_tool_document("wordy", [WORDY_PARAMETER]))},
    ),
    "secret over the limit": Refusal(
        (*SET_API_KEY, "--from-file", "-"),
        "secret 'api_key' is 65537 bytes; at most 65536 are accepted",
        input="s" * 65537,
    ),
    "agent name that is a path": Refusal(
        ("agents", "create", "../../etc/passwd"), "must not contain a path separator"
    ),
    "agent name with a line break": Refusal(
        ("agents", "create", "front\ndesk"), "an agent name must be printable"
    ),
    "agent name with a terminal escape": Refusal(
        ("agents", "create", "\x1b[31mred"), "an agent name must be printable"
    ),
    "agent name over 100 characters": Refusal(
        ("agents", "create", "a" * 101), "an agent name must be 1 to 100 characters"
    ),
    "rename to a name with a control character": Refusal(
        ("agents", "update", "front-desk", "--name", "front\x07desk"),
        "an agent name must be printable",
    ),
    # ---- binding state and secrets
    "unbind what is not bound": Refusal(
        ("agents", "unbind", "back-office", "weather"),
        "agent 'back-office' is not bound to tool 'weather'",
    ),
    "enable unknown binding": Refusal(
        ("agents", "enable", "front-desk", "nope"), "agent 'front-desk' is not bound to tool 'nope'"
    ),
    "disable for unknown agent": Refusal(
        ("agents", "disable", "nope", "weather"), "no agent has the id or name 'nope'"
    ),
    "set undeclared secret": Refusal(
        ("agents", "secrets", "set", "front-desk", "weather", "token", "--value", CANARY),
        "tool 'weather' declares no secret 'token'",
    ),
    "set empty secret": Refusal(
        ("agents", "secrets", "set", "front-desk", "weather", "api_key", "--value", ""),
        "secret 'api_key' has an empty value",
    ),
    "set secret without a terminal": Refusal(
        ("agents", "secrets", "set", "front-desk", "weather", "api_key"),
        "secret 'api_key' needs a value, but standard input is not a terminal",
    ),
    "set secret from missing file": Refusal(
        ("agents", "secrets", "set", "front-desk", "weather", "api_key", "--from-file", "nope"),
        "cannot read the secret file nope",
    ),
    "set secret of unbound tool": Refusal(
        ("agents", "secrets", "set", "back-office", "weather", "api_key", "--value", CANARY),
        "agent 'back-office' is not bound to tool 'weather'",
    ),
    "unset required secret": Refusal(
        ("agents", "secrets", "unset", "front-desk", "weather", "api_key"),
        "tool 'weather' requires the secret 'api_key'; set a new value instead",
    ),
    "unset secret that is not set": Refusal(
        ("agents", "secrets", "unset", "front-desk", "weather", "token"),
        "the binding to 'weather' has no secret 'token'",
    ),
}


@pytest.mark.parametrize("case", REFUSALS.values(), ids=REFUSALS.keys())
def test_bad_input_is_refused_with_one_line_and_changes_nothing(seeded: Cli, case: Refusal) -> None:
    for name, text in case.files.items():
        seeded.write(name, text)
    seeded.env.update(case.env)
    before = seeded.state(["front-desk", "back-office"])

    message = seeded.refused(*case.args, input=case.input)

    assert case.says in message
    assert_no_secret(message)
    assert seeded.state(["front-desk", "back-office"]) == before


@pytest.mark.parametrize(
    "args",
    [
        ("tools", "show"),
        ("tools", "show", "weather", "--version", "0"),
        ("agents", "create", "x", "--temperature", "warm"),
        (*SET_API_KEY, "--value", "a", "--from-file", "b"),
        ("agents", "frobnicate"),
        ("tools", "show", "weather", "--version", "9" * 30),
    ],
    ids=[
        "missing argument",
        "version below 1",
        "not a number",
        "exclusive options",
        "unknown",
        "30-digit version",
    ],
)
def test_usage_errors_exit_with_2_and_change_nothing(seeded: Cli, args: tuple[str, ...]) -> None:
    before = seeded.state(["front-desk"])

    result = seeded(*args)

    assert result.exit_code == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert seeded.state(["front-desk"]) == before
