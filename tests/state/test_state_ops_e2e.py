"""State operations on an applied local vpc stack in the emulator: mv, rm/import, backup/restore, refusals, drift.

One vpc stack is applied once for the whole module (in a private copy of the repository, see conftest.py). Each
test leaves the stack converged (a plan shows no change) and needs nothing from another test, so the tests also
pass when pytest-xdist spreads them over workers (each worker then applies its own copy).
"""

import json
import re
from pathlib import Path

import pytest

from tests.state.conftest import BUCKET, LOCK_KEY

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("state-ops")]

VPC = ("--env", "local", "--stack", "vpc")


def undo_backup(result) -> str:
    """The backup named by the `to undo: invoke state.restore ... --backup B --yes` line."""
    match = re.search(r"^to undo: invoke state\.restore --env local --stack vpc --backup (\S+) --yes$",
                      result.stderr, re.M)
    assert match, result.stderr
    return match.group(1)


def assert_plan_clean(repo):
    replan = repo.invoke("plan", "--env", "local", "--stack", "vpc", "--detailed-exitcode", check=False)
    assert replan.returncode == 0, replan.stdout + replan.stderr


def test_mv_to_the_address_the_code_now_uses_plans_clean(applied):
    repo = applied
    route_id = repo.addresses()["aws_route.public_internet"]
    repo.edit("modules/vpc/main.tf", 'resource "aws_route" "public_internet"', 'resource "aws_route" "public_default"')
    before = repo.checksum()

    preview = repo.invoke("state.mv", *VPC, "--source", "aws_route.public_internet",
                          "--destination", "aws_route.public_default")
    assert 'Would move "aws_route.public_internet" to "aws_route.public_default"' in preview.stderr
    assert "nothing was changed" in preview.stderr and repo.checksum() == before

    moved = repo.invoke("state.mv", *VPC, "--source", "aws_route.public_internet",
                        "--destination", "aws_route.public_default", "--yes")
    assert "verified: a plan shows no change" in moved.stderr
    addresses = repo.addresses()
    assert addresses.get("aws_route.public_default") == route_id and "aws_route.public_internet" not in addresses
    backup = repo.backups / undo_backup(moved)
    assert json.loads(backup.read_text())["serial"] == repo.state()["serial"] - 1
    meta = json.loads(backup.with_name(backup.name + ".meta.json").read_text())
    assert meta["s3_version_id"] == before[1] and meta["operation"].startswith("mv ")
    assert_plan_clean(repo)


def test_rm_then_import_of_the_same_resource_plans_clean(applied):
    repo = applied
    gateway = repo.addresses()["aws_internet_gateway.this"]

    removed = repo.invoke("state.rm", *VPC, "--address", "aws_internet_gateway.this", "--yes")
    assert "aws_internet_gateway.this" not in repo.addresses()
    assert "the next apply would create it again" in removed.stderr
    # Terraform forgot it; the gateway itself is still there
    found = repo.emulator.client("ec2").describe_internet_gateways(InternetGatewayIds=[gateway])
    assert [g["InternetGatewayId"] for g in found["InternetGateways"]] == [gateway]

    imported = repo.invoke("state.import", *VPC, "--address", "aws_internet_gateway.this", "--id", gateway, "--yes")
    assert "verified: a plan shows no change for aws_internet_gateway.this" in imported.stderr
    assert repo.addresses()["aws_internet_gateway.this"] == gateway
    assert_plan_clean(repo)


def same_state(first: bytes | str, second: bytes | str, mask_serial: bool = False) -> bool:
    """Byte-identical up to the "check_results" key, and the same check results in any order.

    Terraform serialises the check results from a map, so their order changes on every write of the same state
    (`terraform state pull` rewrites them too); everything before them, that is the format version, Terraform
    version, serial, lineage, outputs and every resource, is compared byte for byte. With `mask_serial`, the
    "serial" line is left out: Terraform accepts a pushed state only above the current serial, so a restore
    must raise it.
    """
    texts = [text.decode() if isinstance(text, bytes) else text for text in (first, second)]
    checks = [sorted(json.dumps(check, sort_keys=True) for check in json.loads(text).get("check_results") or [])
              for text in texts]
    if mask_serial:
        texts = [re.sub(r'^  "serial": \d+,$', '  "serial": N,', text, count=1, flags=re.M) for text in texts]
    heads = [text.split('"check_results"')[0] for text in texts]
    assert '"resources"' in heads[0], "the resources come before the check results"
    return heads[0] == heads[1] and checks[0] == checks[1]


def test_backup_then_restore_gives_back_the_same_state(applied):
    """The S3 state object before a change and after the restore of the backup taken by that change."""
    repo = applied
    original, _ = repo.object("local/vpc/terraform.tfstate")
    changed = repo.invoke("state.rm", *VPC, "--address", "aws_vpc_endpoint.s3", "--yes")
    name = undo_backup(changed)
    assert same_state((repo.backups / name).read_text(), original), "the backup is the state before the change"
    assert "aws_vpc_endpoint.s3" not in repo.addresses()

    listed = repo.invoke("state.backups", *VPC)
    assert name in listed.stdout and "before: rm aws_vpc_endpoint.s3" in listed.stdout

    preview = repo.invoke("state.restore", *VPC, "--backup", name)
    assert "+ aws_vpc_endpoint.s3" in preview.stderr and "nothing was changed" in preview.stderr
    repo.invoke("state.restore", *VPC, "--backup", name, "--yes")
    restored, _ = repo.object("local/vpc/terraform.tfstate")
    assert same_state(restored, original, mask_serial=True)
    assert json.loads(restored)["serial"] > json.loads(original)["serial"]

    again = repo.invoke("state.restore", *VPC, "--backup", name, "--yes")
    assert "nothing to restore" in again.stderr
    assert_plan_clean(repo)


def test_restore_of_another_lineage_is_refused(applied):
    repo = applied
    document = repo.state()
    document["lineage"] = "00000000-1111-2222-3333-444444444444"
    repo.backups.mkdir(parents=True, exist_ok=True)
    foreign = repo.backups / "20000101T000000Z-serial1-00000000-1111-2222-3333-444444444444.tfstate"
    foreign.write_text(json.dumps(document, indent=2))
    before = repo.checksum()
    result = repo.invoke("state.restore", *VPC, "--backup", foreign.name, "--yes", check=False)
    assert result.returncode == 1 and "it belongs to another state; --force restores it anyway" in result.stderr
    assert repo.checksum() == before
    foreign.unlink()


def put_fake_lock(repo, lock_id: str) -> dict:
    info = {"ID": lock_id, "Operation": "OperationTypeApply", "Info": "", "Who": "ci@runner-7",
            "Version": "1.15.5", "Created": "2026-01-02T03:04:05.123456789Z", "Path": f"{BUCKET}/local/vpc"}
    repo.s3().put_object(Bucket=BUCKET, Key=LOCK_KEY, Body=json.dumps(info).encode())
    return info


BAD_INPUTS = [
    pytest.param(("state.mv", *VPC, "--source", "aws_vpc.nope", "--destination", "aws_vpc.other", "--yes"),
                 "--source aws_vpc.nope: no such resource in the state of local/vpc", id="mv-unknown-address"),
    pytest.param(("state.mv", *VPC, "--source", "aws_route_table.public", "--destination", "aws_vpc.this", "--yes"),
                 "--destination aws_vpc.this already exists", id="mv-destination-exists"),
    pytest.param(("state.rm", *VPC, "--address", "aws_subnet.nope", "--yes"),
                 "--address aws_subnet.nope: no such resource", id="rm-unknown-address"),
    pytest.param(("state.show", *VPC, "--address", "aws_subnet.nope"),
                 "--address aws_subnet.nope: no such resource", id="show-unknown-address"),
    pytest.param(("state.import", *VPC, "--address", "aws_vpc.this", "--id", "vpc-123", "--yes"),
                 "--address aws_vpc.this is already in the state", id="import-existing-address"),
    pytest.param(("state.import", *VPC, "--address", "aws_vpc.elsewhere", "--id", "vpc-123", "--yes"),
                 'resource address "aws_vpc.elsewhere" does not exist in the configuration', id="import-not-in-code"),
    pytest.param(("state.unlock", *VPC, "--lock-id", "6b7c0d3e-0000-0000-0000-000000000000"),
                 "the state of local/vpc is not locked; nothing was released", id="unlock-without-a-lock"),
    pytest.param(("state.rm", "--env", "local", "--stack", "redis", "--address", "aws_vpc.this", "--yes"),
                 "unknown stack 'redis' in local", id="unknown-stack"),
]


@pytest.mark.parametrize(("args", "reason"), BAD_INPUTS)
def test_bad_input_changes_nothing_and_says_why(applied, args, reason):
    repo = applied
    before = repo.checksum()
    result = repo.invoke(*args, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and reason in errors[0], result.stderr
    assert repo.checksum() == before


def test_bad_files_change_nothing_and_say_why(applied, tmp_path):
    repo = applied
    before = repo.checksum()
    notes = tmp_path / "notes.tfstate"
    notes.write_text('{"version": 4, "resources": []}')
    for task, option in (("state.restore", "--backup"), ("state.push", "--file")):
        result = repo.invoke(task, *VPC, option, str(notes), "--yes", check=False)
        assert result.returncode == 1 and f"{notes} is not a Terraform state (no lineage, no serial)" in result.stderr
    older = repo.state()
    older["serial"] -= 1
    stale = tmp_path / "older.tfstate"
    stale.write_text(json.dumps(older))
    result = repo.invoke("state.push", *VPC, "--file", str(stale), "--yes", check=False)
    assert result.returncode == 1 and "older than the current" in result.stderr
    assert repo.checksum() == before


def test_a_held_lock_is_shown_and_only_its_own_id_releases_it(applied):
    repo = applied
    before = repo.checksum()
    info = put_fake_lock(repo, "0f1e2d3c-aaaa-bbbb-cccc-000000000001")
    try:
        refused = repo.invoke("state.rm", *VPC, "--address", "aws_vpc_endpoint.s3", "--yes", check=False)
        assert refused.returncode == 1
        assert "held by ci@runner-7 since 2026-01-02T03:04:05" in refused.stderr
        assert f"invoke state.unlock --env local --stack vpc --lock-id {info['ID']}" in refused.stderr

        wrong = repo.invoke("state.unlock", *VPC, "--lock-id", "0f1e2d3c-aaaa-bbbb-cccc-000000000002", check=False)
        assert wrong.returncode == 1 and "is not the id of the lock" in wrong.stderr
        assert "held by ci@runner-7" in wrong.stderr and repo.lock() == info

        repo.invoke("state.unlock", *VPC, "--lock-id", info["ID"])
        assert repo.lock() is None
    finally:
        repo.s3().delete_object(Bucket=BUCKET, Key=LOCK_KEY)
    assert repo.checksum() == before


def test_drift_is_clean_then_reports_a_change_made_outside_terraform(applied):
    repo = applied
    saved_plans = Path(repo.env["INVOKE_TBYTE_PLANS_DIR"])
    for leftover in saved_plans.rglob("*.tfplan"):  # from the other tests' `invoke plan`
        leftover.unlink()
    clean = repo.invoke("drift", "--env", "local", check=False)
    assert clean.returncode == 0, clean.stdout + clean.stderr

    vpc_id = repo.addresses()["aws_vpc.this"]
    repo.emulator.client("ec2").create_tags(Resources=[vpc_id], Tags=[{"Key": "owner", "Value": "someone-else"}])
    drifted = repo.invoke("drift", "--env", "local", "--json", check=False)
    assert drifted.returncode == 2, drifted.stdout + drifted.stderr
    report = json.loads(drifted.stdout)
    assert report["drifted"] and report["stacks"]["vpc"]["status"] == "drifted"
    assert {"address": "aws_vpc.this", "planned": "update", "drift": "update"} in report["stacks"]["vpc"]["changes"]
    table = repo.invoke("drift", "--env", "local", check=False)
    assert table.returncode == 2 and "aws_vpc.this" in table.stdout and "drift in local: vpc" in table.stderr
    assert not list(saved_plans.rglob("*.tfplan")), "drift leaves no saved plan that could be applied"
