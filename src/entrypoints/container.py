"""The composition root: the only place that reads settings and picks adapters."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, cast

from dependency_injector import containers, providers
from sqlalchemy.engine import make_url

from adapters.auth.jwt_tokens import JwtTokenVerifier
from adapters.executors.call_preview import CallPreview
from adapters.executors.http import HttpFunctionExecutor
from adapters.executors.python import PythonFunctionExecutor, PythonHandlers
from adapters.gemini import GeminiModelCompatibility, GeminiSchemaOffering
from adapters.http.guard import OutboundGuard
from adapters.http.pool import HttpClientPool
from adapters.mcp.connector import McpConnector
from adapters.mcp.executor import McpFunctionExecutor
from adapters.mcp.lister import SdkMcpToolLister
from adapters.memory.api_keys import InMemoryApiKeyStore
from adapters.memory.call_log import InMemoryCallLog
from adapters.memory.compatibility import InMemoryModelCompatibility
from adapters.memory.unit_of_work import InMemoryStorage
from adapters.openapi.parser import YamlJsonOpenApiParser
from adapters.secrets.aes_gcm import AesGcmSecretCipher, InvalidKeyRing
from adapters.secrets.key_file import load_or_create_key_file
from adapters.sqlalchemy.api_keys import SqlAlchemyApiKeyStore
from adapters.sqlalchemy.call_log import SqlAlchemyCallLog
from adapters.sqlalchemy.connections import ConnectTimeout
from adapters.sqlalchemy.key_inventory import sqlite_sealed_key_ids
from adapters.sqlalchemy.storage import SqlAlchemyStorage
from adapters.storage_common.tool_versions import ToolVersions
from adapters.supabase.api_keys import SupabaseApiKeyStore
from adapters.supabase.call_log import SupabaseCallLog
from adapters.supabase.rpc import SupabaseRpc
from adapters.supabase.storage import SupabaseStorage
from adapters.telemetry.tracing import OtelTracing
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
from entrypoints.models import gemini_realtime_model
from entrypoints.settings import PlatformSettings, load_settings

if TYPE_CHECKING:
    from adapters.livekit.runtime import LiveKitToolRuntime

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
    if settings.secret_keys is not None:
        keys = settings.secret_keys.get_secret_value()
        return AesGcmSecretCipher.parse(keys, SECRET_KEYS_SETTING)
    if settings.storage == "memory":
        return AesGcmSecretCipher.ephemeral()
    if (
        settings.storage != "supabase"
        and make_url(settings.database_url).get_backend_name() == "sqlite"
    ):
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
    return SupabaseRpc(url, Secret(key.get_secret_value()), settings.supabase_timeout_seconds)


def livekit_tool_runtime() -> LiveKitToolRuntime:
    """The LiveKit runtime; LiveKit is imported when one is built, not with the container."""
    from adapters.livekit.runtime import LiveKitToolRuntime  # noqa: PLC0415

    return LiveKitToolRuntime()


def tracing_from_environment() -> OtelTracing | None:
    """Tracing as the standard ``OTEL_*`` variables configure it; None when they do not."""
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
    memory_storage = providers.Singleton(InMemoryStorage, cipher=cipher)
    sql_storage = providers.Singleton(
        SqlAlchemyStorage,
        url=settings.provided.database_url,
        cipher=cipher,
        limits=limits,
        pool_size=settings.provided.database_pool_size,
        max_overflow=settings.provided.database_max_overflow,
        connect_timeout=providers.Factory(
            ConnectTimeout,
            seconds=settings.provided.database_connect_timeout_seconds,
            setting=CONNECT_TIMEOUT_SETTING,
        ),
        tool_versions=tool_versions,
    )
    rpc = providers.Singleton(supabase_rpc, settings)
    supabase_storage = providers.Singleton(
        SupabaseStorage,
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
        memory=providers.Singleton(InMemoryApiKeyStore),
        sqlalchemy=providers.Singleton(SqlAlchemyApiKeyStore, storage=sql_storage),
        supabase=providers.Singleton(SupabaseApiKeyStore, rpc=rpc),
    )
    call_log: providers.Provider[CallLog] = providers.Selector(
        settings.provided.storage,
        memory=providers.Singleton(InMemoryCallLog),
        sqlalchemy=providers.Singleton(SqlAlchemyCallLog, sql_storage),
        supabase=providers.Singleton(SupabaseCallLog, rpc),
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
    python_handlers = providers.Dependency(instance_of=PythonHandlers)
    gemini_offering = providers.Dependency(instance_of=GeminiSchemaOffering)
    audit_writer = providers.Dependency(instance_of=AuditWriter)
    tracing = providers.Singleton(tracing_from_environment)

    outbound_guard = providers.Singleton(
        OutboundGuard,
        allowlist=providers.Callable(lambda settings: settings.outbound_allowlist(), settings),
        strict=settings.provided.outbound_only,
    )
    http_pool = providers.Singleton(
        HttpClientPool,
        guard=outbound_guard,
        proxy=providers.Callable(lambda settings: settings.outbound_proxy_url(), settings),
    )
    python_executor = providers.Singleton(
        PythonFunctionExecutor, handlers=python_handlers, http=http_pool
    )
    http_executor = providers.Singleton(
        HttpFunctionExecutor,
        pool=http_pool,
        max_response_bytes=settings.provided.http_max_response_bytes,
    )
    mcp_connector = providers.Singleton(
        McpConnector, pool=http_pool, stdio_commands=settings.provided.mcp_stdio_commands
    )
    mcp_lister: providers.Provider[McpToolLister] = providers.Singleton(
        SdkMcpToolLister, connector=mcp_connector
    )
    mcp_executor = providers.Singleton(
        McpFunctionExecutor,
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
    python_handlers = providers.Singleton(PythonHandlers, handler_policy)
    gemini_offering = providers.Singleton(GeminiSchemaOffering)
    openapi_parser = providers.Singleton(YamlJsonOpenApiParser)
    gemini_compatibility = providers.Singleton(GeminiModelCompatibility, gemini_offering)
    any_model_compatibility = providers.Singleton(InMemoryModelCompatibility)
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
        compatibility=compatibility,
        handlers=python_handlers,
        limits=limits,
        max_document_bytes=settings.provided.max_document_bytes,
        mcp_lister=runtime.mcp_lister,
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
        preview=providers.Factory(CallPreview, pool=http_pool),
    )
    api_keys = providers.Factory(ApiKeyService, store=stores.api_keys)
    token_verifier = providers.Singleton(
        JwtTokenVerifier,
        jwks_url=settings.provided.api_jwks_url,
        secret=providers.Callable(lambda settings: settings.api_jwt_shared_secret(), settings),
        issuer=settings.provided.api_jwt_issuer,
        audience=settings.provided.api_jwt_audience,
        pool=http_pool,
    )
    authenticator = providers.Singleton(Authenticator, api_keys=api_keys, tokens=token_verifier)
    catalog_overview = providers.Factory(CatalogOverview, unit_of_work=unit_of_work)
