{{/* Name of the service: label app.kubernetes.io/name. */}}
{{- define "tbyte-service.name" -}}
{{- default .Release.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Name of every object of the release. */}}
{{- define "tbyte-service.fullname" -}}
{{- default .Release.Name .Values.fullnameOverride | trunc 52 | trimSuffix "-" -}}
{{- end -}}

{{- define "tbyte-service.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The version label: the image tag, else the chart's appVersion. */}}
{{- define "tbyte-service.version" -}}
{{- default .Chart.AppVersion .Values.image.tag | trunc 63 | trimSuffix "-" | trimSuffix "." | trimSuffix "_" -}}
{{- end -}}

{{- define "tbyte-service.selectorLabels" -}}
app.kubernetes.io/name: {{ include "tbyte-service.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Labels of the pods (no chart version: a chart upgrade alone does not restart them). */}}
{{- define "tbyte-service.podLabels" -}}
{{ include "tbyte-service.selectorLabels" . }}
app.kubernetes.io/version: {{ include "tbyte-service.version" . | quote }}
app.kubernetes.io/component: {{ .Values.component }}
app.kubernetes.io/part-of: tbyte
{{- with .Values.environment }}
tbyte.io/environment: {{ . }}
{{- end }}
{{- end -}}

{{- define "tbyte-service.labels" -}}
helm.sh/chart: {{ include "tbyte-service.chart" . }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{ include "tbyte-service.podLabels" . }}
{{- end -}}

{{- define "tbyte-service.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "tbyte-service.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* repository:tag, repository@digest or repository:tag@digest. */}}
{{- define "tbyte-service.image" -}}
{{- $image := .Values.image -}}
{{- $ref := $image.repository -}}
{{- if $image.tag }}{{ $ref = printf "%s:%s" $ref $image.tag }}{{ end -}}
{{- if $image.digest }}{{ $ref = printf "%s@%s" $ref $image.digest }}{{ end -}}
{{- $ref -}}
{{- end -}}

{{/* "true" when the cluster serves the API (args: ctx, api), or values.assumeAPIVersions lists it. */}}
{{- define "tbyte-service.hasAPI" -}}
{{- if or (.ctx.Capabilities.APIVersions.Has .api) (has .api .ctx.Values.assumeAPIVersions) -}}true{{- end -}}
{{- end -}}

{{/* Fails the render when a required API is missing (args: ctx, api, feature). */}}
{{- define "tbyte-service.requireAPI" -}}
{{- if not (include "tbyte-service.hasAPI" .) -}}
{{- fail (printf "%s needs the API %s, which this cluster does not serve: install its controller first (offline: list it in assumeAPIVersions or pass --api-versions)" .feature .api) -}}
{{- end -}}
{{- end -}}

{{/* Fewest and most replicas the service can run with. */}}
{{- define "tbyte-service.minReplicas" -}}
{{- if .Values.autoscaling.enabled }}{{ .Values.autoscaling.minReplicas }}{{ else }}{{ .Values.replicaCount }}{{ end -}}
{{- end -}}

{{- define "tbyte-service.maxReplicas" -}}
{{- if .Values.autoscaling.enabled }}{{ .Values.autoscaling.maxReplicas }}{{ else }}{{ .Values.replicaCount }}{{ end -}}
{{- end -}}

{{/* "true" when the service keeps a Secret (plain or from an ExternalSecret) mounted under secretMountPath. */}}
{{- define "tbyte-service.hasSecret" -}}
{{- if or .Values.externalSecret.enabled .Values.secret.stringData -}}true{{- end -}}
{{- end -}}

{{/* Rules that involve several values, which values.schema.json cannot express. */}}
{{- define "tbyte-service.validate" -}}
{{- $min := include "tbyte-service.minReplicas" . | int -}}
{{- $max := include "tbyte-service.maxReplicas" . | int -}}
{{- if and .Values.autoscaling.enabled (lt .Values.autoscaling.maxReplicas .Values.autoscaling.minReplicas) -}}
{{- fail (printf "autoscaling.maxReplicas (%d) is below autoscaling.minReplicas (%d)" (int .Values.autoscaling.maxReplicas) (int .Values.autoscaling.minReplicas)) -}}
{{- end -}}
{{- $pdb := .Values.podDisruptionBudget -}}
{{- $minAvailable := get $pdb "minAvailable" -}}
{{- if and $pdb.enabled (gt $max 1) (empty (get $pdb "maxUnavailable")) $minAvailable (not (kindIs "string" $minAvailable)) -}}
{{- if ge (int $minAvailable) $min -}}
{{- fail (printf "podDisruptionBudget.minAvailable (%d) must be below the fewest replicas (%d), or no node could ever be drained; lower it or use maxUnavailable" (int $minAvailable) $min) -}}
{{- end -}}
{{- end -}}
{{- if and .Values.externalSecret.enabled .Values.secret.stringData -}}
{{- fail "secret.stringData and externalSecret.enabled exclude each other: the ExternalSecret owns the Secret" -}}
{{- end -}}
{{- if and .Values.ingress.enabled (not .Values.service.enabled) -}}
{{- fail "ingress.enabled needs service.enabled: the ALB sends traffic to the Service's pods" -}}
{{- end -}}
{{- end -}}

{{/* The pod template shared by the Deployment and the Rollout. */}}
{{- define "tbyte-service.podTemplate" -}}
metadata:
  labels:
    {{- include "tbyte-service.podLabels" . | nindent 4 }}
    {{- with .Values.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  annotations:
    checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
    checksum/secret: {{ print (include (print .Template.BasePath "/secret.yaml") .) (include (print .Template.BasePath "/externalsecret.yaml") .) | sha256sum }}
    {{- with .Values.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  serviceAccountName: {{ include "tbyte-service.serviceAccountName" . }}
  automountServiceAccountToken: {{ .Values.serviceAccount.automountToken }}
  enableServiceLinks: false
  terminationGracePeriodSeconds: {{ .Values.termination.gracePeriodSeconds }}
  {{- with .Values.priorityClassName }}
  priorityClassName: {{ . }}
  {{- end }}
  {{- with .Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  securityContext:
    runAsNonRoot: true
    runAsUser: {{ .Values.securityContext.runAsUser }}
    runAsGroup: {{ .Values.securityContext.runAsGroup }}
    fsGroup: {{ .Values.securityContext.fsGroup }}
    fsGroupChangePolicy: OnRootMismatch
    seccompProfile:
      type: RuntimeDefault
  topologySpreadConstraints:
    - maxSkew: {{ .Values.topologySpread.maxSkew }}
      topologyKey: topology.kubernetes.io/zone
      whenUnsatisfiable: {{ .Values.topologySpread.zone }}
      labelSelector:
        matchLabels:
          {{- include "tbyte-service.selectorLabels" . | nindent 10 }}
    - maxSkew: {{ .Values.topologySpread.maxSkew }}
      topologyKey: kubernetes.io/hostname
      whenUnsatisfiable: {{ .Values.topologySpread.hostname }}
      labelSelector:
        matchLabels:
          {{- include "tbyte-service.selectorLabels" . | nindent 10 }}
  {{- with .Values.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  containers:
    - name: {{ include "tbyte-service.name" . }}
      image: {{ include "tbyte-service.image" . | quote }}
      imagePullPolicy: {{ .Values.image.pullPolicy }}
      {{- with .Values.command }}
      command:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.args }}
      args:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      ports:
        - name: http
          containerPort: {{ .Values.containerPort }}
          protocol: TCP
      envFrom:
        - configMapRef:
            name: {{ include "tbyte-service.fullname" . }}
      env:
        - name: POD_NAME
          valueFrom:
            fieldRef:
              fieldPath: metadata.name
        - name: POD_NAMESPACE
          valueFrom:
            fieldRef:
              fieldPath: metadata.namespace
        {{- if include "tbyte-service.hasSecret" . }}
        - name: SECRETS_DIR
          value: {{ .Values.secretMountPath | quote }}
        {{- end }}
        {{- with .Values.telemetry.otlp }}
        {{- if .enabled }}
        # OpenTelemetry SDKs read these: traces and metrics to the platform's collector over OTLP.
        - name: OTEL_EXPORTER_OTLP_ENDPOINT
          value: {{ printf "http://%s.%s.svc:%v" .service .namespace .port | quote }}
        - name: OTEL_SERVICE_NAME
          value: {{ include "tbyte-service.fullname" $ | quote }}
        - name: OTEL_RESOURCE_ATTRIBUTES
          value: {{ printf "deployment.environment=%s,service.namespace=%s" $.Values.environment $.Release.Namespace | quote }}
        {{- end }}
        {{- end }}
      startupProbe:
        {{- toYaml .Values.probes.startup | nindent 8 }}
      readinessProbe:
        {{- toYaml .Values.probes.readiness | nindent 8 }}
      livenessProbe:
        {{- toYaml .Values.probes.liveness | nindent 8 }}
      resources:
        {{- toYaml .Values.resources | nindent 8 }}
      securityContext:
        runAsNonRoot: true
        runAsUser: {{ .Values.securityContext.runAsUser }}
        runAsGroup: {{ .Values.securityContext.runAsGroup }}
        readOnlyRootFilesystem: true
        allowPrivilegeEscalation: false
        privileged: false
        capabilities:
          drop: ["ALL"]
        seccompProfile:
          type: RuntimeDefault
      lifecycle:
        preStop:
          sleep:
            seconds: {{ .Values.termination.preStopSleepSeconds }}
      volumeMounts:
        - name: tmp
          mountPath: /tmp
        {{- if include "tbyte-service.hasSecret" . }}
        - name: secrets
          mountPath: {{ .Values.secretMountPath }}
          readOnly: true
        {{- end }}
  volumes:
    - name: tmp
      emptyDir:
        sizeLimit: {{ .Values.tmpDir.sizeLimit }}
    {{- if include "tbyte-service.hasSecret" . }}
    - name: secrets
      secret:
        secretName: {{ include "tbyte-service.fullname" . }}
        defaultMode: 0440
    {{- end }}
{{- end -}}
