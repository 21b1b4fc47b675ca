"""Every resource and data source type, argument and nested block the modules use exists in hashicorp/aws 6.x.

The schema is the provider release's own, read offline by tbyte/toolchain/provider_schema.py from a hash-pinned
package generated from it (tools/provider-schema/pins.toml), not a hand-written list. Every directory under
modules/ holding .tf files is checked, so modules added later are checked too. An unknown type, an unknown
argument or block (one 6.x removed or renamed), a computed-only attribute set by the configuration or a
missing required argument fails, naming the file, the resource and the argument; a deprecated argument is a
warning printed with the results (the pinned source carries no deprecation flags: see pins.toml).
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import hcl2
import pytest

from tbyte.toolchain import provider_schema
from tests.modules.conftest import is_provider_variant

ROOT = Path(__file__).resolve().parents[2]
MODULES = ROOT / "modules"
FIXTURES = Path(__file__).parent / "fixtures" / "provider_schema"
VERSION = provider_schema.DEFAULT_VERSION

# Terraform's own arguments and blocks, valid in every resource and data block whatever the provider.
META_ARGUMENTS = {"count", "for_each", "depends_on", "provider", "lifecycle", "provisioner", "connection"}
_HCL = hcl2.SerializationOptions(strip_string_quotes=True, with_comments=False, explicit_blocks=True)


def module_dirs() -> list[str]:
    """Every module (a directory with .tf files) under modules/, as a path relative to it.

    A module's provider variants (`provider3/`: its files for an older provider, tests/modules/conftest.py
    copy_modules) are not modules: they are planned with that provider by the module tests, not checked here.
    """
    found = {
        path.parent.relative_to(MODULES).as_posix()
        for path in MODULES.rglob("*.tf")
        if ".terraform" not in path.relative_to(MODULES).parts and not is_provider_variant(path.parent)
    }
    return sorted(found)


@dataclass
class Findings:
    failures: list[str] = field(default_factory=list)
    deprecated: list[str] = field(default_factory=list)
    checked: int = 0


def _shown(path: Path) -> Path:
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def _label(text: str) -> str:
    return text.strip('"')


def _blocks(value) -> list[dict] | None:
    """The bodies of a block (hcl2 marks them `__is_block__`), or None when the value is an attribute."""
    if isinstance(value, list) and value and all(isinstance(item, dict) and item.get("__is_block__") for item in value):
        return value
    return None


def check_body(body: dict, schema: dict, where: str, findings: Findings, top_level: bool = False,
               partial: bool = False) -> None:
    """Check one block body (and its nested blocks, dynamic ones included) against its schema node; a `partial`
    body (an override file's) need not hold the required arguments: the file it overrides does.

    An opaque block (one whose contents the schema source does not describe: provider_schema's docstring) is
    known to be a block; what is inside it is not judged.
    """
    if schema.get("opaque"):
        return
    arguments, blocks = schema["arguments"], schema["blocks"]
    present = set()
    for name, value in body.items():
        if name.startswith("__"):
            continue
        if top_level and name in META_ARGUMENTS:
            continue
        if name == "dynamic":
            for entry in _blocks(value) or value:
                for label, dynamic in entry.items():
                    if label.startswith("__"):
                        continue
                    block_name = _label(label)
                    present.add(block_name)
                    if block_name not in blocks:
                        findings.failures.append(f"{where}: dynamic block `{block_name}` is not a block of this type")
                        continue
                    findings.checked += 1
                    for content in _blocks(dynamic.get("content", [])) or []:
                        check_body(content, blocks[block_name], f"{where}.{block_name}", findings)
            continue
        present.add(name)
        nested = _blocks(value)
        if nested is not None:
            if name not in blocks:
                kind = "an argument, not a block" if name in arguments else "not a block of this type"
                findings.failures.append(f"{where}: block `{name}` is {kind}")
                continue
            findings.checked += 1
            for item in nested:
                check_body(item, blocks[name], f"{where}.{name}", findings)
            continue
        if name in blocks:
            # A nested object set with attribute syntax (a plugin-framework nested attribute): check a literal.
            findings.checked += 1
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, dict):
                    check_body(item, blocks[name], f"{where}.{name}", findings)
            continue
        if name not in arguments:
            findings.failures.append(f"{where}: argument `{name}` is not in hashicorp/aws {VERSION}")
            continue
        findings.checked += 1
        attribute = arguments[name]
        if attribute["computed"] and not (attribute["optional"] or attribute["required"]):
            findings.failures.append(f"{where}: argument `{name}` is computed-only in hashicorp/aws {VERSION}")
        elif attribute["deprecated"]:
            findings.deprecated.append(f"{where}: argument `{name}` is deprecated in hashicorp/aws {VERSION}")
    if partial:
        return
    for name, attribute in arguments.items():
        if attribute["required"] and name not in present:
            findings.failures.append(f"{where}: required argument `{name}` is missing")
    for name, block in blocks.items():
        if block["required"] and name not in present:
            findings.failures.append(f"{where}: required block `{name}` is missing")


def is_override(path: Path) -> bool:
    """Terraform merges override.tf and *_override.tf into the blocks they name: their blocks are partial."""
    return path.name == "override.tf" or path.name.endswith("_override.tf")


def check_file(path: Path, schema: dict, findings: Findings | None = None) -> Findings:
    """Check every resource and data block of one .tf file."""
    findings = findings or Findings()
    document = hcl2.loads(path.read_text(), serialization_options=_HCL)
    shown = _shown(path)
    for kind, prefix in (("resource", ""), ("data", "data.")):
        for entry in document.get(kind, []):
            for type_label, named in entry.items():
                resource_type = _label(type_label)
                for name_label, body in named.items():
                    if name_label.startswith("__"):
                        continue
                    address = f"{prefix}{resource_type}.{_label(name_label)}"
                    where = f"{shown}: {address}"
                    if not resource_type.startswith("aws_"):
                        continue  # another provider's type: not this schema's to judge
                    if prefix + resource_type not in schema:
                        findings.failures.append(f"{where}: type `{resource_type}` is not in hashicorp/aws {VERSION}")
                        continue
                    check_body(body, schema[prefix + resource_type], where, findings, top_level=True,
                               partial=is_override(path))
    return findings


# `aws_x.name.attr`, `aws_x.name[0].attr`, `data.aws_x.name.attr`, `aws_x.name[*].attr` in any expression.
_REFERENCE = re.compile(r"(?<![\w.])((?:data\.)?aws_[a-z0-9_]+)\.([A-Za-z_][\w-]*)(?:\[[^\]]*\])*\.([a-z_][a-z0-9_]*)")


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def check_references(module_dir: Path, schema: dict, findings: Findings) -> None:
    """Every attribute the module reads from its own resources and data sources exists in the schema."""
    documents = {path: hcl2.loads(path.read_text(), serialization_options=_HCL) for path in module_dir.glob("*.tf")}
    declared = set()
    for document in documents.values():
        for kind, prefix in (("resource", ""), ("data", "data.")):
            for entry in document.get(kind, []):
                for type_label, named in entry.items():
                    declared |= {
                        f"{prefix}{_label(type_label)}.{_label(name)}" for name in named if not name.startswith("__")
                    }
    seen = set()
    for path, document in sorted(documents.items()):
        for text in _strings(document):
            for resource_type, name, attribute in _REFERENCE.findall(text):
                if f"{resource_type}.{name}" not in declared or resource_type not in schema:
                    continue
                key = (path.name, resource_type, name, attribute)
                if key in seen:
                    continue
                seen.add(key)
                where = f"{_shown(path)}: reference {resource_type}.{name}.{attribute}"
                node = schema[resource_type]
                findings.checked += 1
                if attribute == "id" or attribute in node["blocks"]:
                    continue
                if attribute not in node["arguments"]:
                    findings.failures.append(f"{where}: attribute `{attribute}` is not in hashicorp/aws {VERSION}")
                elif node["arguments"][attribute]["deprecated"]:
                    findings.deprecated.append(
                        f"{where}: attribute `{attribute}` is deprecated in hashicorp/aws {VERSION}"
                    )


def check_module(module_dir: Path, schema: dict) -> Findings:
    findings = Findings()
    for path in sorted(module_dir.glob("*.tf")):
        check_file(path, schema, findings)
    check_references(module_dir, schema, findings)
    return findings


def _knows_deprecation(schema: dict) -> bool:
    return any(a["deprecated"] is not None for node in schema.values() for a in node["arguments"].values())


@pytest.fixture(scope="session")
def schema() -> dict:
    return provider_schema.aws_provider_schema(VERSION)


@pytest.mark.parametrize("module", module_dirs())
def test_module_uses_only_what_aws_6x_has(schema, module):
    findings = check_module(MODULES / module, schema)
    for message in findings.deprecated:
        warnings.warn(message, stacklevel=1)
    print(f"{module}: {findings.checked} arguments, blocks and references checked against hashicorp/aws {VERSION}")
    if not _knows_deprecation(schema):
        print("  deprecation: unknown (the pinned schema source carries no deprecation flags: tools/provider-schema)")
    assert findings.checked > 0 or not list((MODULES / module).glob("*.tf"))
    assert not findings.failures, "\n".join(findings.failures)


def test_every_module_directory_is_checked():
    # The glob finds the nested submodules too, and modules added later without registering them anywhere.
    found = module_dirs()
    assert {"eks", "vpc", "rds", "iam", "iam/modules/irsa-role", "elasticache"} <= set(found)
    # A provider-3 variant is planned with 3.39 by the module tests; the module's own file is checked here.
    assert "elasticache/provider3" not in found


def test_a_removed_argument_fails_naming_file_resource_and_argument(schema):
    findings = check_file(FIXTURES / "removed_argument.tf", schema)
    assert findings.failures == [
        "tests/modules/fixtures/provider_schema/removed_argument.tf: aws_eks_addon.legacy: "
        f"argument `resolve_conflicts` is not in hashicorp/aws {VERSION}"
    ]


def test_unknown_types_nested_arguments_dynamic_content_and_missing_required_arguments_fail(schema):
    failures = check_file(FIXTURES / "invalid.tf", schema).failures
    prefix = "tests/modules/fixtures/provider_schema/invalid.tf: "
    assert sorted(failures) == sorted(
        [
            prefix + f"aws_not_a_real_thing.x: type `aws_not_a_real_thing` is not in hashicorp/aws {VERSION}",
            prefix + f"data.aws_region.gone: argument `no_such_filter` is not in hashicorp/aws {VERSION}",
            # a renamed required argument: the old name is unknown and the new one is missing
            prefix + f"aws_eks_cluster.this.vpc_config: argument `subnet_idz` is not in hashicorp/aws {VERSION}",
            prefix + "aws_eks_cluster.this.vpc_config: required argument `subnet_ids` is missing",
            prefix + f"aws_security_group.dyn.ingress: argument `from_portz` is not in hashicorp/aws {VERSION}",
            prefix + "aws_security_group.dyn: dynamic block `ingres` is not a block of this type",
            prefix + f"aws_vpc.computed: argument `arn` is computed-only in hashicorp/aws {VERSION}",
            prefix + "aws_eks_addon.missing: required argument `addon_name` is missing",
            prefix + "aws_eks_cluster.block_as_argument: block `name` is an argument, not a block",
        ]
    )


def test_a_reference_to_a_removed_attribute_fails(schema, tmp_path):
    module = tmp_path / "module"
    module.mkdir()
    (module / "main.tf").write_text(
        'resource "aws_db_instance" "this" {\n  instance_class = "db.t4g.micro"\n  engine = "postgres"\n}\n'
        'output "database" {\n  value = "${aws_db_instance.this.name}/${aws_db_instance.this.db_name}"\n}\n'
        'output "other" {\n  value = var.aws_db_instance.this.name\n}\n'
    )
    failures = check_module(module, schema).failures
    assert len(failures) == 1 and failures[0].endswith(
        f"main.tf: reference aws_db_instance.this.name: attribute `name` is not in hashicorp/aws {VERSION}"
    )


def test_meta_arguments_and_other_providers_are_not_provider_arguments(schema):
    findings = check_file(FIXTURES / "valid.tf", schema)
    assert findings.failures == []
    assert findings.checked >= 6


def test_the_schema_is_the_provider_releases_own(schema):
    # Facts of hashicorp/aws 6.x that a hand-written list or a wrong extraction would get wrong.
    addon = schema["aws_eks_addon"]["arguments"]
    assert "resolve_conflicts" not in addon and addon["resolve_conflicts_on_create"]["optional"]
    assert addon["addon_name"]["required"] and addon["arn"]["computed"]
    vpc_config = schema["aws_eks_cluster"]["blocks"]["vpc_config"]
    assert vpc_config["required"] and vpc_config["arguments"]["subnet_ids"]["required"]
    assert "vpc" not in schema["aws_eip"]["arguments"] and schema["aws_eip"]["arguments"]["domain"]["optional"]
    assert "name" not in schema["aws_db_instance"]["arguments"] and "db_name" in schema["aws_db_instance"]["arguments"]
    assert "region" in schema["data.aws_region"]["arguments"]
    assert (
        "assume_role" in schema["provider"]["blocks"] and "s3_force_path_style" not in schema["provider"]["arguments"]
    )
    assert len([name for name in schema if not name.startswith("data.")]) > 1000


def _property(name: str, type_: dict, summary: str | None = None, optional: bool = True, resource: str = "thing"):
    """One configuration property as cdktf writes it into the jsii assembly."""
    link = (
        f"{{@link https://registry.terraform.io/providers/hashicorp/aws/{VERSION}/docs/resources/{resource}#{name} X}}"
    )
    docs = (
        {"summary": summary, "remarks": f"Docs at Terraform Registry: {link}"}
        if summary
        else {"summary": f"Docs at Terraform Registry: {link}."}
    )
    camel = name.split("_")[0] + "".join(part.title() for part in name.split("_")[1:])
    return {"name": camel, "type": type_, "optional": optional, "docs": docs, "immutable": True, "abstract": True}


def _assembly() -> dict:
    """A minimal cdktf assembly of one resource, `aws_thing`, with a block cdktf left untyped (as it does for
    aws_wafv2_web_acl's rule.statement) beside ordinary arguments and blocks."""
    pkg = "@cdktf/provider-aws.thing"
    rule_list = {
        "union": {
            "types": [
                {"fqn": "cdktf.IResolvable"},
                {"collection": {"kind": "array", "elementtype": {"fqn": f"{pkg}.ThingRule"}}},
            ]
        }
    }
    return {
        "types": {
            f"{pkg}.Thing": {
                "kind": "class",
                "base": "cdktf.TerraformResource",
                "fqn": f"{pkg}.Thing",
                "docs": {
                    "summary": f"Represents a {{@link https://registry.terraform.io/providers/hashicorp/aws/{VERSION}"
                    "/docs/resources/thing aws_thing}."
                },
                "initializer": {"parameters": [{"name": "config", "type": {"fqn": f"{pkg}.ThingConfig"}}]},
            },
            f"{pkg}.ThingConfig": {
                "kind": "interface",
                "datatype": True,
                "properties": [
                    _property("name", {"primitive": "string"}, optional=False),
                    _property("rule", rule_list, summary="rule block."),
                ],
            },
            f"{pkg}.ThingRule": {
                "kind": "interface",
                "datatype": True,
                "properties": [
                    _property("priority", {"primitive": "number"}, optional=False),
                    # the skipped block: its whole tree replaced by `any`, documented as "<name> block"
                    _property("statement", {"primitive": "any"}, summary="statement block."),
                    # an argument of Terraform type `dynamic` (a map of any), and one documented like a block by chance
                    _property("settings", {"collection": {"kind": "map", "elementtype": {"primitive": "any"}}}),
                    _property("label", {"primitive": "string"}, summary="label block."),
                ],
            },
        }
    }


def test_a_block_cdktf_left_untyped_is_read_as_a_block_whose_contents_are_unknown():
    schema = provider_schema.schema_from_jsii(_assembly(), VERSION)
    rule = schema["aws_thing"]["blocks"]["rule"]
    assert rule["nesting"] == "list" and not rule.get("opaque")
    assert rule["blocks"] == {
        "statement": {
            "opaque": True,
            "required": None,
            "optional": None,
            "nesting": None,
            "arguments": {},
            "blocks": {},
        }
    }
    assert set(rule["arguments"]) == {"priority", "settings", "label"}  # only a bare `any` so documented is a block


def test_what_is_inside_an_untyped_block_is_not_judged_but_the_rest_still_is(tmp_path):
    schema = provider_schema.schema_from_jsii(_assembly(), VERSION)
    (tmp_path / "main.tf").write_text(
        'resource "aws_thing" "ok" {\n  name = "a"\n  rule {\n    priority = 1\n'
        "    statement {\n      rate_based_statement {\n        limit = 100\n      }\n    }\n  }\n}\n"
        'resource "aws_thing" "bad" {\n  name = "b"\n  rule {\n    priorityz = 1\n'
        '    dynamic "statement" {\n      for_each = [1]\n      content {\n        anything = true\n      }\n    }\n'
        "  }\n}\n"
    )
    findings = check_file(tmp_path / "main.tf", schema)
    where = f"{tmp_path / 'main.tf'}: aws_thing.bad.rule"
    assert sorted(findings.failures) == sorted(
        [
            f"{where}: argument `priorityz` is not in hashicorp/aws {VERSION}",
            f"{where}: required argument `priority` is missing",
        ]
    )


def test_the_waf_rule_statement_is_a_block_as_in_the_provider(schema):
    # hashicorp/aws 6.x: rule.statement is a required block (TypeList, MaxItems 1, webACLRootStatementSchema); the
    # cdktf package types it `any` (SKIPPED_ATTRIBUTES of cdktf's provider generator), so its contents are unknown.
    for resource in ("aws_wafv2_web_acl", "aws_wafv2_rule_group"):
        rule = schema[resource]["blocks"]["rule"]
        assert "statement" not in rule["arguments"]
        assert rule["blocks"]["statement"]["opaque"] is True
        assert "visibility_config" in rule["blocks"] and not rule["blocks"]["visibility_config"].get("opaque")


def test_a_package_that_does_not_match_its_pin_is_refused(tmp_path):
    tarball = tmp_path / "provider-aws-21.22.1.tgz"
    tarball.write_bytes(b"not the published package")
    pinned = provider_schema.pin(VERSION)["integrity"]
    with pytest.raises(provider_schema.SchemaSourceError, match="refusing provider-aws-21.22.1.tgz"):
        provider_schema.verify(tarball, pinned)
    provider_schema.verify(tarball, provider_schema.integrity_of(tarball))  # the same bytes under their own hash pass


def test_a_mismatching_download_leaves_no_schema_behind(tmp_path, monkeypatch):
    def fake_fetch(source, destination):
        tarball = destination / "provider-aws-21.22.1.tgz"
        tarball.write_bytes(b"a tampered package")
        return tarball

    monkeypatch.setattr(provider_schema, "fetch_package", fake_fetch)
    with pytest.raises(provider_schema.SchemaSourceError, match="refusing provider-aws-21.22.1.tgz"):
        provider_schema.aws_provider_schema(VERSION, cache_dir=tmp_path / "cache")
    assert [path.name for path in (tmp_path / "cache").iterdir()] == [".lock"]


def test_a_version_without_a_pinned_source_is_refused():
    with pytest.raises(provider_schema.SchemaSourceError, match="no schema source pinned for aws 9.9.9"):
        provider_schema.aws_provider_schema("9.9.9")
