"""``GeminiConverterCheck``: would a Gemini realtime session take this function as stored?

The verdict on the stored schema alone, before any adaptation: what LiveKit's converter
refuses (located) and what it drops silently. ``GeminiSchemaOffering`` starts from it
(a function accepted with no warning is offered as stored), and the lint shows it.
"""

from __future__ import annotations

from adapters.gemini import converter
from adapters.gemini.cache import DEFAULT_CACHE_SIZE, ContentCache
from adapters.gemini.caveats import verdict_warnings
from adapters.gemini.converter import ConverterRefusal
from adapters.gemini.diagnosis import diagnose
from application.ports import CompatibilityVerdict, ModelCompatibility
from domain.json_types import JsonObject
from domain.schema.function_schema import FunctionSchema

_PROBE_NAME = "probe"


class GeminiConverterCheck(ModelCompatibility):
    """The Gemini realtime check of a stored schema: LiveKit's converter, as a session calls it.

    A function is rejected when ``create_tools_config(..., use_parameters_json_schema=False)``
    (what a realtime session calls when it connects) raises anything at all; the reason
    names the schema node at fault. The name rule the Gemini API enforces is the
    platform's own, so every ``FunctionSchema`` meets it already. An accepted function
    carries warnings for what the converter drops silently and for rules the API is
    reported to enforce that nothing checks offline (``docs/gemini.md``).

    LiveKit's Google plugin is imported on the first check (or :meth:`preload`), never
    at import. Verdicts are cached by the function's content.

    Args:
        cache_size: How many verdicts to keep.
    """

    def __init__(self, cache_size: int = DEFAULT_CACHE_SIZE) -> None:
        self._cache: ContentCache[CompatibilityVerdict] = ContentCache(cache_size)

    @property
    def target(self) -> str:
        """The model family checked against."""
        return "Gemini realtime"

    def preload(self) -> None:
        """Import LiveKit's Gemini converter now.

        LiveKit lets a plugin register only on the main thread: a process whose first
        check may run on another thread (LiveKit's ``console`` mode runs jobs as threads)
        calls this on the main thread first, unless it imports ``livekit.plugins.google``
        there anyway.

        Raises:
            GeminiConverterUnavailable: When the plugin cannot be imported.
        """
        converter.load_converter()

    def check(self, function: FunctionSchema) -> CompatibilityVerdict:
        """Tell whether Gemini realtime accepts ``function``, why not, and what it loses.

        Raises:
            GeminiConverterUnavailable: When LiveKit's Google plugin cannot be imported
                (an environment problem, never a verdict).
        """
        verdict, _ = self._cache.get_or_make(function, lambda: _judge(function.to_dict()))
        return verdict


def _judge(canonical: JsonObject) -> CompatibilityVerdict:
    parameters: JsonObject = canonical["parameters"]
    try:
        declaration = converter.declare(canonical)
    except ConverterRefusal as refusal:
        reason = diagnose(parameters, refusal.error, refusal_of)
        return CompatibilityVerdict(accepted=False, reasons=(reason,))
    warnings = verdict_warnings(parameters, declaration.get("parameters"))
    return CompatibilityVerdict(accepted=True, warnings=warnings)


def refusal_of(parameters: JsonObject) -> BaseException | None:
    """What the converter raises for a function with these parameters, or None."""
    try:
        converter.declare({"name": _PROBE_NAME, "description": "", "parameters": parameters})
    except ConverterRefusal as refusal:
        return refusal.error
    return None
