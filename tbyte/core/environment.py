"""The one object every task resolves once and passes down: an environment of terragrunt/ and how to reach it.

An Environment carries its name, the locals of terragrunt/<env>/env.hcl, the task's Settings, its working
folders and one boto3 session (for AWS environments the deployment role is assumed once, unless the caller
already holds it; for `local` the embedded emulator with fake credentials), with clients made once each.
Domain packages keep what they derive per task (the stack graph, say) in `memo`.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from tbyte.core import hcl, paths
from tbyte.core.errors import Refused
from tbyte.core.settings import Settings

LOCAL = "local"
PROTECTED = ("stage", "prod")
# moto accepts any credentials; these make sure nothing ever reaches a real account.
EMULATOR_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_SESSION_TOKEN": "testing"}
NAME = re.compile(r"^[a-z][a-z0-9-]{0,30}$")


def environments() -> list[str]:
    """The environments: the folders of terragrunt/ that hold an env.hcl."""
    return sorted(path.parent.name for path in paths.TERRAGRUNT.glob("*/env.hcl"))


def emulator_endpoint(port: int) -> str:
    return f"http://127.0.0.1:{port}"


@dataclass(eq=False)
class Environment:
    name: str
    settings: Settings
    values: dict = field(repr=False)
    memo: dict = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _key_locks: dict = field(default_factory=dict, repr=False)

    @classmethod
    def resolve(cls, name: str | None, settings: Settings | None = None, argument: str = "--env") -> Environment:
        """The environment named `name`; anything that is not one of terragrunt/'s environments is refused."""
        known = environments()
        if not name or not NAME.match(str(name)) or name not in known:
            raise Refused(f"{argument}: unknown environment {name!r}; the environments are: {', '.join(known)}")
        document = hcl.load(paths.TERRAGRUNT / name / "env.hcl")
        values: dict = {}
        for block in document.get("locals", []):
            values.update(block)
        return cls(name, settings or Settings.defaults(), values)

    def __str__(self) -> str:
        return self.name

    @property
    def is_local(self) -> bool:
        return self.name == LOCAL

    @property
    def is_protected(self) -> bool:
        return self.name in PROTECTED

    @property
    def region(self) -> str:
        return self.values.get("region", "eu-central-1")

    @property
    def account_id(self) -> str:
        return str(self.values.get("account_id", ""))

    @property
    def emulator_endpoint(self) -> str:
        return emulator_endpoint(self.settings.emulator_port)

    @property
    def terragrunt_dir(self) -> Path:
        return paths.TERRAGRUNT / self.name

    @property
    def plans_dir(self) -> Path:
        return self.settings.plans_dir / self.name

    @property
    def backups_dir(self) -> Path:
        return self.settings.backups_dir / self.name

    def memoized(self, key: str, compute):
        """What `compute()` returns, computed once per task (thread-safe: stacks are planned in threads).

        Each key has its own lock, so that a computation may use other memoized values from other threads.
        """
        with self._lock:
            if key in self.memo:
                return self.memo[key]
            key_lock = self._key_locks.setdefault(key, threading.RLock())
        with key_lock:
            if key not in self.memo:
                self.memo[key] = compute()
            return self.memo[key]

    @property
    def session(self):
        """One boto3 session: the emulator's fake credentials for local, the deployment role for AWS."""
        return self.memoized("session", self._new_session)

    def _new_session(self):
        import boto3

        if self.is_local:
            return boto3.Session(aws_access_key_id=EMULATOR_CREDENTIALS["AWS_ACCESS_KEY_ID"],
                                 aws_secret_access_key=EMULATOR_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
                                 aws_session_token=EMULATOR_CREDENTIALS["AWS_SESSION_TOKEN"], region_name=self.region)
        caller = boto3.Session(region_name=self.region)
        role = self.values.get("deploy_role_name")
        if not self.settings.assume_role or not role:
            return caller
        credentials = caller.client("sts").assume_role(
            RoleArn=f"arn:aws:iam::{self.account_id}:role/{role}", RoleSessionName=f"tbyte-{self.name}",
        )["Credentials"]
        return boto3.Session(aws_access_key_id=credentials["AccessKeyId"],
                             aws_secret_access_key=credentials["SecretAccessKey"],
                             aws_session_token=credentials["SessionToken"], region_name=self.region)

    def client(self, service: str):
        """A boto3 client of the environment's session, made once per task."""
        return self.memoized(f"client:{service}", lambda: self.session.client(
            service, endpoint_url=self.emulator_endpoint if self.is_local else None))
