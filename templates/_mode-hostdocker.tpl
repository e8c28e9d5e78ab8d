{{/* Sandbox mode hostDocker: the node's Docker daemon through its socket. */}}

{{- define "openhands.mode.hostDocker.preflight" -}}
{{- $affinity := .Values.affinity | default dict }}
{{- $required := dig "nodeAffinity" "requiredDuringSchedulingIgnoredDuringExecution" "" $affinity }}
{{- if not (or .Values.nodeSelector $required) }}
{{- fail "nodeSelector: sandbox mode hostDocker needs the pod pinned to one node, because sandboxes, their ports and the Docker socket live on the node it runs on: a pod that moves loses them. Set nodeSelector (for example kubernetes.io/hostname: <node>) or a required nodeAffinity in affinity." }}
{{- end }}
{{- if and (eq (include "openhands.generation" .) "v1") (not .Values.sandbox.hostDocker.nodeAddress) }}
{{- fail "sandbox.hostDocker.nodeAddress: with 1.x the browser and the app connect to sandbox ports that the node's daemon publishes, so the chart needs the node's address as they reach it (LAN IP or DNS name)." }}
{{- end }}
{{- $hostDocker := .Values.sandbox.hostDocker }}
{{- if and (eq (include "openhands.profile" . | fromYaml).sandboxCallback "bridgeHostPort") (has $hostDocker.bridgeAddress (list $hostDocker.nodeAddress "0.0.0.0")) }}
{{- fail (printf "sandbox.hostDocker.bridgeAddress: %s is every address or the node's own (sandbox.hostDocker.nodeAddress), so the app's port, without sign-in, would be published to every machine that reaches the node. Set the node's Docker bridge address (docker0, 172.17.0.1 by default), where sandboxes find host.docker.internal." $hostDocker.bridgeAddress) }}
{{- end }}
{{- end }}

{{- define "openhands.mode.hostDocker.env" -}}
{{- if and (not .Values.sandbox.hostDocker.hostNetwork) (eq (include "openhands.generation" .) "v0") }}
# The node's address, where its Docker daemon publishes the runtime's port ($(HOST_IP) in SANDBOX_LOCAL_RUNTIME_URL).
- name: HOST_IP
  valueFrom:
    fieldRef:
      fieldPath: status.hostIP
{{- end }}
- name: DOCKER_HOST
  value: unix:///var/run/docker.sock
{{- end }}

{{- define "openhands.mode.hostDocker.appMounts" -}}
- name: docker-socket
  mountPath: /var/run/docker.sock
{{- with .Values.sandbox.hostDocker.workspaceHostPath }}
# At the node's path: the node's daemon resolves sandbox bind mounts there.
- name: workspace
  mountPath: {{ . | quote }}
{{- end }}
{{- end }}

{{- define "openhands.mode.hostDocker.volumes" -}}
- name: docker-socket
  hostPath:
    path: {{ .Values.sandbox.hostDocker.socketPath | quote }}
    type: Socket
{{- with .Values.sandbox.hostDocker.workspaceHostPath }}
- name: workspace
  hostPath:
    path: {{ . | quote }}
    type: DirectoryOrCreate
{{- end }}
{{- end }}

{{- /* These pass no proxy in the pod: only a layer outside the chart covers them. */}}
{{- define "openhands.mode.hostDocker.exposures" -}}
{{- $ways := list }}
{{- if .Values.sandbox.hostDocker.hostNetwork }}
{{- $ways = append $ways (dict "key" "sandbox.hostDocker.hostNetwork" "what" "host networking (the app's port on every node address)" "coveredBy" (list "external")) }}
{{- end }}
{{- $ways = append $ways (dict "key" "sandbox.mode" "what" "sandbox ports published by the node's Docker daemon on every node address (0.x sandboxes check no key)" "coveredBy" (list "external")) }}
{{- toJson $ways }}
{{- end }}
