"""`invoke doctor`: diagnosis of an environment from live data (read-only), and the drills that practise it.

Each check reads what it needs (kubectl get, boto3 Describe/List/Get, Terraform's plans, logs and locks,
CloudWatch metrics), names each problem it finds with a stable code, the object, the evidence and the fix,
and changes nothing. The guides behind the codes: docs/runbooks/.
"""
