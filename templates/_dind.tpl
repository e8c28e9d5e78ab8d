{{/*
The Docker-in-Docker daemon container. Call with (list $ <native sidecar?>). As a
native sidecar it is an init container that keeps running, and the app starts only
after its startup probe (`docker info`) passes. Without native sidecars it is the
first regular container and its postStart hook holds the app back until the daemon
answers. It listens on a Unix socket in a volume only this pod's containers mount:
no TCP port, so nothing else on the pod network (sandboxes included) reaches the API.
*/}}
{{- define "openhands.dindContainer" -}}
{{- $root := index . 0 }}{{- $native := index . 1 }}
{{- $dind := $root.Values.dind -}}
{{- $p := include "openhands.profile" $root | fromYaml -}}
- name: dind
  image: {{ include "openhands.imageRef" (list $dind.image "29.7.2-dind" $root) | quote }}
  imagePullPolicy: {{ $dind.image.pullPolicy | quote }}
  {{- if $native }}
  restartPolicy: Always
  {{- end }}
  args:
    - dockerd
    - {{ printf "--host=%s" (include "openhands.dockerHost" $root) | quote }}
    {{- if $p.appNonRoot }}
    {{- /* The app opens the socket as its own non-root uid: the socket's group is the app's gid. */}}
    - {{ printf "--group=%d" (int (include "openhands.appUid" $root)) | quote }}
    {{- end }}
    {{- range $dind.extraArgs }}
    - {{ . | quote }}
    {{- end }}
  {{- /* dind.env over the chart's variables: a name both set renders once, dind.env's value. */}}
  {{- $chartEnv := list (dict "name" "DOCKER_TLS_CERTDIR" "value" "") (dict "name" "DOCKER_HOST" "value" (include "openhands.dockerHost" $root)) }}
  {{- if eq $p.app "canvas" }}
  {{- /* files/dind-post-start.sh: Canvas' conversation containers reach nothing of the pod (GUI-server sandboxes must reach the app). */}}
  {{- $chartEnv = append $chartEnv (dict "name" "ISOLATE_BRIDGE" "value" "docker0") }}
  {{- end }}
  {{- $userEnv := list }}
  {{- range $name, $value := $dind.env }}{{ $userEnv = append $userEnv (dict "name" $name "value" (toString $value)) }}{{ end }}
  env:
    {{- include "openhands.mergeEnv" (list (list (list "chart-set variables" $chartEnv) (list "dind.env" $userEnv))) | nindent 4 }}
  {{- $timeout := int $dind.startupTimeoutSeconds }}
  {{- $pull := "" }}
  {{- if eq $p.app "canvas" }}
  {{- if $root.Values.canvas.docker.prePull }}{{ $pull = include "openhands.canvas.conversationImageRef" $root }}{{ end }}
  {{- else if $root.Values.sandbox.prePull }}
  {{- $pull = include "openhands.sandboxImageRef" $root }}
  {{- end }}
  {{- /* files/dind-post-start.sh: <seconds to wait for the daemon> [image to pre-pull]. */}}
  {{- $hook := list "sh" (printf "%s/dind-post-start.sh" (include "openhands.scriptsDir" $root)) (toString (ternary 0 $timeout $native)) }}
  {{- if $pull }}{{ $hook = append $hook $pull }}{{ end }}
  {{- if $native }}
  startupProbe:
    exec:
      command: ["docker", "info"]
    periodSeconds: 2
    timeoutSeconds: 10
    failureThreshold: {{ div $timeout 2 }}
  {{- end }}
  {{- if or $pull (not $native) (eq $p.app "canvas") }}
  lifecycle:
    postStart:
      exec:
        command: {{ toJson $hook }}
  {{- end }}
  {{- with $dind.resources }}
  resources:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- $security := deepCopy ($dind.securityContext | default dict) }}
  {{- if $dind.sysbox.enabled }}
  {{- $_ := unset $security "privileged" }}
  {{- else }}
  {{- $_ := set $security "privileged" true }}
  {{- end }}
  {{- with $security }}
  securityContext:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  volumeMounts:
    - name: docker-socket
      mountPath: {{ include "openhands.dockerSocketDir" $root | quote }}
    - name: docker-data
      mountPath: /var/lib/docker
    {{- if eq $p.app "canvas" }}
    {{- include "openhands.canvas.daemonMounts" $root | nindent 4 }}
    {{- else if $p.workspaceClaim }}
    - name: workspace
      mountPath: {{ $root.Values.persistence.workspace.mountPath | quote }}
    {{- end }}
    - name: chart-scripts
      mountPath: {{ include "openhands.scriptsDir" $root | quote }}
      readOnly: true
{{- end }}

{{/* The cleanup container of sandbox mode dind, beside the daemon. */}}
{{- define "openhands.dockerCleanupContainer" -}}
{{- $cleanup := .Values.dockerCleanup -}}
- name: docker-cleanup
  image: {{ include "openhands.imageRef" (list $cleanup.dockerImage "29.7.2-cli" $) | quote }}
  imagePullPolicy: {{ $cleanup.dockerImage.pullPolicy }}
  command: ["sh", {{ printf "%s/docker-cleanup-loop.sh" (include "openhands.scriptsDir" .) | quote }}]
  env:
    - name: DOCKER_HOST
      value: {{ include "openhands.dockerHost" . | quote }}
    - name: CLEANUP_SCHEDULE
      value: {{ $cleanup.schedule | quote }}
    - name: CLEANUP_POLICY
      value: {{ $cleanup.policy | quote }}
  {{- with $cleanup.resources }}
  resources:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  securityContext:
    # Root only to open the daemon's socket (root-owned, like the app's access to it).
    runAsUser: 0
    allowPrivilegeEscalation: false
    capabilities:
      drop: ["ALL"]
  volumeMounts:
    - name: docker-socket
      mountPath: {{ include "openhands.dockerSocketDir" . }}
    - name: chart-scripts
      mountPath: {{ include "openhands.scriptsDir" . | quote }}
      readOnly: true
{{- end }}
