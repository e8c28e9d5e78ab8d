{{/*
Canvas runtime docker (canvas.runtime: docker): Canvas' agent server starts one agent-server
container per conversation on the DinD sidecar (templates/_dind.tpl). Upstream
(openhands-agent-server 1.49.1, docker_runtime/registry.py) runs

  docker run --user <Canvas' uid>:<gid> --cap-drop ALL -p 127.0.0.1::8000
    -v <conversation dir>:... -v <runtime state>:... -v <workspace>:/workspace <image>

so the daemon must see Canvas' state and projects at Canvas' own paths (it resolves bind
mounts on its filesystem), publishes each container on the pod's loopback, where Canvas
reaches it, and must let uid 10001 open its socket (dockerd --group). Canvas 1.20.0's agent
server (1.49.1) refuses a conversation started without a folder under this runtime, which
1.49.2 fixed: files/canvas-docker-workspace.py backports the fix.
*/}}

{{- define "openhands.mode.docker.preflight" -}}
{{- include "openhands.mode.dind.preflight" . }}
{{- $d := .Values.canvas.docker }}
{{- if not (or $d.conversationImage.tag $d.conversationImage.digest) }}
{{- fail "canvas.docker.conversationImage.tag: empty, and the digest too, so Canvas would run upstream's latest-python agent server, which changes under a running install. Set the tag (1.49.1-python for Canvas 1.20.0) or a digest." }}
{{- end }}
{{- /* The daemon's start hook keeps containers of docker0 away from the pod (ISOLATE_BRIDGE): another default bridge would escape it. */}}
{{- range .Values.dind.extraArgs }}
{{- if or (regexMatch "^(--bridge|-b)([= ]|$)" .) (regexMatch "^--ip6?tables=(false|0)$" .) }}
{{- fail (printf "dind.extraArgs: %q changes the daemon's default bridge or its firewall, and with canvas.runtime docker the chart keeps conversation containers away from the pod through the rules it sets on docker0 (Canvas' port 8000 pages carry its session key). Remove it." .) }}
{{- end }}
{{- end }}
{{- /* docker_runtime/registry.py passes a conversation container only its own variables (-e HOME, OH_*, the session key): never the pod's AWS credentials or region. */}}
{{- if .Values.llm.bedrock.enabled }}
{{- fail "llm.bedrock.enabled: with canvas.runtime docker each conversation runs in its own container, which Canvas gives none of the pod's variables or identity, so Bedrock would find no credentials or region. Use canvas.runtime local for Bedrock through the pod's credentials, or turn llm.bedrock off." }}
{{- end }}
{{- end }}

{{- define "openhands.mode.docker.env" -}}
{{- $d := .Values.canvas.docker }}
{{- include "openhands.mode.dind.env" . }}
{{- /*
files/canvas-docker-workspace.py, imported by Canvas' agent server as canvas_ui_tool: the
agent server puts the last entry first on its module path, ahead of Canvas' own tools.
*/}}
- name: OH_EXTRA_PYTHON_PATH
  value: {{ printf "/opt/agent-canvas/tools:%s" (include "openhands.canvas.patchDir" .) | quote }}
- name: OH_CONVERSATION_RUNTIME
  value: docker
- name: OH_CONVERSATION_IMAGE
  value: {{ include "openhands.canvas.conversationImageRef" . | quote }}
- name: OH_CONVERSATION_CONTAINER_MEMORY
  value: {{ $d.limits.memory | quote }}
{{- /* Whole numbers without Go's float notation (4, not 4e+00 or 4.0). */}}
{{- $cpus := float64 $d.limits.cpus }}
- name: OH_CONVERSATION_CONTAINER_CPUS
  value: {{ ternary (int64 $cpus | toString) (toString $cpus) (eq $cpus (float64 (int64 $cpus))) | quote }}
- name: OH_CONVERSATION_CONTAINER_PIDS_LIMIT
  value: {{ int $d.limits.pidsLimit | toString | quote }}
- name: OH_CONVERSATION_CONTAINER_STARTUP_TIMEOUT
  value: {{ int $d.startupTimeoutSeconds | toString | quote }}
{{- end }}

{{- define "openhands.mode.docker.appMounts" -}}
{{- include "openhands.mode.dind.appMounts" . }}
- name: canvas-docker-patch
  mountPath: {{ include "openhands.canvas.patchDir" . | quote }}
  readOnly: true
{{- end }}

{{- define "openhands.mode.docker.volumes" -}}
{{- include "openhands.mode.dind.volumes" . }}
- name: canvas-docker-patch
  configMap:
    name: {{ include "openhands.suffixedName" (list . "scripts") | quote }}
    items:
      - key: canvas-docker-workspace.py
        path: canvas_ui_tool.py
{{- end }}

{{/* Where the Canvas container finds files/canvas-docker-workspace.py. */}}
{{- define "openhands.canvas.patchDir" -}}
{{- printf "%s/canvas-python" (include "openhands.scriptsDir" .) }}
{{- end }}

{{/* The image conversations run. */}}
{{- define "openhands.canvas.conversationImageRef" -}}
{{- include "openhands.imageRef" (list .Values.canvas.docker.conversationImage .Values.canvas.docker.conversationImage.tag .) }}
{{- end }}

{{/*
Canvas' claims in the daemon's container, at the paths Canvas has them: the directories it
bind-mounts into conversation containers are paths of its own filesystem.
*/}}
{{- define "openhands.canvas.daemonMounts" -}}
{{- $paths := include "openhands.canvas.paths" . | fromYaml }}
- name: canvas-state
  mountPath: {{ $paths.state | quote }}
- name: canvas-projects
  mountPath: {{ $paths.projects | quote }}
- name: canvas-projects
  mountPath: {{ $paths.workspace | quote }}
  subPath: workspace
{{- end }}
