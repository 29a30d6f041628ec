"""Test runs of a tool with an agent's binding: ``render`` (nothing sent) and ``execute``."""

from __future__ import annotations

from fastapi import APIRouter

from application.authorization import Action
from entrypoints.api.schemas import Execution, Rendering, TestRunRequest
from entrypoints.api.security import ContainerDependency, CurrentPrincipal

router = APIRouter(tags=["test runs"])


@router.post("/tools/{name}/test-runs/render")
async def render_test_run(
    name: str, body: TestRunRequest, principal: CurrentPrincipal, container: ContainerDependency
) -> Rendering:
    """What a call of one of the tool's functions would send, with nothing sent.

    The arguments are validated as a session would (422 naming the fields). An ``http``
    function shows the request (method, URL, headers, body) with every secret masked and
    the outbound guard's verdict on its address; ``python`` its handler; ``mcp`` its
    server and remote tool. The agent's binding gives the config and the secrets.
    """
    agent = await container.agent_access().agent(principal, Action.RENDER_TEST, body.agent)
    described = await container.test_runs().render(
        agent.id, body.function, body.arguments, tool=name
    )
    return Rendering.model_validate(described)


@router.post("/tools/{name}/test-runs/execute")
async def execute_test_run(
    name: str, body: TestRunRequest, principal: CurrentPrincipal, container: ContainerDependency
) -> Execution:
    """Call one of the tool's functions for real, with the agent's binding.

    The call goes through a tool session as in any agent session: the outbound guard,
    the timeout, the scrubbing of the binding's secrets, the result cap, and the audit.
    The answer is what the model would get: ``ok``, the ``status`` that names how the
    call ended, and the ``output``.
    """
    agent = await container.agent_access().agent(principal, Action.EXECUTE_TEST, body.agent)
    result = await container.test_runs().execute(agent.id, body.function, body.arguments, tool=name)
    return Execution(
        ok=result.ok, status=str(result.status), output=result.output, repeated=result.repeated
    )
