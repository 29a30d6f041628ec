"""``GeminiModelCompatibility``: would a Gemini realtime session take this function?"""

from __future__ import annotations

from adapters.gemini.offering import Category, GeminiSchemaOffering
from application.ports import CompatibilityVerdict, ModelCompatibility
from domain.schema.function_schema import FunctionSchema


class GeminiModelCompatibility(ModelCompatibility):
    """The Gemini realtime check, after adaptation.

    A function is accepted when Gemini realtime takes it as stored, or once adapted
    (``GeminiSchemaOffering``): its warnings are then the hints, the constraints moved
    to descriptions and enforced at call time. It is rejected only when no adaptation
    makes LiveKit's converter (``create_tools_config(...,
    use_parameters_json_schema=False)``, what a realtime session calls when it
    connects) take it; the reason names the schema node at fault.

    Args:
        offering: The offering whose assessments answer (a new one when not given).
    """

    def __init__(self, offering: GeminiSchemaOffering | None = None) -> None:
        self._offering = offering or GeminiSchemaOffering()

    @property
    def target(self) -> str:
        """The model family checked against."""
        return self._offering.target

    def preload(self) -> None:
        """Import LiveKit's Gemini converter now (see :meth:`GeminiSchemaOffering.preload`).

        Raises:
            GeminiConverterUnavailable: When the plugin cannot be imported.
        """
        self._offering.preload()

    def check(self, function: FunctionSchema) -> CompatibilityVerdict:
        """Tell whether Gemini realtime takes ``function`` (adapted if need be), and at what cost.

        Raises:
            GeminiConverterUnavailable: When LiveKit's Google plugin cannot be imported
                (an environment problem, never a verdict).
        """
        assessment = self._offering.assess(function)
        if assessment.category is Category.IMPOSSIBLE:
            return CompatibilityVerdict(accepted=False, reasons=assessment.reasons)
        return CompatibilityVerdict(accepted=True, warnings=assessment.hints)
