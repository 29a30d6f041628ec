"""Code tools for the tests: LiveKit ``@function_tool`` modules, synced into the catalog."""
