"""The composition root: the only place that reads settings and picks adapters."""

from __future__ import annotations

from dependency_injector import containers, providers

from adapters.executors.python import PythonFunctionExecutor, PythonHandlers
from adapters.memory.compatibility import InMemoryModelCompatibility
from adapters.memory.runtime import InMemoryToolRuntime
from adapters.memory.unit_of_work import InMemoryStorage
from adapters.secrets.aes_gcm import AesGcmSecretCipher
from application.agents import AgentService
from application.bindings import BindingService
from application.calls import CallPipeline
from application.policies import HandlerPolicy
from application.tools import ToolService
from application.toolsets import ToolsetLoader
from domain.tools.kinds import ToolKind
from entrypoints.settings import PlatformSettings

SECRET_KEYS_SETTING = "TOOL_PLATFORM_SECRET_KEYS"


def secret_cipher(settings: PlatformSettings) -> AesGcmSecretCipher:
    """Build the secret cipher from ``TOOL_PLATFORM_SECRET_KEYS``.

    In-memory storage keeps nothing beyond the process, so without configured keys it
    encrypts under a random key that dies with the process.
    """
    if settings.secret_keys is None:
        return AesGcmSecretCipher.ephemeral()
    return AesGcmSecretCipher.parse(settings.secret_keys.get_secret_value(), SECRET_KEYS_SETTING)


class Container(containers.DeclarativeContainer):
    """Wires settings to adapters and adapters to the use cases."""

    settings = providers.Singleton(PlatformSettings)
    limits = providers.Singleton(lambda settings: settings.schema_limits(), settings)
    handler_policy = providers.Singleton(
        HandlerPolicy, allowed_packages=settings.provided.handler_packages
    )
    python_handlers = providers.Singleton(PythonHandlers, handler_policy)
    cipher = providers.Singleton(secret_cipher, settings)

    memory_storage = providers.Singleton(InMemoryStorage, cipher=cipher)
    unit_of_work = providers.Selector(
        settings.provided.storage,
        memory=memory_storage.provided.unit_of_work,
    )
    compatibility = providers.Singleton(InMemoryModelCompatibility)

    tools = providers.Factory(
        ToolService,
        unit_of_work=unit_of_work,
        compatibility=compatibility,
        handlers=python_handlers,
        limits=limits,
    )
    agents = providers.Factory(AgentService, unit_of_work=unit_of_work)
    bindings = providers.Factory(BindingService, unit_of_work=unit_of_work)
    toolsets = providers.Factory(
        ToolsetLoader,
        unit_of_work=unit_of_work,
        compatibility=compatibility,
        handlers=python_handlers,
    )

    python_executor = providers.Singleton(PythonFunctionExecutor, python_handlers)
    pipeline = providers.Factory(
        CallPipeline,
        executors=providers.Dict({ToolKind.PYTHON: python_executor}),
        default_timeout_seconds=settings.provided.tool_timeout_seconds,
    )
    runtime = providers.Factory(InMemoryToolRuntime, pipeline=pipeline)
