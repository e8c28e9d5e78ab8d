"""Seeds the LLM of OpenHands 0.x from the chart's llm.* values.

OpenHands 0.x (0.27 to 0.62) starts a conversation only from the settings store
(settings.json in FILE_STORE_PATH), which the UI's "Save" writes: before the first save the
server answers GET /api/settings with 404 and starts no conversation, and once saved the
stored model, key and base URL replace LLM_MODEL, LLM_API_KEY and LLM_BASE_URL. This runs
before the app starts and writes the chart's LLM there with the app's own settings code. It
writes only when the chart's values changed since the last seed (a fingerprint file beside
settings.json), so what a user changes in the UI stays until the chart's LLM values change.
Other stored settings are kept; in new settings they stay unset, so the session takes them
from the app's own configuration.
"""

import asyncio
import hashlib
import json
import os
import sys
from pathlib import Path

from pydantic import SecretStr

from openhands.storage.local import LocalFileStore
from openhands.storage.settings import file_settings_store

FINGERPRINT_FILE = '.chart-llm-settings.sha256'


def wanted_llm() -> dict[str, str | None]:
    """The LLM the chart's values describe, from the container's environment."""
    return {
        'llm_model': os.environ['LLM_MODEL'],
        'llm_base_url': os.environ.get('LLM_BASE_URL') or None,
        # The placeholder stands in where the release refuses a conversation with a blank key
        # although its LLM calls do not use one (Bedrock before 0.50).
        'llm_api_key': os.environ.get('LLM_API_KEY') or os.environ.get('LLM_API_KEY_PLACEHOLDER') or None,
    }


async def main() -> int:
    state = Path(os.environ['FILE_STORE_PATH'])
    llm = wanted_llm()
    fingerprint = hashlib.sha256(json.dumps(llm, sort_keys=True).encode()).hexdigest()
    fingerprint_path = state / FINGERPRINT_FILE
    if fingerprint_path.exists() and fingerprint_path.read_text().strip() == fingerprint:
        print(f'LLM settings unchanged since the last seed ({llm["llm_model"]}); leaving settings.json alone')
        return 0

    store = file_settings_store.FileSettingsStore(LocalFileStore(root=str(state)))
    existing = await store.load()
    update = {**llm, 'llm_api_key': SecretStr(llm['llm_api_key']) if llm['llm_api_key'] else None}
    if existing:
        settings = existing.model_copy(update=update)
    else:
        # The class the store loads with: openhands.server.settings.Settings in 0.27 to 0.29, later
        # openhands.storage.data_models.settings.Settings.
        settings = file_settings_store.Settings(language='en', **update)
    await store.store(settings)
    fingerprint_path.write_text(fingerprint + '\n')
    print(f'seeded the LLM settings: model {llm["llm_model"]}, base URL {llm["llm_base_url"] or "(provider default)"}, '
          f'API key {"set" if llm["llm_api_key"] else "not set"}, into {"existing" if existing else "new"} settings')
    return 0


if __name__ == '__main__':
    sys.exit(asyncio.run(main()))
