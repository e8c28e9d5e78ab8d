{{/*
The app's environment, as a name -> value dict. What each OpenHands generation and
sandbox mode reads differs (see README, "OpenHands generations"); openhands.env
entries override it.
*/}}
{{- define "openhands.envMap" -}}
{{- $generation := include "openhands.generation" . }}
{{- $mode := .Values.sandbox.mode }}
{{- $env := dict }}
{{- /* 1.x still parses LOG_ALL_EVENTS but nothing it runs logs the steps the switch is for. */}}
{{- if eq $generation "v0" }}{{ $_ := set $env "LOG_ALL_EVENTS" (ternary "true" "false" .Values.openhands.logAllEvents) }}{{ end }}
{{- $workspace := .Values.persistence.workspace }}
{{- if eq $generation "v1" }}
{{- $_ := set $env "OH_PERSISTENCE_DIR" (include "openhands.stateDir" .) }}
{{- else }}
{{- $_ := set $env "FILE_STORE" "local" }}
{{- $_ := set $env "FILE_STORE_PATH" (include "openhands.stateDir" .) }}
{{- end }}
{{- if eq $mode "process" }}
{{- $_ := set $env "RUNTIME" "process" }}
{{- else if eq $mode "kubernetes" }}
{{- $_ := set $env "RUNTIME" "kubernetes" }}
{{- $_ := set $env "SANDBOX_RUNTIME_CONTAINER_IMAGE" (include "openhands.sandboxImageRef" .) }}
{{- else }}
{{- if eq $mode "hostDocker" }}
{{- $host := .Values.sandbox.hostDocker }}
{{- $_ := set $env "DOCKER_HOST" "unix:///var/run/docker.sock" }}
{{- if eq $generation "v0" }}
{{- /* 0.x calls its runtime at SANDBOX_LOCAL_RUNTIME_URL:<port>, which the node's daemon publishes on the node. */}}
{{- $_ := set $env "SANDBOX_LOCAL_RUNTIME_URL" (ternary "http://127.0.0.1" "http://$(HOST_IP)" $host.hostNetwork) }}
{{- else }}
{{- $_ := set $env "SANDBOX_CONTAINER_URL_PATTERN" (printf "http://%s:{port}" $host.nodeAddress) }}
{{- end }}
{{- else if eq $mode "remoteDocker" }}
{{- $_ := set $env "DOCKER_HOST" .Values.sandbox.remoteDocker.host }}
{{- $_ := set $env "DOCKER_TLS_VERIFY" "1" }}
{{- $_ := set $env "DOCKER_CERT_PATH" (include "openhands.dockerCertPath" .) }}
{{- else }}
{{- $_ := set $env "DOCKER_HOST" (include "openhands.dockerHost" .) }}
{{- end }}
{{- if eq $generation "v1" }}
{{- $_ := set $env "AGENT_SERVER_IMAGE_REPOSITORY" (include "openhands.sandboxRepository" .) }}
{{- $_ := set $env "AGENT_SERVER_IMAGE_TAG" .Values.sandbox.image.tag }}
{{- else }}
{{- $_ := set $env "SANDBOX_RUNTIME_CONTAINER_IMAGE" (include "openhands.sandboxImageRef" .) }}
{{- end }}
{{- if and (eq $mode "remoteDocker") (eq $generation "v0") }}
{{- /* 0.x calls its runtime at SANDBOX_LOCAL_RUNTIME_URL:<published port>. */}}
{{- $_ := set $env "SANDBOX_LOCAL_RUNTIME_URL" (printf "http://%s" (include "openhands.sandboxPortHost" .)) }}
{{- end }}
{{- if and (eq $mode "remoteDocker") (eq $generation "v1") (not (include "openhands.gatewayEnabled" .)) }}
{{- /* Without the gateway, browser and app reach the remote daemon's published ports directly. */}}
{{- $_ := set $env "SANDBOX_CONTAINER_URL_PATTERN" (printf "http://%s:{port}" (include "openhands.sandboxPortHost" .)) }}
{{- end }}
{{- if include "openhands.gatewayEnabled" . }}
{{- $_ := set $env "SANDBOX_CONTAINER_URL_PATTERN" (include "openhands.sandboxUrlPattern" .) }}
{{- /* Sandboxes call the app at OH_WEB_URL (webhooks, MCP): keep it inside the pod, past any sign-in. */}}
{{- $_ := set $env "OH_WEB_URL" "http://host.docker.internal:3001" }}
{{- /* Sandboxes send their webhooks to the app's own port. */}}
{{- $_ := set $env "SANDBOX_HOST_PORT" "3001" }}
{{- $_ := set $env "PERMITTED_CORS_ORIGINS" (include "openhands.browserOrigins" .) }}
{{- end }}
{{- /* The daemon resolves bind mounts on its own filesystem: the pod's for dind, the remote machine's otherwise. */}}
{{- $hostPath := ternary $workspace.mountPath .Values.sandbox.remoteDocker.workspaceHostPath (eq $mode "dind") }}
{{- if eq $mode "hostDocker" }}{{ $hostPath = .Values.sandbox.hostDocker.workspaceHostPath }}{{ end }}
{{- if and $hostPath (or (has $mode (list "remoteDocker" "hostDocker")) (include "openhands.workspaceUsed" .)) }}
{{- if include "openhands.v0Before" (list . "0.38.0") }}
{{- $_ := set $env "WORKSPACE_BASE" $hostPath }}
{{- $_ := set $env "WORKSPACE_MOUNT_PATH" $hostPath }}
{{- else }}
{{- $_ := set $env "SANDBOX_VOLUMES" (printf "%s:%s:rw" $hostPath $workspace.sandboxPath) }}
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
{{- $llm := .Values.llm }}
{{- if eq $generation "v0" }}
{{- /* 0.x reads its LLM from LLM_*; LiteLLM reads AWS_REGION_NAME and boto AWS_REGION. */}}
{{- with $llm.model }}{{ $_ := set $env "LLM_MODEL" . }}{{ end }}
{{- with $llm.baseUrl }}{{ $_ := set $env "LLM_BASE_URL" . }}{{ end }}
{{- if $llm.bedrock.enabled }}
{{- range list "AWS_REGION_NAME" "LLM_AWS_REGION_NAME" "AWS_REGION" "AWS_DEFAULT_REGION" }}{{ $_ := set $env . $llm.bedrock.region }}{{ end }}
{{- end }}
{{- else if $llm.bedrock.enabled }}
{{- /* 1.x reads no LLM_* (seed-llm-settings writes the LLM); AWS_REGION_NAME lets the model picker list Bedrock models. */}}
{{- $_ := set $env "AWS_REGION_NAME" $llm.bedrock.region }}
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
