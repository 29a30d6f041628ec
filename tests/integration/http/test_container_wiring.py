"""The ``TOOL_PLATFORM_OUTBOUND_*`` settings reach the pool every lifecycle opens."""

from __future__ import annotations

import pytest

from entrypoints.container import Container
from entrypoints.lifespan import lifespan
from entrypoints.settings import PlatformSettings
from tests.integration.http.servers import RecordingServer


def container(**settings: object) -> Container:
    built = Container()
    built.settings.override(PlatformSettings(storage="memory", **settings))  # type: ignore[arg-type]
    return built


async def test_the_pool_of_a_lifecycle_refuses_what_the_settings_do_not_admit(
    recorder: RecordingServer,
) -> None:
    refusing, admitting = container(), container(outbound_allow="127.0.0.1/32")
    url = f"http://127.0.0.1:{recorder.port}/"

    async with lifespan(refusing), lifespan(admitting):
        assert refusing.http_pool().guard is refusing.outbound_guard()
        assert not (await refusing.outbound_guard().decide(url)).allowed
        response = await admitting.http_pool().client().get(url, timeout=2)

    assert response.status_code == 200
    assert len(recorder.received) == 1


@pytest.mark.parametrize(("strict", "allowed"), [(False, True), (True, False)])
async def test_strict_egress_comes_from_the_settings(strict: bool, allowed: bool) -> None:
    built = container(outbound_allow="*.example.com", outbound_only=strict)

    decision = await built.outbound_guard().decide("https://93.184.216.34/")

    assert decision.allowed is allowed


async def test_the_proxy_setting_sends_tool_requests_through_the_proxy(
    recorder: RecordingServer,
) -> None:
    built = container(outbound_proxy=f"http://127.0.0.1:{recorder.port}")

    async with lifespan(built):
        response = await built.http_pool().client().get("http://crm.example.com/c/1", timeout=2)

    assert response.text == "recorded"  # the recorder stands in for the proxy
    assert [r.headers["Host"] for r in recorder.received] == ["crm.example.com"]


def test_a_proxy_url_with_credentials_does_not_show_in_the_settings() -> None:
    settings = PlatformSettings(outbound_proxy="http://ops:pr0xy-pass@10.0.0.5:3128")  # type: ignore[arg-type]

    assert "pr0xy-pass" not in repr(settings)
    assert settings.outbound_proxy_url() == "http://ops:pr0xy-pass@10.0.0.5:3128"
