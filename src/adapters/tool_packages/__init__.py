"""The platform's own tool package: built-in code tools, and references for tool authors.

Each module is one platform tool written exactly as a tool author writes one (LiveKit
``@function_tool``s, config from ``context.userdata``, secrets and the HTTP client from
``tool_platform``); ``tool-platform tools sync adapters.tool_packages``
puts them in the catalog, and ``TOOL_PLATFORM_HANDLER_PACKAGES`` must list
``adapters.tool_packages`` for them to run. ``docs/writing-tools.md`` is the guide.

- ``google_calendar``: list, create and check events (Google Calendar API v3).
- ``email``: send an email over SMTP.
- ``conversions``: handlers of a schema-defined tool (``async def handler(arguments,
  injection)``), used by ``tool-platform demo``.
"""
