{{/*
Sandbox mode process (1.x): agent-server processes inside the app container. They inherit
the app's environment, so what they need is set on the app; the chart's
files/process-sandbox-sitecustomize.py fixes what the released app gets wrong in this mode
(docs/process-mode.md), and the gateway serves each agent server at /sandbox/<port> (or
<port>.<hostDomain>) on the app's own address.
*/}}

{{- define "openhands.mode.process.preflight" -}}
{{- if eq (include "openhands.generation" .) "v0" }}
{{- fail (printf "sandbox.mode: process runs agent-server processes, which only OpenHands 1.x has; openhands.image.tag %s is 0.x. Use sandbox.mode dind with 0.x, or a 1.x image." (include "openhands.appTag" .)) }}
{{- end }}
{{- if not .Values.sandbox.gateway.enabled }}
{{- fail "sandbox.gateway.enabled: sandbox.mode process needs the gateway. Upstream hands the browser http://localhost:<port> for each agent server, which the UI turns into <page host>:<port>: no Ingress, HTTPRoute or tunnel serves that port, and agent servers refuse other origins. The gateway serves each agent server at /sandbox/<port> on the app's own host instead; set sandbox.gateway.enabled to true." }}
{{- end }}
{{- end }}

{{- define "openhands.mode.process.env" -}}
{{- $p := include "openhands.profile" . | fromYaml }}
{{- $env := dict }}
{{- /* files/process-sandbox-sitecustomize.py, loaded at import by the app and by every agent server. */}}
{{- $_ := set $env "PYTHONPATH" (printf "%s:/app" (include "openhands.processPatchDir" .)) }}
{{- $_ := set $env "PROCESS_SANDBOX_START_SECONDS" (toString (int .Values.sandbox.process.startTimeoutSeconds)) }}
{{- /* Agent servers report events (and so titles) to the app only through a webhook. */}}
{{- $_ := set $env "OH_WEBHOOKS_0_BASE_URL" (printf "%s/api/v1/webhooks" $p.urls.appForSandboxes) }}
{{- /* Agent servers allow only localhost origins unless told; an Ingress host is another origin. */}}
{{- range $i, $origin := splitList "," (include "openhands.browserOrigins" .) }}
{{- $_ := set $env (printf "OH_ALLOW_CORS_ORIGINS_%d" $i) $origin }}
{{- end }}
- name: RUNTIME
  value: process
{{ include "openhands.envList" $env }}
{{- end }}

{{- define "openhands.mode.process.appMounts" -}}
- name: process-sandbox-patch
  mountPath: {{ include "openhands.processPatchDir" . | quote }}
  readOnly: true
{{- end }}

{{- define "openhands.mode.process.volumes" -}}
- name: process-sandbox-patch
  configMap:
    name: {{ include "openhands.suffixedName" (list . "scripts") | quote }}
    items:
      - key: process-sandbox-sitecustomize.py
        path: sitecustomize.py
{{- end }}
