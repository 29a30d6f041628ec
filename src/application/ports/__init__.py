"""The ports the use cases need, one module per concern; adapters implement them.

Ports that do I/O are async. The secret cipher and the model-compatibility check are
pure computation with no connection to own, so they are plain synchronous methods.
Every port is re-exported here: import them from ``application.ports``.
"""

from application.ports.api_keys import ApiKeyStore
from application.ports.call_log import CallLog, CallQuery, CallRecorder, CallTiming
from application.ports.execution import ExecutionDetails, FunctionExecutor, OpenExecutor, ToolCall
from application.ports.handlers import HandlerCheck
from application.ports.mcp import ListedMcpFunction, McpToolLister
from application.ports.models import CompatibilityVerdict, ModelCompatibility
from application.ports.offering import (
    ArgumentDecoder,
    OfferedFunction,
    PathEncoder,
    SchemaOffering,
)
from application.ports.openapi import OpenApiParser
from application.ports.previews import RequestPreview
from application.ports.secrets import EncryptedSecret, SecretAddress, SecretCipher
from application.ports.storage import (
    AgentRepository,
    BindingRepository,
    ResealReport,
    SecretsAtRest,
    Storage,
    ToolCatalog,
    UnitOfWork,
    UnitOfWorkFactory,
    UnreadableSecret,
)
from application.ports.tokens import TokenVerifier, VerifiedToken

__all__ = [
    "AgentRepository",
    "ApiKeyStore",
    "ArgumentDecoder",
    "BindingRepository",
    "CallLog",
    "CallQuery",
    "CallRecorder",
    "CallTiming",
    "CompatibilityVerdict",
    "EncryptedSecret",
    "ExecutionDetails",
    "FunctionExecutor",
    "HandlerCheck",
    "ListedMcpFunction",
    "McpToolLister",
    "ModelCompatibility",
    "OfferedFunction",
    "OpenApiParser",
    "OpenExecutor",
    "PathEncoder",
    "RequestPreview",
    "ResealReport",
    "SchemaOffering",
    "SecretAddress",
    "SecretCipher",
    "SecretsAtRest",
    "Storage",
    "TokenVerifier",
    "ToolCall",
    "ToolCatalog",
    "UnitOfWork",
    "UnitOfWorkFactory",
    "UnreadableSecret",
    "VerifiedToken",
]
