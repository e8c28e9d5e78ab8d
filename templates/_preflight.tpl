{{/*
Contradictory values are rejected here, before anything renders, with a message
that names the keys at fault and says what to set instead.
*/}}
{{- define "openhands.preflight" -}}
{{- $generation := include "openhands.generation" . }}
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
{{- if and (eq .Values.dind.startup "native") (semverCompare "<1.29.0-0" .Capabilities.KubeVersion.Version) }}
{{- fail (printf "dind.startup: native sidecars need Kubernetes 1.29 or later, and the target cluster is %s. Set dind.startup to auto or postStart." .Capabilities.KubeVersion.Version) }}
{{- end }}
{{- range $i, $env := .Values.openhands.extraEnv }}
{{- if and (hasKey $env "value") (hasKey $env "valueFrom") }}
{{- fail (printf "openhands.extraEnv[%d] (%s): set either value or valueFrom, not both." $i $env.name) }}
{{- end }}
{{- end }}
{{- end }}
