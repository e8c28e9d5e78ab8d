{{/* The OpenHands app container. */}}
{{- define "openhands.appContainer" -}}
{{- $oh := .Values.openhands -}}
{{- $nonRoot := include "openhands.appNonRoot" . -}}
{{- $appPort := include "openhands.appPort" . -}}
- name: openhands
  image: {{ include "openhands.imageRef" (list $oh.image .Chart.AppVersion) | quote }}
  imagePullPolicy: {{ $oh.image.pullPolicy | quote }}
  {{- if $nonRoot }}
  # The image's entrypoint prepares Docker access as root; without Docker the server starts directly.
  command: ["uvicorn", "openhands.server.listen:app", "--host", "0.0.0.0", "--port", "{{ $appPort }}"]
  {{- else if ne $appPort "3000" }}
  # The sandbox gateway takes port 3000; the app moves beside it.
  args: ["uvicorn", "openhands.server.listen:app", "--host", "0.0.0.0", "--port", "{{ $appPort }}"]
  {{- end }}
  ports:
    - name: http
      containerPort: {{ $appPort }}
      protocol: TCP
    {{- if eq .Values.sandbox.mode "process" }}
    {{- range $i := until (int .Values.sandbox.process.ports) }}
    - name: sandbox-{{ $i }}
      containerPort: {{ add 8000 $i }}
      protocol: TCP
    {{- end }}
    {{- end }}
  env:
    {{- if and (eq .Values.sandbox.mode "hostDocker") (not .Values.sandbox.hostDocker.hostNetwork) }}
    # The node's address, where its Docker daemon publishes sandbox ports (used as $(HOST_IP) below).
    - name: HOST_IP
      valueFrom:
        fieldRef:
          fieldPath: status.hostIP
    {{- end }}
    {{- range $name, $value := include "openhands.envMap" . | fromYaml }}
    - name: {{ $name | quote }}
      value: {{ $value | toString | quote }}
    {{- end }}
    {{- if eq (include "openhands.generation" .) "v0" }}
    {{- /* 0.x reads the LLM from LLM_*; LiteLLM in the app reads AWS_*. */}}
    {{- include "openhands.llmSecretEnv" (list . (list "LLM_API_KEY") (list "AWS_ACCESS_KEY_ID" "LLM_AWS_ACCESS_KEY_ID") (list "AWS_SECRET_ACCESS_KEY" "LLM_AWS_SECRET_ACCESS_KEY")) | nindent 4 }}
    {{- else }}
    {{- /* 1.x keeps the LLM in its settings store (seeded by the seed-llm-settings init
    container) and copies every LLM_* variable into sandboxes, so the key stays off the app;
    AWS_* only lets the model picker list Bedrock models. */}}
    {{- include "openhands.llmSecretEnv" (list . list (list "AWS_ACCESS_KEY_ID") (list "AWS_SECRET_ACCESS_KEY")) | nindent 4 }}
    {{- end }}
    {{- with include "openhands.jwtSecretRef" . }}
    {{- $ref := fromJsonArray . }}
    - name: JWT_SECRET
      valueFrom:
        secretKeyRef:
          name: {{ index $ref 0 | quote }}
          key: {{ index $ref 1 | quote }}
    {{- end }}
    {{- with $oh.extraEnv }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- with $oh.extraEnvFrom }}
  envFrom:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- if $oh.probes.startup.enabled }}
  startupProbe:
    {{- include "openhands.httpProbe" (list $oh.probes.startup) | nindent 4 }}
  {{- end }}
  {{- if $oh.probes.liveness.enabled }}
  livenessProbe:
    {{- include "openhands.httpProbe" (list $oh.probes.liveness) | nindent 4 }}
  {{- end }}
  {{- if $oh.probes.readiness.enabled }}
  readinessProbe:
    {{- include "openhands.httpProbe" (list $oh.probes.readiness) | nindent 4 }}
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
    {{- if eq .Values.sandbox.mode "dind" }}
    - name: docker-socket
      mountPath: {{ include "openhands.dockerSocketDir" . | quote }}
    {{- end }}
    {{- if eq .Values.sandbox.mode "hostDocker" }}
    - name: docker-socket
      mountPath: /var/run/docker.sock
    {{- with .Values.sandbox.hostDocker.workspaceHostPath }}
    # At the node's path: the node's daemon resolves sandbox bind mounts there.
    - name: workspace
      mountPath: {{ . | quote }}
    {{- end }}
    {{- end }}
    {{- if eq .Values.sandbox.mode "remoteDocker" }}
    - name: docker-tls
      mountPath: {{ include "openhands.dockerCertPath" . | quote }}
      readOnly: true
    {{- end }}
    {{- if eq .Values.sandbox.mode "kubernetes" }}
    - name: openhands-config
      mountPath: /app/config.toml
      subPath: config.toml
      readOnly: true
    {{- end }}
    {{- with $oh.extraVolumeMounts }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
{{- end }}

{{/* An HTTP probe on the app's health endpoint. Call with (list <probe values>). */}}
{{- define "openhands.httpProbe" -}}
{{- $probe := index . 0 -}}
httpGet:
  path: /health
  port: http
initialDelaySeconds: {{ $probe.initialDelaySeconds }}
periodSeconds: {{ $probe.periodSeconds }}
timeoutSeconds: {{ $probe.timeoutSeconds }}
failureThreshold: {{ $probe.failureThreshold }}
{{- end }}

{{/* The init container that hands the workspace root to the sandbox user (dind). */}}
{{- define "openhands.workspaceOwnerContainer" -}}
{{- $workspace := .Values.persistence.workspace -}}
# Sandboxes write to the workspace as their own user; a fresh volume is owned by root.
- name: workspace-owner
  image: {{ include "openhands.imageRef" (list .Values.openhands.image .Chart.AppVersion) | quote }}
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
{{- $refs := list }}
{{- with include "openhands.llmApiKeyRef" $root }}
{{- $ref := fromJsonArray . }}
{{- range index $ 1 }}{{ $refs = append $refs (list . (index $ref 0) (index $ref 1)) }}{{ end }}
{{- end }}
{{- with include "openhands.bedrockSecret" $root }}
{{- $secret := . }}
{{- $keys := $root.Values.llm.bedrock.secretKeys }}
{{- range index $ 2 }}{{ $refs = append $refs (list . $secret $keys.accessKeyId) }}{{ end }}
{{- range index $ 3 }}{{ $refs = append $refs (list . $secret $keys.secretAccessKey) }}{{ end }}
{{- end }}
{{- range $refs }}
- name: {{ index . 0 }}
  valueFrom:
    secretKeyRef:
      name: {{ index . 1 | quote }}
      key: {{ index . 2 | quote }}
{{- end }}
{{- end }}

{{/* The app container's security context: the values', made non-root where the mode allows it. */}}
{{- define "openhands.appSecurityContext" -}}
{{- $oh := .Values.openhands }}
{{- $security := deepCopy ($oh.securityContext | default dict) }}
{{- if include "openhands.appNonRoot" . }}
{{- $uid := int (include "openhands.appUid" .) }}
{{- $security = merge $security (dict "runAsNonRoot" true "runAsUser" $uid "runAsGroup" $uid "allowPrivilegeEscalation" false "capabilities" (dict "drop" (list "ALL"))) }}
{{- end }}
{{- toYaml $security }}
{{- end }}

{{/* True when the chart writes llm.* into the 1.x settings store before the app starts. */}}
{{- define "openhands.seedsLlmSettings" -}}
{{- if and (eq (include "openhands.generation" .) "v1") .Values.llm.model }}true{{ end }}
{{- end }}

{{/*
The init container that writes llm.* into OpenHands 1.x's settings store, through the
app's own settings code, whenever the chart's LLM values change (files/seed-llm-settings.py).
*/}}
{{- define "openhands.seedLlmSettingsContainer" -}}
{{- $llm := .Values.llm -}}
- name: seed-llm-settings
  image: {{ include "openhands.imageRef" (list .Values.openhands.image .Chart.AppVersion) | quote }}
  imagePullPolicy: {{ .Values.openhands.image.pullPolicy }}
  command: ["python", "/opt/openhands-chart/seed-llm-settings.py"]
  env:
    - name: OH_PERSISTENCE_DIR
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
    {{- if $llm.bedrock.enabled }}
    - name: LLM_AWS_REGION_NAME
      value: {{ $llm.bedrock.region | quote }}
    {{- end }}
    {{- include "openhands.llmSecretEnv" (list . (list "LLM_API_KEY") (list "LLM_AWS_ACCESS_KEY_ID") (list "LLM_AWS_SECRET_ACCESS_KEY")) | nindent 4 }}
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
      mountPath: /opt/openhands-chart
      readOnly: true
{{- end }}
