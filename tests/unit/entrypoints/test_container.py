import base64
import subprocess
import sys

import pytest
from dependency_injector import providers

from adapters.secrets.aes_gcm import AesGcmSecretCipher, InvalidKeyRing
from application.ports import SecretAddress
from domain.tools.kinds import ToolKind
from entrypoints.container import Container, runnable_kinds
from entrypoints.imported import Imported
from entrypoints.lifespan import lifespan
from entrypoints.settings import PlatformSettings


def _container(**settings: object) -> Container:
    container = Container()
    container.settings.override(PlatformSettings(**settings))  # type: ignore[arg-type]
    return container


def test_the_container_and_the_cli_do_not_import_livekit() -> None:
    code = "import sys, entrypoints.cli; print('livekit.agents' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "False"


def test_the_livekit_runtime_comes_from_the_container() -> None:
    from adapters.livekit.runtime import LiveKitToolRuntime

    assert isinstance(_container(storage="memory").livekit_runtime(), LiveKitToolRuntime)


def test_settings_read_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOOL_PLATFORM_HANDLER_PACKAGES", "acme_tools, other.tools")
    monkeypatch.setenv("TOOL_PLATFORM_MAX_SCHEMA_DEPTH", "8")

    settings = PlatformSettings()

    assert settings.handler_packages == ("acme_tools", "other.tools")
    assert settings.schema_limits().max_depth == 8


def test_container_wires_the_memory_storage_into_every_service() -> None:
    container = _container(storage="memory")

    assert container.unit_of_work() == container.stores.memory_storage().unit_of_work
    assert container.handler_policy().allowed_packages == ()


def test_the_runtime_runs_every_kind_of_tool() -> None:
    container = _container(storage="memory")

    assert runnable_kinds(container.runtime.executors()) == set(ToolKind)


async def test_the_lifespan_opens_storage_and_closes_it_with_the_http_pool() -> None:
    container = _container(storage="sqlalchemy", database_url="sqlite+aiosqlite:///:memory:")
    container.cipher.override(AesGcmSecretCipher.ephemeral())

    async with lifespan(container):
        client = container.http_pool().client()
        assert await container.storage().upgrade()

    assert client.is_closed
    with pytest.raises(RuntimeError, match="not open"):
        container.storage().unit_of_work()


async def test_a_lifespan_that_sends_no_request_builds_no_http_pool() -> None:
    container = _container(storage="memory")
    container.http_pool.override(providers.Callable(pytest.fail, "the HTTP pool was built"))

    async with lifespan(container):
        assert await container.tools().list_all() == []


def test_every_adapter_the_container_names_is_there_to_import() -> None:
    named = {
        provider.provides
        for provider in Container().traverse()
        if isinstance(getattr(provider, "provides", None), Imported)
    }

    assert len(named) > 20
    for imported in named:
        assert callable(imported.target()), imported


def test_configured_secret_keys_encrypt_with_the_first_key() -> None:
    key = base64.b64encode(bytes(range(32))).decode()
    container = _container(secret_keys=f"k2:{key}")

    sealed = container.cipher().encrypt("value", SecretAddress("b", "token"))

    assert sealed.key_id == "k2"


def test_malformed_secret_keys_name_the_setting_and_not_the_material() -> None:
    container = _container(secret_keys="k1:not-base64!!")

    with pytest.raises(InvalidKeyRing, match="TOOL_PLATFORM_SECRET_KEYS") as error:
        container.cipher()
    assert "not-base64" not in str(error.value)
