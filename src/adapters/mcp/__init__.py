"""MCP servers: connections over the three transports, and the ``mcp`` executor."""
