# OpenHands 0.62 runtime image: the layout of 0.62's runtime Dockerfile template, with the
# Python environment, the venv, /openhands/code, uv and the stand-ins for micromamba, poetry
# and openvscode-server already copied in by the build.
venv=/openhands/poetry/openhands-ai-py3.12
# The openhands user (uid and gid 1000) with passwordless sudo, and su between it and root
# without a password.
groupadd -g 1000 openhands
useradd -u 1000 -g openhands -m -s /bin/bash openhands
usermod -aG sudo openhands
echo 'openhands ALL=(ALL) NOPASSWD:ALL' >> /etc/sudoers
passwd -d openhands
passwd -d root
sed -i '/pam_rootok.so/d' /etc/pam.d/su
sed -i '1i auth sufficient pam_rootok.so' /etc/pam.d/su
mkdir -p /openhands/logs /openhands/poetry /openhands/workspace
git config --global user.name openhands
git config --global user.email openhands@all-hands.dev
# Playwright's browsers in a shared place, linked from both users' caches. Playwright launches
# the Chromium of its revision, and for headless pages its headless shell; Debian's chromium
# is put in both places.
rev=$("$venv/bin/python" -c 'import json, os, playwright; d = json.load(open(os.path.join(os.path.dirname(playwright.__file__), "driver/package/browsers.json"))); print(next(b["revision"] for b in d["browsers"] if b["name"] == "chromium"))')
browsers=/opt/playwright-browsers
mkdir -p "$browsers/chromium-$rev/chrome-linux" "$browsers/chromium_headless_shell-$rev/chrome-linux"
ln -s /usr/lib/chromium/chromium "$browsers/chromium-$rev/chrome-linux/chrome"
ln -s /usr/lib/chromium/chromium "$browsers/chromium_headless_shell-$rev/chrome-linux/headless_shell"
test -x /usr/lib/chromium/chromium
mkdir -p /home/openhands/.cache /root/.cache
ln -sf "$browsers" /home/openhands/.cache/ms-playwright
ln -sf "$browsers" /root/.cache/ms-playwright
echo "export PLAYWRIGHT_BROWSERS_PATH=$browsers" >> /etc/environment
echo "OH_INTERPRETER_PATH=$venv/bin/python" >> /etc/environment
echo 'export PATH="/usr/bin:/bin:/usr/sbin:/sbin:$PATH"' >> /etc/environment
echo 'export PATH="/usr/bin:/bin:/usr/sbin:/sbin:$PATH"' >> /etc/bash.bashrc
echo 'eval "$(/openhands/micromamba/bin/micromamba shell hook --shell bash)"' >> /etc/bash.bashrc
echo 'micromamba activate openhands 2>/dev/null || true' >> /etc/bash.bashrc
for home in /root /home/openhands; do
  {
    echo 'export PATH="/usr/bin:/bin:/usr/sbin:/sbin:/openhands/micromamba/bin:$PATH"'
    echo "export PLAYWRIGHT_BROWSERS_PATH=$browsers"
    echo 'eval "$(/openhands/micromamba/bin/micromamba shell hook --shell bash)"'
    echo 'micromamba activate openhands 2>/dev/null || true'
  } >> "$home/.bashrc"
done
chown -R openhands:openhands /openhands /home/openhands
chmod -R g+rws,o+rw /openhands/workspace
# What the startup command and the plugins run must be there.
/openhands/micromamba/bin/micromamba run -n openhands poetry run python -c 'import openhands.runtime.action_execution_server, libtmux, browsergym.core, playwright, kernel_gateway, ipykernel'
/openhands/micromamba/bin/micromamba run -n openhands "$venv/bin/python" -m jupyter kernelgateway --version
"$venv/bin/python" -c 'import ssl, sqlite3, ctypes, lzma, bz2, readline, uuid, zlib, pyexpat'
command -v tmux su useradd sudo git node rg
/openhands/bin/uv --version
/openhands/bin/uvx --version
test "$(id -u openhands)" = 1000
bash -ic 'test "$(command -v python)" = /openhands/micromamba/envs/openhands/bin/python' </dev/null
