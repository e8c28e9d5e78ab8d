{{/*
Checksums of the chart-rendered ConfigMaps and Secrets the server pod reads, as pod
annotations (YAML map): a change to one of them replaces the pod, which reads them only at
start. Each sum covers the object's data alone, not its labels, so a chart upgrade that
leaves the data alone leaves the pod alone too.
*/}}
{{- define "openhands.configChecksums" -}}
{{- $sums := dict }}
{{- range $name, $template := dict
  "checksum/oauth2-proxy" "oauth2-proxy-configmap.yaml"
  "checksum/gateway" "gateway-configmap.yaml"
  "checksum/scripts" "scripts-configmap.yaml"
  "checksum/config" "config-configmap.yaml"
  "checksum/llm" "llm-secret.yaml" }}
{{- $object := include (print $.Template.BasePath "/" $template) $ | fromYaml }}
{{- if $object }}
{{- $_ := set $sums $name (pick $object "data" "stringData" "binaryData" | toJson | sha256sum) }}
{{- end }}
{{- end }}
{{- toYaml $sums }}
{{- end }}
