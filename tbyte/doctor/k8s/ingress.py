"""Ingresses the load balancer cannot serve (K8S030-K8S032): a backend Service (or port) that does not exist,
also behind the AWS Load Balancer Controller's `use-annotation` actions, a TLS secret that does not exist, an
IngressClass that does not exist. Each is a 404/502/503 at the ALB, or no ALB at all."""

from __future__ import annotations

import json

from tbyte.doctor.actions import Kubectl
from tbyte.doctor.findings import Finding
from tbyte.doctor.k8s.objects import labels, name, namespace, ref
from tbyte.doctor.k8s.snapshot import Snapshot

ACTIONS = "alb.ingress.kubernetes.io/actions."
CERTIFICATE = "alb.ingress.kubernetes.io/certificate-arn"
DEFAULT_CLASS = "ingressclass.kubernetes.io/is-default-class"


def analyze(snapshot: Snapshot) -> list[Finding]:
    found = []
    for ingress in snapshot.of("Ingress", snapshot.namespace):
        found += _class(snapshot, ingress)
        found += _backends(snapshot, ingress)
        found += _tls(snapshot, ingress)
    return found


def _patch(ingress: dict, operations: list[dict]) -> Kubectl:
    return Kubectl.of("-n", namespace(ingress), "patch", "ingress", name(ingress), "--type=json", "-p",
                      json.dumps(operations, separators=(",", ":")))


def _class(snapshot: Snapshot, ingress: dict) -> list[Finding]:
    classes = snapshot.of("IngressClass")
    wanted = ingress["spec"].get("ingressClassName") or (ingress["metadata"].get("annotations") or {}).get(
        "kubernetes.io/ingress.class")
    known = sorted(name(item) for item in classes)
    if wanted is None:
        if any((item["metadata"].get("annotations") or {}).get(DEFAULT_CLASS) == "true" for item in classes):
            return []
        problem, evidence = "the Ingress names no IngressClass and none is the default", "no default IngressClass"
    elif wanted in known:
        return []
    else:
        problem, evidence = f"IngressClass {wanted} does not exist", f"IngressClass {wanted} does not exist"
    actions = ()
    if len(known) == 1:
        actions = (_patch(ingress, [{"op": "add", "path": "/spec/ingressClassName", "value": known[0]}]),)
    return [Finding("K8S032", "critical", ref("ingress", ingress), problem,
                    (evidence, f"the classes are: {', '.join(known) or 'none'}"),
                    "no controller serves this Ingress, so no load balancer exists for it: name the class of the "
                    "controller that runs (the AWS Load Balancer Controller's is alb)", actions)]


def _service_ports(service: dict) -> set:
    return {port.get("name") for port in service["spec"].get("ports") or []} | \
        {port.get("port") for port in service["spec"].get("ports") or []}


def _backends(snapshot: Snapshot, ingress: dict) -> list[Finding]:
    found = []
    where = namespace(ingress)
    annotations = ingress["metadata"].get("annotations") or {}
    for rule_index, rule in enumerate(ingress["spec"].get("rules") or []):
        for path_index, path in enumerate((rule.get("http") or {}).get("paths") or []):
            backend = (path.get("backend") or {}).get("service") or {}
            wanted, port = backend.get("name"), (backend.get("port") or {})
            port_ref = port.get("name") or port.get("number")
            pointer = f"/spec/rules/{rule_index}/http/paths/{path_index}/backend/service/name"
            if port_ref == "use-annotation":
                found += _annotation_backends(snapshot, ingress, annotations.get(ACTIONS + wanted, ""), wanted, pointer)
                continue
            service = snapshot.find("Service", where, wanted)
            if service is not None and port_ref in _service_ports(service):
                continue
            found.append(_missing(snapshot, ingress, wanted, port_ref, service, pointer))
    return found


def _annotation_backends(snapshot: Snapshot, ingress: dict, text: str, action: str, pointer: str) -> list[Finding]:
    if not text:
        annotations = ingress["metadata"].get("annotations") or {}
        written = sorted(key.removeprefix(ACTIONS) for key in annotations if key.startswith(ACTIONS)
                         and snapshot.find("Service", namespace(ingress), key.removeprefix(ACTIONS)))
        actions = (_patch(ingress, [{"op": "replace", "path": pointer, "value": written[0]}]),) \
            if len(written) == 1 else ()
        return [Finding("K8S030", "critical", ref("ingress", ingress),
                        f"the backend {action} uses an annotation action that is not set",
                        (f"no annotation {ACTIONS}{action}",
                         f"actions written for: {', '.join(written) or 'none'}"),
                        "the AWS Load Balancer Controller reads a use-annotation backend from that annotation (Argo "
                        "Rollouts writes it for the Rollout's rootService): name that Service in the backend",
                        actions)]
    missing = []
    for group in ((json.loads(text).get("ForwardConfig") or {}).get("TargetGroups") or []):
        service = snapshot.find("Service", namespace(ingress), group.get("ServiceName", ""))
        if group.get("ServiceName") and service is None:
            missing.append(group["ServiceName"])
    if not missing:
        return []
    return [Finding("K8S030", "critical", ref("ingress", ingress),
                    f"the action {action} forwards to Service(s) that do not exist: {', '.join(missing)}",
                    (f"{ACTIONS}{action}: {text}",),
                    "the canary's stable/canary Services are missing: redeploy the release so the chart recreates "
                    "them")]


def _missing(snapshot: Snapshot, ingress: dict, wanted: str, port_ref, service: dict | None,
             pointer: str) -> Finding:
    where = namespace(ingress)
    if service is not None:
        return Finding("K8S030", "critical", ref("ingress", ingress),
                       f"backend Service {wanted} has no port {port_ref}",
                       (f"Service {wanted} has the ports {sorted(map(str, _service_ports(service)))}",),
                       "name a port the Service has (the chart's is http)")
    release = labels(ingress).get("app.kubernetes.io/instance")
    candidates = [item for item in snapshot.of("Service", where) if release and
                  labels(item).get("app.kubernetes.io/instance") == release and port_ref in _service_ports(item)
                  and not name(item).endswith(("-canary", "-stable"))]
    actions = (_patch(ingress, [{"op": "replace", "path": pointer, "value": name(candidates[0])}]),) \
        if len(candidates) == 1 else ()
    return Finding("K8S030", "critical", ref("ingress", ingress), f"backend Service {wanted} does not exist",
                   (f"no Service {where}/{wanted}",
                    f"Services of the release {release}: {', '.join(name(c) for c in candidates) or 'none'}"),
                   "point the backend at the release's Service (the ALB answers 503 for a missing backend)",
                   actions)


def _tls(snapshot: Snapshot, ingress: dict) -> list[Finding]:
    found = []
    where = namespace(ingress)
    annotations = ingress["metadata"].get("annotations") or {}
    for index, entry in enumerate(ingress["spec"].get("tls") or []):
        secret = entry.get("secretName")
        if not secret or secret in snapshot.secret_names(where):
            continue
        if annotations.get(CERTIFICATE):
            fix, actions = ("the ALB terminates TLS with the ACM certificate of the certificate-arn annotation and "
                            "never reads this secret: remove the tls entry",
                            (_patch(ingress, [{"op": "remove", "path": f"/spec/tls/{index}"}]),))
        else:
            fix, actions = "create the secret (cert-manager Certificate or an ExternalSecret) or fix its name", ()
        found.append(Finding("K8S031", "critical", ref("ingress", ingress), f"TLS secret {secret} does not exist",
                             (f"no Secret {where}/{secret}", f"hosts {', '.join(entry.get('hosts') or ['*'])}"),
                             fix, actions))
    return found
