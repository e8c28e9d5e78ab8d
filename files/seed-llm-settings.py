"""Seeds the LLM of OpenHands 1.x from the chart's llm.* values.

OpenHands 1.x reads no LLM_* variable: the model, key and base URL live only in the
settings store (settings.json in the state directory), which the UI writes. This runs
before the app starts and writes the chart's LLM there through the app's own settings
code, as the UI's "Save" would. It writes only when the chart's values changed since the
last seed (a fingerprint file beside settings.json), so what a user changes in the UI
stays until the chart's LLM values change.
"""

import asyncio
import hashlib
import json
import os
import sys
from pathlib import Path

from openhands.app_server.file_store.local import LocalFileStore
from openhands.app_server.settings.file_settings_store import FileSettingsStore
from openhands.app_server.settings.settings_models import Settings
from openhands.app_server.settings.settings_router import _post_merge_llm_fixups

FINGERPRINT_FILE = '.chart-llm-settings.sha256'


def wanted_llm() -> dict[str, str | None]:
    """The LLM the chart's values describe, from the container's environment."""
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


async def main() -> int:
    state = Path(os.environ['OH_PERSISTENCE_DIR'])
    llm = wanted_llm()
    fingerprint = hashlib.sha256(json.dumps(llm, sort_keys=True).encode()).hexdigest()
    fingerprint_path = state / FINGERPRINT_FILE
    if fingerprint_path.exists() and fingerprint_path.read_text().strip() == fingerprint:
        print(f'LLM settings unchanged since the last seed ({llm["model"]}); leaving settings.json alone')
        return 0

    store = FileSettingsStore(LocalFileStore(root=str(state)))
    existing = await store.load()
    settings = existing.model_copy() if existing else Settings()
    settings.update({'agent_settings_diff': {'llm': llm}})
    _post_merge_llm_fixups(settings)
    await store.store(settings)
    fingerprint_path.write_text(fingerprint + '\n')
    print(f'seeded the LLM settings: model {llm["model"]}, base URL {llm["base_url"] or "(provider default)"}, '
          f'API key {"set" if llm.get("api_key") else "not set"}, into {"existing" if existing else "new"} settings')
    return 0


if __name__ == '__main__':
    sys.exit(asyncio.run(main()))
