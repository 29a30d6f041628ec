"""The composition root: the only place that reads settings and picks adapters."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from contextlib import AsyncExitStack
from typing import TYPE_CHECKING, cast

from dependency_injector import containers, providers

from adapters.storage_common.tool_versions import ToolVersions
from adapters.telemetry.exporter_choice import exporter_named
from application.agent_access import AgentAccess
from application.agents import AgentService
from application.api_keys import ApiKeyService
from application.audit_writer import AuditWriter
from application.auth import Authenticator
from application.bindings import BindingService
from application.call_audit import CallAuditService
from application.identity_memo import IdentityMemo
from application.offering import OfferAsStored
from application.overview import AgentOverviews
from application.policies import HandlerPolicy
from application.ports import (
    ApiKeyStore,
    CallLog,
    CallRecorder,
    FunctionExecutor,
    McpToolLister,
    ModelCompatibility,
    SchemaOffering,
    Storage,
    UnitOfWorkFactory,
)
from application.test_runs import TestRuns
from application.tool_overview import CatalogOverview
from application.tool_sessions import ToolSessions
from application.tools import ToolService
from application.toolsets import FittedConfig, ToolsetLoader
from domain.errors import StorageUnavailable
from domain.schema.limits import SchemaLimits
from domain.secrets import Secret
from domain.tools.kinds import ToolKind
from entrypoints.imported import Imported
from entrypoints.models import gemini_realtime_model
from entrypoints.on_first_use import CompatibilityOnFirstUse, McpListerOnFirstUse
from entrypoints.settings import PlatformSettings, load_settings

if TYPE_CHECKING:
    from adapters.auth.jwt_tokens import JwtTokenVerifier
    from adapters.executors.python import PythonHandlers
    from adapters.gemini import GeminiSchemaOffering
    from adapters.http.guard import OutboundGuard
    from adapters.http.pool import HttpClientPool
    from adapters.livekit.runtime import LiveKitToolRuntime
    from adapters.openapi.parser import YamlJsonOpenApiParser
    from adapters.secrets.aes_gcm import AesGcmSecretCipher
    from adapters.supabase.rpc import SupabaseRpc
    from adapters.telemetry.tracing import OtelTracing

SECRET_KEYS_SETTING = "TOOL_PLATFORM_SECRET_KEYS"
CONNECT_TIMEOUT_SETTING = "TOOL_PLATFORM_DATABASE_CONNECT_TIMEOUT_SECONDS"


def announce_on_stderr(message: str) -> None:
    """Tell the operator something once, on stderr (stdout stays for results)."""
    print(f"tool-platform: {message}", file=sys.stderr)


def secret_cipher(
    settings: PlatformSettings, announce: Callable[[str], None]
) -> AesGcmSecretCipher:
    """Build the secret cipher: from ``TOOL_PLATFORM_SECRET_KEYS`` when it is set.

    Otherwise, in-memory storage (which keeps nothing beyond the process) encrypts under
    a random key that dies with the process; the embedded SQLite default generates a
    key file once (never over secrets already stored); a server database refuses to
    start without configured keys.

    Raises:
        InvalidKeyRing: When the keys are malformed, missing for a server database, or
            the key file is missing while the database holds secrets.
    """
    # The cipher's modules load with the storage that needs them (docs/performance.md).
    from adapters.secrets.aes_gcm import AesGcmSecretCipher, InvalidKeyRing  # noqa: PLC0415
    from adapters.secrets.key_file import load_or_create_key_file  # noqa: PLC0415

    if settings.secret_keys is not None:
        keys = settings.secret_keys.get_secret_value()
        return AesGcmSecretCipher.parse(keys, SECRET_KEYS_SETTING)
    if settings.storage == "memory":
        return AesGcmSecretCipher.ephemeral()
    if settings.storage != "supabase" and is_sqlite(settings.database_url):
        from adapters.sqlalchemy.key_inventory import sqlite_sealed_key_ids  # noqa: PLC0415

        return load_or_create_key_file(
            settings.secret_key_file,
            announce,
            SECRET_KEYS_SETTING,
            stored_key_ids=lambda: sqlite_sealed_key_ids(settings.database_url),
        )
    raise InvalidKeyRing(
        f"{SECRET_KEYS_SETTING} is not set: a server database needs it "
        "(comma-separated id:base64key entries; the first encrypts)"
    )


def is_sqlite(database_url: str) -> bool:
    """Whether the SQLAlchemy URL names a SQLite database (SQLAlchemy loads with that storage)."""
    from sqlalchemy.engine import make_url  # noqa: PLC0415

    return make_url(database_url).get_backend_name() == "sqlite"


def supabase_rpc(settings: PlatformSettings) -> SupabaseRpc:
    """The Supabase client from ``SUPABASE_URL`` and ``SUPABASE_SERVICE_ROLE_KEY``.

    Raises:
        StorageUnavailable: When either is not set.
    """
    url, key = settings.supabase_url, settings.supabase_service_role_key
    if not url or key is None or not key.get_secret_value():
        raise StorageUnavailable(
            "TOOL_PLATFORM_STORAGE=supabase needs SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY"
        )
    from adapters.supabase.rpc import SupabaseRpc  # noqa: PLC0415 - with Supabase storage only

    return SupabaseRpc(url, Secret(key.get_secret_value()), settings.supabase_timeout_seconds)


def livekit_tool_runtime() -> LiveKitToolRuntime:
    """The LiveKit runtime; LiveKit is imported when one is built, not with the container."""
    from adapters.livekit.runtime import LiveKitToolRuntime  # noqa: PLC0415

    return LiveKitToolRuntime()


def http_client_pool(
    to_close: AsyncExitStack, guard: OutboundGuard, proxy: str | None
) -> HttpClientPool:
    """The pooled, guarded HTTP client, closed with ``to_close`` (the lifespan closes it).

    It is built (and httpx imported) only when something first uses it: a lifespan
    whose command sends no request closes nothing.
    """
    from adapters.http.pool import HttpClientPool  # noqa: PLC0415

    pool = HttpClientPool(guard=guard, proxy=proxy)
    to_close.push_async_callback(pool.aclose)
    return pool


def tracing_from_environment() -> OtelTracing | None:
    """Tracing as the standard ``OTEL_*`` variables configure it; None when they do not."""
    if exporter_named(os.environ) is None:
        return None  # OpenTelemetry is not even imported
    from adapters.telemetry.tracing import OtelTracing  # noqa: PLC0415

    return OtelTracing.from_environment(os.environ)


def call_recorders(writer: AuditWriter, tracing: OtelTracing | None) -> list[CallRecorder]:
    """What records each call: the audit writer, and a span per call when tracing is on."""
    return [writer] if tracing is None else [writer, tracing.recorder()]


def runnable_kinds(executors: Sequence[FunctionExecutor]) -> frozenset[ToolKind]:
    """The kinds of tool the given executors run."""
    return frozenset(executor.kind for executor in executors)


class StorageContainer(containers.DeclarativeContainer):
    """Storage from settings: the adapter, its cipher, and units of work over it."""

    settings = providers.Dependency(instance_of=PlatformSettings)
    limits = providers.Dependency(instance_of=SchemaLimits)
    announce: providers.Dependency[Callable[[str], None]] = providers.Dependency()
    tool_versions = providers.Dependency(instance_of=ToolVersions)

    cipher = providers.Singleton(secret_cipher, settings, announce=announce)
    memory_storage = providers.Singleton(
        Imported("adapters.memory.unit_of_work", "InMemoryStorage"), cipher=cipher
    )
    sql_storage = providers.Singleton(
        Imported("adapters.sqlalchemy.storage", "SqlAlchemyStorage"),
        url=settings.provided.database_url,
        cipher=cipher,
        limits=limits,
        pool_size=settings.provided.database_pool_size,
        max_overflow=settings.provided.database_max_overflow,
        connect_timeout=providers.Factory(
            Imported("adapters.sqlalchemy.connections", "ConnectTimeout"),
            seconds=settings.provided.database_connect_timeout_seconds,
            setting=CONNECT_TIMEOUT_SETTING,
        ),
        tool_versions=tool_versions,
    )
    rpc = providers.Singleton(supabase_rpc, settings)
    supabase_storage = providers.Singleton(
        Imported("adapters.supabase.storage", "SupabaseStorage"),
        rpc=rpc,
        cipher=cipher,
        limits=limits,
    )
    storage: providers.Provider[Storage] = providers.Selector(
        settings.provided.storage,
        memory=memory_storage,
        sqlalchemy=sql_storage,
        supabase=supabase_storage,
    )
    unit_of_work: providers.Provider[UnitOfWorkFactory] = storage.provided.unit_of_work
    api_keys: providers.Provider[ApiKeyStore] = providers.Selector(
        settings.provided.storage,
        memory=providers.Singleton(Imported("adapters.memory.api_keys", "InMemoryApiKeyStore")),
        sqlalchemy=providers.Singleton(
            Imported("adapters.sqlalchemy.api_keys", "SqlAlchemyApiKeyStore"), storage=sql_storage
        ),
        supabase=providers.Singleton(
            Imported("adapters.supabase.api_keys", "SupabaseApiKeyStore"), rpc=rpc
        ),
    )
    call_log: providers.Provider[CallLog] = providers.Selector(
        settings.provided.storage,
        memory=providers.Singleton(Imported("adapters.memory.call_log", "InMemoryCallLog")),
        sqlalchemy=providers.Singleton(
            Imported("adapters.sqlalchemy.call_log", "SqlAlchemyCallLog"), sql_storage
        ),
        supabase=providers.Singleton(
            Imported("adapters.supabase.call_log", "SupabaseCallLog"), rpc
        ),
    )
    audit_writer = providers.Singleton(
        AuditWriter,
        log=call_log,
        queue_size=settings.provided.audit_queue_size,
        flush_seconds=settings.provided.audit_flush_seconds,
    )


class RuntimeContainer(containers.DeclarativeContainer):
    """What runs calls: the HTTP pool, MCP connector, executors, tool sessions, LiveKit runtime."""

    settings = providers.Dependency(instance_of=PlatformSettings)
    python_handlers: providers.Dependency[PythonHandlers] = providers.Dependency()
    gemini_offering: providers.Dependency[GeminiSchemaOffering] = providers.Dependency()
    audit_writer = providers.Dependency(instance_of=AuditWriter)
    tracing = providers.Singleton(tracing_from_environment)

    outbound_guard = providers.Singleton(
        Imported("adapters.http.guard", "OutboundGuard"),
        allowlist=providers.Callable(lambda settings: settings.outbound_allowlist(), settings),
        strict=settings.provided.outbound_only,
    )
    # What the runtime built that must be closed; the lifespan closes it.
    to_close: providers.Singleton[AsyncExitStack[bool | None]] = providers.Singleton(AsyncExitStack)
    http_pool = providers.Singleton(
        http_client_pool,
        to_close,
        guard=outbound_guard,
        proxy=providers.Callable(lambda settings: settings.outbound_proxy_url(), settings),
    )
    python_executor = providers.Singleton(
        Imported("adapters.executors.python", "PythonFunctionExecutor"),
        handlers=python_handlers,
        http=http_pool,
    )
    http_executor = providers.Singleton(
        Imported("adapters.executors.http", "HttpFunctionExecutor"),
        pool=http_pool,
        max_response_bytes=settings.provided.http_max_response_bytes,
    )
    mcp_connector = providers.Singleton(
        Imported("adapters.mcp.connector", "McpConnector"),
        pool=http_pool,
        stdio_commands=settings.provided.mcp_stdio_commands,
    )
    mcp_lister: providers.Provider[McpToolLister] = providers.Singleton(
        Imported("adapters.mcp.lister", "SdkMcpToolLister"), connector=mcp_connector
    )
    mcp_executor = providers.Singleton(
        Imported("adapters.mcp.executor", "McpFunctionExecutor"),
        connector=mcp_connector,
        pool=http_pool,
        start_budget_seconds=settings.provided.mcp_start_budget_seconds,
    )
    executors: providers.Provider[list[FunctionExecutor]] = providers.List(
        python_executor, http_executor, mcp_executor
    )
    offering: providers.Provider[SchemaOffering] = providers.Selector(
        settings.provided.model_target,
        # Keyword names with a dash: the setting's values are the documented names.
        **cast(
            "dict[str, providers.Provider[SchemaOffering]]",
            {"gemini-realtime": gemini_offering, "any": providers.Singleton(OfferAsStored)},
        ),
    )
    tool_sessions = providers.Factory(
        ToolSessions,
        executors=executors,
        offering=offering,
        default_timeout_seconds=settings.provided.tool_timeout_seconds,
        max_result_chars=settings.provided.tool_result_max_chars,
        recorders=providers.Callable(call_recorders, audit_writer, tracing),
    )
    livekit_runtime = providers.Factory(livekit_tool_runtime)
    realtime_model = providers.Factory(gemini_realtime_model)


class Container(containers.DeclarativeContainer):
    """Wires settings to adapters and adapters to the use cases.

    Storage and the runtime are sub-containers; the providers the entrypoints use are
    exposed here. Resources open and close in :func:`entrypoints.lifespan.lifespan`.
    """

    settings = providers.Singleton(load_settings)
    limits = providers.Singleton(lambda settings: settings.schema_limits(), settings)
    announce = providers.Object(announce_on_stderr)
    # Read tool versions, shared by every session of the process (a worker's jobs
    # override it with the process's one: see entrypoints.worker.job_container).
    tool_versions = providers.Singleton(ToolVersions)
    function_verdicts = providers.Singleton(IdentityMemo[str | None])
    fitted_configs = providers.Singleton(IdentityMemo[FittedConfig])
    handler_policy = providers.Singleton(
        HandlerPolicy,
        allowed_packages=settings.provided.handler_packages,
        stdio_commands=providers.Callable(
            lambda settings: frozenset(settings.mcp_stdio_commands), settings
        ),
    )
    python_handlers: providers.Singleton[PythonHandlers] = providers.Singleton(
        Imported("adapters.executors.python", "PythonHandlers"), handler_policy
    )
    gemini_offering: providers.Singleton[GeminiSchemaOffering] = providers.Singleton(
        Imported("adapters.gemini", "GeminiSchemaOffering")
    )
    openapi_parser: providers.Singleton[YamlJsonOpenApiParser] = providers.Singleton(
        Imported("adapters.openapi.parser", "YamlJsonOpenApiParser")
    )
    gemini_compatibility = providers.Singleton(
        Imported("adapters.gemini", "GeminiModelCompatibility"), gemini_offering
    )
    any_model_compatibility = providers.Singleton(
        Imported("adapters.memory.compatibility", "InMemoryModelCompatibility")
    )
    compatibility: providers.Provider[ModelCompatibility] = providers.Selector(
        settings.provided.model_target,
        # Keyword names with a dash: the setting's values are the documented names.
        **cast(
            "dict[str, providers.Provider[ModelCompatibility]]",
            {"gemini-realtime": gemini_compatibility, "any": any_model_compatibility},
        ),
    )

    stores = providers.Container(
        StorageContainer,
        settings=settings,
        limits=limits,
        announce=announce,
        tool_versions=tool_versions,
    )
    runtime = providers.Container(
        RuntimeContainer,
        settings=settings,
        python_handlers=python_handlers,
        gemini_offering=gemini_offering,
        audit_writer=stores.audit_writer,
    )
    storage = stores.storage
    cipher = stores.cipher
    unit_of_work = stores.unit_of_work
    call_log = stores.call_log
    audit_writer = stores.audit_writer
    http_pool = runtime.http_pool
    to_close = runtime.to_close
    mcp_connector = runtime.mcp_connector
    outbound_guard = runtime.outbound_guard
    tool_sessions = runtime.tool_sessions
    tracing = runtime.tracing
    offering = runtime.offering
    livekit_runtime = runtime.livekit_runtime
    realtime_model = runtime.realtime_model

    tools = providers.Factory(
        ToolService,
        unit_of_work=unit_of_work,
        compatibility=providers.Factory(CompatibilityOnFirstUse, compatibility.provider),
        handlers=python_handlers,
        limits=limits,
        max_document_bytes=settings.provided.max_document_bytes,
        mcp_lister=providers.Factory(McpListerOnFirstUse, runtime.mcp_lister.provider),
    )
    agents = providers.Factory(AgentService, unit_of_work=unit_of_work)
    bindings = providers.Factory(
        BindingService,
        unit_of_work=unit_of_work,
        max_secret_bytes=settings.provided.max_secret_bytes,
    )
    toolsets = providers.Factory(
        ToolsetLoader,
        unit_of_work=unit_of_work,
        compatibility=compatibility,
        handlers=python_handlers,
        runnable_kinds=providers.Callable(runnable_kinds, runtime.executors),
        limits=limits,
        verdicts=function_verdicts,
        fits=fitted_configs,
    )
    call_audit = providers.Factory(
        CallAuditService,
        log=call_log,
        unit_of_work=unit_of_work,
        retention_days=settings.provided.audit_retention_days,
    )
    agent_overviews = providers.Factory(
        AgentOverviews, agents=agents, toolsets=toolsets, offering=offering
    )
    agent_access = providers.Factory(AgentAccess, unit_of_work=unit_of_work)
    test_runs = providers.Factory(
        TestRuns,
        toolsets=toolsets,
        sessions=tool_sessions,
        preview=providers.Factory(
            Imported("adapters.executors.call_preview", "CallPreview"), pool=http_pool
        ),
    )
    api_keys = providers.Factory(ApiKeyService, store=stores.api_keys)
    token_verifier: providers.Singleton[JwtTokenVerifier] = providers.Singleton(
        Imported("adapters.auth.jwt_tokens", "JwtTokenVerifier"),
        jwks_url=settings.provided.api_jwks_url,
        secret=providers.Callable(lambda settings: settings.api_jwt_shared_secret(), settings),
        issuer=settings.provided.api_jwt_issuer,
        audience=settings.provided.api_jwt_audience,
        pool=http_pool,
    )
    authenticator = providers.Singleton(Authenticator, api_keys=api_keys, tokens=token_verifier)
    catalog_overview = providers.Factory(CatalogOverview, unit_of_work=unit_of_work)
