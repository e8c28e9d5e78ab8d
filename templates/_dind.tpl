{{/*
The Docker-in-Docker daemon container. Call with (list $ <native sidecar?>). As a
native sidecar it is an init container that keeps running, and the app starts only
after its startup probe (`docker info`) passes. Without native sidecars it is the
first regular container and its postStart hook holds the app back until the daemon
answers. It listens on a Unix socket in a volume only this pod's containers mount:
no TCP port, so nothing else on the pod network (sandboxes included) reaches the API.
*/}}
{{- define "openhands.dindContainer" -}}
{{- $root := index . 0 }}{{- $native := index . 1 }}
{{- $dind := $root.Values.dind -}}
- name: dind
  image: {{ include "openhands.imageRef" (list $dind.image "29.7.2-dind") | quote }}
  imagePullPolicy: {{ $dind.image.pullPolicy | quote }}
  {{- if $native }}
  restartPolicy: Always
  {{- end }}
  args:
    - dockerd
    - {{ printf "--host=%s" (include "openhands.dockerHost" $root) | quote }}
    {{- range $dind.extraArgs }}
    - {{ . | quote }}
    {{- end }}
  env:
    - name: DOCKER_TLS_CERTDIR
      value: ""
    - name: DOCKER_HOST
      value: {{ include "openhands.dockerHost" $root | quote }}
    {{- range $name, $value := $dind.env }}
    - name: {{ $name | quote }}
      value: {{ $value | quote }}
    {{- end }}
  {{- $timeout := int $dind.startupTimeoutSeconds }}
  {{- $pull := "" }}
  {{- if $root.Values.sandbox.prePull }}
  {{- /* Detached, so neither the hook nor the app waits for a multi-GB pull. */}}
  {{- $pull = printf "setsid sh -c 'until docker info >/dev/null 2>&1; do sleep 1; done; docker pull %s' >/proc/1/fd/1 2>&1 </dev/null &" (include "openhands.sandboxImageRef" $root) }}
  {{- end }}
  {{- if $native }}
  startupProbe:
    exec:
      command: ["docker", "info"]
    periodSeconds: 2
    timeoutSeconds: 10
    failureThreshold: {{ div $timeout 2 }}
  {{- if $pull }}
  lifecycle:
    postStart:
      exec:
        command: ["sh", "-c", {{ $pull | quote }}]
  {{- end }}
  {{- else }}
  lifecycle:
    postStart:
      exec:
        command:
          - sh
          - -c
          - {{ printf `%sfor i in $(seq %d); do docker info >/dev/null 2>&1 && exit 0; sleep 1; done; echo "dockerd did not answer within %ds" >&2; exit 1` (ternary (printf "%s " $pull) "" (ne $pull "")) $timeout $timeout | quote }}
  {{- end }}
  {{- with $dind.resources }}
  resources:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- $security := deepCopy ($dind.securityContext | default dict) }}
  {{- if $dind.sysbox.enabled }}
  {{- $_ := unset $security "privileged" }}
  {{- else }}
  {{- $_ := set $security "privileged" true }}
  {{- end }}
  {{- with $security }}
  securityContext:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  volumeMounts:
    - name: docker-socket
      mountPath: {{ include "openhands.dockerSocketDir" $root | quote }}
    - name: docker-data
      mountPath: /var/lib/docker
    {{- if $root.Values.persistence.workspace.enabled }}
    - name: workspace
      mountPath: {{ $root.Values.persistence.workspace.mountPath | quote }}
    {{- end }}
{{- end }}

{{/*
Docker cleanup inside the OpenHands pod (sandbox mode dind): the daemon listens only on the
pod's Unix socket, so a container beside it runs dockerCleanup.schedule itself instead of a
CronJob exec'ing in (which would need pods/exec on every pod of the namespace). Each minute
awk matches the UTC time against the cron schedule (fields, lists, ranges, steps, month and
day names, @daily and friends; both day fields restricted means either may match). A bad
schedule or a failed cleanup is logged and never stops the container: it is part of the
app's pod, whose readiness it must not take down.
*/}}
{{- define "openhands.dockerCleanupLoop" -}}
trap 'exit 0' TERM INT
while :; do
  case "$(date -u '+%M %H %d %m %w' | awk '
function num(x) { x = toupper(x); if (x ~ /^[0-9]+$/) return x + 0; if (x in names) return names[x]; bad = 1; return -1 }
function matches(spec, value, lo, hi,   parts, n, i, item, step, r, a, b) {
  n = split(spec, parts, ",")
  for (i = 1; i <= n; i++) {
    item = parts[i]; step = 1
    if (index(item, "/")) { split(item, r, "/"); item = r[1]; step = r[2] + 0; if (r[2] !~ /^[0-9]+$/ || step < 1) { bad = 1; return 0 } }
    if (item == "*" || item == "?") { a = lo; b = hi }
    else if (index(item, "-")) { split(item, r, "-"); a = num(r[1]); b = num(r[2]) }
    else { a = num(item); b = index(parts[i], "/") ? hi : a }
    if (a < lo || b > hi || a > b) { bad = 1; return 0 }
    if (value >= a && value <= b && (value - a) % step == 0) return 1
  }
  return 0
}
BEGIN {
  split("JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC", m, " "); for (i = 1; i <= 12; i++) names[m[i]] = i
  split("SUN MON TUE WED THU FRI SAT", d, " "); for (i = 1; i <= 7; i++) names[d[i]] = i - 1
  macro["@yearly"] = "0 0 1 1 *"; macro["@annually"] = "0 0 1 1 *"; macro["@monthly"] = "0 0 1 * *"
  macro["@weekly"] = "0 0 * * 0"; macro["@daily"] = "0 0 * * *"; macro["@midnight"] = "0 0 * * *"; macro["@hourly"] = "0 * * * *"
}
{
  schedule = ENVIRON["CLEANUP_SCHEDULE"]
  if (schedule in macro) schedule = macro[schedule]
  if (split(schedule, f, " ") != 5) { print "bad"; exit }
  minute = matches(f[1], $1 + 0, 0, 59); hour = matches(f[2], $2 + 0, 0, 23)
  dom = matches(f[3], $3 + 0, 1, 31); month = matches(f[4], $4 + 0, 1, 12)
  dow = matches(f[5], $5 + 0, 0, 7) || ($5 + 0 == 0 && matches(f[5], 7, 0, 7))
  if (bad) { print "bad"; exit }
  # As in cron: with both day fields restricted, either one may match.
  day = (f[3] ~ /^[*?]/ || f[5] ~ /^[*?]/) ? dom && dow : dom || dow
  print (minute && hour && month && day) ? "yes" : "no"
}
')" in
    yes) echo "docker cleanup: starting"; ( {{ include "openhands.dockerCleanupScript" . | nindent 6 }}
      ) && echo "docker cleanup: done" || echo "docker cleanup: failed" >&2 ;;
    bad) echo "docker cleanup: cannot read dockerCleanup.schedule $CLEANUP_SCHEDULE" >&2 ;;
  esac
  second=$(date -u +%S)
  sleep $((60 - ${second#0})) & wait $!
done
{{- end }}

{{/* The cleanup container of sandbox mode dind, beside the daemon. */}}
{{- define "openhands.dockerCleanupContainer" -}}
{{- $cleanup := .Values.dockerCleanup -}}
- name: docker-cleanup
  image: {{ include "openhands.imageRef" (list $cleanup.dockerImage "29.7.2-cli") | quote }}
  imagePullPolicy: {{ $cleanup.dockerImage.pullPolicy }}
  command: ["sh", "-c", {{ include "openhands.dockerCleanupLoop" . | quote }}]
  env:
    - name: DOCKER_HOST
      value: {{ include "openhands.dockerHost" . | quote }}
    - name: CLEANUP_SCHEDULE
      value: {{ $cleanup.schedule | quote }}
  {{- with $cleanup.resources }}
  resources:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  securityContext:
    # Root only to open the daemon's socket (root-owned, like the app's access to it).
    runAsUser: 0
    allowPrivilegeEscalation: false
    capabilities:
      drop: ["ALL"]
  volumeMounts:
    - name: docker-socket
      mountPath: {{ include "openhands.dockerSocketDir" . }}
{{- end }}
