"""Every finding code the doctor knows, its title and the guide whose heading explains it.

A code's heading in its guide is "### <CODE> <title>", so its anchor is the GitHub slug of that text
(docs/runbooks/<guide>.md#<slug>); tests/doctor/test_runbooks.py keeps the guides and this list in step.
Codes are stable: a code is never reused for another problem.
"""

from __future__ import annotations

import re

GUIDES = {"K8S": "kubernetes", "AWS": "aws", "TF": "terraform", "LAT": "latency"}
RUNBOOKS = "docs/runbooks"

TITLES = {
    # A2: a broken cluster (tbyte/doctor/k8s/)
    "K8S001": "Container in CrashLoopBackOff",
    "K8S002": "Container OOMKilled",
    "K8S003": "Container exited with an error",
    "K8S004": "Image cannot be pulled",
    "K8S010": "Pending: untolerated taint",
    "K8S011": "Pending: no node matches the node selector or affinity",
    "K8S012": "Pending: insufficient resources",
    "K8S013": "Pending: unbound PersistentVolumeClaim",
    "K8S014": "Pending: not scheduled",
    "K8S020": "Service selector matches no pod",
    "K8S021": "Service has no ready endpoints",
    "K8S022": "Service targetPort is not a container port",
    "K8S030": "Ingress backend Service or port missing",
    "K8S031": "Ingress TLS secret missing",
    "K8S032": "IngressClass missing",
    "K8S040": "HPA cannot read its metrics",
    "K8S041": "HPA cannot find its target",
    "K8S042": "HPA at its maximum",
    "K8S050": "PodDisruptionBudget blocks every eviction",
    "K8S060": "Node not Ready",
    "K8S061": "Node under pressure",
    "K8S070": "Deployment not progressing",
    "K8S071": "Deployment lacks available replicas",
    "K8S080": "Rollout degraded",
    "K8S081": "Rollout paused",
    # B2: AWS (tbyte/doctor/aws/)
    "AWS001": "Private subnet has no route to the internet",
    "AWS002": "Blackhole route",
    "AWS003": "A more specific route takes internet traffic",
    "AWS004": "NAT gateway not available",
    "AWS005": "NAT gateway subnet has no route to an internet gateway",
    "AWS006": "Security group blocks egress",
    "AWS007": "Network ACL blocks egress",
    "AWS008": "Network ACL blocks the return traffic",
    "AWS010": "Bucket policy denies access",
    "AWS011": "VPC endpoint policy denies S3",
    "AWS012": "KMS key policy does not let the role use the bucket key",
    "AWS013": "Block Public Access overrides a public bucket policy",
    "AWS014": "Permissions boundary blocks S3 access",
    "AWS020": "Lambda in a public subnet",
    "AWS021": "Lambda security group allows no egress",
    "AWS022": "Lambda subnet has no path to AWS APIs",
    "AWS023": "Lambda role cannot manage its network interfaces",
    "AWS030": "Database not available",
    "AWS031": "Database security group does not admit the nodes",
    "AWS032": "Node security groups do not allow egress to the database",
    "AWS033": "Network ACL between the nodes and the database blocks it",
    "AWS040": "Log group missing",
    "AWS041": "Log group never expires",
    "AWS042": "KMS key does not let CloudWatch Logs use it",
    "AWS043": "Delivery role lacks logs permissions",
    "AWS044": "Flow log delivery failing",
    "AWS045": "EKS control plane logging off",
    # C2: Terraform (tbyte/doctor/terraform/)
    "TF001": "Dependency cycle between stacks",
    "TF002": "Dependency cycle between resources",
    "TF003": "Access denied",
    "TF004": "A refactor would destroy and recreate",
    "TF005": "Stale state lock",
    "TF006": "Orphaned state lock",
    "TF007": "Provider lock file mismatch",
    # D2: latency (tbyte/doctor/latency/)
    "LAT001": "Database load",
    "LAT002": "Cache misses and evictions",
    "LAT003": "CPU throttling",
    "LAT004": "Pod restarts",
    "LAT005": "Errors",
    "LAT006": "Time spent before the service",
    "LAT007": "The service itself is slow",
}


HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")


def slug(heading: str) -> str:
    """GitHub's anchor of a Markdown heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(markdown: str) -> set[str]:
    """The anchors GitHub gives a document's headings (outside code blocks); a repeated one gets -1, -2, ..."""
    found: set[str] = set()
    seen: dict[str, int] = {}
    in_code = False
    for line in markdown.splitlines():
        if FENCE.match(line):
            in_code = not in_code
            continue
        match = None if in_code else HEADING.match(line)
        if match:
            base = slug(match.group(1))
            count = seen.get(base, 0)
            seen[base] = count + 1
            found.add(base if count == 0 else f"{base}-{count}")
    return found


def guide(code: str) -> str:
    return GUIDES[re.match(r"[A-Z0-9]+?(?=\d{3}$)", code).group(0)]


def heading(code: str) -> str:
    return f"{code} {TITLES[code]}"


def runbook(code: str) -> str:
    return f"{RUNBOOKS}/{guide(code)}.md#{slug(heading(code))}"
