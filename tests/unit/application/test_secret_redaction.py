"""A canary secret searched for wherever a secret must never appear.

``repr``/``str`` of every object that holds secrets, and every error the use cases
raise while a secret is in play. Results and logs of calls are covered in
``test_call_pipeline.py``; ciphertexts in ``test_aes_gcm_cipher.py``.
"""

from __future__ import annotations

import copy
import pickle
import traceback
from collections.abc import Awaitable, Callable

import pytest

from adapters.secrets.aes_gcm import AesGcmSecretCipher
from application.agents import AgentService
from application.bindings import BindingService
from application.ports import SecretAddress
from application.tools import ToolService
from application.toolsets import ToolsetLoader
from domain.errors import DomainError, NotFound
from domain.injection import ConfigInjection
from domain.scrubbing import Scrubber
from domain.secrets import REDACTED, Secret
from tests.builders import CANARY, assert_no_secret, http_tool_document


def shown(value: object) -> str:
    """Everything ``value`` says about itself."""
    return f"{value!r}\n{value!s}\n{value}"


def error_text(error: BaseException) -> str:
    """Everything an error says: message, repr, args, the formatted traceback."""
    return "\n".join(
        [str(error), repr(error), repr(error.args), *traceback.format_exception(error)]
    )


@pytest.fixture(autouse=True)
async def catalog(tools: ToolService, agents: AgentService) -> None:
    """Tool ``weather`` (secret ``api_key``, config ``units``); agent ``support``."""
    await tools.define(
        http_tool_document(
            "weather",
            config_schema={"type": "object", "properties": {"units": {"type": "string"}}},
            secret_names=["api_key"],
        )
    )
    await tools.define(http_tool_document("forecasts", ["get_forecast"]))
    await agents.create("support")


# ------------------------------------------------------------------ objects


def test_a_secret_shows_only_a_redaction_mark() -> None:
    secret = Secret(CANARY)

    assert_no_secret(shown(secret))
    assert_no_secret(f"{secret}, {secret!r}, %s, %r" % (secret, secret))
    assert str(secret) == REDACTED
    assert secret.reveal() == CANARY


def test_a_secret_cannot_be_pickled_out_and_copies_are_the_same_object() -> None:
    secret = Secret(CANARY)

    with pytest.raises(TypeError) as pickled:
        pickle.dumps(secret)

    assert_no_secret(error_text(pickled.value))
    assert copy.deepcopy(secret) is secret
    assert copy.copy(secret) is secret


async def test_a_binding_shows_secret_names_never_values(bindings: BindingService) -> None:
    binding = await bindings.bind("support", "weather", secrets={"api_key": CANARY})

    assert_no_secret(shown(binding))
    assert_no_secret(shown(binding.secrets))
    assert binding.secret_names == ("api_key",)


async def test_a_config_injection_hides_values_but_reveals_a_secret_by_name(
    bindings: BindingService, loader: ToolsetLoader
) -> None:
    await bindings.bind("support", "weather", secrets={"api_key": CANARY})
    toolset = await loader.load("support")

    injection = toolset.injection_for(toolset.function("get_forecast"))

    assert_no_secret(shown(injection))
    assert "api_key" in repr(injection)
    assert injection.secret("api_key") == CANARY
    assert injection.secret_values() == (CANARY,)


def test_asking_an_injection_for_a_missing_secret_names_only_secret_names() -> None:
    injection = ConfigInjection("a-1", "b-1", "weather", 1, secrets={"api_key": Secret(CANARY)})

    with pytest.raises(NotFound) as caught:
        injection.secret("token")

    assert "api_key" in str(caught.value)
    assert_no_secret(error_text(caught.value))


async def test_a_toolset_and_what_it_left_out_never_show_a_secret(
    bindings: BindingService, loader: ToolsetLoader, tools: ToolService
) -> None:
    await bindings.bind("support", "weather", secrets={"api_key": CANARY})
    await bindings.bind("support", "forecasts", enabled=False)
    working = await loader.load("support")
    await tools.define(http_tool_document("weather", secret_names=["api_key", "region"]))

    broken = await loader.load("support")

    assert_no_secret(shown(working))
    assert_no_secret(shown(broken))
    assert [str(item) for item in broken.left_out]
    for item in broken.left_out:
        assert_no_secret(shown(item))


async def test_agent_details_never_show_a_secret(
    bindings: BindingService, agents: AgentService
) -> None:
    await bindings.bind("support", "weather", secrets={"api_key": CANARY})

    assert_no_secret(shown(await agents.show("support")))


def test_an_encrypted_secret_never_shows_the_value() -> None:
    cipher = AesGcmSecretCipher.ephemeral()

    assert_no_secret(shown(cipher.encrypt(CANARY, SecretAddress("b-1", "api_key"))))


# ------------------------------------------------------------------ errors


Refusal = Callable[[BindingService], Awaitable[object]]

REFUSALS: dict[str, Refusal] = {
    "undeclared-secret": lambda b: b.bind(
        "support", "weather", secrets={"api_key": CANARY, "other": CANARY}
    ),
    "bad-config": lambda b: b.bind(
        "support", "weather", config={"units": ["metric"]}, secrets={"api_key": CANARY}
    ),
    "unknown-allowlisted-function": lambda b: b.bind(
        "support", "weather", secrets={"api_key": CANARY}, functions=["nope"]
    ),
    "unknown-tool": lambda b: b.bind("support", "nothing", secrets={"api_key": CANARY}),
    "unknown-agent": lambda b: b.bind("ghost", "weather", secrets={"api_key": CANARY}),
}


@pytest.mark.parametrize("refusal", REFUSALS.values(), ids=REFUSALS.keys())
async def test_a_refused_bind_never_repeats_a_secret_given_to_it(
    bindings: BindingService, refusal: Refusal
) -> None:
    with pytest.raises(DomainError) as caught:
        await refusal(bindings)

    assert_no_secret(error_text(caught.value))


async def test_refusals_about_an_existing_binding_never_show_its_secret(
    bindings: BindingService,
) -> None:
    await bindings.bind("support", "weather", secrets={"api_key": CANARY})
    refusals: list[Refusal] = [
        lambda b: b.bind("support", "weather", secrets={"api_key": CANARY}),
        lambda b: b.bind("support", "forecasts"),
        lambda b: b.set_secret("support", "weather", "undeclared", CANARY),
        lambda b: b.remove_secret("support", "weather", "api_key"),
        lambda b: b.remove_secret("support", "weather", "missing"),
        lambda b: b.set_enabled("support", "nothing", True),
    ]

    for refusal in refusals:
        with pytest.raises(DomainError) as caught:
            await refusal(bindings)
        assert_no_secret(error_text(caught.value))


def test_a_scrubber_shows_how_many_forms_it_holds_never_one_of_them() -> None:
    scrubber = Scrubber([CANARY, f'quo"te-{CANARY}'])

    assert scrubber(f"echo {CANARY}") == "echo ********"
    assert repr(scrubber).startswith("Scrubber(<")
    assert_no_secret(repr(scrubber))
    assert_no_secret(str(scrubber))
