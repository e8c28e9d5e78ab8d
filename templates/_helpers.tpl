{{/* Names, labels and image references, in the style of `helm create`. */}}

{{- define "openhands.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* <release>-<chart>, or the release name alone when it already contains the chart name. */}}
{{- define "openhands.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- regexReplaceAll "-+$" (.Values.fullnameOverride | trunc 63) "" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- regexReplaceAll "-+$" (.Release.Name | trunc 63) "" }}
{{- else }}
{{- regexReplaceAll "-+$" (printf "%s-%s" .Release.Name $name | trunc 63) "" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
A name derived from the full name with a suffix, kept within 63 characters. Only dashes
left at the cut are dropped: a release name such as `my--app` keeps its own.
*/}}
{{- define "openhands.suffixedName" -}}
{{- $root := index . 0 }}{{- $suffix := index . 1 }}
{{- printf "%s-%s" (regexReplaceAll "-+$" (include "openhands.fullname" $root | trunc (int (sub 62 (len $suffix)))) "") $suffix }}
{{- end }}

{{- define "openhands.chart" -}}
{{- include "openhands.labelValue" (printf "%s-%s" .Chart.Name .Chart.Version) }}
{{- end }}

{{/*
Selector labels of the OpenHands server. They never change across upgrades: a
Deployment's selector is immutable. The component keeps other workloads of the
release (such as a tunnel) out of the server's Service.
*/}}
{{- define "openhands.selectorLabels" -}}
app.kubernetes.io/name: {{ include "openhands.name" . | quote }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: server
{{- end }}

{{- define "openhands.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "openhands.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
An image reference from an Image value: registry/repository@digest when a digest is
set, registry/repository:tag otherwise. global.imageRegistry replaces every image's
registry. Call with (list <image> <default tag> $).
*/}}
{{- define "openhands.imageRef" -}}
{{- $image := index . 0 }}{{- $defaultTag := index . 1 }}
{{- $repo := include "openhands.imageRepository" (list $image (index . 2)) }}
{{- if $image.digest }}
{{- printf "%s@%s" $repo $image.digest }}
{{- else }}
{{- printf "%s:%s" $repo (default $defaultTag $image.tag) }}
{{- end }}
{{- end }}

{{- define "openhands.appTag" -}}
{{- default .Chart.AppVersion .Values.openhands.image.tag }}
{{- end }}

{{/* The image tag of the app the release runs (values.app): the version label and NOTES. */}}
{{- define "openhands.runningAppTag" -}}
{{- if eq (include "openhands.profile" . | fromYaml).app "canvas" }}{{ .Values.canvas.image.tag }}{{ else }}{{ include "openhands.appTag" . }}{{ end }}
{{- end }}

{{/* registry/repository of an image, the registry being global.imageRegistry when set. Call with (list <image> $). */}}
{{- define "openhands.imageRepository" -}}
{{- $image := index . 0 }}{{- $root := index . 1 }}
{{- $registry := (($root.Values.global | default dict).imageRegistry | default $image.registry) }}
{{- if $registry }}{{ printf "%s/%s" $registry $image.repository }}{{ else }}{{ $image.repository }}{{ end }}
{{- end }}

{{/* The sandbox image without its tag (1.x takes repository and tag separately). */}}
{{- define "openhands.sandboxRepository" -}}
{{- include "openhands.imageRepository" (list .Values.sandbox.image .) }}
{{- end }}

{{- define "openhands.sandboxImageRef" -}}
{{- printf "%s:%s" (include "openhands.sandboxRepository" .) .Values.sandbox.image.tag }}
{{- end }}

{{/*
The OpenHands generation in use, `v0` or `v1`: openhands.generation when set,
otherwise the major version in the app image tag.
*/}}
{{- define "openhands.generation" -}}
{{- if ne .Values.openhands.generation "auto" }}
{{- .Values.openhands.generation }}
{{- else }}
{{- $version := include "openhands.appVersionNumber" . }}
{{- if not $version }}
{{- fail (printf "openhands.generation: the image tag %q carries no version, so the chart cannot tell OpenHands 0.x from 1.x. Set openhands.generation to v0 or v1." (include "openhands.appTag" .)) }}
{{- end }}
{{- if hasPrefix "0." $version }}v0{{ else }}v1{{ end }}
{{- end }}
{{- end }}

{{/* The app's version as major.minor.patch, or empty for tags such as `main`. */}}
{{- define "openhands.appVersionNumber" -}}
{{- $found := regexFind "^[0-9]+\\.[0-9]+(\\.[0-9]+)?" (include "openhands.appTag" . | trimPrefix "v") }}
{{- if $found }}{{ if eq (len (splitList "." $found)) 2 }}{{ printf "%s.0" $found }}{{ else }}{{ $found }}{{ end }}{{ end }}
{{- end }}

{{/* True when the app is a 0.x release older than the given version (unknown versions count as new). */}}
{{- define "openhands.v0Before" -}}
{{- $root := index . 0 }}{{- $version := include "openhands.appVersionNumber" $root }}
{{- if and (eq (include "openhands.generation" $root) "v0") $version (semverCompare (printf "<%s" (index . 1)) $version) }}true{{ end }}
{{- end }}

{{/* Where the state volume mounts in the app container. */}}
{{- define "openhands.stateDir" -}}
{{- if .Values.persistence.state.mountPath }}
{{- .Values.persistence.state.mountPath }}
{{- else if include "openhands.v0Before" (list . "0.45.0") }}
{{- "/.openhands-state" }}
{{- else }}
{{- "/.openhands" }}
{{- end }}
{{- end }}

{{/* "true" when the Docker daemon runs as a native sidecar (Kubernetes 1.29+ or forced). */}}
{{- define "openhands.dindNativeSidecar" -}}
{{- $startup := .Values.dind.startup }}
{{- if or (eq $startup "native") (and (eq $startup "auto") (semverCompare ">=1.29.0-0" .Capabilities.KubeVersion.Version)) }}true{{ end }}
{{- end }}

{{/* Where the sidecar's Docker daemon listens: a Unix socket on a volume shared by the pod's containers only. */}}
{{- define "openhands.dockerSocketDir" -}}/run/dind{{- end }}
{{- define "openhands.dockerHost" -}}unix://{{ include "openhands.dockerSocketDir" . }}/docker.sock{{- end }}

{{/* The name of a claim the chart creates or mounts. Call with (list $ <persistence> <suffix>). */}}
{{- define "openhands.claimName" -}}
{{- $root := index . 0 }}{{- $persistence := index . 1 }}
{{- default (include "openhands.suffixedName" (list $root (index . 2))) $persistence.existingClaim }}
{{- end }}

{{/* The Pod Security Standard level the server pod needs in its sandbox mode. */}}
{{- define "openhands.podSecurityLevel" -}}
{{- (include "openhands.profile" . | fromYaml).podSecurity }}
{{- end }}

{{/* The container port the Service targets: the auth proxy when it is on, else the gateway, else the app's entry (the profile's appEntryPort). */}}
{{- define "openhands.serviceTargetPort" -}}
{{- if eq .Values.auth.mode "oauth2Proxy" }}oauth2-proxy{{ else if include "openhands.gatewayEnabled" . }}gateway{{ else }}{{ (include "openhands.profile" . | fromYaml).appEntryPort }}{{ end }}
{{- end }}

{{/* True when sandbox hosts (<port>.<domain>) are routed to the gateway. */}}
{{- define "openhands.gatewayHostRouting" -}}
{{- if (include "openhands.profile" . | fromYaml).gatewayHostRouting }}true{{ end }}
{{- end }}

{{/* The first host name users reach the app at (Ingress first, then HTTPRoute), or empty. */}}
{{- define "openhands.publicHost" -}}
{{- if and .Values.ingress.enabled .Values.ingress.hosts }}
{{- (first .Values.ingress.hosts).host }}
{{- else if and .Values.httpRoute.enabled .Values.httpRoute.hostnames }}
{{- first .Values.httpRoute.hostnames }}
{{- else if and .Values.tunnel.enabled .Values.tunnel.hostname }}
{{- .Values.tunnel.hostname }}
{{- end }}
{{- end }}

{{/* True when a credential has a source (templates/_secrets.tpl): (list $ "<credential>"). */}}
{{- define "openhands.hasSecret" -}}
{{- if (include "openhands.secretRef" . | fromYaml).name }}true{{ end }}
{{- end }}

{{/* True when sandboxes are containers of a Docker daemon the app drives (dind or remoteDocker). */}}
{{- define "openhands.dockerSandboxes" -}}
{{- if (include "openhands.profile" . | fromYaml).dockerSandboxes }}true{{ end }}
{{- end }}

{{/*
True when the app runs as the image's non-root user: every mode without a local Docker
socket (the profile's appUser).
*/}}
{{/* The uid the app runs as without root: its securityContext.runAsUser, or its image's user (the profile's appUid). */}}
{{- define "openhands.appUid" -}}
{{- $p := include "openhands.profile" . | fromYaml }}
{{- $security := (ternary .Values.canvas .Values.openhands (eq $p.app "canvas")).securityContext | default dict }}
{{- if hasKey $security "runAsUser" }}{{ int $security.runAsUser }}{{ else }}{{ int $p.appUid }}{{ end }}
{{- end }}

{{- define "openhands.appNonRoot" -}}
{{- if (include "openhands.profile" . | fromYaml).appNonRoot }}true{{ end }}
{{- end }}

{{/* True when the workspace claim is used: sandboxes that share the pod's filesystem or daemon. */}}
{{- define "openhands.workspaceUsed" -}}
{{- if (include "openhands.profile" . | fromYaml).workspaceClaim }}true{{ end }}
{{- end }}

{{/*
The runtime pods' namespace in sandbox mode kubernetes: never the release namespace, so
agent code shares no namespace (Secrets, ServiceAccounts, Role) with the app.
*/}}
{{- define "openhands.runtimeNamespace" -}}
{{- default (printf "%s-sandboxes" .Release.Namespace) .Values.sandbox.kubernetes.namespace }}
{{- end }}

{{/* Where the remote Docker daemon's TLS client material is mounted. */}}
{{- define "openhands.dockerCertPath" -}}/etc/docker/tls{{- end }}

{{/* Selector labels of the cloudflared Deployment (never change across upgrades). */}}
{{- define "openhands.tunnelSelectorLabels" -}}
app.kubernetes.io/name: {{ include "openhands.name" . | quote }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: tunnel
{{- end }}

{{/* Where containers mount the chart's scripts (files/ through templates/scripts-configmap.yaml). */}}
{{- define "openhands.scriptsDir" -}}/opt/openhands-chart{{- end }}

{{/* Where the app container finds the chart's sitecustomize in process mode (on PYTHONPATH). */}}
{{- define "openhands.processPatchDir" -}}
{{- printf "%s/python" (include "openhands.scriptsDir" .) }}
{{- end }}

{{/* True when the server pod mounts the chart's scripts: the LLM seed (Canvas' profile seed), the Docker daemon's hook, the cleanup sidecar (process mode's sitecustomize is the mode's own volume). */}}
{{- define "openhands.podMountsScripts" -}}
{{- $p := include "openhands.profile" . | fromYaml }}
{{- if or (include "openhands.seedsLlmSettings" .) (include "openhands.canvas.seedsLlmProfile" .) (eq $p.docker "pod") }}true{{ end }}
{{- end }}

{{/* The Gateways an HTTPRoute of the chart attaches to. */}}
{{- define "openhands.httpRouteParentRefs" -}}
{{- range .Values.httpRoute.parentRefs }}
- name: {{ .name | quote }}
  {{- with .namespace }}
  namespace: {{ . | quote }}
  {{- end }}
  {{- with .sectionName }}
  sectionName: {{ . | quote }}
  {{- end }}
{{- end }}
{{- end }}
