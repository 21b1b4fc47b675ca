"""The commands of a fix: what the doctor prints for a person to run, and what a drill runs to apply it.

The doctor only builds and prints these; nothing in a check calls `apply`. A drill applies the fix the doctor
printed by calling `apply` with a Bench (the environment's clients, kubectl, the repository it works in), so
the command a person reads and the change a drill makes are one and the same object.
"""

from __future__ import annotations

import dataclasses
import json
import shlex
from dataclasses import dataclass
from typing import ClassVar, Protocol

# The AWS CLI's name of a boto3 service where the two differ.
CLI_SERVICES = {"s3": "s3api"}


class Bench(Protocol):
    """What applying a fix needs; tbyte/doctor/drills/bench.py provides it."""

    def client(self, service: str): ...

    def kubectl(self, *args: str) -> None: ...

    def invoke(self, *args: str) -> None: ...

    def edit(self, path: str, old: str | None, new: str) -> None: ...


def _kebab(name: str) -> str:
    from botocore import xform_name

    return xform_name(name, "-")


def _cli_value(value) -> list[str]:
    if isinstance(value, str | int | float):
        return [shlex.quote(str(value))]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return [shlex.quote(item) for item in value]
    return [shlex.quote(json.dumps(value, separators=(",", ":")))]


@dataclass(frozen=True)
class AwsCall:
    """One AWS API call, e.g. AwsCall("ec2", "CreateRoute", {...}); printed as the AWS CLI command."""

    service: str
    operation: str
    params: tuple[tuple[str, object], ...]

    @classmethod
    def of(cls, service: str, operation: str, **params) -> AwsCall:
        return cls(service, operation, tuple(params.items()))

    def command(self) -> str:
        words = ["aws", CLI_SERVICES.get(self.service, self.service), _kebab(self.operation)]
        for name, value in self.params:
            if isinstance(value, bool):
                words.append(f"--{'' if value else 'no-'}{_kebab(name)}")
            else:
                words += [f"--{_kebab(name)}", *_cli_value(value)]
        return " ".join(words)

    def apply(self, bench: Bench) -> None:
        from botocore import xform_name

        getattr(bench.client(self.service), xform_name(self.operation))(**dict(self.params))


@dataclass(frozen=True)
class _ProgramRun:
    """A command line of one program that the Bench knows how to run (its method of the same name)."""

    args: tuple[str, ...]
    program: ClassVar[str]

    @classmethod
    def of(cls, *args: str):
        return cls(tuple(args))

    def command(self) -> str:
        return shlex.join([self.program, *self.args])

    def apply(self, bench: Bench) -> None:
        getattr(bench, self.program)(*self.args)


class Kubectl(_ProgramRun):
    """A kubectl command against the environment's cluster (its kubeconfig is given once, above the findings)."""

    program = "kubectl"


class Invoke(_ProgramRun):
    """A task of this repository."""

    program = "invoke"


@dataclass(frozen=True)
class FileEdit:
    """A change of one file of the repository: `old` replaced by `new`, or `new` appended when `old` is None."""

    path: str  # relative to the repository
    old: str | None
    new: str

    def command(self) -> str:
        if self.old is None:
            return f"append to {self.path}:\n{self.new.rstrip()}"
        return f"in {self.path} replace:\n{self.old.rstrip()}\nwith:\n{self.new.rstrip() or '(nothing)'}"

    def apply(self, bench: Bench) -> None:
        bench.edit(self.path, self.old, self.new)


Action = AwsCall | Kubectl | Invoke | FileEdit
KINDS = {kind.__name__: kind for kind in (AwsCall, Kubectl, Invoke, FileEdit)}


def as_dict(action: Action) -> dict:
    """The action as data (in --json output), from which `from_dict` makes it again."""
    fields = {field.name: getattr(action, field.name) for field in dataclasses.fields(action)}  # not ClassVars
    if isinstance(action, AwsCall):
        fields["params"] = dict(action.params)
    return {"type": type(action).__name__, **fields}


def from_dict(data: dict) -> Action:
    fields = {key: value for key, value in data.items() if key != "type"}
    kind = KINDS[data["type"]]
    if kind is AwsCall:
        fields["params"] = tuple(fields["params"].items())
    elif kind in (Kubectl, Invoke):
        fields["args"] = tuple(fields["args"])
    return kind(**fields)
