{{/*
Agent Canvas (app: canvas): its container, environment, volumes and refusals. The profile's
app fields (templates/_profile.tpl) decide its port, uid and probes; exposure, sign-in and
the NetworkPolicy are the chart's own, as for the GUI server.
*/}}

{{/* Where Canvas keeps its state and projects: fixed by its entrypoint and its UI. */}}
{{- define "openhands.canvas.paths" -}}
state: /home/openhands/.openhands
home: /home/openhands
projects: /projects
workspace: /home/openhands/workspace
{{- end }}

{{/* True when the Service targets Canvas' key-free entry (no sign-in proxy in front of its own port). */}}
{{- define "openhands.canvas.publicEntry" -}}
{{- if eq (include "openhands.serviceTargetPort" .) "public" }}true{{ end }}
{{- end }}

{{/*
Canvas' environment (a YAML list of EnvVar entries). Both keys come from Secrets only. The
session key is set as OH_SESSION_API_KEYS_0 itself: with only LOCAL_BACKEND_API_KEY some
Canvas releases leave the agent server without a key.
*/}}
{{- define "openhands.canvas.env" -}}
{{- $c := .Values.canvas }}
{{- $paths := include "openhands.canvas.paths" . | fromYaml }}
{{- $env := dict }}
{{- /* The entrypoint derives every state path from HOME, and the UI offers /projects only when HOME is this. */}}
{{- $_ := set $env "HOME" $paths.home }}
{{- /*
The agent server merges a JSON file under its OH_* variables, by default
workspace/openhands_agent_server_config.json below the working directory, which agents can
write: point it at a path that can never exist.
*/}}
{{- $_ := set $env "OPENHANDS_AGENT_SERVER_CONFIG_PATH" "/dev/null/openhands_agent_server_config.json" }}
{{- /* LiteLLM's price list from the package, not from the internet at every start (the agent server and the automation service). */}}
{{- $_ := set $env "LITELLM_LOCAL_MODEL_COST_MAP" "True" }}
{{- if include "openhands.canvas.publicEntry" . }}
{{- /* A second Node server that never writes the key into its pages: the page asks for it. */}}
{{- $_ := set $env "PUBLIC_MODE_PORT" (include "openhands.port" (list . "canvasPublic")) }}
{{- end }}
{{- if not $c.telemetry.enabled }}
{{- /* The page's PostHog, the agent server's, the automation service's. */}}
{{- $_ := set $env "AGENT_CANVAS_DISABLE_TELEMETRY" "1" }}
{{- $_ := set $env "DO_NOT_TRACK" "1" }}
{{- $_ := set $env "VITE_DO_NOT_TRACK" "1" }}
{{- end }}
{{- /*
Bedrock (llm.bedrock): LiteLLM in the agent server takes the region and boto's environment
credentials for a `bedrock/` profile that names none (from the Secret, or the pod's IRSA role).
*/}}
{{- if and .Values.llm.bedrock.enabled .Values.llm.bedrock.region }}
{{- $_ := set $env "AWS_REGION_NAME" .Values.llm.bedrock.region }}
{{- end }}
{{- $entries := include "openhands.envList" $env | fromYamlArray }}
{{- if .Values.llm.bedrock.enabled }}
{{- $entries = concat $entries (include "openhands.llmSecretEnv" (list . list (list "AWS_ACCESS_KEY_ID") (list "AWS_SECRET_ACCESS_KEY")) | fromYamlArray) }}
{{- end }}
{{- $session := include "openhands.secretRef" (list . "canvasSessionKey") | fromYaml }}
{{- if $session.name }}{{ $entries = append $entries (include "openhands.secretEnv" (list "OH_SESSION_API_KEYS_0" $session "key") | fromYaml) }}{{ end }}
{{- $secret := include "openhands.secretRef" (list . "canvasSecretKey") | fromYaml }}
{{- if $secret.name }}{{ $entries = append $entries (include "openhands.secretEnv" (list "OH_SECRET_KEY" $secret "key") | fromYaml) }}{{ end }}
{{- /* The automation service's database (SQLite on the state claim without it) and its key-value store's key (the store is off without it). */}}
{{- range $id, $name := dict "canvasAutomationDatabaseUrl" "AUTOMATION_DB_URL" "canvasAutomationKvSecret" "AUTOMATION_KV_SECRET" }}
{{- $ref := include "openhands.secretRef" (list $ $id) | fromYaml }}
{{- if $ref.name }}{{ $entries = append $entries (include "openhands.secretEnv" (list $name $ref "key") | fromYaml) }}{{ end }}
{{- end }}
{{- /* The runtime's own variables (templates/_canvas-docker.tpl). */}}
{{- $entries = concat $entries (include "openhands.modeHook" (list . "env") | fromYamlArray) }}
{{- toYaml $entries }}
{{- end }}

{{/* True when the agent gets access to the Kubernetes API (canvas.clusterAccess, app canvas only). */}}
{{- define "openhands.canvas.clusterAccess" -}}
{{- if and (eq (include "openhands.profile" . | fromYaml).app "canvas") .Values.canvas.clusterAccess.enabled }}true{{ end }}
{{- end }}

{{/*
Where Kubernetes clients look for the in-cluster credentials (kubectl, client-go, the Python
client): the token, the cluster's CA and the namespace, as the kubelet's own mount has them.
*/}}
{{- define "openhands.canvas.tokenPath" -}}
/var/run/secrets/kubernetes.io/serviceaccount
{{- end }}

{{/*
The ServiceAccount token as a projected volume, mounted in the Canvas container only: the pod
keeps automountServiceAccountToken false, so no other container (oauth2-proxy, extra
containers) gets it. The kubelet renews the token before it expires.
*/}}
{{- define "openhands.canvas.clusterAccessVolume" -}}
- name: cluster-access-token
  projected:
    defaultMode: 292 # 0444: readable by the Canvas user, written by the kubelet only
    sources:
      - serviceAccountToken:
          path: token
          expirationSeconds: 3600
      - configMap:
          name: kube-root-ca.crt
          items:
            - key: ca.crt
              path: ca.crt
      - downwardAPI:
          items:
            - path: namespace
              fieldRef:
                apiVersion: v1
                fieldPath: metadata.namespace
{{- end }}

{{/* The Canvas container. */}}
{{- define "openhands.canvasContainer" -}}
{{- $c := .Values.canvas -}}
{{- $p := include "openhands.profile" . | fromYaml -}}
{{- $paths := include "openhands.canvas.paths" . | fromYaml -}}
- name: {{ $p.appContainer }}
  image: {{ include "openhands.imageRef" (list $c.image $c.image.tag $) | quote }}
  imagePullPolicy: {{ $c.image.pullPolicy | quote }}
  # The UI offers folders from here; a conversation started without one works in
  # $HOME/workspace/project/<id>, which the projects claim holds too (below).
  workingDir: {{ $paths.projects | quote }}
  ports:
    - name: http
      containerPort: {{ $p.appPort }}
      protocol: TCP
    {{- if include "openhands.canvas.publicEntry" . }}
    - name: public
      containerPort: {{ include "openhands.port" (list . "canvasPublic") }}
      protocol: TCP
    {{- end }}
  env:
    {{- include "openhands.canvas.env" . | nindent 4 }}
  {{- range $probe := list "startup" "liveness" "readiness" }}
  {{- $values := get $c.probes $probe }}
  {{- if $values.enabled }}
  {{ $probe }}Probe:
    {{- /* Readiness follows the port the Service sends browsers to: the entrypoint watches only port 8000's server. */}}
    {{- $port := ternary "public" "http" (and (eq $probe "readiness") (eq (include "openhands.canvas.publicEntry" $) "true")) }}
    {{- include "openhands.httpProbe" (list $values (get $p.probePaths $probe) $port) | nindent 4 }}
  {{- end }}
  {{- end }}
  {{- with $c.resources }}
  resources:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with include "openhands.appSecurityContext" . | fromYaml }}
  securityContext:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  volumeMounts:
    - name: canvas-state
      mountPath: {{ $paths.state | quote }}
    - name: canvas-projects
      mountPath: {{ $paths.projects | quote }}
    # Conversations started without a folder keep their files under $HOME/workspace: on the
    # projects claim (as /projects/workspace), not in the container's writable layer.
    - name: canvas-projects
      mountPath: {{ $paths.workspace | quote }}
      subPath: workspace
    {{- with include "openhands.modeHook" (list . "appMounts") }}
    {{- . | nindent 4 }}
    {{- end }}
    {{- if include "openhands.canvas.clusterAccess" . }}
    - name: cluster-access-token
      mountPath: {{ include "openhands.canvas.tokenPath" . | quote }}
      readOnly: true
    {{- end }}
{{- end }}

{{/* True when the chart adds an LLM profile to Canvas from llm.* (a model is set). */}}
{{- define "openhands.canvas.seedsLlmProfile" -}}
{{- if and (eq (include "openhands.profile" . | fromYaml).app "canvas") .Values.llm.model }}true{{ end }}
{{- end }}

{{/*
The sidecar that adds llm.* as an LLM profile through Canvas' own API on the pod's loopback
(files/canvas-llm-profile.mjs), with the Canvas image's Node. The API key reaches it from its
Secret and is stored by Canvas, encrypted with OH_SECRET_KEY; the session key comes from its
Secret, or from the file Canvas generates on the state claim (mounted read-only).
*/}}
{{- define "openhands.canvasLlmProfileContainer" -}}
{{- $c := .Values.canvas -}}
{{- $llm := .Values.llm -}}
{{- $paths := include "openhands.canvas.paths" . | fromYaml -}}
- name: canvas-llm-profile
  image: {{ include "openhands.imageRef" (list $c.image $c.image.tag $) | quote }}
  imagePullPolicy: {{ $c.image.pullPolicy | quote }}
  command: ["node", {{ printf "%s/canvas-llm-profile.mjs" (include "openhands.scriptsDir" .) | quote }}]
  env:
    - name: CANVAS_URL
      value: {{ printf "http://127.0.0.1:%v" (include "openhands.port" (list . "canvas")) | quote }}
    - name: PROFILE_NAME
      value: {{ $c.llmProfile.name | quote }}
    - name: LLM_MODEL
      value: {{ $llm.model | quote }}
    {{- with $llm.baseUrl }}
    - name: LLM_BASE_URL
      value: {{ . | quote }}
    {{- end }}
    {{- with include "openhands.llmSecretEnv" (list . (list "LLM_API_KEY") list list) | fromYamlArray }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
    {{- $session := include "openhands.secretRef" (list . "canvasSessionKey") | fromYaml }}
    {{- if $session.name }}
    {{- include "openhands.secretEnv" (list "SESSION_API_KEY" $session "key") | fromYaml | list | toYaml | nindent 4 }}
    {{- else }}
    - name: SESSION_API_KEY_FILE
      value: {{ printf "%s/agent-canvas/api-key.txt" $paths.state | quote }}
    {{- end }}
  {{- with include "openhands.appSecurityContext" . | fromYaml }}
  securityContext:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  resources:
    requests:
      cpu: 10m
      memory: 64Mi
    limits:
      memory: 128Mi
  volumeMounts:
    - name: chart-scripts
      mountPath: {{ include "openhands.scriptsDir" . | quote }}
      readOnly: true
    {{- if not $session.name }}
    - name: canvas-state
      mountPath: {{ $paths.state | quote }}
      readOnly: true
    {{- end }}
{{- end }}

{{/* Canvas' volumes in the pod: its own claims, never the GUI server's. */}}
{{- define "openhands.canvasVolumes" -}}
{{- range list (list "canvas-state" .Values.canvas.persistence) (list "canvas-projects" .Values.canvas.projects) }}
{{- $name := index . 0 }}{{- $persistence := index . 1 }}
- name: {{ $name }}
  {{- if $persistence.enabled }}
  persistentVolumeClaim:
    claimName: {{ include "openhands.claimName" (list $ $persistence $name) | quote }}
  {{- else }}
  emptyDir: {}
  {{- end }}
{{- end }}
{{- if include "openhands.canvas.clusterAccess" . }}
{{ include "openhands.canvas.clusterAccessVolume" . }}
{{- end }}
{{- end }}

{{/*
Refusals for app canvas: values of the GUI server that Canvas would silently ignore, and a
session or secret key that would be lost or unknowable.
*/}}
{{- define "openhands.preflight.canvas" -}}
{{- $v := .Values }}
{{- if and $v.canvas.clusterAccess.enabled (ne (include "openhands.profile" . | fromYaml).app "canvas") }}
{{- fail (printf "canvas.clusterAccess.enabled: app is %s, and cluster access for the agent applies to Agent Canvas (app: canvas) only. Remove it." $v.app) }}
{{- end }}
{{- if eq (include "openhands.profile" . | fromYaml).app "canvas" }}
{{- include "openhands.preflight.canvasClusterAccess" . }}
{{- $ignored := dict
  "openhands.env" $v.openhands.env
  "openhands.extraEnv" $v.openhands.extraEnv
  "openhands.extraEnvFrom" $v.openhands.extraEnvFrom
  "openhands.extraVolumes" $v.openhands.extraVolumes
  "openhands.extraVolumeMounts" $v.openhands.extraVolumeMounts
  "openhands.jwtSecret.existingSecret" $v.openhands.jwtSecret.existingSecret
  "externalSecrets.secrets.jwtSecret.enabled" $v.externalSecrets.secrets.jwtSecret.enabled
  "sandbox.env" $v.sandbox.env }}
{{- range $key := keys $ignored | sortAlpha }}
{{- if get $ignored $key }}
{{- fail (printf "%s: app is canvas, and this value belongs to the OpenHands GUI server (app: openhands), so Canvas would ignore it. Remove it (docs/canvas.md)." $key) }}
{{- end }}
{{- end }}
{{- /* The chart adds an LLM profile from llm.* only with a model; a key or URL alone would be ignored. */}}
{{- if and (not $v.llm.model) (or $v.llm.baseUrl (include "openhands.hasSecret" (list . "llmApiKey"))) }}
{{- fail "llm.model: with app canvas the chart adds an LLM profile from llm.* only together with a model (for example openai/gpt-4o or anthropic/claude-sonnet-4-5), so llm.baseUrl and llm.apiKey alone would be ignored. Set llm.model, or leave them empty and add the profile in Canvas' Settings > LLM." }}
{{- end }}
{{- if not (or $v.canvas.image.tag $v.canvas.image.digest) }}
{{- fail "canvas.image.tag: empty, and canvas.image.digest too, so there is no Canvas image to run. Set a tag (the chart is checked against 1.20.0) or a digest." }}
{{- end }}
{{- if and (include "openhands.canvas.publicEntry" .) (not (include "openhands.hasSecret" (list . "canvasSessionKey"))) }}
{{- fail (printf "canvas.sessionKey.existingSecret: with auth.mode %s the Service sends browsers to Canvas' key-free entry, where users paste the session key, so it must come from a Secret you can read (or externalSecrets.secrets.canvasSessionKey). Canvas 1.20.0 writes the key into every page of its own port, which only auth.mode oauth2Proxy guards." $v.auth.mode) }}
{{- end }}
{{- if and (not $v.canvas.persistence.enabled) (not (include "openhands.hasSecret" (list . "canvasSecretKey"))) }}
{{- fail "canvas.secretKey.existingSecret: canvas.persistence.enabled is false, so the key Canvas generates to encrypt stored secrets would be lost with every pod and what it stored would become unreadable. Name a Secret holding the key (or externalSecrets.secrets.canvasSecretKey), or turn persistence on." }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Refusals for canvas.clusterAccess: the token reaches agents only where they run in the Canvas
container, and the Role must never land on the namespace's default account.
*/}}
{{- define "openhands.preflight.canvasClusterAccess" -}}
{{- $v := .Values }}
{{- $access := $v.canvas.clusterAccess }}
{{- if $access.enabled }}
{{- if ne $v.canvas.runtime "local" }}
{{- fail (printf "canvas.clusterAccess.enabled: canvas.runtime is %s, where agents run in containers of their own, outside the Canvas container, and never get its token: the access would serve Canvas itself only. Use canvas.runtime: local, or turn cluster access off." $v.canvas.runtime) }}
{{- end }}
{{- if and (not $v.serviceAccount.create) (not $v.serviceAccount.name) }}
{{- fail (printf "serviceAccount.name: canvas.clusterAccess binds its Role to the chart's ServiceAccount, and with serviceAccount.create false and no name that is default, the account every pod of %s without one of its own runs as. Set serviceAccount.create: true, or name a dedicated account in serviceAccount.name." .Release.Namespace) }}
{{- end }}
{{- if and (not $v.serviceAccount.create) (eq $v.serviceAccount.name "default") }}
{{- fail (printf "serviceAccount.name: canvas.clusterAccess binds its Role to the chart's ServiceAccount, and default is the account every pod of %s without one of its own runs as. Set serviceAccount.create: true, or name a dedicated account." .Release.Namespace) }}
{{- end }}
{{- if and $v.networkPolicy.enabled $v.networkPolicy.egress.restrict (not $access.apiServer.cidrs) }}
{{- fail "canvas.clusterAccess.apiServer.cidrs: networkPolicy.egress.restrict blocks the agent's connections to the Kubernetes API unless the chart knows the API server's addresses. List them (kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes), or leave egress unrestricted." }}
{{- end }}
{{- end }}
{{- end }}
