{{/*
Every credential the chart reads, in one map: the Secret a user names (existingSecret and
the keys in it), the ExternalSecret that can fill one instead (external: its values under
externalSecrets.secrets, externalKeys: keys in its target, remoteKeys: where the store holds
them), and the chart's own Secret when a value is given in plain text by its explicit key.
Each credential has roles (apiKey, clientId, ...) that name its keys.
*/}}
{{- define "openhands.credentials" -}}
{{- $v := .Values }}
{{- $es := $v.externalSecrets.secrets }}
{{- $oauth2 := $v.auth.oauth2Proxy.secretKeys }}
{{- $aws := $v.llm.bedrock.secretKeys }}
{{- $credentials := dict
  "tunnelToken" (dict "suffix" "tunnel-token" "existingSecret" $v.tunnel.token.existingSecret "keys" (dict "token" $v.tunnel.token.key) "external" $es.tunnelToken "externalKeys" (dict "token" $es.tunnelToken.secretKey) "remoteKeys" (dict "token" $es.tunnelToken.remoteKey))
  "llmApiKey" (dict "suffix" "llm-api-key" "existingSecret" $v.llm.apiKey.existingSecret "keys" (dict "apiKey" $v.llm.apiKey.key) "external" $es.llmApiKey "externalKeys" (dict "apiKey" $es.llmApiKey.secretKey) "remoteKeys" (dict "apiKey" $es.llmApiKey.remoteKey) "plaintextValue" $v.llm.apiKey.insecurePlaintextValue "plaintext" (dict "name" (include "openhands.suffixedName" (list . "llm")) "keys" (dict "apiKey" "api-key")))
  "jwtSecret" (dict "suffix" "jwt-secret" "existingSecret" $v.openhands.jwtSecret.existingSecret "keys" (dict "secret" $v.openhands.jwtSecret.key) "external" $es.jwtSecret "externalKeys" (dict "secret" $es.jwtSecret.secretKey) "remoteKeys" (dict "secret" $es.jwtSecret.remoteKey))
  "oauth2Proxy" (dict "suffix" "oauth2-proxy" "existingSecret" $v.auth.oauth2Proxy.existingSecret "keys" $oauth2 "external" $es.oauth2Proxy "externalKeys" $oauth2 "remoteKeys" (dict "clientId" $es.oauth2Proxy.clientIdRemoteKey "clientSecret" $es.oauth2Proxy.clientSecretRemoteKey "cookieSecret" $es.oauth2Proxy.cookieSecretRemoteKey))
  "canvasSessionKey" (dict "suffix" "canvas-session-key" "existingSecret" $v.canvas.sessionKey.existingSecret "keys" (dict "key" $v.canvas.sessionKey.key) "external" $es.canvasSessionKey "externalKeys" (dict "key" $es.canvasSessionKey.secretKey) "remoteKeys" (dict "key" $es.canvasSessionKey.remoteKey))
  "canvasSecretKey" (dict "suffix" "canvas-secret-key" "existingSecret" $v.canvas.secretKey.existingSecret "keys" (dict "key" $v.canvas.secretKey.key) "external" $es.canvasSecretKey "externalKeys" (dict "key" $es.canvasSecretKey.secretKey) "remoteKeys" (dict "key" $es.canvasSecretKey.remoteKey))
  "canvasAutomationDatabaseUrl" (dict "suffix" "canvas-automation-database-url" "existingSecret" $v.canvas.automation.databaseUrl.existingSecret "keys" (dict "key" $v.canvas.automation.databaseUrl.key) "external" $es.canvasAutomationDatabaseUrl "externalKeys" (dict "key" $es.canvasAutomationDatabaseUrl.secretKey) "remoteKeys" (dict "key" $es.canvasAutomationDatabaseUrl.remoteKey))
  "canvasAutomationKvSecret" (dict "suffix" "canvas-automation-kv-secret" "existingSecret" $v.canvas.automation.kvSecret.existingSecret "keys" (dict "key" $v.canvas.automation.kvSecret.key) "external" $es.canvasAutomationKvSecret "externalKeys" (dict "key" $es.canvasAutomationKvSecret.secretKey) "remoteKeys" (dict "key" $es.canvasAutomationKvSecret.remoteKey))
  "awsCredentials" (dict "suffix" "aws-credentials" "existingSecret" $v.llm.bedrock.existingSecret "keys" $aws "external" $es.awsCredentials "externalKeys" $aws "remoteKeys" (dict "accessKeyId" $es.awsCredentials.accessKeyIdRemoteKey "secretAccessKey" $es.awsCredentials.secretAccessKeyRemoteKey))
}}
{{- toYaml $credentials }}
{{- end }}

{{/* The order ExternalSecrets render in. */}}
{{- define "openhands.credentialOrder" -}}
{{- list "tunnelToken" "llmApiKey" "jwtSecret" "oauth2Proxy" "awsCredentials" "canvasSessionKey" "canvasSecretKey" "canvasAutomationDatabaseUrl" "canvasAutomationKvSecret" | toJson }}
{{- end }}

{{/*
Where a credential comes from: (list $ "<credential>") gives a YAML dict {name, keys: {role:
key}, source}, or {} when it is not set. An existing Secret wins, then the ExternalSecret's
target when that is rendered, then the chart's own Secret for a plain-text value.
*/}}
{{- define "openhands.secretRef" -}}
{{- $root := index . 0 }}{{- $id := index . 1 }}
{{- $c := get (include "openhands.credentials" $root | fromYaml) $id }}
{{- $ref := dict }}
{{- if $c.existingSecret }}
{{- $ref = dict "name" $c.existingSecret "keys" $c.keys "source" "existingSecret" }}
{{- else if and $root.Values.externalSecrets.enabled $c.external.enabled }}
{{- $ref = dict "name" $c.external.targetName "keys" $c.externalKeys "source" "externalSecret" }}
{{- else if $c.plaintextValue }}
{{- $ref = dict "name" $c.plaintext.name "keys" $c.plaintext.keys "source" "plaintext" }}
{{- end }}
{{- toYaml $ref }}
{{- end }}

{{/* An env entry read from a credential's Secret: (list <name> <secretRef dict> <role>). */}}
{{- define "openhands.secretEnv" -}}
{{- $ref := index . 1 }}
{{- dict "name" (index . 0) "valueFrom" (dict "secretKeyRef" (dict "name" $ref.name "key" (get $ref.keys (index . 2)))) | toYaml }}
{{- end }}
