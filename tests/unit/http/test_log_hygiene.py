"""``keep_secrets_out_of_http_logs``: httpcore's traces stay silenced, set once."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from adapters.http.log_hygiene import keep_secrets_out_of_http_logs


@pytest.fixture
def httpcore_levels() -> Iterator[list[logging.Logger]]:
    loggers = [logging.getLogger(name) for name in ("httpcore", "httpcore2")]
    saved = [logger.level for logger in loggers]
    yield loggers
    for logger, level in zip(loggers, saved, strict=True):
        logger.setLevel(level)


def test_httpcore_is_raised_to_info_and_a_quieter_level_is_kept(httpcore_levels: object) -> None:
    logging.getLogger("httpcore").setLevel(logging.NOTSET)
    logging.getLogger("httpcore2").setLevel(logging.WARNING)

    keep_secrets_out_of_http_logs()

    assert logging.getLogger("httpcore").level == logging.INFO
    assert logging.getLogger("httpcore2").level == logging.WARNING


def test_a_second_call_sets_no_level_again(
    httpcore_levels: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    keep_secrets_out_of_http_logs()
    calls: list[object] = []
    monkeypatch.setattr(logging.Logger, "setLevel", lambda self, level: calls.append(level))

    keep_secrets_out_of_http_logs()

    assert calls == []
