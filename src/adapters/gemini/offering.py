"""``GeminiSchemaOffering``: each function as Gemini realtime can take it, and the way back.

The assessment of a function (:class:`Assessment`) is what the lint reports, what the
compatibility check answers, and what a session offers: the stored schema when Gemini
takes it as it is, else the adapted schema with its codec. Assessments are cached by the
function's content; the hints of an adapted function are logged the first time it is offered.
"""

from __future__ import annotations

import dataclasses
import enum
import logging
from dataclasses import dataclass, field

from adapters.gemini import converter
from adapters.gemini.adaptation import Unadaptable, adapt_parameters
from adapters.gemini.cache import DEFAULT_CACHE_SIZE, ContentCache
from adapters.gemini.codecs import SAME, Codec
from adapters.gemini.converter import ConverterRefusal
from adapters.gemini.converter_check import GeminiConverterCheck, refusal_of
from adapters.gemini.diagnosis import diagnose
from application.ports import CompatibilityVerdict, OfferedFunction, SchemaOffering
from domain.errors import InvalidSchema
from domain.schema.function_schema import FunctionSchema

logger = logging.getLogger(__name__)


class Category(enum.StrEnum):
    """How a function reaches Gemini realtime (the lint's exact values)."""

    ACCEPTED = "accepted"
    ADAPTED = "adapted"
    ADAPTED_WITH_HINTS = "adapted_with_hints"
    IMPOSSIBLE = "impossible"


@dataclass(frozen=True)
class Assessment:
    """How one function reaches Gemini realtime.

    Attributes:
        category: accepted, adapted (lossless), adapted_with_hints, or impossible.
        offered: The schema the model sees (None when impossible).
        codec: Maps the model's arguments back to the stored shape.
        hints: What moved to descriptions, one ``<path>: <what>`` each (enforced at
            call time).
        reasons: Why it is impossible (empty otherwise).
        as_stored: The converter's verdict on the stored schema (why it was adapted).
    """

    category: Category
    offered: FunctionSchema | None
    codec: Codec = SAME
    hints: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    as_stored: CompatibilityVerdict = field(
        default_factory=lambda: CompatibilityVerdict(accepted=True)
    )


class GeminiSchemaOffering(SchemaOffering):
    """Offers each function in a shape Gemini realtime takes, with nothing weakened.

    A function the converter takes as it is, with nothing dropped, is offered as
    stored. Any other is rewritten (``adapters.gemini.adaptation``); the model's
    arguments are decoded back to the stored shape and validated against the stored
    schema, so every constraint still holds.

    Args:
        cache_size: How many assessments to keep.
    """

    def __init__(self, cache_size: int = DEFAULT_CACHE_SIZE) -> None:
        self._cache: ContentCache[Assessment] = ContentCache(cache_size)
        self._logged: ContentCache[None] = ContentCache(cache_size)
        self._as_stored = GeminiConverterCheck(cache_size)

    @property
    def target(self) -> str:
        """The model family offered to."""
        return "Gemini realtime"

    def preload(self) -> None:
        """Import LiveKit's Gemini converter now (on the main thread; see ``converter``).

        Raises:
            GeminiConverterUnavailable: When the plugin cannot be imported.
        """
        converter.load_converter()

    def offer(self, function: FunctionSchema) -> OfferedFunction:
        """The schema Gemini sees for ``function``, its argument decoder and path encoder.

        An impossible function (the loader leaves those out) is offered as stored. The
        hints of an adapted function are logged the first time it is offered.
        """
        assessment = self.assess(function)
        _, first = self._logged.get_or_make(function, lambda: None)
        if first and assessment.hints:
            logger.warning(
                "function %s is offered to Gemini realtime with hints: %s",
                function.name,
                "; ".join(assessment.hints),
            )
        if assessment.offered is None or assessment.category is Category.ACCEPTED:
            return OfferedFunction(function)
        codec = assessment.codec
        return OfferedFunction(assessment.offered, codec.decode, codec.locate)

    def assess(self, function: FunctionSchema) -> Assessment:
        """Say how ``function`` reaches Gemini realtime (cached by content).

        Raises:
            GeminiConverterUnavailable: When LiveKit's Google plugin cannot be imported.
        """
        assessment, _ = self._cache.get_or_make(function, lambda: self._assess(function))
        return assessment

    def _assess(self, function: FunctionSchema) -> Assessment:
        as_stored = self._as_stored.check(function)
        return dataclasses.replace(_adapted(function, as_stored), as_stored=as_stored)


def _adapted(function: FunctionSchema, as_stored: CompatibilityVerdict) -> Assessment:
    try:
        adaptation = adapt_parameters(function.parameters)
    except Unadaptable as error:
        return Assessment(Category.IMPOSSIBLE, None, reasons=(str(error),))
    if as_stored.accepted and not as_stored.warnings and adaptation.is_lossless_identity:
        return Assessment(Category.ACCEPTED, function)
    try:
        offered = FunctionSchema(
            function.name, function.description, adaptation.parameters, function.limits
        )
    except InvalidSchema as error:
        return Assessment(Category.IMPOSSIBLE, None, reasons=(f"the adapted schema: {error}",))
    try:
        converter.declare(offered.to_dict())
    except ConverterRefusal as refusal:
        reason = diagnose(adaptation.parameters, refusal.error, refusal_of)
        return Assessment(Category.IMPOSSIBLE, None, reasons=(f"adapted, still refused: {reason}",))
    hints = tuple(str(hint) for hint in adaptation.hints)
    category = Category.ADAPTED_WITH_HINTS if hints else Category.ADAPTED
    return Assessment(category, offered, adaptation.codec, hints)
