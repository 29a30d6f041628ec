"""Gemini realtime: which functions it takes, and each function in a shape it takes.

Importing this package is cheap: LiveKit's Google plugin (about two seconds to import)
is loaded on the first assessment, never before.
"""

from adapters.gemini.compatibility import GeminiModelCompatibility
from adapters.gemini.converter_check import GeminiConverterCheck
from adapters.gemini.offering import Assessment, Category, GeminiSchemaOffering

__all__ = [
    "Assessment",
    "Category",
    "GeminiConverterCheck",
    "GeminiModelCompatibility",
    "GeminiSchemaOffering",
]
