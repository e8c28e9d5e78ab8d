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
    {{- with include "openhands.llmApiKeyRef" . }}
    {{- $ref := fromJsonArray . }}
    - name: LLM_API_KEY
      valueFrom:
        secretKeyRef:
          name: {{ index $ref 0 | quote }}
          key: {{ index $ref 1 | quote }}
    {{- end }}
    {{- $bedrockSecret := include "openhands.bedrockSecret" . }}
    {{- if $bedrockSecret }}
    {{- $keys := .Values.llm.bedrock.secretKeys }}
    {{- /* LiteLLM in the app reads AWS_*; the LLM_* copies reach 1.x sandboxes, where the agent calls the model. */}}
    {{- range list (list "AWS_ACCESS_KEY_ID" $keys.accessKeyId) (list "LLM_AWS_ACCESS_KEY_ID" $keys.accessKeyId) (list "AWS_SECRET_ACCESS_KEY" $keys.secretAccessKey) (list "LLM_AWS_SECRET_ACCESS_KEY" $keys.secretAccessKey) }}
    - name: {{ index . 0 | quote }}
      valueFrom:
        secretKeyRef:
          name: {{ $bedrockSecret | quote }}
          key: {{ index . 1 | quote }}
    {{- end }}
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
  {{- $security := deepCopy $oh.securityContext }}
  {{- if $nonRoot }}
  {{- $uid := int $oh.runAsUser }}
  {{- $security = merge $security (dict "runAsNonRoot" true "runAsUser" $uid "runAsGroup" $uid "allowPrivilegeEscalation" false "capabilities" (dict "drop" (list "ALL"))) }}
  {{- end }}
  {{- with $security }}
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
