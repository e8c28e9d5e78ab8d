# Holds one LLM call the way the real OpenHands 0.x GUI server (0.27) makes it for a new
# conversation. Run with the release's venv and the app container's environment; prints one
# JSON line.
#   argv[1]: the settings a user saved in the UI (JSON of openhands.server.settings.Settings),
#            or null to leave the settings store as it is (seeded by the chart, or empty).
# The settings go into the settings store as POST /api/settings stores them; the server's own
# _create_new_conversation then loads them, checks the API key and starts the agent loop,
# whose Session.initialize_agent builds the LLM from the environment's config overridden by the
# settings. The runtime start is the one step held back (it needs Docker): the agent it would
# get is captured instead, and its LLM makes one completion call.
# Output: {"llm": {...the agent's LLM config...}, "answer": "..."}, or with "error" instead of
# "answer" when the call failed ("llm" is null when the server refused to start the conversation).
import asyncio
import json
import sys

import openhands.agenthub  # noqa: F401 (registers the agents, as the server's app.py does)
from openhands.server.session import agent_session, session

captured: asyncio.Future | None = None


async def _hold_runtime_start(self, **kwargs):
    # Stop before the runtime (a Docker container): the agent is what this is after.
    captured.set_result(kwargs["agent"])


_initialize_agent = session.Session.initialize_agent


async def _initialize_agent_reporting_failure(self, *args, **kwargs):
    # The server runs this as a background task; a failure must end the wait, not time out.
    try:
        await _initialize_agent(self, *args, **kwargs)
    except Exception as error:
        captured.set_exception(error)


agent_session.AgentSession.start = _hold_runtime_start
session.Session.initialize_agent = _initialize_agent_reporting_failure


async def main() -> dict:
    global captured
    captured = asyncio.get_running_loop().create_future()

    from openhands.server.routes.manage_conversations import _create_new_conversation
    from openhands.server.settings import Settings
    from openhands.server.shared import SettingsStoreImpl, config

    saved = json.loads(sys.argv[1])
    if saved is not None:  # null: the settings store holds what the chart's seed wrote
        store = await SettingsStoreImpl.get_instance(config, None)
        await store.store(Settings(**saved))
    try:
        await _create_new_conversation(None, None, None, None, "hello", None)
    except Exception as error:  # the server refuses to start the conversation
        return {"llm": None, "error": f"{type(error).__name__}: {error}"}
    agent = await asyncio.wait_for(captured, 60)
    llm = agent.llm
    llm_config = {
        "model": llm.config.model,
        "base_url": llm.config.base_url,
        "api_key_set": llm.config.api_key is not None,
        "aws_region_name": llm.config.aws_region_name,
        "aws_access_key_id_set": llm.config.aws_access_key_id is not None,
    }
    try:
        response = llm.completion(messages=[{"role": "user", "content": "Say hello."}])
    except Exception as error:  # the call's failure is a result here
        return {"llm": llm_config, "error": f"{type(error).__name__}: {error}"}
    return {"llm": llm_config, "answer": response.choices[0].message.content}


print(json.dumps(asyncio.run(main())))
