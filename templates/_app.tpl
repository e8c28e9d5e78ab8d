{{/* The OpenHands app container. */}}
{{- define "openhands.appContainer" -}}
{{- $oh := .Values.openhands -}}
{{- $p := include "openhands.profile" . | fromYaml -}}
{{- $nonRoot := $p.appNonRoot -}}
{{- $appPort := toString $p.appPort -}}
- name: {{ $p.appContainer }}
  image: {{ include "openhands.imageRef" (list $oh.image .Chart.AppVersion $) | quote }}
  imagePullPolicy: {{ $oh.image.pullPolicy | quote }}
  {{- if $nonRoot }}
  # The image's entrypoint prepares Docker access as root; without Docker the server starts directly.
  command: ["uvicorn", "openhands.server.listen:app", "--host", "0.0.0.0", "--port", "{{ $appPort }}"]
  {{- else if ne $appPort (include "openhands.port" (list . "app")) }}
  # The sandbox gateway takes the app's usual port; the app moves beside it.
  args: ["uvicorn", "openhands.server.listen:app", "--host", "0.0.0.0", "--port", "{{ $appPort }}"]
  {{- end }}
  {{- if not $nonRoot }}
  # The image's entrypoint runs the server as its child and, as PID 1, ignores SIGTERM: without
  # this hook every stop waits out terminationGracePeriodSeconds and ends in SIGKILL. The hook
  # signals every other process of the container, the server among them, which then shuts down
  # and the entrypoint exits with it.
  lifecycle:
    preStop:
      exec:
        command: ["/bin/sh", "-c", "kill -TERM -1"]
  {{- end }}
  ports:
    - name: http
      containerPort: {{ $appPort }}
      protocol: TCP
      {{- if eq $p.sandboxCallback "bridgeHostPort" }}
      # Where the node's 1.x sandboxes send their webhooks (host.docker.internal), and only there.
      hostPort: {{ $appPort }}
      hostIP: {{ .Values.sandbox.hostDocker.bridgeAddress | quote }}
      {{- end }}
  env:
    {{- /* Built per concern and layered under openhands.env and extraEnv (templates/_env.tpl). */}}
    {{- include "openhands.appEnv" . | nindent 4 }}
  {{- with $oh.extraEnvFrom }}
  envFrom:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- if $oh.probes.startup.enabled }}
  startupProbe:
    {{- include "openhands.httpProbe" (list $oh.probes.startup (get $p.probePaths "startup")) | nindent 4 }}
  {{- end }}
  {{- if $oh.probes.liveness.enabled }}
  livenessProbe:
    {{- include "openhands.httpProbe" (list $oh.probes.liveness (get $p.probePaths "liveness")) | nindent 4 }}
  {{- end }}
  {{- if $oh.probes.readiness.enabled }}
  readinessProbe:
    {{- include "openhands.httpProbe" (list $oh.probes.readiness (get $p.probePaths "readiness")) | nindent 4 }}
  {{- end }}
  {{- with $oh.resources }}
  resources:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with include "openhands.appSecurityContext" . | fromYaml }}
  securityContext:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  volumeMounts:
    - name: state
      mountPath: {{ include "openhands.stateDir" . | quote }}
    {{- if include "openhands.workspaceUsed" . }}
    - name: workspace
      mountPath: {{ include "openhands.workspaceMountPath" . | quote }}
    {{- end }}
    {{- with include "openhands.modeHook" (list . "appMounts") }}
    {{- . | nindent 4 }}
    {{- end }}
    {{- with $oh.extraVolumeMounts }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
{{- end }}

{{/* An HTTP probe: (list <probe values> <path>), on the port named http, or (list <probe values> <path> <port name>). */}}
{{- define "openhands.httpProbe" -}}
{{- $probe := index . 0 -}}
{{- $port := "http" }}{{ if gt (len .) 2 }}{{ $port = index . 2 }}{{ end -}}
httpGet:
  path: {{ index . 1 }}
  port: {{ $port }}
initialDelaySeconds: {{ int64 $probe.initialDelaySeconds }}
periodSeconds: {{ int64 $probe.periodSeconds }}
timeoutSeconds: {{ int64 $probe.timeoutSeconds }}
failureThreshold: {{ int64 $probe.failureThreshold }}
{{- end }}

{{/* The init container that hands the workspace root to the sandbox user (dind). */}}
{{- define "openhands.workspaceOwnerContainer" -}}
{{- $workspace := .Values.persistence.workspace -}}
# Sandboxes write to the workspace as their own user; a fresh volume is owned by root.
- name: workspace-owner
  image: {{ include "openhands.imageRef" (list .Values.openhands.image .Chart.AppVersion $) | quote }}
  imagePullPolicy: {{ .Values.openhands.image.pullPolicy | quote }}
  command: ["chown", {{ $workspace.owner | quote }}, {{ $workspace.mountPath | quote }}]
  securityContext:
    runAsUser: 0
    allowPrivilegeEscalation: false
    readOnlyRootFilesystem: true
    capabilities:
      drop: ["ALL"]
      add: ["CHOWN"]
  resources:
    requests:
      cpu: 10m
      memory: 16Mi
    limits:
      memory: 64Mi
  volumeMounts:
    - name: workspace
      mountPath: {{ $workspace.mountPath | quote }}
{{- end }}

{{/*
Environment entries for the LLM credentials from their Secrets. Call with
(list $ <names for the API key> <names for the AWS access key ID> <names for the AWS secret key>).
*/}}
{{- define "openhands.llmSecretEnv" -}}
{{- $root := index . 0 }}
{{- $entries := list }}
{{- $key := include "openhands.secretRef" (list $root "llmApiKey") | fromYaml }}
{{- if $key.name }}
{{- range index . 1 }}{{ $entries = append $entries (include "openhands.secretEnv" (list . $key "apiKey") | fromYaml) }}{{ end }}
{{- end }}
{{- $aws := include "openhands.secretRef" (list $root "awsCredentials") | fromYaml }}
{{- if $aws.name }}
{{- range index . 2 }}{{ $entries = append $entries (include "openhands.secretEnv" (list . $aws "accessKeyId") | fromYaml) }}{{ end }}
{{- range index . 3 }}{{ $entries = append $entries (include "openhands.secretEnv" (list . $aws "secretAccessKey") | fromYaml) }}{{ end }}
{{- end }}
{{- toYaml $entries }}
{{- end }}

{{/* The app container's security context: the values', made non-root where the mode allows it. */}}
{{- define "openhands.appSecurityContext" -}}
{{- $app := ternary .Values.canvas .Values.openhands (eq (include "openhands.profile" . | fromYaml).app "canvas") }}
{{- $security := deepCopy ($app.securityContext | default dict) }}
{{- if include "openhands.appNonRoot" . }}
{{- $uid := int (include "openhands.appUid" .) }}
{{- $security = merge $security (dict "runAsNonRoot" true "runAsUser" $uid "runAsGroup" $uid "allowPrivilegeEscalation" false "capabilities" (dict "drop" (list "ALL"))) }}
{{- end }}
{{- toYaml $security }}
{{- end }}

{{/* True when the chart writes llm.* into the GUI server's settings store before the app starts. */}}
{{- define "openhands.seedsLlmSettings" -}}
{{- if and (eq (include "openhands.profile" . | fromYaml).app "openhands") .Values.llm.model }}true{{ end }}
{{- end }}

{{/*
True when the 0.x seed writes a placeholder API key: Bedrock without llm.apiKey on releases
before 0.50, which start no conversation with a blank key although their LiteLLM signs
Bedrock calls with the AWS credentials and sends no key.
*/}}
{{- define "openhands.seedsBedrockKeyPlaceholder" -}}
{{- if and .Values.llm.bedrock.enabled (not (include "openhands.hasSecret" (list . "llmApiKey"))) (include "openhands.v0Before" (list . "0.50.0")) }}true{{ end }}
{{- end }}

{{/*
The init container that writes llm.* into the GUI server's settings store, through the app's
own settings code, whenever the chart's LLM values change (files/seed-llm-settings.py; both
generations start conversations only from that store).
*/}}
{{- define "openhands.seedLlmSettingsContainer" -}}
{{- $llm := .Values.llm -}}
{{- $v0 := eq (include "openhands.generation" .) "v0" -}}
- name: seed-llm-settings
  image: {{ include "openhands.imageRef" (list .Values.openhands.image .Chart.AppVersion $) | quote }}
  imagePullPolicy: {{ .Values.openhands.image.pullPolicy }}
  command: ["python", {{ printf "%s/seed-llm-settings.py" (include "openhands.scriptsDir" .) | quote }}]
  env:
    - name: {{ ternary "FILE_STORE_PATH" "OH_PERSISTENCE_DIR" $v0 }}
      value: {{ include "openhands.stateDir" . | quote }}
    # LiteLLM would fetch its model price list from the internet at import.
    - name: LITELLM_LOCAL_MODEL_COST_MAP
      value: "True"
    - name: OPENHANDS_SUPPRESS_BANNER
      value: "1"
    - name: LLM_MODEL
      value: {{ $llm.model | quote }}
    {{- with $llm.baseUrl }}
    - name: LLM_BASE_URL
      value: {{ . | quote }}
    {{- end }}
    {{- if $v0 }}
    {{- if include "openhands.seedsBedrockKeyPlaceholder" . }}
    - name: LLM_API_KEY_PLACEHOLDER
      value: "unused-bedrock-calls-sign-with-aws-credentials"
    {{- end }}
    {{- with include "openhands.llmSecretEnv" (list . (list "LLM_API_KEY") list list) | fromYamlArray }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
    {{- else }}
    {{- if $llm.bedrock.enabled }}
    - name: LLM_AWS_REGION_NAME
      value: {{ $llm.bedrock.region | quote }}
    {{- end }}
    {{- with include "openhands.llmSecretEnv" (list . (list "LLM_API_KEY") (list "LLM_AWS_ACCESS_KEY_ID") (list "LLM_AWS_SECRET_ACCESS_KEY")) | fromYamlArray }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
    {{- end }}
  {{- with include "openhands.appSecurityContext" . | fromYaml }}
  securityContext:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  resources:
    requests:
      cpu: 50m
      memory: 256Mi
    limits:
      memory: 1Gi
  volumeMounts:
    - name: state
      mountPath: {{ include "openhands.stateDir" . }}
    - name: chart-scripts
      mountPath: {{ include "openhands.scriptsDir" . | quote }}
      readOnly: true
{{- end }}
