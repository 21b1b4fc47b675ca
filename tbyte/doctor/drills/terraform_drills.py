"""C2 drills: the Terraform side broken in the drills' working copy (tbyte/doctor/drills/workcopy.py), never in
the repository itself: its code, its saved plans and logs, its state bucket's locks."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

from tbyte.doctor.drills.bench import Bench
from tbyte.doctor.drills.registry import Drill

BUCKET = "tbyte-terraform-state-local"
VPC_HCL = "terragrunt/_envcommon/vpc.hcl"
VPC_MAIN = "modules/vpc/main.tf"
VPC_VERSIONS = "modules/vpc/versions.tf"
APPLY_LOG = ".plans/local/vpc.apply.log"  # the working copy's saved plans and logs (tbyte/doctor/drills/workcopy.py)
CYCLE = '''
# The network stack reads the cluster's name for its subnet tags.
dependency "eks" {
  config_path  = "../eks"
  skip_outputs = true
}
'''
# What AWS answers a role that may not create a VPC (aws-sdk-go v2, as the AWS provider 5+ prints it).
DENIED = """│ Error: creating EC2 VPC: operation error EC2: CreateVpc, https response error StatusCode: 403, \
RequestID: 5f4c2f9e-8d3a-4d0b-9a57-0c2b7f1d4e21, api error UnauthorizedOperation: You are not authorized to \
perform this operation. User: arn:aws:sts::123456789012:assumed-role/tbyte-local-github-deploy/\
terragrunt-local-vpc is not authorized to perform: ec2:CreateVpc on resource: \
arn:aws:ec2:eu-central-1:123456789012:vpc/* because no identity-based policy allows the ec2:CreateVpc action.
│
│   with aws_vpc.this,
│   on main.tf line 19, in resource "aws_vpc" "this":
"""
# The same refusal as EC2 wrote it before it named the action: only an encoded message (aws-sdk-go v1, provider 3).
ENCODED = """│ Error: error creating EC2 VPC: UnauthorizedOperation: You are not authorized to perform this operation. \
Encoded authorization failure message: rsUgGJb3NbE9iU0hlO4qmuvPHLqmc7Xd1QnAnfHbhL2uV-XKqJ0S-3Xp8tDw7rJ0vGbY0Ecw4uHQ\
nJmWb9mQ0dSWuEdRr3PH2Y8yq6TlBxQa9zvH0aXk1k2O4mVJt7fY6cD9gSxP
│ \tstatus code: 403, request id: 0c7d6f3a-2a4e-4b5f-8e1d-9f6a7b3c2d10
│
│   with aws_vpc.this,
"""


def _remember(bench: Bench, *files: str) -> None:
    for name in files:
        bench.stash.setdefault("files", {}).setdefault(name, (bench.root / name).read_text())
    bench.save()


def _files_back(bench: Bench) -> None:
    for name, text in (bench.stash.get("files") or {}).items():
        (bench.root / name).write_text(text)
    (bench.root / "modules" / "vpc" / "moved.tf").unlink(missing_ok=True)
    for leftover in (bench.root / ".plans" / "local").glob("*.tfplan"):
        leftover.unlink()


def _cycle(bench: Bench) -> None:
    _remember(bench, VPC_HCL)
    bench.edit(VPC_HCL, None, CYCLE)


def _rename(bench: Bench) -> None:
    _remember(bench, VPC_MAIN)
    text = (bench.root / VPC_MAIN).read_text()
    (bench.root / VPC_MAIN).write_text(text.replace('resource "aws_internet_gateway" "this"',
                                                    'resource "aws_internet_gateway" "main"')
                                       .replace("aws_internet_gateway.this", "aws_internet_gateway.main"))
    bench.invoke("plan", "--env", "local", "--stack", "vpc")


def _lock(bench: Bench, key: str, who: str, hours: float) -> None:
    created = (datetime.now(UTC) - timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    bench.client("s3").put_object(Bucket=BUCKET, Key=key, Body=json.dumps({
        "ID": str(uuid.uuid4()), "Operation": "OperationTypeApply", "Info": "", "Who": who, "Version": "1.15.5",
        "Created": created, "Path": f"{BUCKET}/{key.removesuffix('.tflock')}"}).encode())


def _unlock(bench: Bench, key: str) -> None:
    bench.client("s3").delete_object(Bucket=BUCKET, Key=key)


def _constraint(bench: Bench) -> None:
    _remember(bench, VPC_VERSIONS)
    bench.edit(VPC_VERSIONS, 'version = ">= 3.39.0, < 7.0.0"', 'version = ">= 4.0.0, < 7.0.0"')


def _log(bench: Bench, text: str) -> None:
    _remember(bench, APPLY_LOG)
    log = bench.root / APPLY_LOG
    log.write_text(f"$ terragrunt apply -input=false -json /tmp/vpc.tfplan\n\n{text}")


def _stack(name: str):
    return lambda finding: finding.object == f"stack local/{name}"


DRILLS = [
    Drill("tf-stack-cycle", "terraform", "TF001", "a dependency block from the vpc stack back to eks, which "
          "depends on vpc", _cycle, _files_back, lambda f: f.object.startswith("stacks ")),
    Drill("tf-access-denied", "terraform", "TF003", "an apply of the vpc stack refused: ec2:CreateVpc not allowed "
          "to the deploy role", lambda b: _log(b, DENIED), _files_back, _stack("vpc"), settle=240),
    Drill("tf-access-denied-encoded", "terraform", "TF003", "an apply of the vpc stack refused with only an "
          "encoded authorization message", lambda b: _log(b, ENCODED), _files_back, _stack("vpc"), settle=240),
    Drill("tf-renamed-resource", "terraform", "TF004", "the vpc module's internet gateway renamed (this -> main) "
          "without a moved block, and planned", _rename, _files_back, _stack("vpc"), settle=240),
    Drill("tf-stale-lock", "terraform", "TF005", "the vpc state locked three hours ago by a CI runner that died",
          lambda b: _lock(b, "local/vpc/terraform.tfstate.tflock", "runner@ci-runner-7", 3),
          lambda b: _unlock(b, "local/vpc/terraform.tfstate.tflock"), _stack("vpc"), settle=120),
    Drill("tf-orphaned-lock", "terraform", "TF006", "a lock left at local/network/ (a stack since renamed vpc)",
          lambda b: _lock(b, "local/network/terraform.tfstate.tflock", "dev@laptop-42", 30),
          lambda b: _unlock(b, "local/network/terraform.tfstate.tflock"),
          lambda f: f.object.endswith("local/network/terraform.tfstate.tflock")),
    Drill("tf-provider-constraint", "terraform", "TF007", "the vpc module's constraint raised to >= 4.0.0, which "
          "excludes the locked 3.39.0", _constraint, _files_back, lambda f: f.object == "module modules/vpc"),
]
