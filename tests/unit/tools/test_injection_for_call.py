"""``ConfigInjection.for_call``: each call gets a config no other call can change."""

from __future__ import annotations

from domain.injection import ConfigInjection


def injection(config: dict[str, object]) -> ConfigInjection:
    return ConfigInjection(
        agent_id="a", binding_id="b", tool_name="t", tool_version=1, config=config
    )


def test_a_config_of_plain_values_is_shared_as_it_is() -> None:
    shared = injection({"label": "A", "retries": 3, "ratio": 0.5, "on": True, "none": None})

    assert shared.for_call() is shared


def test_a_config_holding_objects_or_arrays_is_copied_for_each_call() -> None:
    original = injection({"label": "A", "regions": ["eu"], "limits": {"max": 1}})

    first, second = original.for_call(), original.for_call()
    first.config["regions"].append("us")
    first.config["limits"]["max"] = 99

    assert first is not original
    assert (
        second.config
        == original.config
        == {
            "label": "A",
            "regions": ["eu"],
            "limits": {"max": 1},
        }
    )


def test_the_injection_keeps_its_own_copy_of_the_config_it_was_given() -> None:
    plain: dict[str, object] = {"label": "A"}
    nested: dict[str, object] = {"regions": ["eu"]}
    from_plain, from_nested = injection(plain), injection(nested)
    plain["label"] = "B"
    nested["regions"].append("us")  # type: ignore[attr-defined]

    assert from_plain.config == {"label": "A"}
    assert from_nested.config == {"regions": ["eu"]}
