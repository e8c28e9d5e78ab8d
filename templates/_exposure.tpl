{{/*
Every way into OpenHands or its sandboxes from outside the cluster, and which auth.mode
protects it. The one place that decides exposure: the preflight refuses a way in that the
lock does not cover (unless auth.acknowledgeUnauthenticated), and NOTES.txt lists them.
JSON list of {key, what, coveredBy: [auth modes], covered: bool}.
*/}}
{{- define "openhands.exposures" -}}
{{- $v := .Values }}
{{- $mode := $v.sandbox.mode }}
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
{{- /* The ways below pass no proxy in the pod: only a layer outside the chart covers them. */}}
{{- if and (eq $mode "hostDocker") $v.sandbox.hostDocker.hostNetwork }}
{{- $ways = append $ways (dict "key" "sandbox.hostDocker.hostNetwork" "what" "host networking (the app's port on every node address)" "coveredBy" (list "external")) }}
{{- end }}
{{- if eq $mode "hostDocker" }}
{{- $ways = append $ways (dict "key" "sandbox.mode" "what" "sandbox ports published by the node's Docker daemon on every node address (0.x sandboxes check no key)" "coveredBy" (list "external")) }}
{{- end }}
{{- if eq $mode "remoteDocker" }}
{{- $ways = append $ways (dict "key" "sandbox.mode" "what" "sandbox ports published by the remote Docker daemon on every address of its machine" "coveredBy" (list "external")) }}
{{- end }}
{{- if and (eq $mode "process") (ne $v.service.type "ClusterIP") }}
{{- $ways = append $ways (dict "key" "sandbox.mode" "what" (printf "agent-server ports 8000-%d of the %s Service, which no sign-in proxy sees" (add 7999 (int $v.sandbox.process.ports)) $v.service.type) "coveredBy" (list "external")) }}
{{- end }}
{{- if and (eq $mode "kubernetes") $v.sandbox.kubernetes.ingressDomain }}
{{- $ways = append $ways (dict "key" "sandbox.kubernetes.ingressDomain" "what" "the VS Code Ingress OpenHands creates for each conversation at <id>.<ingressDomain> (guarded only by the token in its URL)" "coveredBy" (list "external")) }}
{{- end }}
{{- $ways = concat $ways (include "openhands.extraExposures" . | fromJsonArray) }}
{{- $lock := $v.auth.mode }}
{{- if include "openhands.signInAdmitsAnyone" . }}{{ $lock = "none" }}{{ end }}
{{- $result := list }}
{{- range $ways }}
{{- $result = append $result (set . "covered" (has $lock .coveredBy)) }}
{{- end }}
{{- toJson $result }}
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
