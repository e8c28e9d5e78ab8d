{{/*
The sandbox mode table: everything that differs between sandbox modes is decided here,
and every other template reads the profile instead of comparing sandbox.mode. Adding a
mode is one row below plus its own template, templates/_mode-<mode>.tpl, which defines
openhands.mode.<mode>.{preflight,env,appMounts,volumes,exposures} (see docs/sandboxes.md).

Columns:
  generations     the OpenHands generations the mode works with (v0 = 0.x, v1 = 1.x)
  docker          where the app finds a Docker daemon: pod (a sidecar), node (its socket),
                  remote (TCP with TLS), none
  appUser         root (to open a root-owned Docker socket) or image (the image's non-root user)
  workspace       claim (the workspace claim, mounted in the pod), nodePath (a directory on the
                  node), remotePath (a directory on the daemon's machine), none
  workspaceMount  where the claim mounts in the app (values = persistence.workspace.mountPath)
  podSecurity     the Pod Security level of the server pod (podSecuritySysbox with Sysbox)
  gateway         whether the sandbox gateway (1.x) can front its sandboxes' ports
                  (required: the mode's preflight refuses sandbox.gateway.enabled false)
  sandboxPorts    the ports sandboxes listen on, as the gateway forwards them: ephemeral
                  (Docker publishes them in the pod's pinned range 40000-49999), agentServer
                  (agent-server processes from processSandbox up, sandbox.process.ports of them)
  sandboxUrls     how the browser reaches sandbox ports without the gateway: published
                  (the daemon publishes them on publishedHost), node (on the node's address),
                  ingress (an Ingress per conversation), default (upstream's own default),
                  none (only through the gateway)
  urlVariable     the variable that carries the sandbox URL pattern: SANDBOX_CONTAINER_URL_PATTERN
                  (upstream's, for Docker sandboxes; OH_SANDBOX_CONTAINER_URL_PATTERN when the
                  profile's sandboxService is injector) or PROCESS_SANDBOX_URL_PATTERN (read by
                  the chart's files/process-sandbox-sitecustomize.py)
  stateVariable   where 1.x is told its state directory: OH_PERSISTENCE_DIR, or FILE_STORE_PATH
                  where agent servers inherit the app's environment (they would write their own
                  settings.json into OH_PERSISTENCE_DIR over the app's)
  loopbackDocker  whether host.docker.internal is the pod's loopback (upstream calls sandbox
                  ports there: the sidecar's daemon publishes them in the pod, the gateway's
                  loopback router forwards them, and in process mode upstream swaps localhost
                  for it whenever it runs in a container)
  sandboxImage    whether the mode runs sandboxes from sandbox.image
  agentInPod      whether the agent runs in the app's pod (and so has the pod's cloud identity)
  apiAccess       whether the app drives the Kubernetes API (token, Role, config file)
  cleanup         how dockerCleanup runs: sidecar (beside the daemon), cronJob (on the node), none
  hooks           the parts its template defines as openhands.mode.<mode>.<hook>: preflight
                  (refusals), env (the app's variables), appMounts and volumes (the pod's
                  wiring), exposures (ways in that bypass the chart's sign-in)
*/}}
{{- define "openhands.modeTable" -}}
dind:
  hooks: [preflight, env, appMounts, volumes]
  generations: [v0, v1]
  docker: pod
  appUser: root
  workspace: claim
  workspaceMount: values
  podSecurity: privileged
  podSecuritySysbox: baseline
  gateway: true
  sandboxPorts: ephemeral
  sandboxUrls: default
  urlVariable: SANDBOX_CONTAINER_URL_PATTERN
  stateVariable: OH_PERSISTENCE_DIR
  loopbackDocker: true
  sandboxImage: true
  agentInPod: false
  apiAccess: false
  cleanup: sidecar
hostDocker:
  hooks: [preflight, env, appMounts, volumes, exposures]
  generations: [v0, v1]
  docker: node
  appUser: root
  workspace: nodePath
  workspaceMount: values
  podSecurity: privileged
  gateway: false
  sandboxPorts: ephemeral
  sandboxUrls: node
  urlVariable: SANDBOX_CONTAINER_URL_PATTERN
  stateVariable: OH_PERSISTENCE_DIR
  loopbackDocker: false
  sandboxImage: true
  agentInPod: false
  apiAccess: false
  cleanup: cronJob
remoteDocker:
  hooks: [preflight, env, appMounts, volumes, exposures]
  generations: [v0, v1]
  docker: remote
  appUser: image
  workspace: remotePath
  workspaceMount: values
  podSecurity: restricted
  gateway: true
  sandboxPorts: ephemeral
  sandboxUrls: published
  urlVariable: SANDBOX_CONTAINER_URL_PATTERN
  stateVariable: OH_PERSISTENCE_DIR
  loopbackDocker: true
  sandboxImage: true
  agentInPod: false
  apiAccess: false
  cleanup: none
process:
  hooks: [preflight, env, appMounts, volumes]
  generations: [v1]
  docker: none
  appUser: image
  workspace: claim
  workspaceMount: /tmp/openhands-sandboxes
  podSecurity: restricted
  gateway: true
  sandboxPorts: agentServer
  sandboxUrls: none
  urlVariable: PROCESS_SANDBOX_URL_PATTERN
  stateVariable: FILE_STORE_PATH
  loopbackDocker: true
  sandboxImage: false
  agentInPod: true
  apiAccess: false
  cleanup: none
kubernetes:
  hooks: [preflight, env, appMounts, volumes, exposures]
  generations: [v0]
  docker: none
  appUser: image
  workspace: none
  workspaceMount: values
  podSecurity: restricted
  gateway: false
  sandboxPorts: ephemeral
  sandboxUrls: ingress
  urlVariable: SANDBOX_CONTAINER_URL_PATTERN
  stateVariable: OH_PERSISTENCE_DIR
  loopbackDocker: false
  sandboxImage: true
  agentInPod: false
  apiAccess: true
  cleanup: none
{{- end }}

{{/*
The app table: what differs between the chart's two apps (values.app). Every other template
reads the profile's app fields instead of comparing values.app.

Columns:
  container     the app container's name
  port          the named port (openhands.ports) the app serves on
  entryPort     the container port the Service targets when no sign-in proxy is in front:
                the GUI server's own, or Canvas' key-free entry (Canvas 1.20.0 writes its
                session key into every page of its own port)
  uid           the uid the app runs as without root (the GUI server's comes from
                openhands.securityContext.runAsUser when set)
  probePaths    the unauthenticated paths of its startup, liveness and readiness probes
  sandboxes     what decides how agents run: sandbox.mode (the mode table above) or
                canvas.runtime (openhands.canvasRuntimeTable)
  unauthenticatedRoutes  paths oauth2-proxy lets through because they carry their own
                authentication: Canvas' automation webhooks (HMAC per source). Only two
                plain segments, so no dot segment or unrouted path (Canvas answers those with
                its key-bearing page) is ever let through.
*/}}
{{- define "openhands.appTable" -}}
openhands:
  container: openhands
  port: app
  entryPort: http
  uid: 42420
  probePaths: {startup: /health, liveness: /health, readiness: /health}
  sandboxes: sandbox.mode
  unauthenticatedRoutes: []
canvas:
  container: canvas
  port: canvas
  entryPort: public
  uid: 10001
  probePaths: {startup: /ready, liveness: /alive, readiness: /ready}
  sandboxes: canvas.runtime
  unauthenticatedRoutes: ["^/api/automation/v1/events/[A-Za-z0-9_-]+/[A-Za-z0-9_-]+$"]
{{- end }}

{{/*
Canvas runtimes, with the mode table's columns (the rest of the chart reads them from the
profile as it reads a sandbox mode's). local: agents run in the Canvas container, so the
pod is the sandbox. docker: Canvas starts one agent-server container per conversation on
the DinD sidecar (templates/_canvas-docker.tpl), reached on the pod's loopback where the
daemon publishes it; Canvas itself stays non-root and opens the socket through its group.
Neither has a gateway or a GUI-server generation (both listed so the GUI server's image tag
never refuses a Canvas release).
*/}}
{{- define "openhands.canvasRuntimeTable" -}}
local:
  hooks: []
  generations: [v0, v1]
  docker: none
  appUser: image
  workspace: none
  workspaceMount: values
  podSecurity: restricted
  gateway: false
  sandboxPorts: none
  sandboxUrls: none
  urlVariable: ""
  stateVariable: OH_PERSISTENCE_DIR
  loopbackDocker: false
  sandboxImage: false
  agentInPod: true
  apiAccess: false
  cleanup: none
docker:
  hooks: [preflight, env, appMounts, volumes]
  generations: [v0, v1]
  docker: pod
  appUser: image
  workspace: none
  workspaceMount: values
  podSecurity: privileged
  podSecuritySysbox: baseline
  gateway: false
  sandboxPorts: none
  sandboxUrls: none
  urlVariable: ""
  stateVariable: OH_PERSISTENCE_DIR
  loopbackDocker: false
  sandboxImage: false
  agentInPod: false
  apiAccess: false
  cleanup: sidecar
{{- end }}

{{/*
Named ports: the one place each port number is written.
  app              the app's port (3000), or appBehindGateway when the gateway takes it
  gateway          the sandbox gateway on the pod address (the Service's entry with the gateway)
  gatewayLoopback  the gateway's loopback router port the app calls sandbox URLs on
  callback         the gateway's callback listener for a remote daemon's sandboxes (container port)
  sandboxHosts     the Service port for sandbox hosts (<port>.<hostDomain>) with host routing
  oauth2Proxy      the sign-in proxy
  canvas           Agent Canvas' Node server (UI and API, writes the session key into its pages)
  canvasPublic     Canvas' key-free entry (PUBLIC_MODE_PORT: the page asks for the key)
  processSandbox   the first agent-server port of sandbox mode process (8000, 8001, ...)
  portForward      the local port NOTES.txt suggests for kubectl port-forward
  dns              DNS, for the NetworkPolicy's egress
*/}}
{{- define "openhands.ports" -}}
app: 3000
appBehindGateway: 3001
gateway: 3000
gatewayLoopback: 80
callback: 3002
sandboxHosts: 8080
oauth2Proxy: 4180
canvas: 8000
canvasPublic: 8080
processSandbox: 8000
portForward: 3000
dns: 53
{{- end }}

{{/* One named port: (list $ "<name>"), as a number. */}}
{{- define "openhands.port" -}}
{{- $root := index . 0 }}{{- $name := index . 1 }}
{{- $ports := include "openhands.ports" $root | fromYaml }}
{{- if not (hasKey $ports $name) }}{{ fail (printf "openhands.port: no port named %s" $name) }}{{ end }}
{{- int (get $ports $name) }}
{{- end }}

{{/*
The profile of this release: the mode's row with the choices that depend on values
worked out (generation, Sysbox, whether the gateway is on, the URLs the app hands out).
YAML; read it with `include "openhands.profile" . | fromYaml`.
*/}}
{{- define "openhands.profile" -}}
{{- /* Worked out once per render: many templates read it, and it depends on values only. */}}
{{- if not (hasKey . "openhandsProfile") }}{{ $_ := set . "openhandsProfile" (include "openhands.computeProfile" .) }}{{ end }}
{{- get . "openhandsProfile" }}
{{- end }}

{{- define "openhands.computeProfile" -}}
{{- $v := .Values }}
{{- $apps := include "openhands.appTable" . | fromYaml }}
{{- if not (hasKey $apps $v.app) }}
{{- fail (printf "app: %q is not an app of this chart; use one of %s." $v.app (keys $apps | sortAlpha | join ", ")) }}
{{- end }}
{{- $app := get $apps $v.app }}
{{- $mode := $v.sandbox.mode }}
{{- $table := include "openhands.modeTable" . | fromYaml }}
{{- if eq $app.sandboxes "canvas.runtime" }}
{{- /* dind is the default, so only another mode shows that someone chose one for the GUI server. */}}
{{- if ne $mode "dind" }}
{{- fail (printf "sandbox.mode: %s applies to the OpenHands GUI server (app: openhands); Canvas runs its agents per canvas.runtime (%s), so the mode would do nothing. Remove sandbox.mode." $mode $v.canvas.runtime) }}
{{- end }}
{{- $mode = $v.canvas.runtime }}
{{- $table = include "openhands.canvasRuntimeTable" . | fromYaml }}
{{- end }}
{{- if not (hasKey $table $mode) }}
{{- fail (printf "%s: %q is not one of %s." $app.sandboxes $mode (keys $table | sortAlpha | join ", ")) }}
{{- end }}
{{- $p := deepCopy (get $table $mode) }}
{{- $_ := set $p "app" $v.app }}
{{- $_ := set $p "appContainer" $app.container }}
{{- $_ := set $p "appEntryPort" $app.entryPort }}
{{- $_ := set $p "appUid" (int $app.uid) }}
{{- $_ := set $p "probePaths" $app.probePaths }}
{{- $_ := set $p "unauthenticatedRoutes" $app.unauthenticatedRoutes }}
{{- $generation := include "openhands.generation" . }}
{{- $_ := set $p "mode" $mode }}
{{- /* The value that chose the row: sandbox.mode or canvas.runtime. */}}
{{- $_ := set $p "modeKey" $app.sandboxes }}
{{- $_ := set $p "generation" $generation }}
{{- $_ := set $p "sysbox" (and (eq $p.docker "pod") $v.dind.sysbox.enabled) }}
{{- if $p.sysbox }}{{ $_ := set $p "podSecurity" $p.podSecuritySysbox }}{{ end }}
{{- $_ := unset $p "podSecuritySysbox" }}
{{- /* The image's own user unless the app has to open a root-owned Docker socket. */}}
{{- $_ := set $p "appNonRoot" (eq $p.appUser "image") }}
{{- /* Sandboxes that are containers of a Docker daemon the app drives, reached in the pod at host.docker.internal. */}}
{{- $_ := set $p "dockerSandboxes" (has $p.docker (list "pod" "remote")) }}
{{- $gateway := and $p.gateway $v.sandbox.gateway.enabled (eq $generation "v1") }}
{{- $_ := set $p "gateway" $gateway }}
{{- $_ := set $p "gatewayHostRouting" (and $gateway (eq $v.sandbox.gateway.routing "host")) }}
{{- $_ := set $p "workspaceClaim" (and (eq $p.workspace "claim") $v.persistence.workspace.enabled) }}
{{- if eq $p.workspaceMount "values" }}{{ $_ := set $p "workspaceMount" $v.persistence.workspace.mountPath }}{{ end }}
{{- $ports := include "openhands.ports" . | fromYaml }}
{{- $_ := set $p "appPort" (int (ternary $ports.appBehindGateway (get $ports $app.port) $gateway)) }}
{{- /* Where the sign-in proxy sends requests: the gateway's loopback router (which passes the app's paths on) or the app. */}}
{{- $_ := set $p "proxyUpstreamPort" (int (ternary $ports.gateway $p.appPort $gateway)) }}
{{- /* Where sandbox ports are, as the app and the gateway reach them: the daemon's published ports, or agent-server processes in the pod. */}}
{{- $portHost := "" }}
{{- if or (eq $p.docker "pod") (eq $p.sandboxPorts "agentServer") }}{{ $portHost = "127.0.0.1" }}
{{- else if eq $p.docker "remote" }}
{{- $remote := $v.sandbox.remoteDocker }}
{{- $portHost = default (regexReplaceAll "^tcp://([^:/]+):[0-9]+$" $remote.host "${1}") $remote.publishedHost }}
{{- end }}
{{- $_ := set $p "sandboxPortHost" $portHost }}
{{- $_ := set $p "hostNetwork" (and (eq $p.docker "node") $v.sandbox.hostDocker.hostNetwork) }}
{{- /*
Whether 1.x sandboxes' webhooks reach the app. Upstream sends them (and, without OH_WEB_URL,
MCP and secret lookups) to http://host.docker.internal:<app port>, which Docker maps to the
daemon's own machine: the pod for the sidecar daemon; the node for the node's daemon, where
the app is with host networking, and otherwise the chart publishes the app's port on the
node's Docker bridge address only (sandboxCallback: bridgeHostPort); the daemon's machine for
a remote one, which never reaches the app. Process sandboxes get the app's address.
*/}}
{{- $remoteV1 := and (eq $generation "v1") (eq $p.docker "remote") }}
{{- /*
A remote daemon's sandboxes reach the app through the callback listener when
sandbox.remoteDocker.callback.address is set (sandboxCallback: listener): host.docker.internal
is mapped to that address in each sandbox, and their webhooks go to the listener's external
port (callback.hostPort), the node port or the load balancer's.
*/}}
{{- $callback := dict }}
{{- $remoteCallback := $v.sandbox.remoteDocker.callback }}
{{- if and $remoteV1 $remoteCallback.address }}
{{- $hostPort := ternary $remoteCallback.service.nodePort $remoteCallback.port (eq $remoteCallback.service.type "NodePort") }}
{{- $callback = dict "address" $remoteCallback.address "hostPort" (int $hostPort) }}
{{- end }}
{{- $_ := set $p "callback" $callback }}
{{- $_ := set $p "sandboxCallback" (ternary "bridgeHostPort" (ternary "listener" "" (not (empty $callback))) (and (eq $generation "v1") (eq $p.docker "node") (not $p.hostNetwork))) }}
{{- $_ := set $p "webhooksReachApp" (or (not $remoteV1) (not (empty $callback))) }}
{{- /*
How the app is told its Docker sandbox service: legacy (SANDBOX_* variables) or injector
(OH_SANDBOX_KIND and OH_SANDBOX_<FIELD>, the only way to set its extra_hosts; upstream then
ignores the SANDBOX_* ones). The port sandboxes send their webhooks to: the app's own, or the
callback listener's.
*/}}
{{- $_ := set $p "sandboxService" (ternary "injector" "legacy" (not (empty $callback))) }}
{{- if eq $p.sandboxService "injector" }}{{ $_ := set $p "urlVariable" (printf "OH_%s" $p.urlVariable) }}{{ end }}
{{- $_ := set $p "sandboxHostPort" (int (ternary (get $callback "hostPort" | default 0) $p.appPort (not (empty $callback)))) }}
{{- /* The workspace as the Docker daemon sees it (it resolves sandbox bind mounts on its own filesystem), or empty. */}}
{{- $daemonWorkspace := "" }}
{{- if and (eq $p.docker "pod") $p.workspaceClaim }}{{ $daemonWorkspace = $v.persistence.workspace.mountPath }}
{{- else if eq $p.workspace "nodePath" }}{{ $daemonWorkspace = $v.sandbox.hostDocker.workspaceHostPath }}
{{- else if eq $p.workspace "remotePath" }}{{ $daemonWorkspace = $v.sandbox.remoteDocker.workspaceHostPath }}
{{- end }}
{{- $_ := set $p "daemonWorkspacePath" $daemonWorkspace }}
{{- /* The agent-server ports the gateway forwards (sandboxPorts agentServer). */}}
{{- $agentPorts := list }}
{{- if eq $p.sandboxPorts "agentServer" }}
{{- range $i := until (int $v.sandbox.process.ports) }}{{ $agentPorts = append $agentPorts (add $ports.processSandbox $i) }}{{ end }}
{{- end }}
{{- $_ := set $p "agentServerPorts" $agentPorts }}
{{- /*
The URLs the app hands out. sandbox: SANDBOX_CONTAINER_URL_PATTERN (1.x), the URL of a
sandbox port for the browser and the app. runtime: SANDBOX_LOCAL_RUNTIME_URL (0.x), where
the app calls its runtime's published port. appForSandboxes: OH_WEB_URL, where sandboxes
call the app back (absent: not set). A remote daemon's sandboxes get an empty one: they
cannot reach the app's unauthenticated /mcp route, and upstream then configures no MCP server
(which would otherwise fail every agent's start), sends git tokens as static secrets and
leaves the <HOST> line out of the prompt.
*/}}
{{- $urls := dict "sandbox" "" "runtime" "" }}
{{- if $remoteV1 }}
{{- $_ := set $urls "appForSandboxes" "" }}
{{- end }}
{{- if $gateway }}
{{- $_ := set $urls "sandbox" (include "openhands.sandboxUrlPattern" .) }}
{{- /* Inside the pod, past any sign-in: containers through the loopback alias, processes on loopback itself. */}}
{{- if not $remoteV1 }}
{{- $_ := set $urls "appForSandboxes" (printf "http://%s:%d" (ternary "127.0.0.1" "host.docker.internal" (eq $p.sandboxPorts "agentServer")) (int $ports.appBehindGateway)) }}
{{- end }}
{{- else if eq $p.sandboxUrls "node" }}
{{- if eq $generation "v1" }}
{{- $_ := set $urls "sandbox" (printf "http://%s:{port}" $v.sandbox.hostDocker.nodeAddress) }}
{{- else }}
{{- /* The node's daemon publishes the runtime's port on the node. */}}
{{- $_ := set $urls "runtime" (ternary "http://127.0.0.1" "http://$(HOST_IP)" $v.sandbox.hostDocker.hostNetwork) }}
{{- end }}
{{- else if eq $p.sandboxUrls "published" }}
{{- if eq $generation "v1" }}
{{- $_ := set $urls "sandbox" (printf "http://%s:{port}" $portHost) }}
{{- else }}
{{- $_ := set $urls "runtime" (printf "http://%s" $portHost) }}
{{- end }}
{{- end }}
{{- $_ := set $p "urls" $urls }}
{{- toYaml $p }}
{{- end }}

{{/*
A part of the mode's own template (templates/_mode-<mode>.tpl), or nothing when its row does
not list the hook. Call with (list $ "<hook>").
*/}}
{{- define "openhands.modeHook" -}}
{{- $root := index . 0 }}{{- $hook := index . 1 }}
{{- $p := include "openhands.profile" $root | fromYaml }}
{{- if has $hook $p.hooks }}
{{- include (printf "openhands.mode.%s.%s" $p.mode $hook) $root }}
{{- end }}
{{- end }}
