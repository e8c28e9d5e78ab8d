#!/bin/sh
# Stand-in for openvscode-server in the OpenHands 0.62 runtime image, which has no VS Code
# server. 0.62's VS Code plugin starts /openhands/.openvscode-server/bin/openvscode-server and
# reads its output until a line holding "at"; a missing binary prints none, so the plugin
# would wait until the server's 120 s plugin timeout and the server would stop. This says
# what is missing (in such a line) and exits: the plugin and the server carry on, and the
# conversation's VS Code port serves nothing.
echo "openvscode-server: not installed at ${OPENVSCODE_SERVER_ROOT:-/openhands/.openvscode-server} in this image; VS Code is unavailable"
exit 1
