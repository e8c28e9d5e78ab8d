{{/*
The app's environment, built per concern and merged in a fixed order (docs/environment.md):

  1. chart-set variables, each concern adding its own: generation, sandbox mode, gateway,
     LLM, sandboxes (OH_AGENT_SERVER_ENV from sandbox.env and the chart's per-sandbox state
     paths), secrets (JWT)
  2. openhands.env (a map)
  3. openhands.extraEnv (a list of Kubernetes EnvVar entries)

A name set by a later layer replaces the earlier entry where it stood, so every name renders
once. Chart concerns never set the same name twice (the preflight refuses it), nor may
extraEnv list a name twice, and OH_AGENT_SERVER_ENV is the chart's whenever it sets it.

Each concern is a YAML list of EnvVar entries.
*/}}

{{/* Generation: where the state lives, limits, what the app logs. */}}
{{- define "openhands.env.generation" -}}
{{- $generation := include "openhands.generation" . }}
{{- $limits := .Values.sandbox.limits }}
{{- $env := dict }}
{{- /* 1.x still parses LOG_ALL_EVENTS but nothing it runs logs the steps the switch is for. */}}
{{- if eq $generation "v0" }}{{ $_ := set $env "LOG_ALL_EVENTS" (ternary "true" "false" .Values.openhands.logAllEvents) }}{{ end }}
{{- if eq $generation "v1" }}
{{- /* OH_PERSISTENCE_DIR, or FILE_STORE_PATH where agent servers inherit the app's environment (the profile's stateVariable). */}}
{{- $_ := set $env (include "openhands.profile" . | fromYaml).stateVariable (include "openhands.stateDir" .) }}
{{- /* The app's own CORS allowlist (without one it admits every origin, with credentials), which Docker sandboxes also get as theirs. */}}
{{- $_ := set $env "PERMITTED_CORS_ORIGINS" (include "openhands.browserOrigins" .) }}
{{- if gt (int $limits.startupGraceSeconds) 0 }}
{{- $_ := set $env (include "openhands.sandboxServiceVariable" (list . "STARTUP_GRACE_SECONDS")) (toString (int $limits.startupGraceSeconds)) }}
{{- end }}
{{- else }}
{{- $_ := set $env "FILE_STORE" "local" }}
{{- $_ := set $env "FILE_STORE_PATH" (include "openhands.stateDir" .) }}
{{- if gt (int $limits.maxConcurrentConversations) 0 }}
{{- $_ := set $env "MAX_CONCURRENT_CONVERSATIONS" (toString (int $limits.maxConcurrentConversations)) }}
{{- end }}
{{- end }}
{{- include "openhands.envList" $env }}
{{- end }}

{{/* Sandbox mode: the mode's own variables (templates/_mode-<mode>.tpl), its sandbox image, the URLs the profile hands out, the workspace. */}}
{{- define "openhands.env.mode" -}}
{{- $p := include "openhands.profile" . | fromYaml }}
{{- $entries := include "openhands.modeHook" (list . "env") | fromYamlArray }}
{{- $env := dict }}
{{- if $p.sandboxImage }}
{{- if eq $p.generation "v1" }}
{{- $_ := set $env "AGENT_SERVER_IMAGE_REPOSITORY" (include "openhands.sandboxRepository" .) }}
{{- $_ := set $env "AGENT_SERVER_IMAGE_TAG" .Values.sandbox.image.tag }}
{{- else }}
{{- $_ := set $env "SANDBOX_RUNTIME_CONTAINER_IMAGE" (include "openhands.sandboxImageRef" .) }}
{{- end }}
{{- end }}
{{- with $p.urls.sandbox }}{{ $_ := set $env $p.urlVariable . }}{{ end }}
{{- with $p.urls.runtime }}{{ $_ := set $env "SANDBOX_LOCAL_RUNTIME_URL" . }}{{ end }}
{{- with $p.daemonWorkspacePath }}
{{- if include "openhands.v0Before" (list $ "0.38.0") }}
{{- $_ := set $env "WORKSPACE_BASE" . }}
{{- $_ := set $env "WORKSPACE_MOUNT_PATH" . }}
{{- else if eq $p.sandboxService "injector" }}
{{- /* Read-write is the mount's default mode. */}}
{{- $_ := set $env "OH_SANDBOX_MOUNTS_0_HOST_PATH" . }}
{{- $_ := set $env "OH_SANDBOX_MOUNTS_0_CONTAINER_PATH" $.Values.persistence.workspace.sandboxPath }}
{{- else }}
{{- $_ := set $env "SANDBOX_VOLUMES" (printf "%s:%s:rw" . $.Values.persistence.workspace.sandboxPath) }}
{{- end }}
{{- end }}
{{- /* Where sandboxes call the app back (OH_WEB_URL; empty switches those calls off). */}}
{{- if hasKey $p.urls "appForSandboxes" }}{{ $_ := set $env "OH_WEB_URL" $p.urls.appForSandboxes }}{{ end }}
{{- concat $entries (include "openhands.envList" $env | fromYamlArray) | toYaml }}
{{- end }}

{{/*
The sandbox gateway: sandboxes send their webhooks to host.docker.internal at the app's own
port behind the gateway, or at the gateway's callback listener for a remote daemon.
*/}}
{{- define "openhands.env.gateway" -}}
{{- $p := include "openhands.profile" . | fromYaml }}
{{- $env := dict }}
{{- if and $p.gateway $p.dockerSandboxes }}
{{- $_ := set $env (include "openhands.sandboxServiceVariable" (list . "HOST_PORT")) (toString $p.sandboxHostPort) }}
{{- end }}
{{- include "openhands.envList" $env }}
{{- end }}

{{/*
The name of a Docker sandbox service field's variable: SANDBOX_<FIELD> (upstream's legacy
loader), or OH_SANDBOX_<FIELD> when the profile's sandboxService is injector (upstream then
ignores the SANDBOX_* ones). Call with (list $ "<FIELD>").
*/}}
{{- define "openhands.sandboxServiceVariable" -}}
{{- $p := include "openhands.profile" (index . 0) | fromYaml }}
{{- printf "%sSANDBOX_%s" (ternary "OH_" "" (eq $p.sandboxService "injector")) (index . 1) }}
{{- end }}

{{/*
The LLM. 0.x reads it from LLM_* (LiteLLM also reads AWS_REGION_NAME, boto AWS_REGION). 1.x
keeps it in its settings store (seeded by the seed-llm-settings init container) and copies
every LLM_* variable into sandboxes, so the key stays off the app; AWS_* only lets the model
picker list Bedrock models.
*/}}
{{- define "openhands.env.llm" -}}
{{- $llm := .Values.llm }}
{{- $env := dict }}
{{- $v0 := eq (include "openhands.generation" .) "v0" }}
{{- if $v0 }}
{{- with $llm.model }}{{ $_ := set $env "LLM_MODEL" . }}{{ end }}
{{- with $llm.baseUrl }}{{ $_ := set $env "LLM_BASE_URL" . }}{{ end }}
{{- if $llm.bedrock.enabled }}
{{- range list "AWS_REGION_NAME" "LLM_AWS_REGION_NAME" "AWS_REGION" "AWS_DEFAULT_REGION" }}{{ $_ := set $env . $llm.bedrock.region }}{{ end }}
{{- end }}
{{- else if $llm.bedrock.enabled }}
{{- $_ := set $env "AWS_REGION_NAME" $llm.bedrock.region }}
{{- end }}
{{- $entries := include "openhands.envList" $env | fromYamlArray }}
{{- $entries = concat $entries (include "openhands.llmSecretEnv" (list . (ternary (list "LLM_API_KEY") list $v0) (ternary (list "AWS_ACCESS_KEY_ID" "LLM_AWS_ACCESS_KEY_ID") (list "AWS_ACCESS_KEY_ID") $v0) (ternary (list "AWS_SECRET_ACCESS_KEY" "LLM_AWS_SECRET_ACCESS_KEY") (list "AWS_SECRET_ACCESS_KEY") $v0)) | fromYamlArray) }}
{{- toYaml $entries }}
{{- end }}

{{/* Variables for every sandbox (1.x), passed as OH_AGENT_SERVER_ENV: openhands.agentServerEnv. */}}
{{- define "openhands.env.sandboxes" -}}
{{- $env := dict }}
{{- with include "openhands.agentServerEnv" . | fromJson }}{{ $_ := set $env "OH_AGENT_SERVER_ENV" (toJson .) }}{{ end }}
{{- include "openhands.envList" $env }}
{{- end }}

{{/*
What every 1.x sandbox gets on top of upstream's own variables (JSON map): sandbox.env over the
chart's. Upstream keeps each agent server's conversations and command logs under /workspace
(OH_CONVERSATIONS_PATH, OH_BASH_EVENTS_DIR), and at start an agent server loads every
conversation it finds there. Where the shared workspace is mounted over those directories,
each sandbox would load (and could resume) the others' conversations, which it cannot even
decrypt; so the chart keeps them in the sandbox container's own filesystem, beside its user's
home, and the shared workspace holds only the project files.
Each Docker sandbox is then the only agent server that reads its conversations, so the chart
turns off upstream's conversation lease (OH_LEASE_TTL_SECONDS 0, upstream's setting for a single
instance). With the lease, a sandbox killed with its daemon (the pod replaced, the node
restarted) and started again within the lease's 45 s under the same process id, as a restarted
container's server usually is, skips its own conversation as held by another owner, and
answers "Conversation not found" until it is restarted once more.
*/}}
{{- define "openhands.agentServerEnv" -}}
{{- $p := include "openhands.profile" . | fromYaml }}
{{- $env := dict }}
{{- if and (eq $p.generation "v1") $p.daemonWorkspacePath }}
{{- $sandboxPath := trimSuffix "/" .Values.persistence.workspace.sandboxPath }}
{{- range $name, $dir := dict "OH_CONVERSATIONS_PATH" "conversations" "OH_BASH_EVENTS_DIR" "bash_events" }}
{{- if hasPrefix (printf "%s/" $sandboxPath) (printf "/workspace/%s" $dir) }}
{{- $_ := set $env $name (printf "%s/%s" (include "openhands.sandboxAgentStateDir" $) $dir) }}
{{- end }}
{{- end }}
{{- end }}
{{- if and (eq $p.generation "v1") (has $p.docker (list "pod" "node" "remote")) }}
{{- $_ := set $env "OH_LEASE_TTL_SECONDS" "0" }}
{{- end }}
{{- toJson (merge (deepCopy (.Values.sandbox.env | default dict)) $env) }}
{{- end }}

{{/* Where a sandbox keeps its agent server's own state when the workspace is shared: its user's home in the agent-server image. */}}
{{- define "openhands.sandboxAgentStateDir" -}}/home/openhands/.agent-server{{- end }}

{{/* Secrets the app reads itself. */}}
{{- define "openhands.env.secrets" -}}
{{- $entries := list }}
{{- $jwt := include "openhands.secretRef" (list . "jwtSecret") | fromYaml }}
{{- if $jwt.name }}{{ $entries = append $entries (include "openhands.secretEnv" (list "JWT_SECRET" $jwt "secret") | fromYaml) }}{{ end }}
{{- toYaml $entries }}
{{- end }}

{{/* The concerns, in the order they are merged. */}}
{{- define "openhands.envConcerns" -}}
[generation, mode, gateway, llm, sandboxes, secrets]
{{- end }}

{{/* A name -> value dict as EnvVar entries, by name. */}}
{{- define "openhands.envList" -}}
{{- $entries := list }}
{{- range $name, $value := . }}{{ $entries = append $entries (dict "name" $name "value" (toString $value)) }}{{ end }}
{{- toYaml $entries }}
{{- end }}

{{/*
Layers EnvVar lists: (list <list of (list <layer name> <entries>)> <refuse names set twice in
a layer?>). A later layer's entry replaces an earlier one in place; within one layer a name
twice is refused, naming the layer. Returns the merged list as YAML.
*/}}
{{- define "openhands.mergeEnv" -}}
{{- $names := list }}
{{- $byName := dict }}
{{- range $layer := index . 0 }}
{{- $seen := dict }}
{{- range $i, $entry := index $layer 1 }}
{{- if hasKey $seen $entry.name }}
{{- fail (printf "%s[%d]: %s is already set by %s[%d]; a variable is set once per layer." (index $layer 0) $i $entry.name (index $layer 0) (int (get $seen $entry.name))) }}
{{- end }}
{{- $_ := set $seen $entry.name $i }}
{{- if not (hasKey $byName $entry.name) }}{{ $names = append $names $entry.name }}{{ end }}
{{- $_ := set $byName $entry.name $entry }}
{{- end }}
{{- end }}
{{- $merged := list }}
{{- range $names }}{{ $merged = append $merged (get $byName .) }}{{ end }}
{{- toYaml $merged }}
{{- end }}

{{/*
The app container's env entries. Chart-set entries come first in a fixed arrangement:
variables others refer to (HOST_IP), plain values by name, then values from Secrets.
*/}}
{{- define "openhands.appEnv" -}}
{{- $chart := list }}
{{- range include "openhands.envConcerns" . | fromYamlArray }}
{{- $chart = concat $chart (include (printf "openhands.env.%s" .) $ | fromYamlArray) }}
{{- end }}
{{- /* Concerns own disjoint names: a clash is a chart bug, not a user's choice. */}}
{{- $chart = include "openhands.mergeEnv" (list (list (list "chart-set variables" $chart))) | fromYamlArray }}
{{- $referenced := list }}{{- $values := dict }}{{- $fromSecrets := list }}
{{- range $chart }}
{{- if and .valueFrom .valueFrom.fieldRef }}{{ $referenced = append $referenced . }}
{{- else if .valueFrom }}{{ $fromSecrets = append $fromSecrets . }}
{{- else }}{{ $_ := set $values .name . }}{{ end }}
{{- end }}
{{- /* openhands.env names that are not read from elsewhere join the plain values, by name; the others are replaced in place below. */}}
{{- $userEnv := list }}
{{- range $name, $value := .Values.openhands.env }}
{{- $entry := dict "name" $name "value" (toString $value) }}
{{- $userEnv = append $userEnv $entry }}
{{- $elsewhere := false }}
{{- range concat $referenced $fromSecrets }}{{ if eq .name $name }}{{ $elsewhere = true }}{{ end }}{{ end }}
{{- if not $elsewhere }}{{ $_ := set $values $name $entry }}{{ end }}
{{- end }}
{{- $plain := list }}
{{- range $name, $_ := $values }}{{ $plain = append $plain (get $values $name) }}{{ end }}
{{- $ordered := concat $referenced $plain $fromSecrets }}
{{- include "openhands.mergeEnv" (list (list (list "chart-set variables" $ordered) (list "openhands.env" $userEnv) (list "openhands.extraEnv" (.Values.openhands.extraEnv | default list)))) }}
{{- end }}

{{/* Where the workspace volume mounts in the app (the profile's workspaceMount). */}}
{{- define "openhands.workspaceMountPath" -}}
{{- (include "openhands.profile" . | fromYaml).workspaceMount }}
{{- end }}
