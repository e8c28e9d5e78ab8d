{{/*
The app's environment, as a name -> value dict. What each OpenHands generation and
sandbox mode reads differs (see README, "OpenHands generations"); openhands.env
entries override it.
*/}}
{{- define "openhands.envMap" -}}
{{- $generation := include "openhands.generation" . }}
{{- $mode := .Values.sandbox.mode }}
{{- $env := dict "LOG_ALL_EVENTS" (ternary "true" "false" .Values.openhands.logAllEvents) }}
{{- $workspace := .Values.persistence.workspace }}
{{- if eq $generation "v1" }}
{{- $_ := set $env "OH_PERSISTENCE_DIR" (include "openhands.stateDir" .) }}
{{- else }}
{{- $_ := set $env "FILE_STORE" "local" }}
{{- $_ := set $env "FILE_STORE_PATH" (include "openhands.stateDir" .) }}
{{- end }}
{{- if eq $mode "process" }}
{{- $_ := set $env "RUNTIME" "process" }}
{{- else }}
{{- $_ := set $env "DOCKER_HOST" (include "openhands.dockerHost" .) }}
{{- if eq $generation "v1" }}
{{- $_ := set $env "AGENT_SERVER_IMAGE_REPOSITORY" (include "openhands.sandboxRepository" .) }}
{{- $_ := set $env "AGENT_SERVER_IMAGE_TAG" .Values.sandbox.image.tag }}
{{- else }}
{{- $_ := set $env "SANDBOX_RUNTIME_CONTAINER_IMAGE" (include "openhands.sandboxImageRef" .) }}
{{- end }}
{{- if include "openhands.gatewayEnabled" . }}
{{- $_ := set $env "SANDBOX_CONTAINER_URL_PATTERN" (include "openhands.sandboxUrlPattern" .) }}
{{- /* Sandboxes call the app at OH_WEB_URL (webhooks, MCP): keep it inside the pod, past any sign-in. */}}
{{- $_ := set $env "OH_WEB_URL" "http://host.docker.internal:3001" }}
{{- /* Sandboxes send their webhooks to the app's own port. */}}
{{- $_ := set $env "SANDBOX_HOST_PORT" "3001" }}
{{- $_ := set $env "PERMITTED_CORS_ORIGINS" (include "openhands.browserOrigins" .) }}
{{- end }}
{{- if $workspace.enabled }}
{{- if include "openhands.v0Before" (list . "0.38.0") }}
{{- $_ := set $env "WORKSPACE_BASE" $workspace.mountPath }}
{{- $_ := set $env "WORKSPACE_MOUNT_PATH" $workspace.mountPath }}
{{- else }}
{{- $_ := set $env "SANDBOX_VOLUMES" (printf "%s:%s:rw" $workspace.mountPath $workspace.sandboxPath) }}
{{- end }}
{{- end }}
{{- end }}
{{- $limits := .Values.sandbox.limits }}
{{- if and (gt (int $limits.startupGraceSeconds) 0) (eq $generation "v1") }}
{{- $_ := set $env "SANDBOX_STARTUP_GRACE_SECONDS" (toString (int $limits.startupGraceSeconds)) }}
{{- end }}
{{- if and (gt (int $limits.maxConcurrentConversations) 0) (eq $generation "v0") }}
{{- $_ := set $env "MAX_CONCURRENT_CONVERSATIONS" (toString (int $limits.maxConcurrentConversations)) }}
{{- end }}
{{- with .Values.sandbox.env }}
{{- $_ := set $env "OH_AGENT_SERVER_ENV" (toJson .) }}
{{- end }}
{{- toYaml (merge (deepCopy .Values.openhands.env) $env) }}
{{- end }}

{{/* Where the workspace volume mounts in the app: process sandboxes live under /tmp/openhands-sandboxes. */}}
{{- define "openhands.workspaceMountPath" -}}
{{- if eq .Values.sandbox.mode "process" }}/tmp/openhands-sandboxes{{ else }}{{ .Values.persistence.workspace.mountPath }}{{ end }}
{{- end }}
