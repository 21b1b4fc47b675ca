"""A Terraform state document: parsed, checked, compared, its resource instances by address."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from tbyte.core.errors import Refused


def instance_address(resource: dict, instance: dict) -> str:
    module = f"{resource['module']}." if resource.get("module") else ""
    mode = "data." if resource.get("mode") == "data" else ""
    key = instance.get("index_key")
    index = "" if key is None else f"[{json.dumps(key)}]"
    return f"{module}{mode}{resource['type']}.{resource['name']}{index}"


def matches(address: str, candidate: str) -> bool:
    """Whether `address` (a module, a resource or one instance) covers the instance address `candidate`."""
    return candidate == address or candidate.startswith((address + ".", address + "["))


@dataclass
class StateFile:
    """A Terraform state document and its text."""

    text: str
    document: dict
    origin: str = "the state"

    @classmethod
    def parse(cls, text: str, origin: str) -> StateFile:
        """The state in `text`; anything that is not a Terraform (format 4) state is refused."""
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise Refused(f"{origin} is not a Terraform state (not JSON: {error}); nothing was changed") from None
        problems = []
        if not isinstance(document, dict):
            problems.append("not a JSON object")
        else:
            if document.get("version") != 4:
                problems.append(f"state format version {document.get('version')!r}, expected 4")
            if not isinstance(document.get("lineage"), str) or not document.get("lineage"):
                problems.append("no lineage")
            if not isinstance(document.get("serial"), int) or isinstance(document.get("serial"), bool):
                problems.append("no serial")
            if not isinstance(document.get("resources"), list):
                problems.append("no resources list")
        if problems:
            raise Refused(f"{origin} is not a Terraform state ({', '.join(problems)}); nothing was changed")
        return cls(text, document, origin)

    @property
    def serial(self) -> int:
        return self.document["serial"]

    @property
    def lineage(self) -> str:
        return self.document["lineage"]

    def instances(self) -> dict[str, dict]:
        """Every resource instance by address (data sources included, as `terraform state list` shows them)."""
        found = {}
        for resource in self.document.get("resources", []):
            for instance in resource.get("instances", []):
                found[instance_address(resource, instance)] = instance
        return found

    def covered(self, address: str) -> list[str]:
        return [candidate for candidate in self.instances() if matches(address, candidate)]

    def comparable(self) -> dict:
        """The document without what a push changes by itself.

        Terraform rewrites the serial (it bumps it), the writing Terraform version, and the order of
        `check_results` (it serialises them from a map, in no fixed order); everything else must be equal.
        """
        document = {key: value for key, value in self.document.items() if key not in ("serial", "terraform_version")}
        checks = document.get("check_results")
        if isinstance(checks, list):
            document["check_results"] = sorted(
                ({**check, "objects": sorted(check.get("objects") or [], key=lambda o: json.dumps(o, sort_keys=True))}
                 if isinstance(check, dict) else check for check in checks),
                key=lambda check: json.dumps(check, sort_keys=True))
        return document

    def with_serial(self, serial: int) -> str:
        """The same text with another serial (only the top-level "serial" line changes)."""
        text, count = re.subn(r'^(  "serial": )\d+,$', rf"\g<1>{serial},", self.text, count=1, flags=re.M)
        if count != 1:
            document = dict(self.document, serial=serial)
            text = json.dumps(document, indent=2) + "\n"
        return text


def difference(current: StateFile | None, target: StateFile) -> list[str]:
    """What replacing `current` by `target` changes, as preview lines."""
    before = current.instances() if current else {}
    after = target.instances()
    lines = [f"  + {address}" for address in sorted(after.keys() - before.keys())]
    lines += [f"  - {address}" for address in sorted(before.keys() - after.keys())]
    lines += [f"  ~ {address}" for address in sorted(before.keys() & after.keys()) if before[address] != after[address]]
    old_outputs = (current.document.get("outputs", {}) if current else {})
    new_outputs = target.document.get("outputs", {})
    changed = sorted(name for name in old_outputs.keys() | new_outputs.keys()
                     if old_outputs.get(name) != new_outputs.get(name))
    if changed:
        lines.append(f"  outputs changed: {', '.join(changed)}")
    return lines
