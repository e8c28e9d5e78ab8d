# Asks the real 1.11.0 app code what it does with an environment. Run with the app's venv and
# exactly the app container's environment; prints one JSON line.
#   sandbox-start: upstream's own config_from_env() picks the sandbox service and its fields, the
#     Docker sandbox spec service builds the sandbox spec (image, OH_AGENT_SERVER_ENV), and
#     DockerSandboxService.start_sandbox() builds the container (environment, extra hosts,
#     volumes); a stand-in Docker client records it instead of running it.
#     Output: {"service": {...fields...}, "run": {...containers.run kwargs...}}.
#   cors <origin>...: whether the app's CORS middleware admits each origin.
#     Output: {"<origin>": true|false, ...}.
#   mcp-servers: the app's own conversation service, as its injector builds it for a request,
#     adds the MCP servers it configures every agent with (the default OpenHands server).
#     Output: {"web_url": ..., "servers": {"<name>": "<url>", ...}}.
import asyncio
import json
import sys
from unittest import mock

import docker

calls: list[dict] = []


def _run(**kwargs):
    calls.append(kwargs)
    # Stop here: the container is all this is after.
    raise docker.errors.APIError("stand-in Docker client: container captured")


client = mock.MagicMock(name="docker")
client.containers.list.return_value = []
client.containers.run.side_effect = _run
docker.from_env = lambda *args, **kwargs: client

from starlette.datastructures import State  # noqa: E402

from openhands.app_server.config import get_global_config  # noqa: E402


async def sandbox_start() -> dict:
    config = get_global_config()
    injector = config.sandbox
    async with injector.context(State()) as service:
        try:
            await service.start_sandbox()
        except Exception as error:  # the stand-in refuses every run
            if not calls:
                raise error
    run = calls[0]
    return {
        "service": {
            "kind": type(injector).__name__,
            "host_port": service.host_port,
            "container_url_pattern": service.container_url_pattern,
            "startup_grace_seconds": service.startup_grace_seconds,
            "web_url": service.web_url,
            "permitted_cors_origins": list(service.permitted_cors_origins),
        },
        "run": {
            "image": run["image"],
            "environment": run["environment"],
            "extra_hosts": run.get("extra_hosts"),
            "volumes": run.get("volumes"),
            "network_mode": run.get("network_mode"),
        },
    }


async def mcp_servers() -> dict:
    import uuid

    from starlette.requests import Request

    from openhands.app_server.config import get_app_conversation_service

    request = Request({"type": "http", "method": "GET", "path": "/", "headers": [], "query_string": b"", "state": {}})
    async with get_app_conversation_service(State(), request) as service:
        servers: dict = {}
        await service._add_system_mcp_servers(servers, uuid.uuid4())
    return {"web_url": service.web_url, "servers": {name: server.url for name, server in servers.items()}}


def cors(origins: list[str]) -> dict:
    from openhands.app_server.middleware import LocalhostCORSMiddleware

    middleware = LocalhostCORSMiddleware(app=lambda scope, receive, send: None)
    return {origin: bool(middleware.is_allowed_origin(origin)) for origin in origins}


if sys.argv[1] == "sandbox-start":
    print(json.dumps(asyncio.run(sandbox_start())))
elif sys.argv[1] == "mcp-servers":
    print(json.dumps(asyncio.run(mcp_servers())))
elif sys.argv[1] == "cors":
    print(json.dumps(cors(sys.argv[2:])))
else:
    raise SystemExit(f"unknown probe {sys.argv[1]}")
