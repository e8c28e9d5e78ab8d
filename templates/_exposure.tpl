{{/*
Every way into OpenHands or its sandboxes, and what protects it: the one place that decides
exposure. The preflight refuses a way in from outside the cluster that the lock does not
cover (unless auth.acknowledgeUnauthenticated), NOTES.txt lists them, and the Service and
the NetworkPolicy admit exactly the ports listed here. YAML dict:
  ways   ways in from outside the cluster: [{key, what, coveredBy: [auth modes], covered}]
  lock   the auth.mode in force ("none" when its sign-in admits anyone)
  ports  what the Service routes: [{name, port, targetPort, behind}], behind = the sign-in
         proxy when traffic passes it, otherwise nothing
  peers  who inside the cluster may reach those ports (NetworkPolicy peers), when
         networkPolicy.enabled
  callback  the remoteDocker callback listener's Service, or empty: {name, service, port,
         targetPort, hostPort, address, from}. Not a way in to the app: it passes only the
         sandboxes' webhook routes, which check a sandbox's session key (docs/exposure.md);
         the NetworkPolicy admits its port from `from` only.
*/}}
{{- define "openhands.exposures" -}}
{{- $v := .Values }}
{{- $p := include "openhands.profile" . | fromYaml }}
{{- $everyLock := list "oauth2Proxy" "external" }}
{{- $ways := list }}
{{- if $v.ingress.enabled }}
{{- $ways = append $ways (dict "key" "ingress.enabled" "what" "the Ingress" "coveredBy" (list "oauth2Proxy" "ingressNginx" "external")) }}
{{- end }}
{{- if $v.httpRoute.enabled }}
{{- $ways = append $ways (dict "key" "httpRoute.enabled" "what" "the HTTPRoute" "coveredBy" $everyLock) }}
{{- end }}
{{- if ne $v.service.type "ClusterIP" }}
{{- $ways = append $ways (dict "key" "service.type" "what" (printf "the %s Service" $v.service.type) "coveredBy" $everyLock) }}
{{- end }}
{{- range $annotation, $operator := include "openhands.publishingServiceAnnotations" . | fromYaml }}
{{- if hasKey $v.service.annotations $annotation }}
{{- $ways = append $ways (dict "key" (printf "service.annotations.%s" $annotation) "what" (printf "the Service, which %s publishes" $operator) "coveredBy" $everyLock) }}
{{- end }}
{{- end }}
{{- if $v.tunnel.enabled }}
{{- $ways = append $ways (dict "key" "tunnel.enabled" "what" "the Cloudflare Tunnel" "coveredBy" (list "oauth2Proxy" "cloudflareAccess" "external")) }}
{{- end }}
{{- /* Ways of the sandbox mode itself (templates/_mode-<mode>.tpl). */}}
{{- with include "openhands.modeHook" (list . "exposures") }}{{ $ways = concat $ways (fromJsonArray .) }}{{ end }}
{{- /* Ways that extraObjects, extraContainers and initContainers open (templates/_extras.tpl). */}}
{{- $ways = concat $ways (include "openhands.extraExposures" . | fromJsonArray) }}
{{- $lock := $v.auth.mode }}
{{- if include "openhands.signInAdmitsAnyone" . }}{{ $lock = "none" }}{{ end }}
{{- $checked := list }}
{{- range $ways }}
{{- $checked = append $checked (set . "covered" (has $lock .coveredBy)) }}
{{- end }}
{{- /* The Service's ports: the app's entry (through the auth proxy when it is on) and sandbox hosts. */}}
{{- $proxy := ternary "oauth2-proxy" "" (eq $v.auth.mode "oauth2Proxy") }}
{{- $ports := list (dict "name" "http" "port" (int $v.service.port) "targetPort" (include "openhands.serviceTargetPort" .) "behind" $proxy) }}
{{- if $p.gatewayHostRouting }}
{{- /* Sandbox hosts go straight to the gateway: the app calls them too, past any sign-in. */}}
{{- $ports = append $ports (dict "name" "sandbox-gateway" "port" (int (include "openhands.port" (list . "sandboxHosts"))) "targetPort" "gateway" "behind" "") }}
{{- end }}
{{- $peers := list }}
{{- if $v.networkPolicy.enabled }}
{{- range $v.networkPolicy.ingressControllerNamespaces }}
{{- $peers = append $peers (dict "namespaceSelector" (dict "matchLabels" (dict "kubernetes.io/metadata.name" .))) }}
{{- end }}
{{- if $v.tunnel.enabled }}
{{- $peers = append $peers (dict "podSelector" (dict "matchLabels" (include "openhands.tunnelSelectorLabels" . | fromYaml))) }}
{{- end }}
{{- $peers = concat $peers $v.networkPolicy.extraIngressFrom }}
{{- /* helm test's pod checks the Service from the release's namespace. */}}
{{- $peers = append $peers (dict "podSelector" (dict "matchLabels" (dict "app.kubernetes.io/instance" .Release.Name "app.kubernetes.io/component" "test"))) }}
{{- end }}
{{- $callback := dict }}
{{- with $p.callback }}
{{- $values := $v.sandbox.remoteDocker.callback }}
{{- $from := list }}
{{- range $values.allowFrom }}{{ $from = append $from (dict "ipBlock" (dict "cidr" .)) }}{{ end }}
{{- $callback = dict "name" "callback" "service" $values.service "port" (int $values.port) "targetPort" "callback" "hostPort" .hostPort "address" .address "from" $from }}
{{- end }}
{{- toYaml (dict "ways" $checked "lock" $lock "ports" $ports "peers" $peers "callback" $callback) }}
{{- end }}

{{/*
Service annotations through which an operator publishes even a ClusterIP Service, and the
operator's name (YAML map).
*/}}
{{- define "openhands.publishingServiceAnnotations" -}}
tailscale.com/expose: the Tailscale operator
tailscale.com/hostname: the Tailscale operator
tailscale.com/funnel: Tailscale Funnel
{{- end }}

{{/*
"true" when oauth2-proxy would let in anyone with an account at a public identity provider:
every email domain, no list of addresses or groups, and no organisation, team or tenant
restriction in extraArgs.
*/}}
{{- define "openhands.signInAdmitsAnyone" -}}
{{- $proxy := .Values.auth.oauth2Proxy }}
{{- if and (eq .Values.auth.mode "oauth2Proxy") (has "*" $proxy.emailDomains) (not $proxy.allowedEmails) (not $proxy.allowedGroups) (include "openhands.publicIdentityProvider" .) }}
{{- $restricted := false }}
{{- range $proxy.extraArgs }}
{{- if regexMatch "^--(github-(org|team|repo|user)|gitlab-(group|project)|google-group|bitbucket-(team|repository)|azure-tenant|entra-id-allowed-tenant|allowed-(group|role)|authenticated-emails-file)=" . }}{{ $restricted = true }}{{ end }}
{{- end }}
{{- if not $restricted }}true{{ end }}
{{- end }}
{{- end }}

{{/* The public identity provider in use (anyone can make an account there), or empty. */}}
{{- define "openhands.publicIdentityProvider" -}}
{{- $proxy := .Values.auth.oauth2Proxy }}
{{- $names := dict "github" "GitHub" "gitlab" "GitLab" "google" "Google" "bitbucket" "Bitbucket" "linkedin" "LinkedIn" "facebook" "Facebook" "azure" "Microsoft" "entra-id" "Microsoft" "digitalocean" "DigitalOcean" }}
{{- $selfHostedGitLab := and (eq $proxy.provider "gitlab") $proxy.oidcIssuerUrl (not (hasPrefix "https://gitlab.com" $proxy.oidcIssuerUrl)) }}
{{- if and (hasKey $names $proxy.provider) (not $selfHostedGitLab) }}
{{- get $names $proxy.provider }}
{{- else if regexMatch "^https://(accounts\\.google\\.com|gitlab\\.com|login\\.microsoftonline\\.com/(common|consumers|organizations))(/|$)" $proxy.oidcIssuerUrl }}
{{- $proxy.oidcIssuerUrl }}
{{- end }}
{{- end }}
