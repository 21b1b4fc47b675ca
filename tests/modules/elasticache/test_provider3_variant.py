"""The replication group's provider-3 variant differs from the module's own file only where the providers differ.

modules/elasticache/replication_group.tf is written for hashicorp/aws 6.x (dev/stage/prod) and
modules/elasticache/provider3/replication_group.tf for 3.x (`local` and the module tests). Once the 6.x spelling
is brought back to 3.x's (`description` -> `replication_group_description`, `num_cache_clusters` ->
`number_cache_clusters`) and the log delivery 3.x lacks is dropped, the two must be the same configuration, so that
what the module tests and the emulator check is what AWS gets.
"""

from __future__ import annotations

import copy

import hcl2
import pytest

from tbyte.core import paths

MODULE = paths.MODULES / "elasticache"
CANONICAL = MODULE / "replication_group.tf"
PROVIDER3 = MODULE / "provider3" / "replication_group.tf"

# Where hashicorp/aws 6.x and 3.x differ for this resource, and nothing else.
RESOURCE = "aws_elasticache_replication_group"
RENAMED = {"description": "replication_group_description", "num_cache_clusters": "number_cache_clusters"}
NOT_IN_3X = {"log_delivery_configuration"}  # 4.8.0

_HCL = hcl2.SerializationOptions(strip_string_quotes=True, with_comments=False, explicit_blocks=True)


def parse(text: str) -> dict:
    return hcl2.loads(text, serialization_options=_HCL)


def as_provider3(document: dict) -> dict:
    """A 6.x configuration of the replication group written the way provider 3.x must say it."""
    document = copy.deepcopy(document)
    for entry in document.get("resource", []):
        for body in entry.get(RESOURCE, {}).values():
            if not isinstance(body, dict):
                continue
            for new, old in RENAMED.items():
                if new in body:
                    assert old not in body, f"{RESOURCE} sets both {new} and {old}"
                    body[old] = body.pop(new)
            for block in NOT_IN_3X:
                body.pop(block, None)
            kept = [item for item in body.pop("dynamic", []) if not (set(item) - {"__is_block__"}) & NOT_IN_3X]
            if kept:
                body["dynamic"] = kept
    return document


def checkov_skips(text: str) -> list[str]:
    return sorted(line.strip() for line in text.splitlines() if line.strip().startswith("#checkov:skip="))


def test_the_two_files_differ_only_where_the_providers_differ():
    canonical, provider3 = CANONICAL.read_text(), PROVIDER3.read_text()
    assert as_provider3(parse(canonical)) == parse(provider3), (
        f"{PROVIDER3.relative_to(paths.ROOT)} and {CANONICAL.relative_to(paths.ROOT)} differ beyond the renamed "
        f"arguments ({', '.join(f'{k}/{v}' for k, v in RENAMED.items())}) and the log delivery: change both"
    )
    # The scanner reads both (checkov scans modules/), so both carry the same justified skips.
    assert checkov_skips(canonical) == checkov_skips(provider3) != []


def test_each_file_speaks_its_providers_language():
    (canonical,) = parse(CANONICAL.read_text())["resource"][0][RESOURCE].values()
    (provider3,) = parse(PROVIDER3.read_text())["resource"][0][RESOURCE].values()
    assert set(RENAMED) <= set(canonical) and not set(RENAMED.values()) & set(canonical)
    assert set(RENAMED.values()) <= set(provider3) and not set(RENAMED) & set(provider3)
    assert "log_delivery_configuration" not in str(provider3)
    # 6.x: one delivery per log group of the module, into that group, as JSON.
    (delivery,) = [
        item["log_delivery_configuration"] for item in canonical["dynamic"] if "log_delivery_configuration" in item
    ]
    assert delivery["for_each"] == "${aws_cloudwatch_log_group.this}"
    (content,) = delivery["content"]
    assert {key: value for key, value in content.items() if key != "__is_block__"} == {
        "log_type": "${log_delivery_configuration.key}",
        "destination_type": "cloudwatch-logs",
        "destination": "${log_delivery_configuration.value.name}",
        "log_format": "json",
    }


@pytest.mark.parametrize(
    ("change", "replacement"),
    [
        ("snapshot_retention_limit   = var.snapshot_retention_limit", "snapshot_retention_limit   = 7"),
        ("at_rest_encryption_enabled = true", "at_rest_encryption_enabled = false"),
        ('error_message = "multi_az_enabled needs automatic_failover_enabled = true."', 'error_message = "x"'),
        ("  auth_token                 = local.auth_token\n", ""),
        ("  tags = merge(", '  snapshot_name = "x"\n  tags = merge('),
    ],
    ids=["argument", "encryption", "precondition", "removed-argument", "added-argument"],
)
def test_any_other_difference_is_caught(change, replacement):
    provider3 = PROVIDER3.read_text()
    assert change in provider3
    drifted = provider3.replace(change, replacement, 1)
    assert as_provider3(parse(CANONICAL.read_text())) != parse(drifted)


def test_the_log_delivery_alone_is_not_a_difference():
    # Normalising only renames and drops 3.x-unknown blocks: a 6.x file without log delivery normalises too.
    text = CANONICAL.read_text()
    start = text.index('  dynamic "log_delivery_configuration"')
    end = text.index("\n  }\n", start) + len("\n  }\n")
    assert as_provider3(parse(text[:start] + text[end:])) == parse(PROVIDER3.read_text())
