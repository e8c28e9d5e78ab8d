{{/*
Keys that extend what the chart renders: extra containers and init containers, extra
objects, the pod's hosts file. Strings inside them are rendered as templates first, as in
the charts users know these keys from.
*/}}

{{/* Containers from a values list, templated (JSON list). Call with (list <values key> <list> $). */}}
{{- define "openhands.userContainers" -}}
{{- $key := index . 0 }}{{- $containers := index . 1 | default list }}{{- $root := index . 2 }}
{{- $rendered := list }}
{{- range $i, $container := $containers }}
{{- $value := tpl (toYaml $container) $root | fromYaml }}
{{- if or (hasKey $value "Error") (not $value.name) (not $value.image) }}
{{- fail (printf "%s[%d]: each entry is a Kubernetes container with at least a name and an image%s." $key $i (ternary (printf " (%v)" $value.Error) "" (hasKey $value "Error"))) }}
{{- end }}
{{- $rendered = append $rendered $value }}
{{- end }}
{{- toJson $rendered }}
{{- end }}

{{/*
extraObjects rendered (JSON list): an object entry as it is, a string entry through tpl; both
may use templates in their strings.
*/}}
{{- define "openhands.extraObjects" -}}
{{- $rendered := list }}
{{- range $i, $entry := .Values.extraObjects }}
{{- $text := ternary $entry (toYaml $entry) (kindIs "string" $entry) }}
{{- $object := tpl $text $ | fromYaml }}
{{- if or (hasKey $object "Error") (not $object.apiVersion) (not $object.kind) (not (dig "metadata" "name" "" $object)) }}
{{- fail (printf "extraObjects[%d]: each entry must render to one Kubernetes object with apiVersion, kind and metadata.name%s." $i (ternary (printf " (%v)" $object.Error) "" (hasKey $object "Error"))) }}
{{- end }}
{{- $rendered = append $rendered $object }}
{{- end }}
{{- toJson $rendered }}
{{- end }}

{{/*
The pod's hostAliases (JSON list): the chart's own entry and hostAliases, one entry per
address with its names in order. host.docker.internal stays the chart's: the app reaches
Docker sandboxes through it.
*/}}
{{- define "openhands.hostAliases" -}}
{{- $byAddress := dict }}
{{- $p := include "openhands.profile" . | fromYaml }}
{{- $docker := $p.loopbackDocker }}
{{- if $docker }}{{ $_ := set $byAddress "127.0.0.1" (list "host.docker.internal") }}{{ end }}
{{- range $i, $alias := .Values.hostAliases }}
{{- if and $docker (has "host.docker.internal" $alias.hostnames) (ne $alias.ip "127.0.0.1") }}
{{- fail (printf "hostAliases[%d]: host.docker.internal is 127.0.0.1 in sandbox mode %s (the app reaches sandbox ports there); use another name for %s." $i $p.mode $alias.ip) }}
{{- end }}
{{- $_ := set $byAddress $alias.ip (concat (get $byAddress $alias.ip | default list) $alias.hostnames | uniq) }}
{{- end }}
{{- $aliases := list }}
{{- range $ip, $names := $byAddress }}{{ $aliases = append $aliases (dict "ip" $ip "hostnames" $names) }}{{ end }}
{{- toJson $aliases }}
{{- end }}

{{/* Names of the containers the chart puts in the server pod (YAML list). */}}
{{- define "openhands.chartContainerNameList" -}}
- openhands
- canvas
- dind
- oauth2-proxy
- gateway
- docker-cleanup
- workspace-owner
- seed-llm-settings
{{- end }}

{{- define "openhands.chartContainerNames" -}}
{{- include "openhands.chartContainerNameList" . | fromYamlArray | toJson }}
{{- end }}

{{/* Contradictions in the keys above, and Service fields its type ignores. */}}
{{- define "openhands.preflight.extras" -}}
{{- $names := include "openhands.chartContainerNames" . | fromJsonArray }}
{{- range $key := list "initContainers" "extraContainers" }}
{{- range $i, $c := include "openhands.userContainers" (list $key (get $.Values $key) $) | fromJsonArray }}
{{- if has $c.name $names }}
{{- fail (printf "%s[%d]: the name %s is taken by %s; choose another." $key $i $c.name (ternary "a container of the chart" "another extra container" (has $c.name (include "openhands.chartContainerNames" $ | fromJsonArray)))) }}
{{- end }}
{{- $names = append $names $c.name }}
{{- end }}
{{- end }}
{{- $service := .Values.service }}
{{- if ne $service.type "LoadBalancer" }}
{{- range $field := list "loadBalancerIP" "loadBalancerClass" "loadBalancerSourceRanges" }}
{{- if get $service $field }}
{{- fail (printf "service.%s: applies to a LoadBalancer Service only, and service.type is %s." $field $service.type) }}
{{- end }}
{{- end }}
{{- end }}
{{- if and $service.externalTrafficPolicy (eq $service.type "ClusterIP") }}
{{- fail "service.externalTrafficPolicy: applies to NodePort and LoadBalancer Services only, and service.type is ClusterIP." }}
{{- end }}
{{- end }}

{{/*
Ways in that the extension keys open (JSON list of {key, what, coveredBy}), read by
openhands.exposures. A route or a published Service in extraObjects reaches the pod past the
chart's own exposure checks; an extra container with a hostPort or a tunnel image reaches it
past the Service, so only a lock outside the chart covers it.
*/}}
{{- define "openhands.extraExposures" -}}
{{- $ways := list }}
{{- $tunnelImage := "(^|/)(cloudflared|tailscale|ngrok|frpc?|bore|inlets|zrok|pinggy|localtunnel)(:|@|$)" }}
{{- $routeKinds := list "Ingress" "HTTPRoute" "GRPCRoute" "TLSRoute" "TCPRoute" "UDPRoute" "IngressRoute" "IngressRouteTCP" "IngressRouteUDP" "VirtualService" "HTTPProxy" }}
{{- $podLabels := include "openhands.labels" (dict "root" . "component" "server" "pod" true "user" .Values.podLabels "userKey" "podLabels") | fromYaml }}
{{- $publishing := include "openhands.publishingServiceAnnotations" . | fromYaml }}
{{- $proxyPort := include "openhands.serviceTargetPort" . }}
{{- range $i, $object := include "openhands.extraObjects" . | fromJsonArray }}
{{- $key := printf "extraObjects[%d]" $i }}
{{- $what := printf "the %s %s in extraObjects" $object.kind $object.metadata.name }}
{{- if has $object.kind $routeKinds }}
{{- $locks := list "oauth2Proxy" "external" }}
{{- if and (eq $object.kind "Ingress") (hasKey ($object.metadata.annotations | default dict) "nginx.ingress.kubernetes.io/auth-url") }}{{ $locks = append $locks "ingressNginx" }}{{ end }}
{{- $ways = append $ways (dict "key" $key "what" $what "coveredBy" $locks) }}
{{- else if eq $object.kind "Service" }}
{{- $spec := $object.spec | default dict }}
{{- $selector := $spec.selector | default dict }}
{{- $selectsServer := gt (len $selector) 0 }}
{{- range $k, $v := $selector }}{{ if ne (toString (get $podLabels $k)) (toString $v) }}{{ $selectsServer = false }}{{ end }}{{ end }}
{{- $published := has ($spec.type | default "ClusterIP") (list "NodePort" "LoadBalancer") }}
{{- range $annotation, $_ := $publishing }}{{ if hasKey ($object.metadata.annotations | default dict) $annotation }}{{ $published = true }}{{ end }}{{ end }}
{{- if and $selectsServer $published }}
{{- $throughProxy := true }}
{{- range $spec.ports | default list }}{{ if ne (toString .targetPort) $proxyPort }}{{ $throughProxy = false }}{{ end }}{{ end }}
{{- $ways = append $ways (dict "key" $key "what" (printf "%s, which publishes the OpenHands pod%s" $what (ternary "" (printf " on ports other than %s" $proxyPort) $throughProxy)) "coveredBy" (ternary (list "oauth2Proxy" "external") (list "external") $throughProxy)) }}
{{- end }}
{{- else }}
{{- range (dig "spec" "template" "spec" "containers" list $object) }}
{{- if regexMatch $tunnelImage (toString .image) }}
{{- $ways = append $ways (dict "key" $key "what" (printf "%s, whose container %s runs a tunnel" $what .name) "coveredBy" (list "external")) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- range $valuesKey := list "initContainers" "extraContainers" }}
{{- range $i, $c := include "openhands.userContainers" (list $valuesKey (get $.Values $valuesKey) $) | fromJsonArray }}
{{- $key := printf "%s[%d]" $valuesKey $i }}
{{- range $c.ports | default list }}
{{- if .hostPort }}
{{- $ways = append $ways (dict "key" $key "what" (printf "host port %v of the extra container %s, on its node's address" .hostPort $c.name) "coveredBy" (list "external")) }}
{{- end }}
{{- end }}
{{- if regexMatch $tunnelImage (toString $c.image) }}
{{- $ways = append $ways (dict "key" $key "what" (printf "the extra container %s, whose image %s carries a tunnel to the pod's ports" $c.name $c.image) "coveredBy" (list "external")) }}
{{- end }}
{{- end }}
{{- end }}
{{- toJson $ways }}
{{- end }}
