"""The aws provider's resource schema for a release, offline and hash-verified.

    aws_provider_schema("6.25.0") -> dict

No provider binary newer than 3.39.0 is available offline, so `terraform providers schema -json` cannot be
run for 6.x. The schema is read instead from a package published to a reachable registry that was generated
from that release (tools/provider-schema/pins.toml: the package, its version and the registry's SHA-512
`integrity`). The package is fetched with `npm pack`, refused unless its integrity matches the pin, and only
the schema read from it is kept, under .toolchain/provider-schema/ (git-ignored); later calls read that cache.

The returned dict maps each type to its schema:

    {"aws_eks_addon":   {"arguments": {...}, "blocks": {...}},      # resources by type
     "data.aws_region": {"arguments": {...}, "blocks": {...}},      # data sources, as Terraform addresses them
     "provider":        {"arguments": {...}, "blocks": {...}}}      # the provider block

    arguments: {name: {"required": bool, "optional": bool, "computed": bool | None, "deprecated": bool | None}}
    blocks:    {name: {"required": bool, "optional": bool, "nesting": "single" | "list",
                       "arguments": {...}, "blocks": {...}}}

`computed` is True for computed-only attributes (which a configuration cannot set) and None (not known) for
settable ones; `deprecated` is None (not known): the cdktf package does not carry the provider's
deprecation flags. `blocks` holds every nested object (blocks, and the few nested attributes of the plugin
framework: the package does not tell them apart).

A few blocks are too large for cdktf's generator, which replaces their whole tree with one property of type
`any` documented as `<name> block` (its SKIPPED_ATTRIBUTES: `aws_wafv2_web_acl` and `aws_wafv2_rule_group`
`rule.statement`, the QuickSight `definition`s). Such a block is kept as a block whose contents the package
does not describe:

    {"opaque": True, "required": None, "optional": None, "nesting": None, "arguments": {}, "blocks": {}}

(None: not known; cdktf marks every skipped block optional, whatever the provider says). A checker can tell
that it is a block, not an argument, and must not judge what is inside it.

Command line: `python -m tbyte.toolchain.provider_schema [VERSION] [TYPE ...]` prints the schema (or the
given types).
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
from pathlib import Path

from tbyte.core import paths

PINS = paths.TOOLS / "provider-schema" / "pins.toml"
CACHE = paths.TOOLCHAIN / "provider-schema"
# Bumped whenever the shape of the cached schema changes, so that an old cache is rebuilt.
CACHE_FORMAT = 3
DEFAULT_VERSION = "6.25.0"

_DOCS = r"https://registry\.terraform\.io/providers/hashicorp/aws/(?P<version>[^/\s]+)/docs"
_TYPE_LINK = re.compile(_DOCS + r"/(?P<kind>resources|data-sources)/\w+ (?P<type>aws_\w+)\}")
_PROVIDER_LINK = re.compile(_DOCS + r" aws\}")
_ARGUMENT_LINK = re.compile(_DOCS + r"(?:/(?:resources|data-sources)/\w+)?#(?P<name>\w+) ")
_RESOLVABLE = "cdktf.IResolvable"
_META_ARGUMENTS = "cdktf.TerraformMetaArguments"
# cdktf documents a block it did not generate (typed `any`) as "<name> block".
_SKIPPED_BLOCK = re.compile(r"^(?P<name>\w+) block\.?$")


class SchemaSourceError(RuntimeError):
    """The schema package could not be fetched, did not match its pinned hash, or could not be read."""


def pin(version: str, pins: Path = PINS) -> dict:
    """The pinned package that carries the schema of aws `version`."""
    known = tomllib.loads(pins.read_text()).get("aws", {})
    if version not in known:
        raise SchemaSourceError(f"no schema source pinned for aws {version} in {pins} (pinned: {', '.join(known)})")
    return dict(known[version])


def integrity_of(path: Path, algorithm: str = "sha512") -> str:
    """A file's hash in the registry's Subresource Integrity form, e.g. `sha512-<base64>`."""
    digest = hashlib.new(algorithm)
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return f"{algorithm}-{base64.b64encode(digest.digest()).decode()}"


def verify(path: Path, integrity: str) -> None:
    """Raise unless the file's hash is the pinned `integrity`."""
    algorithm, _, _ = integrity.partition("-")
    if algorithm not in {"sha512", "sha384", "sha256"}:
        raise SchemaSourceError(f"unsupported integrity algorithm {algorithm!r} (pin {integrity})")
    actual = integrity_of(path, algorithm)
    if actual != integrity:
        raise SchemaSourceError(f"refusing {path.name}: its integrity is {actual}, the pin is {integrity}")


def fetch_package(source: dict, destination: Path) -> Path:
    """Download the pinned package's tarball with `npm pack` (npm's configured registry and cache)."""
    npm = shutil.which("npm")
    if npm is None:
        raise SchemaSourceError("npm is needed to fetch the provider schema package (none on PATH)")
    spec = f"{source['npm_package']}@{source['npm_version']}"
    result = subprocess.run(
        [npm, "pack", spec, "--pack-destination", str(destination), "--ignore-scripts", "--json"],
        capture_output=True,
        text=True,
        cwd=destination,  # never a project's package.json
    )
    if result.returncode != 0:
        raise SchemaSourceError(f"npm pack {spec} failed: {result.stderr.strip()[-2000:]}")
    try:
        filename = json.loads(result.stdout)[0]["filename"]
    except (ValueError, LookupError) as error:
        raise SchemaSourceError(f"npm pack {spec} printed no tarball name: {result.stdout[-500:]}") from error
    # npm names scoped tarballs `cdktf-provider-aws-21.22.1.tgz`; older npm versions prefixed the scope with `@`.
    return destination / filename.lstrip("@").replace("/", "-")


def _snake(camel: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", camel).lower()


def schema_from_jsii(assembly: dict, version: str) -> dict:
    """The provider schema (see the module docstring) from a cdktf provider package's jsii assembly."""
    types = assembly["types"]
    seen_versions: set[str] = set()

    def docs_text(entry: dict) -> str:
        docs = entry.get("docs", {})
        return f"{docs.get('summary', '')}\n{docs.get('remarks', '')}"

    def unwrap(type_ref: dict) -> dict | None:
        """The member of `X | IResolvable` that is not IResolvable (None when nothing else is left)."""
        if "union" in type_ref:
            members = [member for member in type_ref["union"]["types"] if member.get("fqn") != _RESOLVABLE]
            return members[0] if len(members) == 1 else None
        return None if type_ref.get("fqn") == _RESOLVABLE else type_ref

    def struct_of(type_ref: dict | None) -> tuple[str, str] | None:
        """(struct fqn, nesting) when the type is a nested object or a list of them."""
        if type_ref is None:
            return None
        if "fqn" in type_ref and types.get(type_ref["fqn"], {}).get("datatype"):
            return type_ref["fqn"], "single"
        collection = type_ref.get("collection")
        if collection and collection["kind"] == "array":
            element = unwrap(collection["elementtype"])
            if element and "fqn" in element and types.get(element["fqn"], {}).get("datatype"):
                return element["fqn"], "list"
        return None

    def properties(fqn: str) -> list[dict]:
        interface = types[fqn]
        found = list(interface.get("properties", []))
        for parent in interface.get("interfaces", []):
            if parent in types and parent != _META_ARGUMENTS:
                found.extend(properties(parent))
        return found

    def name_of(prop: dict) -> str:
        match = _ARGUMENT_LINK.search(docs_text(prop))
        if match is None:
            return _snake(prop["name"])
        seen_versions.add(match["version"])
        return match["name"]

    def skipped_block(prop: dict, name: str) -> bool:
        """A block cdktf did not generate: typed `any`, documented as `<name> block` (see the module docstring).

        An argument of Terraform type `dynamic` is a map of `any` in the package, never a bare `any`.
        """
        summary = _SKIPPED_BLOCK.match(prop.get("docs", {}).get("summary", "").strip())
        return prop["type"].get("primitive") == "any" and summary is not None and summary["name"] == name

    def block(fqn: str, depth: int = 0) -> dict:
        if depth > 16:
            raise SchemaSourceError(f"nesting deeper than 16 levels at {fqn}")
        node: dict = {"arguments": {}, "blocks": {}}
        for prop in properties(fqn):
            name = name_of(prop)
            required = not prop.get("optional", False)
            if skipped_block(prop, name):
                node["blocks"][name] = {
                    "opaque": True,
                    "required": None,
                    "optional": None,
                    "nesting": None,
                    "arguments": {},
                    "blocks": {},
                }
                continue
            nested = struct_of(unwrap(prop["type"]))
            if nested:
                child = block(nested[0], depth + 1)
                child.update(required=required, optional=not required, nesting=nested[1])
                node["blocks"][name] = child
            else:
                node["arguments"][name] = {
                    "required": required,
                    "optional": not required,
                    "computed": None,
                    "deprecated": None,
                }
        # A nested block's computed-only attributes are read-only properties of its output reference class.
        reference = types.get(f"{fqn}OutputReference")
        if reference:
            for name, attribute in computed_only(reference, node).items():
                node["arguments"].setdefault(name, attribute)
        return node

    def computed_only(cls: dict, config: dict) -> dict:
        """Attributes a configuration cannot set: read-only class properties with no configuration property."""
        settable = set(config["arguments"]) | set(config["blocks"])
        found = {}
        for prop in cls.get("properties", []):
            if prop.get("static") or not prop.get("immutable") or prop["name"].endswith("Input"):
                continue
            if prop["name"] in {"internalValue", "fqn", "creationStack"}:  # cdktf's own, not attributes
                continue
            name = _snake(prop["name"])
            if name not in settable:
                found[name] = {"required": False, "optional": False, "computed": True, "deprecated": None}
        return found

    schema: dict[str, dict] = {}
    for cls in types.values():
        base = cls.get("base")
        if cls.get("kind") != "class" or base not in {
            "cdktf.TerraformResource",
            "cdktf.TerraformDataSource",
            "cdktf.TerraformProvider",
        }:
            continue
        summary = docs_text(cls)
        if base == "cdktf.TerraformProvider":
            match = _PROVIDER_LINK.search(summary)
            key = "provider"
        else:
            match = _TYPE_LINK.search(summary)
            if match is None:
                raise SchemaSourceError(f"{cls['fqn']}: no Terraform type in its docs ({summary[:200]!r})")
            key = ("data." if match["kind"] == "data-sources" else "") + match["type"]
        if match is None:
            raise SchemaSourceError(f"{cls['fqn']}: no provider version in its docs")
        seen_versions.add(match["version"])
        config_ref = next(p["type"] for p in cls["initializer"]["parameters"] if p["name"] == "config")
        config = block(config_ref["fqn"])
        if base != "cdktf.TerraformProvider":
            for name, attribute in computed_only(cls, config).items():
                config["arguments"].setdefault(name, attribute)
        schema[key] = config

    if seen_versions != {version}:
        raise SchemaSourceError(f"the package describes aws {sorted(seen_versions)}, not {version}")
    if not any(key.startswith("aws_") for key in schema):
        raise SchemaSourceError("the package describes no aws resource")
    return schema


def build(version: str, source: dict, workdir: Path) -> dict:
    """Fetch, verify and read the pinned package into the schema (nothing is kept on a mismatch)."""
    tarball = fetch_package(source, workdir)
    verify(tarball, source["integrity"])
    with tarfile.open(tarball, "r:gz") as archive:
        try:
            member = archive.extractfile(source["member"])
        except KeyError as error:
            raise SchemaSourceError(f"{tarball.name} has no {source['member']}") from error
        assembly = json.load(member)
    return schema_from_jsii(assembly, version)


@contextlib.contextmanager
def _locked(directory: Path):
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / ".lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _cached(path: Path, source: dict) -> dict | None:
    try:
        cached = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    if cached.get("format") != CACHE_FORMAT or cached.get("source") != source:
        return None
    return cached["schema"]


def aws_provider_schema(version: str = DEFAULT_VERSION, cache_dir: Path = CACHE) -> dict:
    """The schema of hashicorp/aws `version` (see the module docstring), from the cache or the pinned package."""
    source = pin(version)
    path = cache_dir / f"aws-{version}.json"
    schema = _cached(path, source)
    if schema is not None:
        return schema
    with _locked(cache_dir):  # parallel test workers: one fetches, the others read its result
        schema = _cached(path, source)
        if schema is not None:
            return schema
        with tempfile.TemporaryDirectory(dir=cache_dir) as workdir:
            schema = build(version, source, Path(workdir))
            document = {"format": CACHE_FORMAT, "provider": f"hashicorp/aws {version}", "source": source}
            partial = Path(workdir) / path.name
            partial.write_text(json.dumps({**document, "schema": schema}, sort_keys=True))
            os.replace(partial, path)
    return schema


def main(argv: list[str]) -> int:
    version = argv[0] if argv else DEFAULT_VERSION
    schema = aws_provider_schema(version)
    wanted = argv[1:]
    print(json.dumps({name: schema[name] for name in wanted} if wanted else schema, indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
