"""Where the secret keys come from: the setting, or a key file on the embedded default."""

from __future__ import annotations

import base64
import os
import stat
from pathlib import Path

import pytest

from adapters.secrets.aes_gcm import InvalidKeyRing
from application.ports import SecretAddress
from domain.errors import SecretUnreadable
from entrypoints.container import Container
from entrypoints.settings import PlatformSettings
from tests.builders import CANARY, http_tool_document

ADDRESS = SecretAddress("binding-1", "api_key")


def container(**settings: object) -> Container:
    built = Container()
    built.settings.override(PlatformSettings(**settings))  # type: ignore[arg-type]
    return built


def test_the_embedded_default_generates_a_private_key_file_once_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key_file = tmp_path / "tool_platform.key"
    url = f"sqlite+aiosqlite:///{tmp_path / 'tool_platform.db'}"

    first = container(database_url=url, secret_key_file=key_file).cipher()
    announced = capsys.readouterr().err
    second = container(database_url=url, secret_key_file=key_file).cipher()
    announced_again = capsys.readouterr().err

    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert str(key_file) in announced
    assert "TOOL_PLATFORM_SECRET_KEYS" in announced
    assert announced_again == ""
    sealed = first.encrypt("value", ADDRESS)
    assert second.decrypt(sealed, ADDRESS) == "value"
    assert key_file.read_text().split(":", 1)[1].strip() not in announced


def test_a_key_file_readable_by_others_is_refused(tmp_path: Path) -> None:
    key_file = tmp_path / "tool_platform.key"
    key_file.write_text("local:" + base64.b64encode(os.urandom(32)).decode())
    key_file.chmod(0o644)

    with pytest.raises(InvalidKeyRing, match="chmod 600"):
        container(database_url="sqlite+aiosqlite:///x.db", secret_key_file=key_file).cipher()


def test_a_server_database_without_keys_names_the_setting_to_set() -> None:
    with pytest.raises(InvalidKeyRing, match="TOOL_PLATFORM_SECRET_KEYS is not set"):
        container(database_url="postgresql+asyncpg://u@127.0.0.1/db").cipher()


def test_a_wrong_key_is_a_clear_error_naming_where_keys_come_from(tmp_path: Path) -> None:
    right = container(
        database_url="sqlite+aiosqlite:///x.db", secret_key_file=tmp_path / "right.key"
    ).cipher()
    wrong = container(
        database_url="sqlite+aiosqlite:///x.db", secret_key_file=tmp_path / "wrong.key"
    ).cipher()
    sealed = right.encrypt("value", ADDRESS)

    with pytest.raises(SecretUnreadable) as error:
        wrong.decrypt(sealed, ADDRESS)

    assert "does not decrypt with key 'local' of the key file" in str(error.value)
    assert "TOOL_PLATFORM_SECRET_KEYS" in str(error.value)


def test_configured_keys_win_over_the_key_file(tmp_path: Path) -> None:
    key = base64.b64encode(bytes(range(32))).decode()
    cipher = container(
        database_url="sqlite+aiosqlite:///x.db",
        secret_key_file=tmp_path / "unused.key",
        secret_keys=f"prod:{key}",
    ).cipher()

    assert cipher.encrypt("value", ADDRESS).key_id == "prod"
    assert not (tmp_path / "unused.key").exists()


async def test_no_key_is_generated_over_secrets_sealed_with_a_missing_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key_file = tmp_path / "tool_platform.key"
    url = f"sqlite+aiosqlite:///{tmp_path / 'tool_platform.db'}"
    first = container(database_url=url, secret_key_file=key_file)
    storage = first.storage()
    await storage.open()
    await storage.upgrade()
    await first.tools().define(http_tool_document("weather", secret_names=["api_key"]))
    await first.agents().create("front-desk")
    await first.bindings().bind("front-desk", "weather", secrets={"api_key": CANARY})
    await storage.close()
    key_file.unlink()
    capsys.readouterr()

    with pytest.raises(InvalidKeyRing) as refused:
        container(database_url=url, secret_key_file=key_file).cipher()

    message = str(refused.value)
    assert "sealed with key local" in message
    assert f"key file {key_file} is missing" in message
    assert "restore the key file from its backup" in message
    assert "agents secrets set" in message
    assert not key_file.exists()
    assert capsys.readouterr().err == ""
