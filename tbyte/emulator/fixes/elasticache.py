"""ElastiCache: where moto's replication groups, subnet groups and parameter groups differ from AWS."""

from __future__ import annotations

import re

from moto.core.responses import ActionResult, EmptyResult
from moto.ec2.models import ec2_backends
from moto.elasticache.exceptions import ElastiCacheException, ReplicationGroupNotFound
from moto.elasticache.models import CacheCluster, ElastiCacheBackend
from moto.elasticache.responses import ElastiCacheResponse
from moto.utilities.utils import get_partition

# What AWS runs for a `<major>.x` request (the newest minor of that major); it reports the real version.
ACTUAL_VERSIONS = {"6.x": "6.2.6", "7.x": "7.1.0"}


class CacheParameterGroupNotFound(ElastiCacheException):
    code = "CacheParameterGroupNotFound"

    def __init__(self, name: str):
        super().__init__(f"CacheParameterGroup {name} not found.")


class CacheParameterGroupAlreadyExists(ElastiCacheException):
    code = "CacheParameterGroupAlreadyExists"

    def __init__(self, name: str):
        super().__init__(f"Parameter group {name} already exists.")


class InvalidCacheParameterGroupState(ElastiCacheException):
    code = "InvalidCacheParameterGroupState"

    def __init__(self, name: str):
        super().__init__(f"One or more cache clusters are still members of cache parameter group {name}, "
                         "so the group cannot be deleted.")


class CacheSubnetGroupInUse(ElastiCacheException):
    code = "CacheSubnetGroupInUse"

    def __init__(self, name: str):
        super().__init__(f"Cache subnet group {name} is currently in use by a cache cluster.")


def _parameter_groups(backend: ElastiCacheBackend) -> dict[str, dict]:
    return backend.__dict__.setdefault("_tbyte_parameter_groups", {})


def parameter_groups() -> None:
    """Cache parameter groups exist: create, describe, modify, reset, delete, and their parameters.

    AWS: CreateCacheParameterGroup, DescribeCacheParameterGroups, ModifyCacheParameterGroup,
    ResetCacheParameterGroup, DeleteCacheParameterGroup (refused while a cluster uses the group) and
    DescribeCacheParameters (each parameter with its Source; `Source=user` returns the ones set through
    ModifyCacheParameterGroup). moto has none of these actions, so aws_elasticache_parameter_group never creates
    (the provider retries the unknown action until it times out). The emulator stores the values set by the user
    only, so those are reported with Source `user` and any other Source filter returns nothing.
    """

    def group_view(backend: ElastiCacheBackend, group: dict) -> dict:
        return {key: group[key] for key in ("CacheParameterGroupName", "CacheParameterGroupFamily", "Description",
                                            "IsGlobal", "ARN")}

    def get(backend: ElastiCacheBackend, name: str) -> dict:
        group = _parameter_groups(backend).get(name)
        if group is None:
            raise CacheParameterGroupNotFound(name)
        return group

    def create_cache_parameter_group(self):
        backend = self.elasticache_backend
        name = self._get_param("CacheParameterGroupName")
        if name in _parameter_groups(backend):
            raise CacheParameterGroupAlreadyExists(name)
        arn = (f"arn:{get_partition(backend.region_name)}:elasticache:{backend.region_name}:{backend.account_id}"
               f":parametergroup:{name}")
        group = {"CacheParameterGroupName": name, "Description": self._get_param("Description"),
                 "CacheParameterGroupFamily": self._get_param("CacheParameterGroupFamily"), "IsGlobal": False,
                 "ARN": arn, "parameters": {}}
        _parameter_groups(backend)[name] = group
        return ActionResult({"CacheParameterGroup": group_view(backend, group)})

    def describe_cache_parameter_groups(self):
        backend = self.elasticache_backend
        name = self._get_param("CacheParameterGroupName")
        groups = [get(backend, name)] if name else list(_parameter_groups(backend).values())
        return ActionResult({"CacheParameterGroups": [group_view(backend, group) for group in groups]})

    def modify_cache_parameter_group(self):
        name = self._get_param("CacheParameterGroupName")
        group = get(self.elasticache_backend, name)
        for parameter in self._get_param("ParameterNameValues", []):
            group["parameters"][parameter["ParameterName"]] = parameter["ParameterValue"]
        return ActionResult({"CacheParameterGroupName": name})

    def reset_cache_parameter_group(self):
        name = self._get_param("CacheParameterGroupName")
        group = get(self.elasticache_backend, name)
        if self._get_bool_param("ResetAllParameters"):
            group["parameters"].clear()
        for parameter in self._get_param("ParameterNameValues", []):
            group["parameters"].pop(parameter["ParameterName"], None)
        return ActionResult({"CacheParameterGroupName": name})

    def delete_cache_parameter_group(self):
        backend = self.elasticache_backend
        name = self._get_param("CacheParameterGroupName")
        get(backend, name)
        if any(getattr(cluster, "cache_parameter_group_name", None) == name
               for cluster in backend.cache_clusters.values()):
            raise InvalidCacheParameterGroupState(name)
        del _parameter_groups(backend)[name]
        return EmptyResult()

    def describe_cache_parameters(self):
        group = get(self.elasticache_backend, self._get_param("CacheParameterGroupName"))
        source = self._get_param("Source")
        parameters = [{"ParameterName": name, "ParameterValue": value, "Source": "user", "DataType": "string",
                       "IsModifiable": True, "ChangeType": "immediate"}
                      for name, value in sorted(group["parameters"].items())]
        return ActionResult({"Parameters": parameters if source in (None, "user") else []})

    for handler in (create_cache_parameter_group, describe_cache_parameter_groups, modify_cache_parameter_group,
                    reset_cache_parameter_group, delete_cache_parameter_group, describe_cache_parameters):
        setattr(ElastiCacheResponse, handler.__name__, handler)


def subnet_groups() -> None:
    """Cache subnet groups can be modified and deleted.

    AWS: ModifyCacheSubnetGroup replaces the description and subnets; DeleteCacheSubnetGroup deletes a group no
    cluster uses (CacheSubnetGroupInUse otherwise). moto has neither action, so destroying
    aws_elasticache_subnet_group fails and a change of its subnets cannot be applied.
    """

    def modify_cache_subnet_group(self):
        backend = self.elasticache_backend
        name = self._get_param("CacheSubnetGroupName")
        (group,) = backend.describe_cache_subnet_groups(cache_subnet_group_name=name)
        subnet_ids = self._get_param("SubnetIds") or group.subnet_ids
        description = self._get_param("CacheSubnetGroupDescription") or group.cache_subnet_group_description
        replacement = type(group)(account_id=backend.account_id, region_name=backend.region_name,
                                  cache_subnet_group_name=name, cache_subnet_group_description=description,
                                  subnet_ids=subnet_ids, tags=group.tags)
        backend.cache_subnet_groups[name] = replacement
        return ActionResult({"CacheSubnetGroup": replacement})

    def delete_cache_subnet_group(self):
        backend = self.elasticache_backend
        name = self._get_param("CacheSubnetGroupName")
        backend.describe_cache_subnet_groups(cache_subnet_group_name=name)
        if any(cluster.cache_subnet_group_name == name for cluster in backend.cache_clusters.values()):
            raise CacheSubnetGroupInUse(name)
        del backend.cache_subnet_groups[name]
        return EmptyResult()

    ElastiCacheResponse.modify_cache_subnet_group = modify_cache_subnet_group
    ElastiCacheResponse.delete_cache_subnet_group = delete_cache_subnet_group


def _member_cluster(backend: ElastiCacheBackend, group, member: dict, params: dict) -> CacheCluster:
    """The cache cluster AWS creates for one node of a replication group, as DescribeCacheClusters reports it."""
    cluster = CacheCluster(
        account_id=backend.account_id, region_name=backend.region_name, cache_cluster_id=member["cache_cluster_id"],
        cache_node_type=group.cache_node_type, replication_group_id=group.replication_group_id, az_mode=None,
        preferred_availability_zone=member["preferred_availability_zone"], num_cache_nodes=1, engine="redis",
        engine_version=group.engine_version, cache_parameter_group_name=group.cache_parameter_group_name,
        cache_subnet_group_name=group.cache_subnet_group_name,
        transit_encryption_enabled=group.transit_encryption_enabled, network_type=group.network_type,
        ip_discovery=group.ip_discovery, snapshot_name=None,
        preferred_maintenance_window=group.preferred_maintenance_window,
        port=group.port, notification_topic_arn=group.notification_topic_arn,
        auto_minor_version_upgrade=group.auto_minor_version_upgrade,
        snapshot_retention_limit=group.snapshot_retention_limit, snapshot_window=group.snapshot_window,
        auth_token=params.get("AuthToken"), outpost_mode=None, preferred_outpost_arn=None,
        preferred_availability_zones=None, cache_security_group_names=None,
        security_group_ids=group.security_group_ids, tags=None, snapshot_arns=None, preferred_outpost_arns=None,
        log_delivery_configurations=[], cache_node_ids_to_remove=None, cache_node_ids_to_reboot=None,
    )
    cluster.at_rest_encryption_enabled = group.at_rest_encryption_enabled
    cluster.auth_token_enabled = group.auth_token_enabled
    _sync_member(cluster, group)
    return cluster


def _sync_member(cluster: CacheCluster, group) -> None:
    """Copy the settings AWS reports on every member cluster from its replication group."""
    cluster.engine_version = group.engine_version
    cluster.cache_node_type = group.cache_node_type
    cluster.preferred_maintenance_window = group.preferred_maintenance_window
    cluster.snapshot_window = group.snapshot_window
    cluster.snapshot_retention_limit = group.snapshot_retention_limit
    cluster.auto_minor_version_upgrade = group.auto_minor_version_upgrade
    cluster.notification_topic_arn = group.notification_topic_arn
    cluster.cache_parameter_group_name = group.cache_parameter_group_name
    cluster.cache_parameter_group = {"CacheParameterGroupName": group.cache_parameter_group_name,
                                     "ParameterApplyStatus": "in-sync", "CacheNodeIdsToReboot": []}
    cluster.security_group_ids = group.security_group_ids or []
    cluster.security_groups = [{"SecurityGroupId": sg, "Status": "active"} for sg in cluster.security_group_ids]


def _subnet_azs(backend: ElastiCacheBackend, subnet_group_name: str | None) -> list[str]:
    group = backend.cache_subnet_groups.get(subnet_group_name or "")
    if group is None:
        return []
    ec2 = ec2_backends[backend.account_id][backend.region_name]
    return sorted({ec2.get_subnet(subnet_id).availability_zone for subnet_id in group.subnet_ids})


def replication_groups() -> None:
    """Replication groups (cluster mode disabled) have the nodes, endpoints and life cycle AWS gives them.

    AWS: NumCacheClusters nodes (one primary, the rest replicas) in the subnet group's zones, each a cache cluster
    that DescribeCacheClusters reports with the group's settings (parameter group, security groups, encryption,
    AUTH, windows, the actual engine version such as 6.2.6 for `6.x`) and the group's tags; a reader endpoint next
    to the primary endpoint; ModifyReplicationGroup changes windows, parameter group, security groups, engine
    version, snapshot settings and the like; DeleteReplicationGroup deletes the group and its clusters (with an
    optional final snapshot). moto ignores NumCacheClusters (one node), creates no member clusters (the AWS
    provider reads the group's settings from the first member and fails), reports no reader endpoint (the provider
    dereferences it), applies only a few modifications and keeps a deleted group `deleting` forever (the provider
    waits for it to disappear).
    """
    original_create = ElastiCacheBackend.create_replication_group
    original_modify = ElastiCacheResponse.modify_replication_group

    def create_replication_group(self, **kwargs):
        if kwargs.get("cluster_mode") in (None, "disabled") and not kwargs.get("num_node_groups"):
            if kwargs.get("num_cache_clusters") and not kwargs.get("replicas_per_node_group"):
                kwargs["replicas_per_node_group"] = kwargs["num_cache_clusters"] - 1
            if not kwargs.get("preferred_cache_cluster_azs"):
                kwargs["preferred_cache_cluster_azs"] = _subnet_azs(self, kwargs.get("cache_subnet_group_name"))
        if kwargs.get("engine_version") in ACTUAL_VERSIONS:
            kwargs["engine_version"] = ACTUAL_VERSIONS[kwargs["engine_version"]]
        if kwargs.get("preferred_maintenance_window"):
            kwargs["preferred_maintenance_window"] = kwargs["preferred_maintenance_window"].lower()
        group = original_create(self, **kwargs)
        for node_group in group.node_groups:
            if "primary_endpoint" in node_group:
                address = node_group["reader_endpoint_address"]
                node_group["reader_endpoint"] = {"address": address, "port": group.port}
        members = [member for node_group in group.node_groups for member in node_group["node_group_members"]]
        tags = kwargs.get("tags") or []
        for member in members:
            cluster = _member_cluster(self, group, member, {"AuthToken": kwargs.get("auth_token")})
            self.cache_clusters[cluster.cache_cluster_id] = cluster
            if tags:
                self.tagging_service.tag_resource(cluster.arn, tags)
        return group

    def modify_replication_group(self):
        backend = self.elasticache_backend
        group_id = self._get_param("ReplicationGroupId")
        result = original_modify(self)
        group = backend.replication_groups[group_id]
        settings = {
            "PreferredMaintenanceWindow": "preferred_maintenance_window",
            "SnapshotWindow": "snapshot_window",
            "CacheParameterGroupName": "cache_parameter_group_name",
            "NotificationTopicArn": "notification_topic_arn",
            "EngineVersion": "engine_version",
        }
        for param, attribute in settings.items():
            value = self._get_param(param)
            if value is not None:
                if param == "PreferredMaintenanceWindow":
                    value = value.lower()
                if param == "EngineVersion":
                    value = ACTUAL_VERSIONS.get(value, value)
                setattr(group, attribute, value)
        if self._get_param("SecurityGroupIds") is not None:
            group.security_group_ids = self._get_param("SecurityGroupIds")
        if self._get_param("AutoMinorVersionUpgrade") is not None:
            group.auto_minor_version_upgrade = self._get_bool_param("AutoMinorVersionUpgrade")
        for member_id in group.member_clusters:
            if member_id in backend.cache_clusters:
                _sync_member(backend.cache_clusters[member_id], group)
        return result

    def delete_replication_group(self, replication_group_id, retain_primary_cluster):
        if replication_group_id not in self.replication_groups:
            raise ReplicationGroupNotFound(replication_group_id)
        group = self.replication_groups.pop(replication_group_id)
        group.status = "deleting"
        for member_id in group.member_clusters:
            cluster = self.cache_clusters.pop(member_id, None)
            if cluster is not None:
                self.tagging_service.delete_all_tags_for_resource(cluster.arn)
        self.tagging_service.delete_all_tags_for_resource(group.arn)
        return group

    original_delete_response = ElastiCacheResponse.delete_replication_group

    def delete_replication_group_response(self):
        final_snapshot = self._get_param("FinalSnapshotIdentifier")
        group_id = self._get_param("ReplicationGroupId")
        if final_snapshot and group_id in self.elasticache_backend.replication_groups:
            self.elasticache_backend.create_snapshot(snapshot_name=final_snapshot, replication_group_id=group_id,
                                                     cache_cluster_id=None, kms_key_id=None, tags=None)
        return original_delete_response(self)

    ElastiCacheBackend.create_replication_group = create_replication_group
    ElastiCacheBackend.delete_replication_group = delete_replication_group
    ElastiCacheResponse.modify_replication_group = modify_replication_group
    ElastiCacheResponse.delete_replication_group = delete_replication_group_response


def account_less_arns() -> None:
    """Tags of an ElastiCache resource can be read and changed through an ARN without the account ID.

    Provider 3.x builds the ARN of a replication group's first member cluster itself (for its tags) from the
    account ID it looked up; the `local` provider skips that lookup (skip_requesting_account_id in
    terragrunt/root.hcl), so the ARN has an empty account field (`arn:aws:elasticache:eu-central-1::cluster:x-001`).
    AWS never sees such an ARN (AWS environments look the account up); the emulator, which has one account, reads
    it as its own instead of reporting no tags, which the provider would otherwise plan to add on every run.
    """
    pattern = re.compile(r"^(arn:[^:]+:elasticache:[^:]*:):(.*)$")

    def with_account(backend: ElastiCacheBackend, arn: str) -> str:
        match = pattern.match(arn or "")
        return f"{match.group(1)}{backend.account_id}:{match.group(2)}" if match else arn

    for name in ("list_tags_for_resource", "add_tags_to_resource", "remove_tags_from_resource"):
        original = getattr(ElastiCacheBackend, name)

        def wrapper(self, arn, *args, _original=original):
            return _original(self, with_account(self, arn), *args)

        setattr(ElastiCacheBackend, name, wrapper)


def apply() -> None:
    account_less_arns()
    parameter_groups()
    subnet_groups()
    replication_groups()
