"""The chart with every release of every environment: lint, Kubernetes schemas, and what production needs."""

from __future__ import annotations

import re

import kubernetes_validate
import pytest
import yaml
from kubernetes_validate.utils import latest_version

from tbyte.helm import outputs as helm_outputs
from tbyte.helm import releases as helm_releases
from tbyte.helm import render as helm_render
from tbyte.helm import schema as helm_schema
from tests.helm.conftest import CRD_KINDS, ENVIRONMENTS, RELEASES, by_kind, environment, one, workload

CASES = [(env, release) for env in ENVIRONMENTS for release in RELEASES]


def test_the_schema_file_is_the_generated_one():
    assert helm_schema.SCHEMA_FILE.read_text() == helm_schema.text(), "run: python -m tbyte.helm.schema"


def test_every_environment_has_a_release_file_and_example_outputs():
    assert helm_releases.environments() == sorted(ENVIRONMENTS)
    for env in ENVIRONMENTS:
        assert helm_releases.release_names(env) == list(RELEASES)
        assert helm_outputs.outputs_from_file(helm_outputs.example_outputs_file(env)).example


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_helm_lint_strict(env, helm_bin):
    results = helm_render.lint(environment(env), helm_outputs.example_outputs(env))
    assert list(results) == list(RELEASES)
    for output in results.values():
        assert "0 chart(s) failed" in output


@pytest.mark.parametrize(("env", "release"), CASES)
def test_every_document_is_valid_kubernetes(env, release, rendered):
    """Strict schemas (unknown fields refused) of the cluster's version and of the newest kubernetes-validate knows."""
    documents = rendered(env, release)
    assert documents
    versions = {helm_releases.kube_version(environment(env)), latest_version()}
    validated = 0
    for document in documents:
        assert document["metadata"]["namespace"] == "tbyte", document["metadata"]["name"]
        if document["kind"] in CRD_KINDS:
            continue
        for version in versions:
            kubernetes_validate.validate(document, version, strict=True)
        validated += 1
    assert validated >= 5


@pytest.mark.parametrize(("env", "release"), CASES)
def test_pods_are_hardened(env, release, rendered):
    pod = workload(rendered(env, release))["spec"]["template"]["spec"]
    assert pod["automountServiceAccountToken"] is False
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] > 0 and pod["securityContext"]["runAsGroup"] > 0
    assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    assert pod["terminationGracePeriodSeconds"] > 0
    keys = {(c["topologyKey"]) for c in pod["topologySpreadConstraints"]}
    assert keys == {"topology.kubernetes.io/zone", "kubernetes.io/hostname"}
    assert {"name": "tmp", "emptyDir": {"sizeLimit": "256Mi"}} in pod["volumes"]
    for container in pod["containers"]:
        context = container["securityContext"]
        assert context["runAsNonRoot"] is True and context["runAsUser"] > 0 and context["runAsGroup"] > 0
        assert context["readOnlyRootFilesystem"] is True
        assert context["allowPrivilegeEscalation"] is False
        assert context["privileged"] is False
        assert context["capabilities"] == {"drop": ["ALL"]}
        assert context["seccompProfile"] == {"type": "RuntimeDefault"}
        assert {"name": "tmp", "mountPath": "/tmp"} in container["volumeMounts"]
        assert container["lifecycle"]["preStop"]["sleep"]["seconds"] > 0
        assert container["lifecycle"]["preStop"]["sleep"]["seconds"] < pod["terminationGracePeriodSeconds"]


@pytest.mark.parametrize(("env", "release"), CASES)
def test_containers_have_resources_probes_and_a_pinned_image(env, release, rendered):
    for container in workload(rendered(env, release))["spec"]["template"]["spec"]["containers"]:
        for kind in ("requests", "limits"):
            assert set(container["resources"][kind]) >= {"cpu", "memory"}
        for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
            assert container[probe], probe
        assert container["imagePullPolicy"] == "IfNotPresent"
        image = container["image"]
        assert not re.search(r":latest(@|$)", image), image
        assert re.search(r":[\w][\w.-]*(@sha256:[a-f0-9]{64})?$|@sha256:[a-f0-9]{64}$", image), image


@pytest.mark.parametrize(("env", "release"), CASES)
def test_a_disruption_budget_whenever_there_can_be_more_than_one_replica(env, release, rendered):
    documents = rendered(env, release)
    hpas = by_kind(documents, "HorizontalPodAutoscaler")
    most = hpas[0]["spec"]["maxReplicas"] if hpas else workload(documents)["spec"]["replicas"]
    budgets = by_kind(documents, "PodDisruptionBudget")
    assert len(budgets) == (1 if most > 1 else 0)
    if budgets and "minAvailable" in budgets[0]["spec"]:
        fewest = hpas[0]["spec"]["minReplicas"] if hpas else workload(documents)["spec"]["replicas"]
        assert budgets[0]["spec"]["minAvailable"] < fewest, "a budget that blocks every drain"


@pytest.mark.parametrize("release", RELEASES)
def test_prod_autoscales_from_at_least_two_replicas(release, rendered):
    hpa = one(rendered("prod", release), "HorizontalPodAutoscaler")
    assert hpa["apiVersion"] == "autoscaling/v2"
    assert hpa["spec"]["minReplicas"] >= 2
    assert one(rendered("prod", release), "PodDisruptionBudget")


@pytest.mark.parametrize(("env", "release"), CASES)
def test_network_policy_denies_by_default(env, release, rendered):
    documents = rendered(env, release)
    selector = {"app.kubernetes.io/name": release, "app.kubernetes.io/instance": release}
    deny = one(documents, "NetworkPolicy", f"{release}-default-deny")["spec"]
    assert deny == {"podSelector": {"matchLabels": selector}, "policyTypes": ["Ingress", "Egress"]}
    allow = one(documents, "NetworkPolicy", f"{release}-allow")["spec"]
    dns = allow["egress"][0]
    assert dns["to"][0]["podSelector"] == {"matchLabels": {"k8s-app": "kube-dns"}}
    assert dns["ports"] == [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}]
    for rule in allow["egress"]:
        for peer in rule["to"]:
            if "ipBlock" in peer and peer["ipBlock"]["cidr"] == "0.0.0.0/0":
                pytest.fail("egress to anywhere")


def test_network_policy_of_the_api(rendered):
    outputs = helm_outputs.example_outputs("prod")
    allow = one(rendered("prod", "api"), "NetworkPolicy", "api-allow")["spec"]
    callers = [peer["podSelector"]["matchLabels"]["app.kubernetes.io/name"]
               for rule in allow["ingress"] for peer in rule["from"] if "podSelector" in peer]
    assert callers == ["frontend", "worker"]
    database = {"to": [{"ipBlock": {"cidr": outputs["vpc"]["vpc_cidr"]}}],
                "ports": [{"port": outputs["rds"]["port"], "protocol": "TCP"}]}
    assert database in allow["egress"]
    frontend = one(rendered("prod", "frontend"), "NetworkPolicy", "frontend-allow")["spec"]
    assert {"to": [{"podSelector": {"matchLabels": {"app.kubernetes.io/name": "api"}}}],
            "ports": [{"port": 8080, "protocol": "TCP"}]} in frontend["egress"]
    controller = frontend["ingress"][0]["from"]
    assert controller[0] == {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}}}


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_only_the_frontend_is_public(env, rendered):
    ingress = one(rendered(env, "frontend"), "Ingress")
    annotations = ingress["metadata"]["annotations"]
    assert ingress["spec"]["ingressClassName"] == "alb"
    assert annotations["alb.ingress.kubernetes.io/scheme"] == "internet-facing"
    assert annotations["alb.ingress.kubernetes.io/listen-ports"] == '[{"HTTP": 80}, {"HTTPS": 443}]'
    assert annotations["alb.ingress.kubernetes.io/ssl-redirect"] == "443"
    outputs = helm_outputs.example_outputs(env)
    certificate = helm_releases.load_release_file(env)["settings"]["certificateArn"] if env == "local" else \
        outputs["edge"]["certificate_arn"]
    assert annotations["alb.ingress.kubernetes.io/certificate-arn"] == certificate
    # Behind the edge stack's WAF web ACL.
    assert annotations["alb.ingress.kubernetes.io/wafv2-acl-arn"] == outputs["edge"]["web_acl_arn"]
    assert not by_kind(rendered(env, "api"), "Ingress")
    assert one(rendered(env, "api"), "Service", "api")["spec"]["type"] == "ClusterIP"
    assert not by_kind(rendered(env, "worker"), "Ingress") and not by_kind(rendered(env, "worker"), "Service")


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_the_api_reads_the_database_secret_with_its_irsa_role(env, rendered):
    outputs = helm_outputs.example_outputs(env)
    documents = rendered(env, "api")
    account = one(documents, "ServiceAccount", "api")
    assert account["metadata"]["annotations"]["eks.amazonaws.com/role-arn"] == outputs["iam"]["app_role_arn"]
    assert account["automountServiceAccountToken"] is False
    external = one(documents, "ExternalSecret", "api")
    assert external["apiVersion"] == "external-secrets.io/v1"
    assert external["spec"]["dataFrom"] == [{"extract": {"key": outputs["rds"]["secret_name"]}}]
    assert external["spec"]["secretStoreRef"] == {"kind": "SecretStore", "name": "api"}
    store = one(documents, "SecretStore", "api")["spec"]["provider"]["aws"]
    assert store["service"] == "SecretsManager" and store["region"] == "eu-central-1"
    assert store["auth"] == {"jwt": {"serviceAccountRef": {"name": "api"}}}
    config = one(documents, "ConfigMap", "api")["data"]
    assert config["DATABASE_HOST"] == outputs["rds"]["address"]
    assert config["DATABASE_PORT"] == str(outputs["rds"]["port"])
    pod = workload(documents)["spec"]["template"]["spec"]
    assert {"name": "secrets", "secret": {"secretName": "api", "defaultMode": 0o440}} in pod["volumes"]
    for release in ("frontend", "worker"):
        annotations = one(rendered(env, release), "ServiceAccount")["metadata"].get("annotations") or {}
        assert "eks.amazonaws.com/role-arn" not in annotations


@pytest.mark.parametrize(("env", "canary"), [("local", True), ("dev", False), ("stage", True), ("prod", True)])
def test_canary_in_local_stage_and_prod(env, canary, rendered):
    for release in ("frontend", "api"):
        documents = rendered(env, release)
        assert workload(documents)["kind"] == ("Rollout" if canary else "Deployment")
        assert bool(by_kind(documents, "AnalysisTemplate")) == canary
    assert workload(rendered(env, "worker"))["kind"] == "Deployment"


@pytest.mark.parametrize("env", ["stage", "prod", "local"])
def test_the_canary_of_local_reads_the_control_planes_signals_and_the_others_prometheus(env, rendered):
    metrics = one(rendered(env, "api"), "AnalysisTemplate")["spec"]["metrics"]
    providers = [next(iter(metric["provider"])) for metric in metrics]
    if env == "local":
        assert providers == ["web", "web"]
        url = metrics[0]["provider"]["web"]["url"]
        assert url == ("http://127.0.0.1:6452/canary/{{args.namespace}}/{{args.service-name}}/{{args.version}}")
        assert [metric["successCondition"] for metric in metrics] == ["result >= 0.99", "result <= 0.5"]
    else:
        assert providers == ["prometheus", "prometheus"]
        assert "kube-prometheus-stack-prometheus" in metrics[0]["provider"]["prometheus"]["address"]
    args = one(rendered(env, "api"), "Rollout")["spec"]["strategy"]["canary"]["analysis"]["args"]
    image = workload(rendered(env, "api"))["spec"]["template"]["spec"]["containers"][0]["image"]
    assert {"name": "version", "value": image.split("@")[0].rsplit(":", 1)[-1]} in args


@pytest.mark.parametrize("env", ["stage", "prod"])
def test_canary_steps_analysis_and_rollback(env, rendered):
    documents = rendered(env, "frontend")
    rollout = one(documents, "Rollout")
    assert rollout["apiVersion"] == "argoproj.io/v1alpha1"
    canary = rollout["spec"]["strategy"]["canary"]
    weights = [step["setWeight"] for step in canary["steps"] if "setWeight" in step]
    assert weights == [10, 25, 50, 100]
    for index, step in enumerate(canary["steps"][:-1]):
        if "setWeight" in step:
            assert "pause" in canary["steps"][index + 1], "a pause after each weight below 100"
    assert canary["analysis"]["templates"] == [{"templateName": "frontend"}]
    assert canary["trafficRouting"]["alb"]["ingress"] == "frontend"
    template = one(documents, "AnalysisTemplate")
    assert [metric["name"] for metric in template["spec"]["metrics"]] == ["success-rate", "latency-p95"]
    assert all(metric["failureLimit"] >= 0 for metric in template["spec"]["metrics"])
    hpa = one(documents, "HorizontalPodAutoscaler")
    assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout", "name": "frontend"}
    backend = one(documents, "Ingress")["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend == {"name": "frontend", "port": {"name": "use-annotation"}}


def test_argo_placeholders_survive_helm(helm_bin):
    text = helm_render.render_all(environment("prod"), helm_outputs.example_outputs("prod"), "api")["api"]
    assert "{{args." in text
    assert '{{args.service-name}}' in text and '{{args.canary-hash}}' in text
    assert "{{ $value | humanizePercentage }}" in text  # Prometheus alert templating, also escaped


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_monitoring(env, rendered):
    for release in ("frontend", "api"):
        documents = rendered(env, release)
        monitor = one(documents, "ServiceMonitor")
        assert monitor["spec"]["endpoints"][0]["port"] == "http"
        groups = one(documents, "PrometheusRule")["spec"]["groups"]
        rules = [rule for group in groups for rule in group["rules"] if "alert" in rule]
        alerts = [rule["alert"] for rule in rules]
        assert {"ServiceHighErrorRate", "ServiceHighLatencyP95", "ServiceAvailabilityBudgetFastBurn",
                "ServiceLatencyBudgetSlowBurn"} <= set(alerts)
        assert "histogram_quantile(0.95" in next(r["expr"] for r in rules if r["alert"].endswith("P95"))
        recorded = {rule["record"] for group in groups for rule in group["rules"] if "record" in rule}
        assert {"service:http_requests_errors:ratio_rate3d", "service:http_requests_slow:ratio_rate5m"} <= recorded
    worker = rendered(env, "worker")
    assert one(worker, "PodMonitor") and not by_kind(worker, "ServiceMonitor")


def test_monitoring_objects_need_the_prometheus_operator(helm_bin):
    (release,) = helm_releases.releases(environment("prod"), helm_outputs.example_outputs("prod"), "worker")
    release.api_versions = ("external-secrets.io/v1",)
    text = helm_render.render(release, helm_bin)
    assert "kind: Deployment" in text
    assert "monitoring.coreos.com" not in text


def test_every_object_is_labelled(rendered):
    for document in rendered("prod", "api"):
        labels = document["metadata"]["labels"]
        assert labels["app.kubernetes.io/part-of"] == "tbyte"
        assert labels["tbyte.io/environment"] == "prod"
        assert labels["app.kubernetes.io/managed-by"] == "Helm"


def test_an_ingress_is_internet_facing_only_for_a_public_service(helm_bin):
    (release,) = helm_releases.releases(environment("prod"), helm_outputs.example_outputs("prod"), "frontend")
    release.values["ingress"]["public"] = False
    ingress = one([d for d in yaml.safe_load_all(helm_render.render(release, helm_bin)) if d], "Ingress")
    assert ingress["metadata"]["annotations"]["alb.ingress.kubernetes.io/scheme"] == "internal"


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_the_api_reaches_redis_over_tls_in_the_vpc(env, rendered):
    outputs = helm_outputs.example_outputs(env)
    documents = rendered(env, "api")
    config = one(documents, "ConfigMap", "api")["data"]
    cache = outputs["elasticache"]
    assert config["REDIS_HOST"] == cache["primary_endpoint_address"]
    assert config["REDIS_PORT"] == str(cache["port"]) and config["REDIS_TLS"] == "true"
    assert config["REDIS_SECRET_NAME"] == cache["secret_name"]
    allow = one(documents, "NetworkPolicy", "api-allow")["spec"]
    assert {"to": [{"ipBlock": {"cidr": outputs["vpc"]["vpc_cidr"]}}],
            "ports": [{"port": cache["port"], "protocol": "TCP"}]} in allow["egress"]


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_services_send_their_telemetry_to_the_collector_and_may_reach_it(env, rendered):
    documents = rendered(env, "api")
    (container,) = workload(documents)["spec"]["template"]["spec"]["containers"]
    variables = {variable["name"]: variable.get("value") for variable in container["env"]}
    assert variables["OTEL_EXPORTER_OTLP_ENDPOINT"] == "http://opentelemetry-collector.observability.svc:4317"
    assert variables["OTEL_SERVICE_NAME"] == "api"
    assert f"deployment.environment={env}" in variables["OTEL_RESOURCE_ATTRIBUTES"]
    egress = one(documents, "NetworkPolicy", "api-allow")["spec"]["egress"]
    collector = [rule for rule in egress if rule["to"][0].get("namespaceSelector", {}).get("matchLabels", {})
                 .get("kubernetes.io/metadata.name") == "observability"]
    assert collector and collector[0]["ports"] == [{"port": 4317, "protocol": "TCP"}]
