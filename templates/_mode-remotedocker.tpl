{{/* Sandbox mode remoteDocker: a Docker daemon outside the cluster, over TCP with TLS. */}}

{{- define "openhands.mode.remoteDocker.preflight" -}}
{{- $remote := .Values.sandbox.remoteDocker }}
{{- if not $remote.host }}
{{- fail "sandbox.remoteDocker.host: sandbox mode remoteDocker needs the daemon's address, for example tcp://docker.lan:2376." }}
{{- end }}
{{- if not $remote.tlsSecretName }}
{{- fail "sandbox.remoteDocker.tlsSecretName: a Docker daemon on TCP without TLS gives root on its machine to anyone who reaches the port. Create a Secret with ca.pem, cert.pem and key.pem (kubectl create secret generic docker-tls --from-file=ca.pem --from-file=cert.pem --from-file=key.pem) and name it here." }}
{{- end }}
{{- $p := include "openhands.profile" . | fromYaml }}
{{- if and $p.gateway (not (regexMatch "^[0-9]+[.][0-9]+[.][0-9]+[.][0-9]+$" $p.sandboxPortHost)) }}
{{- fail (printf "sandbox.remoteDocker.publishedHost: the sandbox gateway forwards to the daemon's published ports by IP address, and %q is a name. Set publishedHost to the daemon machine's IP address." $p.sandboxPortHost) }}
{{- end }}
{{- /* Contradictions around the callback listener (sandbox.remoteDocker.callback). */}}
{{- $callback := $remote.callback }}
{{- if $callback.address }}
{{- if ne $p.generation "v1" }}
{{- fail (printf "sandbox.remoteDocker.callback.address: the callback listener carries the webhooks of OpenHands 1.x sandboxes; %s (0.x) has none, so it would only open a port. Remove sandbox.remoteDocker.callback.address." (include "openhands.appTag" .)) }}
{{- end }}
{{- if not $p.gateway }}
{{- fail "sandbox.remoteDocker.callback.address: the callback listener is a server of the sandbox gateway, and sandbox.gateway.enabled is false. Turn the gateway on, or remove sandbox.remoteDocker.callback.address." }}
{{- end }}
{{- if and (eq $callback.service.type "NodePort") (not (gt (int $callback.service.nodePort) 0)) }}
{{- fail "sandbox.remoteDocker.callback.service.nodePort: every sandbox keeps the callback URL it was created with, so a NodePort listener needs a fixed node port (for example 30302); a port Kubernetes picks would change when the Service is recreated." }}
{{- end }}
{{- if and (gt (int $callback.service.nodePort) 0) (ne .Values.service.type "ClusterIP") (eq (int $callback.service.nodePort) (int .Values.service.nodePort)) }}
{{- fail (printf "sandbox.remoteDocker.callback.service.nodePort: %d is already service.nodePort, the app's Service; a node port serves one Service. Choose another." (int $callback.service.nodePort)) }}
{{- end }}
{{- /* Upstream reads the legacy names only while no sandbox kind is set: an override there would do nothing. */}}
{{- range $name := list "SANDBOX_HOST_PORT" "SANDBOX_CONTAINER_URL_PATTERN" "SANDBOX_STARTUP_GRACE_SECONDS" "SANDBOX_VOLUMES" }}
{{- $instead := ternary "OH_SANDBOX_MOUNTS_<n>_HOST_PATH and OH_SANDBOX_MOUNTS_<n>_CONTAINER_PATH" (printf "OH_%s" $name) (eq $name "SANDBOX_VOLUMES") }}
{{- $why := printf "with sandbox.remoteDocker.callback.address the app configures its Docker sandboxes from OH_SANDBOX_KIND and OH_SANDBOX_* variables, and OpenHands then ignores %s. Set %s instead." $name $instead }}
{{- if hasKey ($.Values.openhands.env | default dict) $name }}
{{- fail (printf "openhands.env.%s: %s" $name $why) }}
{{- end }}
{{- range $i, $entry := $.Values.openhands.extraEnv | default list }}
{{- if eq $entry.name $name }}{{ fail (printf "openhands.extraEnv[%d]: %s" $i $why) }}{{ end }}
{{- end }}
{{- end }}
{{- if and .Values.networkPolicy.enabled (not $callback.allowFrom) }}
{{- fail "sandbox.remoteDocker.callback.allowFrom: networkPolicy.enabled admits only listed peers, and no address range is listed for the callback listener, so every sandbox webhook would be dropped. List the Docker daemon machine's address (for example 192.168.10.20/32), and with externalTrafficPolicy Cluster the nodes' addresses too." }}
{{- end }}
{{- end }}
{{- end }}

{{- define "openhands.mode.remoteDocker.env" -}}
{{- $p := include "openhands.profile" . | fromYaml }}
- name: DOCKER_HOST
  value: {{ .Values.sandbox.remoteDocker.host | quote }}
- name: DOCKER_TLS_VERIFY
  value: "1"
- name: DOCKER_CERT_PATH
  value: {{ include "openhands.dockerCertPath" . | quote }}
{{- with $p.callback }}
{{- /* Sandboxes reach host.docker.internal at the callback listener: only the injector's fields set extra_hosts. */}}
- name: OH_SANDBOX_KIND
  value: DockerSandboxServiceInjector
- name: OH_SANDBOX_EXTRA_HOSTS
  value: {{ dict "host.docker.internal" .address | toJson | quote }}
{{- end }}
{{- end }}

{{- define "openhands.mode.remoteDocker.appMounts" -}}
- name: docker-tls
  mountPath: {{ include "openhands.dockerCertPath" . | quote }}
  readOnly: true
{{- end }}

{{- define "openhands.mode.remoteDocker.volumes" -}}
- name: docker-tls
  secret:
    secretName: {{ .Values.sandbox.remoteDocker.tlsSecretName | quote }}
    defaultMode: 288 # 0440: owner and group read
{{- end }}

{{- define "openhands.mode.remoteDocker.exposures" -}}
{{- list (dict "key" "sandbox.mode" "what" "sandbox ports published by the remote Docker daemon on every address of its machine" "coveredBy" (list "external")) | toJson }}
{{- end }}
