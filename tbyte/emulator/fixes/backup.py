"""AWS Backup: where moto's plans and vaults differ from AWS."""

from __future__ import annotations

import json

from moto.backup import urls as backup_urls
from moto.backup.exceptions import InvalidRequestException, ResourceNotFoundException
from moto.backup.models import BackupBackend
from moto.backup.responses import BackupResponse
from moto.core.utils import unix_time
from moto.moto_api._internal import mock_random


def _store(backend: BackupBackend, name: str) -> dict:
    return backend.__dict__.setdefault(f"_tbyte_{name}", {})


def _plan_id(path: str) -> str:
    return path.split("/plans/")[1].split("/")[0]


def _vault(backend: BackupBackend, path: str):
    name = path.split("/backup-vaults/")[1].split("/")[0]
    return backend.describe_backup_vault(name)


def selections() -> None:
    """Backup selections exist: create, get, list and delete the resources a plan backs up.

    AWS: CreateBackupSelection (PUT /backup/plans/{id}/selections/) answers a SelectionId, GetBackupSelection and
    ListBackupSelections report it, DeleteBackupSelection removes it, and DeleteBackupPlan is refused while the plan
    still has selections. moto has no selection action, so aws_backup_selection never creates (the provider retries
    the unknown action until it times out).
    """

    def create_backup_selection(self):
        backend = self.backup_backend
        plan_id = _plan_id(self.path)
        backend.get_backup_plan(backup_plan_id=plan_id, version_id=None)
        body = json.loads(self.body)
        selection = {
            "SelectionId": str(mock_random.uuid4()),
            "BackupPlanId": plan_id,
            "CreationDate": unix_time(),
            "CreatorRequestId": body.get("CreatorRequestId"),
            "BackupSelection": body["BackupSelection"],
        }
        _store(backend, "selections")[selection["SelectionId"]] = selection
        return json.dumps({key: selection[key] for key in ("SelectionId", "BackupPlanId", "CreationDate")})

    def get(backend: BackupBackend, path: str) -> dict:
        plan_id, selection_id = _plan_id(path), path.rstrip("/").split("/")[-1]
        selection = _store(backend, "selections").get(selection_id)
        if selection is None or selection["BackupPlanId"] != plan_id:
            raise ResourceNotFoundException(msg=f"Failed reading backup selection {selection_id}")
        return selection

    def get_backup_selection(self):
        selection = get(self.backup_backend, self.path)
        return json.dumps({key: value for key, value in selection.items() if value is not None})

    def delete_backup_selection(self):
        selection = get(self.backup_backend, self.path)
        del _store(self.backup_backend, "selections")[selection["SelectionId"]]
        return "{}"

    def list_backup_selections(self):
        plan_id = _plan_id(self.path)
        members = [{"SelectionId": s["SelectionId"], "SelectionName": s["BackupSelection"]["SelectionName"],
                    "BackupPlanId": plan_id, "CreationDate": s["CreationDate"],
                    "IamRoleArn": s["BackupSelection"]["IamRoleArn"]}
                   for s in _store(self.backup_backend, "selections").values() if s["BackupPlanId"] == plan_id]
        return json.dumps({"BackupSelectionsList": members})

    original_delete_plan = BackupBackend.delete_backup_plan

    def delete_backup_plan(self, backup_plan_id):
        if any(s["BackupPlanId"] == backup_plan_id for s in _store(self, "selections").values()):
            raise InvalidRequestException(
                msg="Related backup plan selections must be deleted prior to backup plan deletion")
        return original_delete_plan(self, backup_plan_id)

    for handler in (create_backup_selection, get_backup_selection, delete_backup_selection, list_backup_selections):
        setattr(BackupResponse, handler.__name__, handler)
    BackupBackend.delete_backup_plan = delete_backup_plan


def deleted_plan_names() -> None:
    """The name of a deleted backup plan can be used again.

    AWS keeps a deleted plan only as history (ListBackupPlans with IncludeDeleted); CreateBackupPlan accepts its
    name for a new plan. moto compares the name with every plan it ever had, deleted ones included, so a plan that
    was destroyed cannot be created again in the same emulator (AlreadyExistsException).
    """
    original_create = BackupBackend.create_backup_plan

    def create_backup_plan(self, backup_plan, backup_plan_tags, creator_request_id):
        deleted = {plan_id: plan for plan_id, plan in self.plans.items() if plan.deletion_date is not None}
        for plan_id in deleted:
            del self.plans[plan_id]
        try:
            return original_create(self, backup_plan, backup_plan_tags, creator_request_id)
        finally:
            self.plans.update(deleted)

    BackupBackend.create_backup_plan = create_backup_plan


def vault_settings() -> None:
    """Vault access policies and vault notifications exist.

    AWS: PUT/GET/DELETE /backup-vaults/{name}/access-policy (Put/Get/DeleteBackupVaultAccessPolicy) and
    /backup-vaults/{name}/notification-configuration (Put/Get/DeleteBackupVaultNotifications), each answering
    ResourceNotFoundException when the vault or the setting does not exist. moto routes neither path (404), so
    aws_backup_vault_policy and aws_backup_vault_notifications never create. Stored, not enforced.
    """
    for path in ("{0}/backup-vaults/(?P<name>[^/]+)/access-policy$",
                 "{0}/backup-vaults/(?P<name>[^/]+)/notification-configuration$"):
        backup_urls.url_paths[path] = BackupResponse.dispatch

    def setting(store_name: str, fields: tuple[str, ...]):
        def put(self):
            vault = _vault(self.backup_backend, self.path)
            body = json.loads(self.body) if self.body else {}
            _store(self.backup_backend, store_name)[vault.backup_vault_name] = {key: body.get(key) for key in fields}
            return "{}"

        def get(self):
            vault = _vault(self.backup_backend, self.path)
            value = _store(self.backup_backend, store_name).get(vault.backup_vault_name)
            if value is None:
                raise ResourceNotFoundException(msg=f"Backup vault {vault.backup_vault_name} has no {store_name}")
            return json.dumps({"BackupVaultName": vault.backup_vault_name, "BackupVaultArn": vault.backup_vault_arn,
                               **value})

        def delete(self):
            vault = _vault(self.backup_backend, self.path)
            _store(self.backup_backend, store_name).pop(vault.backup_vault_name, None)
            return "{}"

        return put, get, delete

    for action, fields in (("backup_vault_access_policy", ("Policy",)),
                           ("backup_vault_notifications", ("SNSTopicArn", "BackupVaultEvents"))):
        put, get, delete = setting(action, fields)
        setattr(BackupResponse, f"put_{action}", put)
        setattr(BackupResponse, f"get_{action}", get)
        setattr(BackupResponse, f"delete_{action}", delete)

    original_delete_vault = BackupBackend.delete_backup_vault

    def delete_backup_vault(self, backup_vault_name):
        for store_name in ("backup_vault_access_policy", "backup_vault_notifications"):
            _store(self, store_name).pop(backup_vault_name, None)
        return original_delete_vault(self, backup_vault_name)

    BackupBackend.delete_backup_vault = delete_backup_vault


def apply() -> None:
    selections()
    deleted_plan_names()
    vault_settings()
