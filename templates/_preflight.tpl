{{/*
Contradictory values are rejected here, before anything renders, with a message
that names the keys at fault and says what to set instead.
*/}}
{{- define "openhands.preflight" -}}
{{- include "openhands.preflight.renamedKeys" . }}
{{- include "openhands.preflight.canvas" . }}
{{- include "openhands.preflight.sandbox" . }}
{{- include "openhands.preflight.auth" . }}
{{- include "openhands.preflight.extras" . }}
{{- include "openhands.preflight.exposure" . }}
{{- range $i, $env := .Values.openhands.extraEnv }}
{{- if and (hasKey $env "value") (hasKey $env "valueFrom") }}
{{- fail (printf "openhands.extraEnv[%d] (%s): set either value or valueFrom, not both." $i $env.name) }}
{{- end }}
{{- end }}
{{- end }}

{{/* A key renamed in migrations/renamed-keys.yaml fails with its new name rather than being ignored. */}}
{{- define "openhands.preflight.renamedKeys" -}}
{{- range (.Files.Get "migrations/renamed-keys.yaml" | fromYaml).renamed }}
{{- $node := $.Values }}
{{- $set := true }}
{{- range splitList "." .from }}
{{- if and $set (kindIs "map" $node) (hasKey $node .) (not (kindIs "invalid" (index $node .))) }}
{{- $node = index $node . }}
{{- else }}
{{- $set = false }}
{{- end }}
{{- end }}
{{- if $set }}
{{- fail (printf "%s was renamed to %s (%s). Move the value there." .from .to .how) }}
{{- end }}
{{- end }}
{{- end }}

{{- define "openhands.preflight.sandbox" -}}
{{- $generation := include "openhands.generation" . }}
{{- $p := include "openhands.profile" . | fromYaml }}
{{- $appSecurity := .Values.openhands.securityContext | default dict }}
{{- if hasKey $appSecurity "runAsUser" }}
{{- if and (not $p.appNonRoot) (ne (int $appSecurity.runAsUser) 0) }}
{{- fail (printf "openhands.securityContext.runAsUser: sandbox mode %s starts the app through the image's entrypoint, which must run as root (it creates the sandbox user and joins the Docker socket's group) and exits otherwise; %d would stop the app from starting. Remove runAsUser, or use a sandbox mode that runs the app without root (process, remoteDocker)." $p.mode (int $appSecurity.runAsUser)) }}
{{- end }}
{{- if and $p.appNonRoot (eq (int $appSecurity.runAsUser) 0) }}
{{- fail (printf "openhands.securityContext.runAsUser: sandbox mode %s runs the app without root (runAsNonRoot), and 0 is root. Remove runAsUser (the image's openhands user, 42420) or name another uid." $p.mode) }}
{{- end }}
{{- end }}
{{- if $p.sandboxImage }}
{{- $sandbox := .Values.sandbox.image }}
{{- $sandboxRef := include "openhands.sandboxImageRef" . }}
{{- $isRuntimeImage := or (hasSuffix "-nikolaik" $sandbox.tag) (hasSuffix "/runtime" $sandbox.repository) }}
{{- $isAgentServerImage := or (hasSuffix "-python" $sandbox.tag) (contains "agent-server" $sandbox.repository) }}
{{- if and (eq $generation "v1") $isRuntimeImage }}
{{- fail (printf "sandbox.image: %s is a 0.x runtime image, but openhands.image runs OpenHands 1.x, which needs an agent-server image (for example ghcr.io/openhands/agent-server:1.34.0-python); a runtime image fails with `exec --port failed`. Set sandbox.image to an agent-server image, or openhands.image to a 0.x release." $sandboxRef) }}
{{- end }}
{{- if and (eq $generation "v0") $isAgentServerImage }}
{{- fail (printf "sandbox.image: %s is a 1.x agent-server image, but openhands.image runs OpenHands 0.x, which needs a runtime image (for example docker.openhands.dev/openhands/runtime:0.62-nikolaik). Set sandbox.image to the runtime image matching openhands.image.tag." $sandboxRef) }}
{{- end }}
{{- /* 1.x replaces the version part of AGENT_SERVER_IMAGE_TAG with the agent server it bundles
whenever the repository is upstream's own and the tag has a suffix (sandbox_spec_service.get_agent_server_image), so another
tag there would be pre-pulled by the chart and never run. */}}
{{- $bundled := get (dict "1.11.0" "1.34.0") (trimPrefix "v" (include "openhands.appTag" .)) }}
{{- if and (eq $generation "v1") $bundled (eq (include "openhands.sandboxRepository" .) "ghcr.io/openhands/agent-server") (contains "-" $sandbox.tag) (ne (first (splitList "-" $sandbox.tag)) $bundled) }}
{{- fail (printf "sandbox.image.tag: OpenHands %s always runs agent-server %s from ghcr.io/openhands/agent-server and rewrites the tag %q to %s-%s, so the image the chart pulls would never run. Use tag %s-%s, or set sandbox.image.registry/repository to your own build of the agent server." (include "openhands.appTag" .) $bundled $sandbox.tag $bundled (join "-" (rest (splitList "-" $sandbox.tag))) $bundled (join "-" (rest (splitList "-" $sandbox.tag)))) }}
{{- end }}
{{- end }}
{{- if and (gt (int .Values.sandbox.limits.maxConcurrentConversations) 0) (include "openhands.v0Before" (list . "0.28.1")) }}
{{- fail (printf "sandbox.limits.maxConcurrentConversations: OpenHands %s has no limit on concurrent conversations (it arrived in 0.28.1), so the value would do nothing. Leave it at 0, or use 0.28.1 or later." (include "openhands.appTag" .)) }}
{{- end }}
{{- /* The mode's own refusals (templates/_mode-<mode>.tpl), then what its row promises. */}}
{{- include "openhands.modeHook" (list . "preflight") }}
{{- if not (has $generation $p.generations) }}
{{- fail (printf "sandbox.mode: %s works with OpenHands %s only, and openhands.image.tag %s is %s." $p.mode (join " or " $p.generations) (include "openhands.appTag" .) $generation) }}
{{- end }}
{{- if and .Values.dockerCleanup.enabled (eq $p.cleanup "none") }}
{{- fail (printf "dockerCleanup.enabled: the cleanup job works on the Docker daemon of sandbox mode dind or hostDocker (or canvas.runtime docker), and %s is %s (no Docker daemon the chart can reach). Turn dockerCleanup off." $p.modeKey $p.mode) }}
{{- end }}
{{- if include "openhands.gatewayEnabled" . }}
{{- $gateway := .Values.sandbox.gateway }}
{{- if and (eq $gateway.routing "host") (not $gateway.hostDomain) }}
{{- fail "sandbox.gateway.hostDomain: routing host serves sandboxes at <port>.<hostDomain>, so it needs the domain (for example sandbox.example.com, with wildcard DNS *.sandbox.example.com pointing at your ingress). Set it, or use sandbox.gateway.routing path." }}
{{- end }}
{{- if eq $gateway.routing "host" }}
{{- /* The domain goes into nginx's config; checked here too, for renders that skip the schema. */}}
{{- if not (regexMatch "^[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$" $gateway.hostDomain) }}
{{- fail (printf "sandbox.gateway.hostDomain: %q is not a DNS name." $gateway.hostDomain) }}
{{- end }}
{{- $appHosts := concat (list .Values.tunnel.hostname) .Values.httpRoute.hostnames }}
{{- range .Values.ingress.hosts }}{{ $appHosts = append $appHosts .host }}{{ end }}
{{- range $appHosts }}
{{- if and . (or (eq . $gateway.hostDomain) (hasSuffix (printf ".%s" $gateway.hostDomain) .)) }}
{{- fail (printf "sandbox.gateway.hostDomain: the app's host %s lies under the sandbox domain %s, whose names stay outside the sign-in and reach whatever an agent runs. Give sandboxes a domain of their own (for example sandbox.%s) that no app host falls under." . $gateway.hostDomain $gateway.hostDomain) }}
{{- end }}
{{- end }}
{{- end }}
{{- $browserPort := include "openhands.browserPort" . }}
{{- if and (eq $gateway.routing "path") (eq $browserPort "0") }}
{{- fail "service.nodePort: with a NodePort Service the sandbox gateway must know the port browsers use, so set service.nodePort (30000-32767)." }}
{{- end }}
{{- $appPort := include "openhands.port" (list . "appBehindGateway") }}
{{- $proxyPort := include "openhands.port" (list . "oauth2Proxy") }}
{{- if has $browserPort (list $appPort $proxyPort) }}
{{- fail (printf "service.port: %s is taken inside the pod (%s is the app, %s the auth proxy), and browsers reach sandboxes on the same port as the app. Choose another service.port." $browserPort $appPort $proxyPort) }}
{{- end }}
{{- end }}
{{- if include "openhands.agentServerEnv" . | fromJson }}
{{- /* The chart's OH_AGENT_SERVER_ENV (sandbox.env, the lease setting of Docker sandboxes, per-sandbox state paths): a second one would silently replace it. */}}
{{- $why := "the chart builds OH_AGENT_SERVER_ENV from sandbox.env (and, for Docker sandboxes, their conversation lease setting and each sandbox's own state paths). Put the sandbox variables in sandbox.env and remove this entry." }}
{{- if hasKey .Values.openhands.env "OH_AGENT_SERVER_ENV" }}
{{- fail (printf "openhands.env.OH_AGENT_SERVER_ENV: %s" $why) }}
{{- end }}
{{- range $i, $env := .Values.openhands.extraEnv }}
{{- if eq $env.name "OH_AGENT_SERVER_ENV" }}
{{- fail (printf "openhands.extraEnv[%d]: %s" $i $why) }}
{{- end }}
{{- end }}
{{- end }}
{{- if and .Values.sandbox.env (eq $generation "v0") }}
{{- fail "sandbox.env: OpenHands 0.x has no way to pass variables to every sandbox (OH_AGENT_SERVER_ENV is 1.x). Remove sandbox.env or use a 1.x image." }}
{{- end }}
{{- end }}

{{/*
The exposure guard: every path that reaches the app from outside the cluster must
be covered by the authentication in auth.mode, or explicitly accepted as open.
*/}}
{{- define "openhands.preflight.exposure" -}}
{{- $mode := .Values.auth.mode }}
{{- if not .Values.auth.acknowledgeUnauthenticated }}
{{- range (include "openhands.exposures" . | fromYaml).ways }}
{{- if not .covered }}
{{- if include "openhands.signInAdmitsAnyone" $ }}
{{- fail (printf "auth.oauth2Proxy.emailDomains: [\"*\"] with provider %s and no allowedEmails, allowedGroups or organisation restriction lets in anyone with a %s account, so %s would be open to everyone. Restrict who may sign in (allowedEmails, allowedGroups, or extraArgs such as --github-org=<org> or --google-group=<group>), or accept the risk with auth.acknowledgeUnauthenticated: true." $.Values.auth.oauth2Proxy.provider (include "openhands.publicIdentityProvider" $) .what) }}
{{- else if eq $mode "none" }}
{{- $how := "Set auth.mode to oauth2Proxy (the chart's sign-in proxy; see auth.oauth2Proxy), ingressNginx (external auth on an nginx Ingress), cloudflareAccess (for the tunnel) or external (a layer you run)" }}
{{- if eq (len .coveredBy) 1 }}{{ $how = "Only a layer outside the chart can cover it: declare it with auth.mode external and auth.external.description" }}{{ end }}
{{- fail (printf "%s: %s would expose OpenHands without authentication, and anyone who reaches it can spend your LLM budget and run code in its sandboxes. %s, or accept the risk with auth.acknowledgeUnauthenticated: true." .key .what $how) }}
{{- else }}
{{- fail (printf "%s: auth.mode %s does not protect %s (only %s do), so it would expose OpenHands without authentication. Use one of those modes, turn it off, or accept the risk with auth.acknowledgeUnauthenticated: true." .key $mode .what (join " or " .coveredBy)) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- if and .Values.httpRoute.enabled (not (.Capabilities.APIVersions.Has "gateway.networking.k8s.io/v1/HTTPRoute")) }}
{{- fail "httpRoute.enabled: the cluster does not serve gateway.networking.k8s.io/v1 HTTPRoute. Install the Gateway API CRDs (v1.0 or later) and a Gateway controller, or use ingress instead. (helm template and Argo CD need --api-versions gateway.networking.k8s.io/v1/HTTPRoute.)" }}
{{- end }}
{{- end }}

{{- define "openhands.preflight.auth" -}}
{{- $auth := .Values.auth }}
{{- if and .Values.tunnel.enabled (not (include "openhands.hasSecret" (list . "tunnelToken"))) }}
{{- fail "tunnel.token.existingSecret: cloudflared needs its tunnel token. Name the Secret holding it (key tunnel.token.key), or let External Secrets fill it (externalSecrets.secrets.tunnelToken)." }}
{{- end }}
{{- if and .Values.externalSecrets.enabled (not (.Capabilities.APIVersions.Has "external-secrets.io/v1/ExternalSecret")) }}
{{- fail "externalSecrets.enabled: the cluster does not serve external-secrets.io/v1 (External Secrets Operator 0.16 or later). Install or upgrade the operator, or turn externalSecrets off and create the Secrets yourself. (helm template and Argo CD need --api-versions external-secrets.io/v1/ExternalSecret.)" }}
{{- end }}
{{- if and .Values.externalSecrets.enabled (not .Values.externalSecrets.store.enabled) (not .Values.externalSecrets.storeRef.name) }}
{{- fail "externalSecrets.storeRef.name: name the SecretStore or ClusterSecretStore to read from, or let the chart render one (externalSecrets.store.enabled)." }}
{{- end }}
{{- $llm := .Values.llm }}
{{- if $llm.apiKey.insecurePlaintextValue }}
{{- $source := "" }}
{{- if $llm.apiKey.existingSecret }}{{ $source = printf "llm.apiKey.existingSecret (%s)" $llm.apiKey.existingSecret }}
{{- else if and .Values.externalSecrets.enabled .Values.externalSecrets.secrets.llmApiKey.enabled }}{{ $source = printf "externalSecrets.secrets.llmApiKey (the ExternalSecret filling %s)" .Values.externalSecrets.secrets.llmApiKey.targetName }}
{{- end }}
{{- if $source }}
{{- fail (printf "llm.apiKey.insecurePlaintextValue: the LLM API key already comes from %s, so the plain-text copy would only sit in values and Helm's release history, unused. Remove llm.apiKey.insecurePlaintextValue (and rotate the key if those values were shared)." $source) }}
{{- end }}
{{- end }}
{{- if $llm.bedrock.enabled }}
{{- if not (regexMatch "^(us|eu|ap|sa|ca|me|af|il|mx|cn|us-gov|us-iso|us-isob)-(north|south|east|west|central|northeast|southeast|northwest|southwest)-[0-9]+$" $llm.bedrock.region) }}
{{- fail (printf "llm.bedrock.region: %q is not an AWS region. Regions look like us-east-1, eu-central-1 or ap-northeast-1 (Tokyo; asia-northeast-1 is a Google Cloud name)." $llm.bedrock.region) }}
{{- end }}
{{- /* Canvas may leave the model to a profile entered in its UI. */}}
{{- if and (not (hasPrefix "bedrock/" $llm.model)) (or $llm.model (ne (include "openhands.profile" . | fromYaml).app "canvas")) }}
{{- fail (printf "llm.model: with llm.bedrock.enabled the model needs LiteLLM's bedrock/ prefix, for example bedrock/us.anthropic.claude-3-7-sonnet-20250219-v1:0 (got %q). OpenHands does not read BEDROCK_MODEL_ID." $llm.model) }}
{{- end }}
{{- end }}
{{- if and (ne (include "openhands.profile" . | fromYaml).app "canvas") (not $llm.model) (or $llm.baseUrl (include "openhands.hasSecret" (list . "llmApiKey")) $llm.bedrock.enabled) }}
{{- fail (printf "llm.model: OpenHands %s starts conversations only with the LLM in its settings store, which the chart seeds only together with a model (for example openai/gpt-4o or anthropic/claude-sonnet-4-5). Set llm.model, or leave llm.baseUrl, llm.apiKey and llm.bedrock empty and enter the LLM in the UI." (ternary "0.x" "1.x" (eq (include "openhands.generation" .) "v0"))) }}
{{- end }}
{{- if and $llm.bedrock.enabled (not (include "openhands.hasSecret" (list . "llmApiKey"))) (include "openhands.v0Before" (list . "0.56.0")) (not (include "openhands.v0Before" (list . "0.50.0"))) }}
{{- fail (printf "llm.apiKey: OpenHands %s starts no conversation without an API key, even for Bedrock, and its LiteLLM sends a key to Bedrock as a Bedrock API key instead of signing with the AWS credentials. Set llm.apiKey to a Bedrock API key, or use OpenHands 0.49 or 0.56 and later, which sign with llm.bedrock's credentials." (include "openhands.appVersionNumber" .)) }}
{{- end }}
{{- if and (eq (include "openhands.generation" .) "v1") (ne (include "openhands.profile" . | fromYaml).app "canvas") $llm.bedrock.enabled (not (include "openhands.profile" . | fromYaml).agentInPod) (not (include "openhands.hasSecret" (list . "awsCredentials"))) }}
{{- fail "llm.bedrock.existingSecret: with OpenHands 1.x the agent calls Bedrock from its sandbox container, which has none of the pod's AWS identity (IRSA, EKS Pod Identity). Name a Secret with an access key here (or let External Secrets fill one: externalSecrets.secrets.awsCredentials); only sandbox.mode process runs the agent in the pod itself." }}
{{- end }}
{{- if eq $auth.mode "oauth2Proxy" }}
{{- $proxy := $auth.oauth2Proxy }}
{{- if not (include "openhands.hasSecret" (list . "oauth2Proxy")) }}
{{- fail "auth.oauth2Proxy.existingSecret: oauth2-proxy needs a Secret with the OAuth client ID, client secret and cookie secret (keys from auth.oauth2Proxy.secretKeys). Create it (kubectl create secret generic) and name it here, or let External Secrets fill it (externalSecrets.secrets.oauth2Proxy)." }}
{{- end }}
{{- if and (hasSuffix "oidc" $proxy.provider) (not $proxy.oidcIssuerUrl) }}
{{- fail (printf "auth.oauth2Proxy.oidcIssuerUrl: provider %s needs the OIDC issuer URL (for example https://accounts.example.com/realms/home)." $proxy.provider) }}
{{- end }}
{{- if not (or $proxy.emailDomains $proxy.allowedEmails $proxy.allowedGroups) }}
{{- fail "auth.oauth2Proxy.emailDomains: say who may sign in with emailDomains, allowedEmails or allowedGroups (emailDomains [\"*\"] admits every account the provider vouches for)." }}
{{- end }}
{{- end }}
{{- if eq $auth.mode "ingressNginx" }}
{{- if not (and $auth.ingressNginx.authUrl $auth.ingressNginx.authSignin) }}
{{- fail "auth.ingressNginx.authUrl: auth.mode ingressNginx needs both auth.ingressNginx.authUrl and auth.ingressNginx.authSignin (for example https://auth.example.com/oauth2/auth and https://auth.example.com/oauth2/start?rd=https://$host$escaped_request_uri)." }}
{{- end }}
{{- if .Values.ingress.enabled }}
{{- /* A user annotation would silently win over the chart's (ingress.yaml merges the user's first). */}}
{{- range $name, $setting := dict "auth-url" "auth.ingressNginx.authUrl" "auth-signin" "auth.ingressNginx.authSignin" "auth-response-headers" "auth.ingressNginx.responseHeaders" "auth-snippet" "" }}
{{- $annotation := printf "nginx.ingress.kubernetes.io/%s" $name }}
{{- if hasKey $.Values.ingress.annotations $annotation }}
{{- fail (printf "ingress.annotations: %s would override the external authentication that auth.mode ingressNginx writes on the Ingress. %s" $annotation (ternary (printf "Remove it and set %s instead." $setting) "Remove it: a snippet in the auth request can turn the check off." (ne $setting ""))) }}
{{- end }}
{{- end }}
{{- end }}
{{- if and .Values.ingress.enabled (not (contains "nginx" .Values.ingress.className)) }}
{{- fail (printf "ingress.className: auth.mode ingressNginx works only on the ingress-nginx controller, and ingress.className is %q. Set ingress.className to your nginx class, or use auth.mode oauth2Proxy." .Values.ingress.className) }}
{{- end }}
{{- end }}
{{- if and (eq $auth.mode "none") .Values.ingress.enabled }}
{{- range $name := list "auth-url" "auth-signin" "auth-snippet" }}
{{- $annotation := printf "nginx.ingress.kubernetes.io/%s" $name }}
{{- if hasKey $.Values.ingress.annotations $annotation }}
{{- fail (printf "ingress.annotations: %s puts external authentication on the Ingress while auth.mode is none, so the chart neither checks nor covers it. Declare it with auth.mode ingressNginx and auth.ingressNginx.authUrl/authSignin (or auth.mode external with a description)." $annotation) }}
{{- end }}
{{- end }}
{{- end }}
{{- if and (eq $auth.mode "external") (not $auth.external.description) }}
{{- fail "auth.external.description: say what protects OpenHands (for example \"Authelia forward auth on the Gateway\"), so the next person knows where the lock is." }}
{{- end }}
{{- end }}

{{/*
Sandbox mode kubernetes. Upstream's runtime pods name no ServiceAccount, so agent code runs
as the runtime namespace's default account with its token mounted: that account must never
be the one holding the runtime Role.
*/}}
{{- define "openhands.preflight.kubernetesRuntime" -}}
{{- $k := .Values.sandbox.kubernetes }}
{{- $namespace := include "openhands.runtimeNamespace" . }}
{{- if eq $namespace .Release.Namespace }}
{{- fail (printf "sandbox.kubernetes.namespace: runtime pods run agent code as their namespace's default ServiceAccount, so they must not share the release namespace %s with the app (its Secrets, its ServiceAccount, the runtime Role). Leave sandbox.kubernetes.namespace empty (the chart then uses %s-sandboxes) or name another namespace." .Release.Namespace .Release.Namespace) }}
{{- end }}
{{- if has $namespace (list "default" "kube-system" "kube-public" "kube-node-lease") }}
{{- fail (printf "sandbox.kubernetes.namespace: %s is shared with other workloads, and the app may create pods there that mount its Secrets or run as its ServiceAccounts. Give runtime pods a namespace of their own (empty means %s-sandboxes)." $namespace .Release.Namespace) }}
{{- end }}
{{- if not (regexMatch "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$" $namespace) }}
{{- fail (printf "sandbox.kubernetes.namespace: %q is not a namespace name (lowercase letters, digits and '-', at most 63 characters). Name one that is." $namespace) }}
{{- end }}
{{- $account := include "openhands.serviceAccountName" . }}
{{- if eq $account "default" }}
{{- fail (printf "serviceAccount.name: sandbox mode kubernetes binds the runtime Role (create and delete pods, Services, claims and Ingresses in %s) to the app's ServiceAccount, and default is the account every pod of %s without one of its own runs as. Set serviceAccount.create: true, or name a dedicated account in serviceAccount.name." $namespace .Release.Namespace) }}
{{- end }}
{{- if not $k.ingressDomain }}
{{- fail "sandbox.kubernetes.ingressDomain: OpenHands creates an Ingress for every conversation at <conversation id>.<ingressDomain>, and with an empty domain the API server rejects that host, so no conversation starts. Set a domain whose wildcard DNS reaches your ingress controller (for example runtime.example.com)." }}
{{- end }}
{{- if gt (len ($k.nodeSelector | default dict)) 1 }}
{{- fail (printf "sandbox.kubernetes.nodeSelector: OpenHands gives runtime pods one node label (node_selector_key and node_selector_val), and %d are set. Keep one." (len $k.nodeSelector)) }}
{{- end }}
{{- range $key, $value := $k.nodeSelector }}
{{- if not $value }}
{{- fail (printf "sandbox.kubernetes.nodeSelector: OpenHands ignores a node selector whose value is empty, and %s has none. Set the label value, or remove the entry." $key) }}
{{- end }}
{{- end }}
{{- range $i, $toleration := $k.tolerations }}
{{- range $field, $_ := $toleration }}
{{- if not (has $field (list "key" "operator" "value" "effect" "tolerationSeconds")) }}
{{- fail (printf "sandbox.kubernetes.tolerations[%d]: %s is not a toleration field; OpenHands builds runtime pods' tolerations from key, operator, value, effect and tolerationSeconds only, and fails on anything else." $i $field) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/*
dind.extraArgs must not open the daemon on TCP without TLS: the daemon is privileged, so its
API is root on the node for anything that reaches the pod's port, sandboxes included.
dockerd reads --host=X, --host X, -H X, -H=X and -HX, and a value without a scheme is TCP.
*/}}
{{- define "openhands.preflight.dindArgs" -}}
{{- $args := .Values.dind.extraArgs }}
{{- $hosts := list }}
{{- range $i, $arg := $args }}
{{- if has $arg (list "--host" "-H") }}
{{- if lt (add1 $i) (len $args) }}{{ $hosts = append $hosts (list (printf "%s %s" $arg (index $args (add1 $i))) (index $args (add1 $i))) }}{{ end }}
{{- else if regexMatch "^(--host[= ]|-H)." $arg }}
{{- $hosts = append $hosts (list $arg (regexReplaceAll "^(--host[= ]|-H[= ]?)\\s*" $arg "")) }}
{{- end }}
{{- end }}
{{- $flags := list }}
{{- range $args }}{{ $flags = append $flags (regexReplaceAll "=.*$" . "") }}{{ end }}
{{- $tls := and (or (has "--tlsverify" $args) (has "--tlsverify=true" $args)) (has "--tlscacert" $flags) (has "--tlscert" $flags) (has "--tlskey" $flags) }}
{{- range $hosts }}
{{- $given := index . 0 }}{{- $address := lower (index . 1) }}
{{- if and (or (hasPrefix "tcp://" $address) (not (contains "://" $address))) (not $tls) }}
{{- fail (printf "dind.extraArgs: %q opens the Docker daemon on TCP without TLS, which gives root on its machine to anyone who reaches the port (sandboxes included). Remove it (the app reaches the daemon on its Unix socket), or add --tlsverify with --tlscacert, --tlscert and --tlskey from mounted certificates." $given) }}
{{- end }}
{{- end }}
{{- end }}

{{/*
In sandbox mode dind the cleanup schedule is read inside the pod (files/docker-cleanup-loop.sh),
on UTC: the Docker CLI image has no time zone data.
*/}}
{{- define "openhands.preflight.dindCleanup" -}}
{{- $cleanup := .Values.dockerCleanup }}
{{- if $cleanup.enabled }}
{{- if not (has $cleanup.timeZone (list "" "UTC" "Etc/UTC")) }}
{{- fail (printf "dockerCleanup.timeZone: with sandbox.mode dind the cleanup runs inside the OpenHands pod and reads dockerCleanup.schedule in UTC, so %s cannot apply. Write the schedule in UTC (for example 03:30 in Asia/Tokyo is \"30 18 * * *\") and leave timeZone empty." $cleanup.timeZone) }}
{{- end }}
{{- $item := "([*?]|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(/[0-9]+)?" }}
{{- $field := printf "%s(,%s)*" $item $item }}
{{- if not (or (has $cleanup.schedule (list "@yearly" "@annually" "@monthly" "@weekly" "@daily" "@midnight" "@hourly")) (regexMatch (printf "^%s( %s){4}$" $field $field) $cleanup.schedule)) }}
{{- fail (printf "dockerCleanup.schedule: %q is not a cron schedule of five fields (minute hour day-of-month month day-of-week, for example \"0 3 * * *\") or @daily, @weekly, @monthly, @yearly or @hourly." $cleanup.schedule) }}
{{- end }}
{{- if not (hasPrefix "@" $cleanup.schedule) }}
{{- $limits := list (list "minute" 0 59 "") (list "hour" 0 23 "") (list "day of month" 1 31 "") (list "month" 1 12 "JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC") (list "day of week" 0 7 "SUN|MON|TUE|WED|THU|FRI|SAT") }}
{{- range $i, $field := splitList " " $cleanup.schedule }}
{{- $limit := index $limits $i }}
{{- range splitList "," $field }}
{{- $parts := splitList "/" . }}
{{- if and (gt (len $parts) 1) (lt (atoi (index $parts 1)) 1) }}
{{- fail (printf "dockerCleanup.schedule: the step in %q (%s) must be 1 or more." . (index $limit 0)) }}
{{- end }}
{{- range splitList "-" (index $parts 0) }}
{{- if regexMatch "^[0-9]+$" . }}
{{- if or (lt (atoi .) (index $limit 1)) (gt (atoi .) (index $limit 2)) }}
{{- fail (printf "dockerCleanup.schedule: %s is out of range for the %s (%d to %d)." . (index $limit 0) (index $limit 1) (index $limit 2)) }}
{{- end }}
{{- else if and (ne . "*") (ne . "?") (not (and (index $limit 3) (regexMatch (printf "^(?i)(%s)$" (index $limit 3)) .))) }}
{{- fail (printf "dockerCleanup.schedule: %q is not a value of the %s." . (index $limit 0)) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
