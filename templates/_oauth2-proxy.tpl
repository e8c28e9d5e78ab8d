{{/*
The oauth2-proxy sidecar (auth.mode oauth2Proxy). The Service targets its port; it
passes signed-in requests, websockets included, to the app on the pod's loopback.
*/}}
{{/*
oauth2-proxy's request log line: its default fields, but the request URI without its query,
which it logs as "?[redacted]". Queries carry secrets: Canvas' editor URL carries the session key
(tkn=), the sign-in callback its code and state, and agent servers still accept session_api_key=
on websockets. Go's template language has no string search: the loop finds the first "?" (a
path has it percent-encoded). Needs an oauth2-proxy built with Go 1.22 or later (range over an
integer). auth.oauth2Proxy.extraArgs come later, so a --request-logging-format there wins.
*/}}
{{- define "openhands.oauth2ProxyRequestLogFormat" -}}
{{- $path := `{{$end := len .RequestURI}}{{range $i := len .RequestURI}}{{if eq (index $.RequestURI $i) '?'}}{{$end = $i}}{{break}}{{end}}{{end}}{{slice .RequestURI 0 $end}}{{if lt $end (len .RequestURI)}}?[redacted]"{{end}}` -}}
{{- printf `{{.Client}} - {{.RequestID}} - {{.Username}} [{{.Timestamp}}] {{.Host}} {{.RequestMethod}} {{.Upstream}} %s {{.Protocol}} {{.UserAgent}} {{.StatusCode}} {{.ResponseSize}} {{.RequestDuration}}` $path -}}
{{- end }}

{{- define "openhands.oauth2ProxyContainer" -}}
{{- $proxy := .Values.auth.oauth2Proxy -}}
{{- $secret := include "openhands.secretRef" (list . "oauth2Proxy") | fromYaml -}}
- name: oauth2-proxy
  image: {{ include "openhands.imageRef" (list $proxy.image "v7.15.6" $) | quote }}
  imagePullPolicy: {{ $proxy.image.pullPolicy | quote }}
  args:
    - {{ printf "--http-address=0.0.0.0:%s" (include "openhands.port" (list . "oauth2Proxy")) | quote }}
    {{- /* The app, or with the sandbox gateway its loopback router, which passes the app's paths on. */}}
    - {{ printf "--upstream=http://127.0.0.1:%d/" (int (include "openhands.profile" . | fromYaml).proxyUpstreamPort) | quote }}
    {{- /* Paths that carry their own authentication (the profile's app row). */}}
    {{- range (include "openhands.profile" . | fromYaml).unauthenticatedRoutes }}
    - {{ printf "--skip-auth-route=%s" . | quote }}
    {{- end }}
    - {{ printf "--provider=%s" $proxy.provider | quote }}
    {{- with $proxy.oidcIssuerUrl }}
    - {{ printf "--oidc-issuer-url=%s" . | quote }}
    {{- end }}
    {{- $domains := $proxy.emailDomains }}
    {{- if and (not $domains) (not $proxy.allowedEmails) }}{{ $domains = list "*" }}{{ end }}
    {{- range $domains }}
    - {{ printf "--email-domain=%s" . | quote }}
    {{- end }}
    {{- if $proxy.allowedEmails }}
    - "--authenticated-emails-file=/etc/oauth2-proxy/allowed-emails"
    {{- end }}
    {{- range $proxy.allowedGroups }}
    - {{ printf "--allowed-group=%s" . | quote }}
    {{- end }}
    {{- range $proxy.cookieDomains }}
    - {{ printf "--cookie-domain=%s" . | quote }}
    {{- end }}
    {{- range $proxy.whitelistDomains }}
    - {{ printf "--whitelist-domain=%s" . | quote }}
    {{- end }}
    {{- $redirect := $proxy.redirectUrl }}
    {{- if and (not $redirect) (include "openhands.publicHost" .) }}{{ $redirect = printf "https://%s/oauth2/callback" (include "openhands.publicHost" .) }}{{ end }}
    {{- with $redirect }}
    - {{ printf "--redirect-url=%s" . | quote }}
    {{- end }}
    - "--cookie-secure=true"
    - "--reverse-proxy=true"
    - "--skip-provider-button=true"
    - "--silence-ping-logging=true"
    - {{ printf "--request-logging-format=%s" (include "openhands.oauth2ProxyRequestLogFormat" .) | quote }}
    {{- range $proxy.extraArgs }}
    - {{ . | quote }}
    {{- end }}
  env:
    - name: OAUTH2_PROXY_CLIENT_ID
      valueFrom:
        secretKeyRef:
          name: {{ $secret.name | quote }}
          key: {{ $secret.keys.clientId | quote }}
    - name: OAUTH2_PROXY_CLIENT_SECRET
      valueFrom:
        secretKeyRef:
          name: {{ $secret.name | quote }}
          key: {{ $secret.keys.clientSecret | quote }}
    - name: OAUTH2_PROXY_COOKIE_SECRET
      valueFrom:
        secretKeyRef:
          name: {{ $secret.name | quote }}
          key: {{ $secret.keys.cookieSecret | quote }}
  ports:
    - name: oauth2-proxy
      containerPort: {{ include "openhands.port" (list . "oauth2Proxy") }}
      protocol: TCP
  readinessProbe:
    httpGet:
      path: /ready
      port: oauth2-proxy
    periodSeconds: 10
  livenessProbe:
    httpGet:
      path: /ping
      port: oauth2-proxy
    periodSeconds: 20
  {{- with $proxy.resources }}
  resources:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $proxy.securityContext }}
  securityContext:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- if $proxy.allowedEmails }}
  volumeMounts:
    - name: oauth2-proxy-emails
      mountPath: /etc/oauth2-proxy
      readOnly: true
  {{- end }}
{{- end }}
