{{/* Sandbox mode process (1.x): agent-server processes inside the app container. */}}

{{- define "openhands.mode.process.preflight" -}}
{{- if eq (include "openhands.generation" .) "v0" }}
{{- fail (printf "sandbox.mode: process runs agent-server processes, which only OpenHands 1.x has; openhands.image.tag %s is 0.x. Use sandbox.mode dind with 0.x, or a 1.x image." (include "openhands.appTag" .)) }}
{{- end }}
{{- end }}

{{- define "openhands.mode.process.env" -}}
- name: RUNTIME
  value: process
{{- end }}

{{- /* Process sandboxes are handed to the browser as <page host>:<port>, past any sign-in proxy. */}}
{{- define "openhands.mode.process.exposures" -}}
{{- $ways := list }}
{{- if ne .Values.service.type "ClusterIP" }}
{{- $ports := (include "openhands.profile" . | fromYaml).sandboxServicePorts }}
{{- $ways = append $ways (dict "key" "sandbox.mode" "what" (printf "agent-server ports %d-%d of the %s Service, which no sign-in proxy sees" (int (first $ports)) (int (last $ports)) .Values.service.type) "coveredBy" (list "external")) }}
{{- end }}
{{- toJson $ways }}
{{- end }}
