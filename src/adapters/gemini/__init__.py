"""Gemini realtime compatibility: the platform's Gemini rules and LiveKit's own converter.

Importing this package is cheap: LiveKit's Google plugin (about two seconds to import)
is loaded on the first :meth:`GeminiModelCompatibility.check`, never before.
"""

from adapters.gemini.compatibility import GeminiModelCompatibility

__all__ = ["GeminiModelCompatibility"]
