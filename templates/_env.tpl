{{/*
The app's environment, as a name -> value dict. What each OpenHands generation reads
differs (see README, "OpenHands generations"); openhands.env entries override it.
*/}}
{{- define "openhands.envMap" -}}
{{- $generation := include "openhands.generation" . }}
{{- $env := dict "LOG_ALL_EVENTS" (ternary "true" "false" .Values.openhands.logAllEvents) }}
{{- $_ := set $env "DOCKER_HOST" (include "openhands.dockerHost" .) }}
{{- $workspace := .Values.persistence.workspace }}
{{- if eq $generation "v1" }}
{{- $_ := set $env "AGENT_SERVER_IMAGE_REPOSITORY" (include "openhands.sandboxRepository" .) }}
{{- $_ := set $env "AGENT_SERVER_IMAGE_TAG" .Values.sandbox.image.tag }}
{{- $_ := set $env "OH_PERSISTENCE_DIR" (include "openhands.stateDir" .) }}
{{- else }}
{{- $_ := set $env "SANDBOX_RUNTIME_CONTAINER_IMAGE" (include "openhands.sandboxImageRef" .) }}
{{- $_ := set $env "FILE_STORE" "local" }}
{{- $_ := set $env "FILE_STORE_PATH" (include "openhands.stateDir" .) }}
{{- end }}
{{- if $workspace.enabled }}
{{- if include "openhands.v0Before" (list . "0.38.0") }}
{{- $_ := set $env "WORKSPACE_BASE" $workspace.mountPath }}
{{- $_ := set $env "WORKSPACE_MOUNT_PATH" $workspace.mountPath }}
{{- else }}
{{- $_ := set $env "SANDBOX_VOLUMES" (printf "%s:%s:rw" $workspace.mountPath $workspace.sandboxPath) }}
{{- end }}
{{- end }}
{{- toYaml (merge (deepCopy .Values.openhands.env) $env) }}
{{- end }}
