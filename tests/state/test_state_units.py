"""The pieces of the state tasks that need no backend: parsing, matching, comparing, drift parsing, refusals."""

import json
import stat

import pytest

from tbyte.core.environment import Environment
from tbyte.core.errors import Refused
from tbyte.core.settings import Settings
from tbyte.infra import drift
from tbyte.infra.graph import graph
from tbyte.state.backups import backups, take_backup
from tbyte.state.statefile import StateFile, instance_address, matches
from tests.conftest import run_invoke

STACK = graph(Environment.resolve("local")).get("vpc")


def state_text(serial=3, lineage="11111111-2222-3333-4444-555555555555", **extra) -> str:
    document = {
        "version": 4, "terraform_version": "1.15.5", "serial": serial, "lineage": lineage,
        "outputs": {"vpc_id": {"value": "vpc-1", "type": "string"}},
        "resources": [
            {"mode": "managed", "type": "aws_vpc", "name": "this", "provider": "p",
             "instances": [{"attributes": {"id": "vpc-1"}}]},
            {"mode": "managed", "type": "aws_subnet", "name": "public", "provider": "p",
             "instances": [{"index_key": 0, "attributes": {"id": "subnet-0"}},
                           {"index_key": 1, "attributes": {"id": "subnet-1"}}]},
            {"module": "module.db", "mode": "data", "type": "aws_region", "name": "current", "provider": "p",
             "instances": [{"attributes": {"id": "eu-central-1"}}]},
            {"mode": "managed", "type": "aws_iam_role", "name": "irsa", "provider": "p",
             "instances": [{"index_key": "alb", "attributes": {"id": "alb"}}]},
        ],
        "check_results": [{"object_kind": "var", "config_addr": "var.a", "status": "pass",
                           "objects": [{"object_addr": "var.a", "status": "pass"}]},
                          {"object_kind": "var", "config_addr": "var.b", "status": "pass",
                           "objects": [{"object_addr": "var.b", "status": "pass"}]}],
        **extra,
    }
    return json.dumps(document, indent=2) + "\n"


def test_instance_addresses_are_those_terraform_state_list_prints():
    state = StateFile.parse(state_text(), "test")
    assert sorted(state.instances()) == sorted([
        "aws_vpc.this", "aws_subnet.public[0]", "aws_subnet.public[1]", "module.db.data.aws_region.current",
        'aws_iam_role.irsa["alb"]',
    ])
    assert instance_address({"type": "t", "name": "n", "mode": "managed"}, {"index_key": "k"}) == 't.n["k"]'


@pytest.mark.parametrize(("address", "candidate", "expected"), [
    ("aws_subnet.public", "aws_subnet.public[0]", True),
    ("aws_subnet.public[0]", "aws_subnet.public[0]", True),
    ("aws_subnet.public", "aws_subnet.public_extra[0]", False),
    ("module.db", "module.db.data.aws_region.current", True),
    ("module.d", "module.db.data.aws_region.current", False),
    ("aws_subnet.public[1]", "aws_subnet.public[0]", False),
])
def test_an_address_covers_its_instances_only(address, candidate, expected):
    assert matches(address, candidate) is expected


@pytest.mark.parametrize(("text", "reason"), [
    ("not json", "not JSON"),
    ("[1, 2]", "not a JSON object"),
    ('{"version": 3, "serial": 1, "lineage": "x", "resources": []}', "state format version 3"),
    ('{"version": 4, "serial": 1, "resources": []}', "no lineage"),
    ('{"version": 4, "serial": "1", "lineage": "x", "resources": []}', "no serial"),
    ('{"version": 4, "serial": 1, "lineage": "x"}', "no resources list"),
])
def test_anything_but_a_state_is_refused(text, reason):
    with pytest.raises(Refused, match=reason):
        StateFile.parse(text, "f.json")


def test_a_new_serial_changes_only_the_serial_line():
    state = StateFile.parse(state_text(serial=3), "test")
    bumped = state.with_serial(9)
    assert json.loads(bumped)["serial"] == 9
    assert bumped.replace('"serial": 9,', '"serial": 3,') == state.text


def test_comparison_ignores_serial_version_and_the_order_of_check_results():
    original = StateFile.parse(state_text(serial=3), "a")
    document = json.loads(state_text(serial=7))
    document["terraform_version"] = "1.16.0"
    document["check_results"].reverse()
    rewritten = StateFile.parse(json.dumps(document), "b")
    assert original.comparable() == rewritten.comparable()
    document["resources"][0]["instances"][0]["attributes"]["id"] = "vpc-2"
    assert original.comparable() != StateFile.parse(json.dumps(document), "c").comparable()


def plan_line(kind, address, action):
    return json.dumps({"type": kind, "change": {"resource": {"addr": address}, "action": action}})


def test_drift_marks_what_changed_outside_terraform_and_what_only_the_code_changes():
    stdout = "\n".join([
        plan_line("resource_drift", "aws_vpc.this", "update"),
        plan_line("resource_drift", "aws_route_table.public", "update"),  # drift no plan acts on
        plan_line("resource_drift", "aws_subnet.public[0]", "delete"),
        plan_line("planned_change", "aws_vpc.this", "update"),
        plan_line("planned_change", "aws_subnet.public[0]", "create"),
        plan_line("planned_change", "aws_flow_log.this", "create"),
        json.dumps({"type": "outputs", "outputs": {"vpc_id": {"action": "noop"}, "azs": {"action": "update"}}}),
    ])
    result = drift.parse(STACK, stdout, refresh_only=False)
    causes = {change.address: change.cause for change in result.changes}
    assert causes == {"aws_vpc.this": "changed outside Terraform (update)",
                      "aws_subnet.public[0]": "deleted outside Terraform",
                      "aws_flow_log.this": "in the code, never applied"}
    assert result.unmanaged_drift == ["aws_route_table.public"]
    assert result.outputs == ["azs"]
    only_refresh = drift.parse(STACK, stdout, refresh_only=True)
    assert [change.address for change in only_refresh.changes] == [
        "aws_route_table.public", "aws_subnet.public[0]", "aws_vpc.this"]


def test_drift_exit_codes():
    clean, drifted = drift.StackDrift("vpc"), drift.StackDrift("eks", status=drift.DRIFTED)
    failed = drift.StackDrift("rds", status=drift.ERROR, error="boom")
    assert drift.exit_code([clean, drift.StackDrift("iam", status=drift.NOT_DEPLOYED)]) == 0
    assert drift.exit_code([clean, drifted]) == 2
    assert drift.exit_code([drifted, failed]) == 1


# Refusals that happen before the backend is touched (no emulator needed).

def invoke(tmp_path, *args):
    return run_invoke(*args, env={"INVOKE_TBYTE_BACKUPS_DIR": str(tmp_path / "backups"),
                                  "INVOKE_TBYTE_PLANS_DIR": str(tmp_path)})


def assert_refused(result, *phrases):
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    for phrase in phrases:
        assert phrase in errors[0], result.stderr


def test_refusals_before_anything_runs(tmp_path):
    not_a_state = tmp_path / "notes.json"
    not_a_state.write_text('{"hello": "world"}')
    existing = tmp_path / "exists.json"
    existing.write_text("{}")
    cases = [
        (("state.list", "--env", "local", "--stack", "redis"), ("unknown stack 'redis'", "vpc")),
        (("state.list", "--env", "qa", "--stack", "vpc"), ("unknown environment 'qa'",)),
        (("state.restore", "--env", "local", "--stack", "vpc", "--backup", str(not_a_state), "--yes"),
         ("is not a Terraform state", "nothing was changed")),
        (("state.push", "--env", "local", "--stack", "vpc", "--file", str(not_a_state), "--yes"),
         ("is not a Terraform state", "nothing was changed")),
        (("state.restore", "--env", "local", "--stack", "vpc", "--backup", "20990101T000000Z-nope", "--yes"),
         ("no backup '20990101T000000Z-nope'", "state.backups")),
        (("state.mv", "--env", "local", "--stack", "vpc", "--source", "aws_vpc.this", "--destination",
          "aws_vpc.this", "--yes"), ("are both aws_vpc.this",)),
        (("state.pull", "--env", "local", "--stack", "vpc", "--output", str(existing)), ("already exists",)),
    ]
    for args, phrases in cases:
        assert_refused(invoke(tmp_path, *args), *phrases)
    assert not (tmp_path / "backups").exists()


def test_backups_of_a_stack_without_any(tmp_path):
    result = invoke(tmp_path, "state.backups", "--env", "local", "--stack", "vpc")
    assert result.returncode == 0 and "no backups of local/vpc" in result.stdout


def test_backups_are_private_and_only_the_newest_are_kept(tmp_path):
    settings = Settings.from_config({"backups_dir": str(tmp_path / "backups"), "backup_keep": "2"})
    stack = graph(Environment.resolve("local", settings)).get("vpc")
    taken = [take_backup(stack, StateFile.parse(state_text(serial=serial), "test"), f"v{serial}", "rm x")
             for serial in (1, 2, 3)]
    kept = backups(stack)
    assert [backup.path for backup in kept] == [backup.path for backup in taken[1:]], "the oldest one is deleted"
    assert not taken[0].path.exists() and not (taken[0].path.parent / (taken[0].name + ".meta.json")).exists()
    for backup in kept:
        assert stat.S_IMODE(backup.path.stat().st_mode) == 0o600
        assert json.loads(backup.path.read_text())["serial"] == backup.meta["serial"]
    assert stat.S_IMODE(kept[0].path.parent.stat().st_mode) == 0o700
