{{/* Labels of every object of the chart. */}}
{{- define "tenancy.labels" -}}
app.kubernetes.io/name: tenancy
app.kubernetes.io/part-of: tbyte-platform
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
tbyte.io/environment: {{ .Values.environment | quote }}
{{- end }}
