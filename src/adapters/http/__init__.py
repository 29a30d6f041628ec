"""Outbound HTTP: the one place the platform builds HTTP clients."""
