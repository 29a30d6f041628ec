"""Connections from the engine's pool, with a failure to connect named in one line."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from adapters.sqlalchemy.errors import unavailable
from domain.errors import StorageUnavailable


@dataclass(frozen=True)
class ConnectTimeout:
    """How long a server database may take to answer a new connection.

    Attributes:
        seconds: The limit.
        setting: The setting that changes it (named when it is exceeded).
    """

    seconds: float = 5.0
    setting: str = "the connect timeout"


class Connections:
    """Opens connections, turning every failure into :class:`StorageUnavailable`.

    Args:
        engine: The storage's engine.
        url: Its URL (the host and port are named when the server does not answer).
        timeout: The connect timeout the engine was made with.
    """

    def __init__(self, engine: AsyncEngine, url: URL, timeout: ConnectTimeout) -> None:
        self._engine = engine
        self._url = url
        self._timeout = timeout

    async def connect(self) -> AsyncConnection:
        """A connection from the pool.

        Raises:
            StorageUnavailable: When the database refuses, fails, or does not answer
                within the connect timeout (naming the host and the setting).
        """
        try:
            return await self._engine.connect()
        except TimeoutError:
            raise StorageUnavailable(
                f"the database at {self._url.host}:{self._url.port or 'default port'} did not "
                f"answer within {self._timeout.seconds:g} s; check that it is up and reachable, "
                f"or raise {self._timeout.setting}"
            ) from None
        except (SQLAlchemyError, OSError) as error:
            raise unavailable("the database cannot be used", error) from None
