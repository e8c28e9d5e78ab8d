{{/* Sandbox mode dind: a Docker daemon as a sidecar of the OpenHands pod (templates/_dind.tpl). */}}

{{- define "openhands.mode.dind.preflight" -}}
{{- include "openhands.preflight.dindArgs" . }}
{{- include "openhands.preflight.dindCleanup" . }}
{{- if and .Values.dind.sysbox.enabled .Values.dind.securityContext.privileged }}
{{- fail "dind.securityContext.privileged: Sysbox runs the Docker daemon without privileges; privileged would undo the isolation it gives. Remove privileged, or set dind.sysbox.enabled to false." }}
{{- end }}
{{- if and (eq .Values.dind.startup "native") (semverCompare "<1.29.0-0" .Capabilities.KubeVersion.Version) }}
{{- fail (printf "dind.startup: native sidecars need Kubernetes 1.29 or later, and the target cluster is %s. Set dind.startup to auto or postStart." .Capabilities.KubeVersion.Version) }}
{{- end }}
{{- end }}

{{- define "openhands.mode.dind.env" -}}
- name: DOCKER_HOST
  value: {{ include "openhands.dockerHost" . | quote }}
{{- end }}

{{- define "openhands.mode.dind.appMounts" -}}
- name: docker-socket
  mountPath: {{ include "openhands.dockerSocketDir" . | quote }}
{{- end }}

{{- define "openhands.mode.dind.volumes" -}}
- name: docker-socket
  emptyDir: {}
- name: docker-data
  {{- if .Values.dind.persistence.enabled }}
  persistentVolumeClaim:
    claimName: {{ include "openhands.claimName" (list . .Values.dind.persistence "docker") | quote }}
  {{- else if .Values.dind.emptyDirSizeLimit }}
  emptyDir:
    sizeLimit: {{ .Values.dind.emptyDirSizeLimit | quote }}
  {{- else }}
  emptyDir: {}
  {{- end }}
{{- end }}
