# Loaded by Python at start (as sitecustomize, through PYTHONPATH) in the OpenHands 1.x app
# container when sandbox.mode is process; agent servers inherit PYTHONPATH and load it too,
# where it changes nothing. It changes four things of the released app (1.11.0), each only
# when the module involved is imported:
#
# 1. Sandbox status. openhands.app_server.sandbox.process_sandbox_service reports a sandbox
#    RUNNING only while its agent server is on a CPU (psutil status "running"); an idle agent
#    server sleeps and reads STARTING, with no URL, so conversations never start ("Sandbox
#    failed to start within 120s"). Here a live process that is neither stopped nor a zombie
#    counts as running, and upstream's own /alive check then decides RUNNING or ERROR.
# 2. Start wait. A new agent server gets a fixed 30 s to answer /alive; its imports alone can
#    take longer on a busy node. PROCESS_SANDBOX_START_SECONDS raises the wait.
# 3. Sandbox URL. Upstream hands the browser http://localhost:<port>, which the UI turns into
#    <page host>:<port>: nothing serves that behind an Ingress. With
#    PROCESS_SANDBOX_URL_PATTERN (for example http://localhost:3000/sandbox/{port}) the URL
#    points at the chart's gateway on the app's own host instead; the app's own calls follow
#    the same URL (upstream swaps localhost for host.docker.internal inside a container, which
#    the pod's hostAliases map to 127.0.0.1, where the gateway listens).
# 4. Browser tool. The app always gives the agent the browser tool, and the agent server
#    refuses to create a conversation when no Chromium is installed, which the upstream app
#    image has none of. Without Chromium the agent gets every other tool instead.
import importlib.abc
import importlib.machinery
import os
import sys

_PROCESS_SERVICE = "openhands.app_server.sandbox.process_sandbox_service"
_CONVERSATION_SERVICE = "openhands.app_server.app_conversation.live_status_app_conversation_service"


def _patch_process_service(module):
    import psutil
    from openhands.app_server.sandbox.sandbox_models import SandboxStatus

    def _get_process_status(self, process_info):
        try:
            process = psutil.Process(process_info.pid)
            if not process.is_running():
                return SandboxStatus.MISSING
            status = process.status()
            if status == psutil.STATUS_STOPPED:
                return SandboxStatus.PAUSED
            if status in (psutil.STATUS_ZOMBIE, psutil.STATUS_DEAD):
                return SandboxStatus.MISSING
            return SandboxStatus.RUNNING
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            return SandboxStatus.MISSING

    service = module.ProcessSandboxService
    service._get_process_status = _get_process_status

    start_seconds = int(os.environ.get("PROCESS_SANDBOX_START_SECONDS") or 30)
    original_wait = service._wait_for_server_ready

    async def _wait_for_server_ready(self, port, timeout=30):
        return await original_wait(self, port, max(timeout, start_seconds))

    service._wait_for_server_ready = _wait_for_server_ready

    pattern = os.environ.get("PROCESS_SANDBOX_URL_PATTERN")
    if pattern:
        original_info = service._process_to_sandbox_info

        async def _process_to_sandbox_info(self, sandbox_id, process_info):
            info = await original_info(self, sandbox_id, process_info)
            if info.exposed_urls:
                info.exposed_urls = [
                    exposed.model_copy(update={"url": pattern.replace("{port}", str(exposed.port))})
                    for exposed in info.exposed_urls
                ]
            return info

        service._process_to_sandbox_info = _process_to_sandbox_info


def _patch_conversation_service(module):
    from functools import cache

    @cache
    def chromium_installed():
        from openhands.tools.browser_use.impl import BrowserToolExecutor

        return BrowserToolExecutor.check_chromium_available() is not None

    original_tools = module.get_default_tools
    original_agents = module.register_builtins_agents

    def get_default_tools(enable_browser=True, **kwargs):
        return original_tools(enable_browser=enable_browser and chromium_installed(), **kwargs)

    def register_builtins_agents(enable_browser=True):
        return original_agents(enable_browser=enable_browser and chromium_installed())

    module.get_default_tools = get_default_tools
    module.register_builtins_agents = register_builtins_agents


_PATCHES = {_PROCESS_SERVICE: _patch_process_service, _CONVERSATION_SERVICE: _patch_conversation_service}


class _PatchOnImport(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        patch = _PATCHES.get(name)
        if patch is None:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return spec
        original_exec = spec.loader.exec_module

        def exec_module(module):
            original_exec(module)
            patch(module)

        spec.loader.exec_module = exec_module
        return spec


sys.meta_path.insert(0, _PatchOnImport())
