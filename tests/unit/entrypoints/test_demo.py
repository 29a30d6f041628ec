import json

from typer.testing import CliRunner

from entrypoints.cli import app
from entrypoints.demo import DEMO_SECRET


def test_demo_defines_binds_loads_and_validates_without_leaking_the_secret() -> None:
    result = CliRunner().invoke(app, ["demo"])

    assert result.exit_code == 0, result.output
    assert "Defined tool 'weather' version 1" in result.output
    assert "changed=False" in result.output
    assert '"type": "object"' in result.output  # BFCL's "dict" became JSON Schema
    assert (
        "the function receives: "
        + json.dumps({"location": "Tel Aviv, Israel", "unit": "fahrenheit"})
        in result.output
    )
    assert "city: is not declared; declared arguments: location, unit" in result.output
    assert "location: is required but missing" in result.output
    assert "secrets=['api_key']" in result.output
    assert DEMO_SECRET not in result.output
