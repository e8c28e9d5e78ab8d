{{/* Sandbox mode remoteDocker: a Docker daemon outside the cluster, over TCP with TLS. */}}

{{- define "openhands.mode.remoteDocker.preflight" -}}
{{- $remote := .Values.sandbox.remoteDocker }}
{{- if not $remote.host }}
{{- fail "sandbox.remoteDocker.host: sandbox mode remoteDocker needs the daemon's address, for example tcp://docker.lan:2376." }}
{{- end }}
{{- if not $remote.tlsSecret }}
{{- fail "sandbox.remoteDocker.tlsSecret: a Docker daemon on TCP without TLS gives root on its machine to anyone who reaches the port. Create a Secret with ca.pem, cert.pem and key.pem (kubectl create secret generic docker-tls --from-file=ca.pem --from-file=cert.pem --from-file=key.pem) and name it here." }}
{{- end }}
{{- $p := include "openhands.profile" . | fromYaml }}
{{- if and $p.gateway (not (regexMatch "^[0-9]+[.][0-9]+[.][0-9]+[.][0-9]+$" $p.sandboxPortHost)) }}
{{- fail (printf "sandbox.remoteDocker.publishedHost: the sandbox gateway forwards to the daemon's published ports by IP address, and %q is a name. Set publishedHost to the daemon machine's IP address." $p.sandboxPortHost) }}
{{- end }}
{{- end }}

{{- define "openhands.mode.remoteDocker.env" -}}
- name: DOCKER_HOST
  value: {{ .Values.sandbox.remoteDocker.host | quote }}
- name: DOCKER_TLS_VERIFY
  value: "1"
- name: DOCKER_CERT_PATH
  value: {{ include "openhands.dockerCertPath" . | quote }}
{{- end }}

{{- define "openhands.mode.remoteDocker.appMounts" -}}
- name: docker-tls
  mountPath: {{ include "openhands.dockerCertPath" . | quote }}
  readOnly: true
{{- end }}

{{- define "openhands.mode.remoteDocker.volumes" -}}
- name: docker-tls
  secret:
    secretName: {{ .Values.sandbox.remoteDocker.tlsSecret | quote }}
    defaultMode: 288 # 0440: owner and group read
{{- end }}

{{- define "openhands.mode.remoteDocker.exposures" -}}
{{- list (dict "key" "sandbox.mode" "what" "sandbox ports published by the remote Docker daemon on every address of its machine" "coveredBy" (list "external")) | toJson }}
{{- end }}
