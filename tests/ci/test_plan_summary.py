"""The plan summary the workflows show (job summary, pull-request comment, approval page), the apply job's
comparison of its own plan with the reviewed summary (.github/scripts/plan_summary.py), and what of the scan's
reports may be published (.github/scripts/publishable_reports.py)."""

import importlib.util
import json

import pytest

from tests.ci.github import GITHUB


@pytest.fixture(scope="module")
def summary():
    spec = importlib.util.spec_from_file_location("plan_summary", GITHUB / "scripts" / "plan_summary.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_record(directory, stack, add=0, change=0, destroy=0, changed=(), planned_at=0.0, actions=None):
    directory.mkdir(parents=True, exist_ok=True)
    record = {
        "fingerprint": {"code": "x", "state": None, "dependency_outputs": {}},
        "summary": {"stack": stack, "add": add, "change": change, "destroy": destroy, "changed": list(changed),
                    "drifted": [], "seconds": 1.0, "error": None, **({"actions": actions} if actions else {})},
        "planned_at": planned_at,
    }
    (directory / f"{stack}.json").write_text(json.dumps(record))
    (directory / f"{stack}.tfplan").write_bytes(b"plan")


def test_render_lists_the_stacks_in_plan_order_with_their_changes(summary, tmp_path):
    plans = tmp_path / ".plans"
    write_record(plans / "dev", "vpc", planned_at=1.0)
    write_record(plans / "dev", "eks", add=2, change=1, changed=["aws_eks_cluster.this", "aws_iam_role.cluster"],
                 planned_at=2.0)
    out = tmp_path / "out"
    assert summary.main(["render", "--env", "dev", "--exit-code", "2", "--plans", str(plans), "--sha", "a" * 40,
                         "--json", str(out / "plan-dev.json"), "--markdown", str(out / "plan-dev.md")]) == 0
    data = json.loads((out / "plan-dev.json").read_text())
    assert [s["stack"] for s in data["stacks"]] == ["vpc", "eks"]
    text = (out / "plan-dev.md").read_text()
    assert text.startswith("### Plan of `dev`")
    assert "2 to add, 1 to change, 0 to destroy" in text
    assert "| eks | 2 | 1 | 0 | 0 |" in text
    assert "`aws_eks_cluster.this`" in text
    assert "`aaaaaaaaaaaa`" in text


def test_render_of_a_failed_or_empty_plan(summary, tmp_path):
    failed = summary.markdown(summary.summarize("prod", 1, []))
    assert "plan failed" in failed
    clean = summary.markdown(summary.summarize("stage", 0, [{"stack": "vpc", "add": 0, "change": 0, "destroy": 0,
                                                             "changed": [], "drifted": []}]))
    assert "no changes" in clean


def test_records_that_are_not_plan_records_are_ignored(summary, tmp_path):
    (tmp_path / "dev").mkdir()
    (tmp_path / "dev" / "other.json").write_text("{}")
    write_record(tmp_path / "dev", "vpc")
    assert [s["stack"] for s in summary.load(tmp_path, "dev")] == ["vpc"]


def test_the_summary_carries_no_planned_value(summary, tmp_path):
    """Whatever else a record holds (a future field, a value), the published summary has only the known fields."""
    plans = tmp_path / ".plans"
    write_record(plans / "prod", "rds", change=1, changed=["module.rds.aws_secretsmanager_secret_version.this"],
                 actions={"module.rds.aws_secretsmanager_secret_version.this": "update"})
    record = json.loads((plans / "prod" / "rds.json").read_text())
    record["summary"]["values"] = {"secret_string": "hunter2-master-password"}
    record["summary"]["error"] = "Error: password hunter2-master-password rejected"
    (plans / "prod" / "rds.json").write_text(json.dumps(record))
    out = tmp_path / "out"
    assert summary.main(["render", "--env", "prod", "--exit-code", "2", "--plans", str(plans),
                         "--json", str(out / "plan-prod.json"), "--markdown", str(out / "plan-prod.md")]) == 0
    for published in (out / "plan-prod.json", out / "plan-prod.md"):
        assert "hunter2" not in published.read_text()
    [stack] = json.loads((out / "plan-prod.json").read_text())["stacks"]
    assert set(stack) == {"stack", "add", "change", "destroy", "changed", "drifted", "actions"}
    assert stack["actions"] == {"module.rds.aws_secretsmanager_secret_version.this": "update"}
    assert "(update)" in (out / "plan-prod.md").read_text()


def stack(name, add=0, changed=(), actions=None):
    return {"stack": name, "add": add, "change": 0, "destroy": 0, "changed": sorted(changed), "drifted": [],
            "actions": actions or {}}


def test_compare_accepts_the_same_changes_only(summary):
    reviewed = summary.summarize("dev", 2, [stack("vpc"), stack("eks", 1, ["aws_eks_cluster.this"])])
    same = summary.summarize("dev", 2, [stack("eks", 1, ["aws_eks_cluster.this"])])  # a clean stack may be absent
    assert summary.compare(reviewed, same)[0]
    other = summary.summarize("dev", 2, [stack("vpc"), stack("eks", 1, ["aws_eks_cluster.other"])])
    matches, reason = summary.compare(reviewed, other)
    assert not matches and "`eks`" in reason
    more = summary.summarize("dev", 2, [stack("vpc", 1, ["aws_vpc.this"]), stack("eks", 1, ["aws_eks_cluster.this"])])
    assert summary.compare(reviewed, more) == (False, "differs from the reviewed plan in: `vpc`")
    assert not summary.compare(summary.summarize("dev", 1, []), same)[0], "a failed plan reviewed nothing"
    assert not summary.compare(reviewed, summary.summarize("dev", 1, []))[0]
    assert not summary.compare(reviewed, summary.summarize("prod", 2, same["stacks"]))[0], "another environment"


def test_compare_refuses_the_same_addresses_with_other_actions(summary):
    update = summary.summarize("prod", 2, [stack("rds", 1, ["aws_db_instance.this"], {"aws_db_instance.this": "update"})])
    replace = summary.summarize("prod", 2, [stack("rds", 1, ["aws_db_instance.this"], {"aws_db_instance.this": "replace"})])
    assert summary.compare(update, update)[0]
    assert summary.compare(update, replace) == (False, "differs from the reviewed plan in: `rds`")


def test_compare_command_refuses_with_exit_code_1(summary, tmp_path, capsys):
    reviewed, current = tmp_path / "reviewed.json", tmp_path / "current.json"
    reviewed.write_text(json.dumps(summary.summarize("dev", 2, [stack("vpc", 1, ["a.b"])])))
    current.write_text(json.dumps(summary.summarize("dev", 2, [stack("vpc", 2, ["a.b", "a.c"])])))
    note = tmp_path / "note.md"
    assert summary.main(["compare", "--reviewed", str(reviewed), "--current", str(current),
                         "--markdown-append", str(note)]) == 1
    out, err = capsys.readouterr()
    assert out.strip() == "matches=false"
    assert "refusing to apply" in err and "nothing was applied" in err
    assert "differs from the reviewed plan in: `vpc`" in note.read_text()
    assert summary.main(["compare", "--reviewed", str(reviewed), "--current", str(reviewed)]) == 0
    assert capsys.readouterr().out.strip() == "matches=true"


@pytest.fixture(scope="module")
def publishable():
    spec = importlib.util.spec_from_file_location("publishable_reports", GITHUB / "scripts" / "publishable_reports.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_only_reports_that_quote_no_plan_are_published(publishable, tmp_path):
    reports = tmp_path / "reports"
    secret = "hunter2-master-password"
    targets = {"modules": "checkov/modules", "plan prod/rds": "checkov/plan-prod-rds", "secrets": "checkov/secrets",
               "suppressions": None}
    for name, folder in targets.items():
        if folder is None:
            continue
        quoted = secret if name.startswith("plan") else "resource \"aws_db_instance\" \"this\" {}"
        (reports / folder).mkdir(parents=True)
        (reports / folder / "results_json.json").write_text(json.dumps({"code_block": [[1, secret]]}))
        (reports / folder / "results_sarif.sarif").write_text(json.dumps({"snippet": quoted}))
        (reports / folder / "results_junitxml.xml").write_text(f"<testsuites>{quoted}</testsuites>")
        (reports / folder / "checkov.log").write_text(secret)
    (reports / "scan-summary.json").write_text(json.dumps({
        "ok": True, "targets": [{"name": name, "reports": folder} for name, folder in targets.items()],
        "failures": []}))
    out = tmp_path / "published"
    assert publishable.main([str(reports), str(out)]) == 0
    published = sorted(str(path.relative_to(out)) for path in out.rglob("*") if path.is_file())
    assert published == [
        "checkov/modules/results_junitxml.xml", "checkov/modules/results_sarif.sarif",
        "checkov/secrets/results_junitxml.xml", "checkov/secrets/results_sarif.sarif", "scan-summary.json"]
    assert not any(secret in (out / path).read_text() for path in published)


def test_nothing_is_published_without_a_finished_scan(publishable, tmp_path):
    assert publishable.main([str(tmp_path), str(tmp_path / "out")]) == 1


@pytest.fixture(scope="module")
def merge_sarif():
    spec = importlib.util.spec_from_file_location("merge_sarif", GITHUB / "scripts" / "merge_sarif.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def sarif_run(rules, results):
    return {"version": "2.1.0", "runs": [{
        "tool": {"driver": {"name": "Checkov", "version": "3.3.30", "rules": [{"id": rule} for rule in rules]}},
        "results": [{"ruleId": rule, "ruleIndex": rules.index(rule), "message": {"text": text}}
                    for rule, text in results],
    }]}


def test_sarif_of_every_target_becomes_one_run_with_consistent_rule_indexes(merge_sarif, tmp_path):
    (tmp_path / "checkov" / "modules").mkdir(parents=True)
    (tmp_path / "checkov" / "helm").mkdir(parents=True)
    (tmp_path / "checkov" / "modules" / "results_sarif.sarif").write_text(
        json.dumps(sarif_run(["CKV_AWS_1", "CKV_AWS_2"], [("CKV_AWS_2", "m")])))
    (tmp_path / "checkov" / "helm" / "results_sarif.sarif").write_text(
        json.dumps(sarif_run(["CKV_K8S_9", "CKV_AWS_1"], [("CKV_K8S_9", "h"), ("CKV_AWS_1", "a")])))
    out = tmp_path / "merged.sarif"
    assert merge_sarif.main([str(tmp_path), str(out)]) == 0
    merged = json.loads(out.read_text())
    assert len(merged["runs"]) == 1
    run = merged["runs"][0]
    rules = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert sorted(rules) == ["CKV_AWS_1", "CKV_AWS_2", "CKV_K8S_9"] and len(rules) == 3
    assert {r["message"]["text"] for r in run["results"]} == {"m", "h", "a"}
    assert all(rules[r["ruleIndex"]] == r["ruleId"] for r in run["results"])
    assert run["tool"]["driver"]["name"] == "Checkov"


def test_no_sarif_is_an_error(merge_sarif, tmp_path):
    assert merge_sarif.main([str(tmp_path), str(tmp_path / "out.sarif")]) == 1
