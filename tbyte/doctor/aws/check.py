"""`invoke doctor aws`: the five B2 scenarios over the environment's resources, read once."""

from __future__ import annotations

from tbyte.core.environment import Environment
from tbyte.doctor.aws import database, egress, lambdas, logs, s3
from tbyte.doctor.aws.inventory import Inventory
from tbyte.doctor.context import require_reachable
from tbyte.doctor.findings import Report

SCENARIOS = (egress, s3, lambdas, database, logs)


def run(env: Environment) -> Report:
    require_reachable(env)
    inventory = Inventory(env)
    caller = env.client("sts").get_caller_identity()["Arn"]
    report = Report("aws", env.name, f"VPC {inventory.vpc['VpcId']} in {env.region}, read as {caller}")
    for scenario in SCENARIOS:
        report.add(scenario.analyze(inventory))
    return report
