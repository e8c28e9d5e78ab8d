{{/*
Sandbox mode kubernetes (OpenHands 0.45 to 0.62): one pod, Service, claim and Ingress per
conversation, created by the app through the API (templates/runtime-rbac.yaml,
templates/config-configmap.yaml).
*/}}

{{- define "openhands.mode.kubernetes.preflight" -}}
{{- if eq (include "openhands.generation" .) "v1" }}
{{- fail (printf "sandbox.mode: kubernetes is a runtime of OpenHands 0.45 to 0.62; 1.x (openhands.image.tag %s) has none and would silently fall back to Docker. Use dind, process or remoteDocker with 1.x." (include "openhands.appTag" .)) }}
{{- end }}
{{- if include "openhands.v0Before" (list . "0.45.0") }}
{{- fail (printf "sandbox.mode: the kubernetes runtime arrived in OpenHands 0.45, and openhands.image.tag is %s. Use 0.45 to 0.62, or sandbox.mode dind." (include "openhands.appTag" .)) }}
{{- end }}
{{- include "openhands.preflight.kubernetesRuntime" . }}
{{- end }}

{{- define "openhands.mode.kubernetes.env" -}}
- name: RUNTIME
  value: kubernetes
{{- end }}

{{- define "openhands.mode.kubernetes.appMounts" -}}
- name: openhands-config
  mountPath: /app/config.toml
  subPath: config.toml
  readOnly: true
{{- end }}

{{- define "openhands.mode.kubernetes.volumes" -}}
- name: openhands-config
  configMap:
    name: {{ include "openhands.suffixedName" (list . "config") | quote }}
{{- end }}

{{- define "openhands.mode.kubernetes.exposures" -}}
{{- $ways := list }}
{{- with .Values.sandbox.kubernetes.ingressDomain }}
{{- $ways = append $ways (dict "key" "sandbox.kubernetes.ingressDomain" "what" "the VS Code Ingress OpenHands creates for each conversation at <id>.<ingressDomain> (guarded only by the token in its URL)" "coveredBy" (list "external")) }}
{{- end }}
{{- toJson $ways }}
{{- end }}
