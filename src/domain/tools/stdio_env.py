"""What a tool document may put in a stdio MCP server's environment.

A stdio server runs the operator's command line; a document only names it and adds
environment entries. An entry must not change which code the server's programs load or
run: the dynamic loader's variables, interpreters' start-up and module-path variables,
the shells' start-up files, and the few that say where programs and their configuration
are found. ``docs/mcp.md`` lists them.
"""

from __future__ import annotations

import re

STDIO_COMMAND_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
"""The name of an entry of ``TOOL_PLATFORM_MCP_STDIO_COMMANDS``."""

ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,127}")
"""A portable environment variable name."""

REFUSED_ENV_PREFIXES = (
    "LD_",
    "DYLD_",
    "PYTHON",
    "PERL5",
    "NODE_",
    "NPM_CONFIG_",
    "RUBY",
    "GEM_",
    "BUNDLE_",
    "LUA_",
    "JAVA_",
    "_JAVA_",
    "JDK_JAVA_",
    "GIT_",
    "DENO_",
    "BUN_",
    "UV_",
    "PIP_",
    "CONDA",
    "VIRTUAL_ENV",
)
"""Name prefixes refused (compared in upper case)."""

REFUSED_ENV_NAMES = frozenset(
    {
        "PATH",
        "HOME",
        "SHELL",
        "ENV",
        "BASH_ENV",
        "BASHOPTS",
        "SHELLOPTS",
        "PS4",
        "IFS",
        "CDPATH",
        "PERLLIB",
        "PERLIO",
        "CLASSPATH",
        "PHPRC",
        "PHP_INI_SCAN_DIR",
        "GCONV_PATH",
        "GLIBC_TUNABLES",
        "MALLOC_CONF",
        "HOSTALIASES",
        "LOCALDOMAIN",
        "RES_OPTIONS",
        "TMPDIR",
        "XDG_CONFIG_HOME",
        "XDG_DATA_HOME",
        "XDG_CONFIG_DIRS",
        "XDG_DATA_DIRS",
        "SSL_CERT_FILE",
        "SSL_CERT_DIR",
        "REQUESTS_CA_BUNDLE",
        "CURL_CA_BUNDLE",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "NO_PROXY",
        "EDITOR",
        "VISUAL",
        "PAGER",
        "BROWSER",
        "SSH_ASKPASS",
        "SUDO_ASKPASS",
    }
)
"""Whole names refused (compared in upper case): where programs, their start-up and
configuration files are found, and where their network traffic goes."""


def env_name_problem(name: str) -> str | None:
    """Say why ``name`` may not be set for a stdio server, or None when it may."""
    if not ENV_NAME.fullmatch(name):
        return "is not an environment variable name (a letter or _, then letters, digits, _)"
    upper = name.upper()
    if upper in REFUSED_ENV_NAMES or upper.startswith(REFUSED_ENV_PREFIXES):
        return (
            "may not be set by a tool document: it changes which code the server's programs "
            "load or run, or where they connect (docs/mcp.md lists the refused names)"
        )
    return None
