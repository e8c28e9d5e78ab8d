"""Seeds the GUI server's LLM from the chart's llm.* values.

The GUI server starts conversations only with the LLM in its settings store (settings.json in
its state directory), which the UI's "Save" writes:
- 1.x reads no LLM_* variable at all;
- 0.x (0.27 to 0.62) answers GET /api/settings with 404 and starts no conversation before the
  first save, and once saved the stored model, key and base URL replace LLM_MODEL, LLM_API_KEY
  and LLM_BASE_URL.
This runs before the app starts, with the app's image, and writes the chart's LLM there
through the app's own settings code. It writes only when the chart's values changed since the
last seed (a fingerprint file beside settings.json), so what a user changes in the UI stays
until the chart's LLM values change; the user's other settings are kept.
"""

import asyncio
import hashlib
import json
import os
import sys
from pathlib import Path

FINGERPRINT_FILE = '.chart-llm-settings.sha256'


class V1:
    """OpenHands 1.x: the LLM is part of the agent settings."""

    state_variable = 'OH_PERSISTENCE_DIR'

    @staticmethod
    def wanted_llm() -> dict[str, str | None]:
        llm: dict[str, str | None] = {
            'model': os.environ['LLM_MODEL'],
            'base_url': os.environ.get('LLM_BASE_URL') or None,
        }
        for field, variable in (
            ('api_key', 'LLM_API_KEY'),
            ('aws_access_key_id', 'LLM_AWS_ACCESS_KEY_ID'),
            ('aws_secret_access_key', 'LLM_AWS_SECRET_ACCESS_KEY'),
            ('aws_region_name', 'LLM_AWS_REGION_NAME'),
        ):
            if os.environ.get(variable):
                llm[field] = os.environ[variable]
        return llm

    @staticmethod
    async def store(state: Path, llm: dict[str, str | None]) -> bool:
        from openhands.app_server.file_store.local import LocalFileStore
        from openhands.app_server.settings.file_settings_store import FileSettingsStore
        from openhands.app_server.settings.settings_models import Settings
        from openhands.app_server.settings.settings_router import _post_merge_llm_fixups

        store = FileSettingsStore(LocalFileStore(root=str(state)))
        existing = await store.load()
        settings = existing.model_copy() if existing else Settings()
        settings.update({'agent_settings_diff': {'llm': llm}})
        _post_merge_llm_fixups(settings)
        await store.store(settings)
        return existing is not None


class V0:
    """OpenHands 0.x: llm_model, llm_api_key and llm_base_url of the stored settings."""

    state_variable = 'FILE_STORE_PATH'

    @staticmethod
    def wanted_llm() -> dict[str, str | None]:
        return {
            'model': os.environ['LLM_MODEL'],
            'base_url': os.environ.get('LLM_BASE_URL') or None,
            # The placeholder stands in where the release refuses a conversation with a blank
            # key although its LLM calls do not use one (Bedrock before 0.50).
            'api_key': os.environ.get('LLM_API_KEY') or os.environ.get('LLM_API_KEY_PLACEHOLDER') or None,
        }

    @staticmethod
    async def store(state: Path, llm: dict[str, str | None]) -> bool:
        from pydantic import SecretStr

        from openhands.storage.local import LocalFileStore
        from openhands.storage.settings import file_settings_store

        store = file_settings_store.FileSettingsStore(LocalFileStore(root=str(state)))
        existing = await store.load()
        update = {
            'llm_model': llm['model'],
            'llm_base_url': llm['base_url'],
            'llm_api_key': SecretStr(llm['api_key']) if llm['api_key'] else None,
        }
        if existing:
            settings = existing.model_copy(update=update)
        else:
            # The class the store loads with: openhands.server.settings.Settings in 0.27 to
            # 0.29, later openhands.storage.data_models.settings.Settings.
            settings = file_settings_store.Settings(language='en', **update)
        await store.store(settings)
        return existing is not None


async def main() -> int:
    # The chart tells the generation by the state directory's variable: OH_PERSISTENCE_DIR for
    # 1.x, FILE_STORE_PATH for 0.x (which 1.x images also carry in their environment).
    generation = V1 if 'OH_PERSISTENCE_DIR' in os.environ else V0
    state = Path(os.environ[generation.state_variable])
    llm = generation.wanted_llm()
    fingerprint = hashlib.sha256(json.dumps(llm, sort_keys=True).encode()).hexdigest()
    fingerprint_path = state / FINGERPRINT_FILE
    if fingerprint_path.exists() and fingerprint_path.read_text().strip() == fingerprint:
        print(f'LLM settings unchanged since the last seed ({llm["model"]}); leaving settings.json alone')
        return 0

    existed = await generation.store(state, llm)
    fingerprint_path.write_text(fingerprint + '\n')
    print(f'seeded the LLM settings: model {llm["model"]}, base URL {llm["base_url"] or "(provider default)"}, '
          f'API key {"set" if llm.get("api_key") else "not set"}, into {"existing" if existed else "new"} settings')
    return 0


if __name__ == '__main__':
    sys.exit(asyncio.run(main()))
