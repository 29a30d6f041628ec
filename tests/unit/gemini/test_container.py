"""The container selects the compatibility check and the offering by model target."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from adapters.gemini import GeminiModelCompatibility, GeminiSchemaOffering
from adapters.memory.compatibility import InMemoryModelCompatibility
from application.offering import OfferAsStored
from entrypoints.container import Container
from entrypoints.settings import PlatformSettings


def test_gemini_realtime_is_the_default_target(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TOOL_PLATFORM_MODEL_TARGET", raising=False)

    compatibility = Container().compatibility()

    assert isinstance(compatibility, GeminiModelCompatibility)
    assert compatibility.target == "Gemini realtime"


def test_any_selects_the_permissive_check(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOOL_PLATFORM_MODEL_TARGET", "any")

    assert isinstance(Container().compatibility(), InMemoryModelCompatibility)


def test_an_unknown_target_is_a_settings_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOOL_PLATFORM_MODEL_TARGET", "gpt-realtime")

    with pytest.raises(ValidationError, match="model_target"):
        PlatformSettings()


def test_gemini_realtime_offers_through_the_gemini_offering(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("TOOL_PLATFORM_MODEL_TARGET", raising=False)
    container = Container()

    offering = container.offering()

    assert isinstance(offering, GeminiSchemaOffering)


def test_any_offers_every_function_as_stored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOOL_PLATFORM_MODEL_TARGET", "any")

    assert isinstance(Container().offering(), OfferAsStored)
