{{/*
Labels and annotations of every object the chart renders: one helper each, so a key is
rendered once whoever sets it.

openhands.labels takes the root context, or
  (dict "root" $ "component" <component> "user" <this object's user labels> "userKey" <their values key>
        "own" <labels the template sets> "pod" <true for a pod template>).
A pod template carries only labels that stay the same across chart versions (no
helm.sh/chart, no app.kubernetes.io/version), so a chart upgrade that changes nothing in
the pod does not replace it.
User labels (commonLabels, then the object's own key such as podLabels or service.labels,
which wins) may not set a key the chart sets itself: the selector and the Helm ownership
labels must stay the chart's, and silently dropping a label would be worse than an error.
*/}}
{{- define "openhands.labels" -}}
{{- $args := . }}
{{- if hasKey . "Values" }}{{ $args = dict "root" . }}{{ end }}
{{- $root := $args.root }}
{{- $labels := dict
  "app.kubernetes.io/name" (include "openhands.name" $root)
  "app.kubernetes.io/instance" $root.Release.Name
  "app.kubernetes.io/managed-by" $root.Release.Service
  "app.kubernetes.io/part-of" "openhands" }}
{{- with $args.component }}{{ $_ := set $labels "app.kubernetes.io/component" . }}{{ end }}
{{- if not $args.pod }}
{{- $_ := set $labels "helm.sh/chart" (include "openhands.chart" $root) }}
{{- $_ := set $labels "app.kubernetes.io/version" (include "openhands.labelValue" (include "openhands.runningAppTag" $root)) }}
{{- end }}
{{- $labels = merge $labels ($args.own | default dict) }}
{{- $reserved := include "openhands.chartLabelKeys" $root | fromJsonArray }}
{{- range $source := list (list "commonLabels" $root.Values.commonLabels) (list $args.userKey $args.user) }}
{{- range $key, $value := index $source 1 | default dict }}
{{- if has $key $reserved }}
{{- fail (printf "%s: the label %s is set by the chart (it selects the chart's pods or marks the release's objects); choose another key." (index $source 0) $key) }}
{{- end }}
{{- end }}
{{- end }}
{{- $user := merge (deepCopy ($args.user | default dict)) ($root.Values.commonLabels | default dict) }}
{{- toYaml (merge $labels $user) }}
{{- end }}

{{/* The label keys the chart always sets (JSON list). */}}
{{- define "openhands.chartLabelKeys" -}}
{{- toJson (list "app.kubernetes.io/name" "app.kubernetes.io/instance" "app.kubernetes.io/component" "app.kubernetes.io/managed-by" "app.kubernetes.io/part-of" "app.kubernetes.io/version" "helm.sh/chart") }}
{{- end }}

{{/*
A valid label value from any text: characters a label value cannot hold become `_`, at
most 63 characters, starting and ending with a letter or digit.
*/}}
{{- define "openhands.labelValue" -}}
{{- $value := regexReplaceAll "[^-A-Za-z0-9_.]" (toString .) "_" | trunc 63 }}
{{- regexReplaceAll "^[^A-Za-z0-9]+|[^A-Za-z0-9]+$" $value "" }}
{{- end }}

{{/*
Annotations of an object's metadata: commonAnnotations, then the object's own annotation
values (which win), then the annotations the chart sets (which win over both: they keep
claims on uninstall or mark a hook). Call with (dict "root" $ "user" <map> "own" <map>);
renders nothing when there are none.
*/}}
{{- define "openhands.annotations" -}}
{{- $annotations := merge (deepCopy (.own | default dict)) (deepCopy (.user | default dict)) (.root.Values.commonAnnotations | default dict) }}
{{- with $annotations }}{{ toYaml . }}{{ end }}
{{- end }}
