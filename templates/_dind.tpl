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
- name: dind
  image: {{ include "openhands.imageRef" (list $dind.image "29.7.2-dind") | quote }}
  imagePullPolicy: {{ $dind.image.pullPolicy | quote }}
  {{- if $native }}
  restartPolicy: Always
  {{- end }}
  args:
    - dockerd
    - {{ printf "--host=%s" (include "openhands.dockerHost" $root) | quote }}
    {{- range $dind.extraArgs }}
    - {{ . | quote }}
    {{- end }}
  env:
    - name: DOCKER_TLS_CERTDIR
      value: ""
    - name: DOCKER_HOST
      value: {{ include "openhands.dockerHost" $root | quote }}
    {{- range $name, $value := $dind.env }}
    - name: {{ $name | quote }}
      value: {{ $value | quote }}
    {{- end }}
  {{- $timeout := int $dind.startupTimeoutSeconds }}
  {{- $pull := "" }}
  {{- if $root.Values.sandbox.prePull }}
  {{- /* Detached, so neither the hook nor the app waits for a multi-GB pull. */}}
  {{- $pull = printf "setsid sh -c 'until docker info >/dev/null 2>&1; do sleep 1; done; docker pull %s' >/proc/1/fd/1 2>&1 </dev/null &" (include "openhands.sandboxImageRef" $root) }}
  {{- end }}
  {{- if $native }}
  startupProbe:
    exec:
      command: ["docker", "info"]
    periodSeconds: 2
    timeoutSeconds: 10
    failureThreshold: {{ div $timeout 2 }}
  {{- if $pull }}
  lifecycle:
    postStart:
      exec:
        command: ["sh", "-c", {{ $pull | quote }}]
  {{- end }}
  {{- else }}
  lifecycle:
    postStart:
      exec:
        command:
          - sh
          - -c
          - {{ printf `%sfor i in $(seq %d); do docker info >/dev/null 2>&1 && exit 0; sleep 1; done; echo "dockerd did not answer within %ds" >&2; exit 1` (ternary (printf "%s " $pull) "" (ne $pull "")) $timeout $timeout | quote }}
  {{- end }}
  {{- with $dind.resources }}
  resources:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- $security := deepCopy $dind.securityContext }}
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
    {{- if $root.Values.persistence.workspace.enabled }}
    - name: workspace
      mountPath: {{ $root.Values.persistence.workspace.mountPath | quote }}
    {{- end }}
{{- end }}

