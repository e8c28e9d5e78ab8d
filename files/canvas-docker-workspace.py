# Canvas' agent server imports this file as canvas_ui_tool when canvas.runtime is docker: the
# chart puts its directory ahead of Canvas' own tools directory on the agent server's module
# path (OH_EXTRA_PYTHON_PATH, which the agent server itself reads, so the source venv and the
# PyInstaller binary alike), and Canvas' entrypoint imports canvas_ui_tool at start
# (--import-modules). It
#
# 1. loads Canvas' own canvas_ui_tool under that name, so the module Canvas relies on is the
#    same one as without the chart; and
# 2. backports openhands-agent-server 1.49.2's fix to the 1.49.1 that Canvas 1.20.0 pins: a
#    conversation started without a folder names a working directory that does not exist yet
#    ($HOME/workspace/project/<id>), which 1.49.1's Docker runtime refuses ("Conversation
#    workspace must be a real directory", docker_runtime/provisioning.py) where 1.49.2 creates
#    it first. Agent servers that create it themselves are left alone.
import importlib.util
import os
import sys

_NAME = "canvas_ui_tool"
_HERE = os.path.dirname(os.path.abspath(__file__))


def _load_canvas_module():
    for entry in sys.path:
        candidate = os.path.join(entry or ".", f"{_NAME}.py")
        if os.path.abspath(entry or ".") == _HERE or not os.path.isfile(candidate):
            continue
        spec = importlib.util.spec_from_file_location(_NAME, candidate)
        module = importlib.util.module_from_spec(spec)
        sys.modules[_NAME] = module
        spec.loader.exec_module(module)
        return
    raise ImportError(f"{_NAME}: Canvas' own module is not on the agent server's path")


def _create_missing_workspaces():
    try:
        from openhands.agent_server.docker_runtime import provisioning
    except ImportError:
        return
    store = provisioning.RuntimeProvisioningStore
    original = store.create
    if getattr(original, "creates_missing_workspace", False):
        return

    def create(self, conversation_id, workspace_path=None):
        if workspace_path is not None and workspace_path.is_absolute() and not workspace_path.is_symlink() and not workspace_path.exists():
            try:
                workspace_path.mkdir(parents=True, mode=0o700, exist_ok=True)
            except OSError:
                pass  # upstream's own check then reports it
        return original(self, conversation_id, workspace_path)

    create.creates_missing_workspace = True
    store.create = create


_create_missing_workspaces()
_load_canvas_module()
