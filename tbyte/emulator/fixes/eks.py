"""EKS: where moto's control plane differs from AWS."""

import base64
import os
from pathlib import Path

from moto.core.responses import ActionResult
from moto.core.utils import utcnow
from moto.ec2.models import ec2_backends
from moto.eks import urls as eks_urls
from moto.eks.exceptions import ResourceNotFoundException
from moto.eks.models import EKSBackend, Nodegroup
from moto.eks.responses import EKSResponse
from moto.moto_api._internal import mock_random as random

ENDPOINT_VARIABLE = "TBYTE_LOCAL_KUBE_ENDPOINT"
CA_VARIABLE = "TBYTE_LOCAL_KUBE_CA_FILE"


def cluster_security_group() -> None:
    """EKS creates a cluster security group in the cluster's VPC and reports it (and the VPC) in resourcesVpcConfig.

    AWS: CreateCluster creates `eks-cluster-sg-<name>-<suffix>` (all traffic from itself in, everything out, tagged
    aws:eks:cluster-name and kubernetes.io/cluster/<name>=owned); DescribeCluster returns its ID as
    resourcesVpcConfig.clusterSecurityGroupId, the VPC as vpcId and publicAccessCidrs ["0.0.0.0/0"] when none were
    given; DeleteCluster deletes the group. moto echoes the request's resourcesVpcConfig, so the provider reads
    cluster_security_group_id = "" and vpc_id = "" (nodes and rules that reference the group then fail).
    """
    original_create = EKSBackend.create_cluster
    original_delete = EKSBackend.delete_cluster

    def create_cluster(self, name, role_arn, resources_vpc_config, *args, **kwargs):
        cluster = original_create(self, name, role_arn, resources_vpc_config, *args, **kwargs)
        config = cluster.resources_vpc_config
        ec2 = ec2_backends[self.account_id][self.region_name]
        vpc_id = ec2.get_subnet(config["subnetIds"][0]).vpc_id
        group = ec2.create_security_group(
            name=f"eks-cluster-sg-{name}-{random.get_random_string(10, lower_case=True)}"[:255],
            description="EKS created security group applied to ENI that is attached to EKS Control Plane master "
            "nodes, as well as any managed workloads.",
            vpc_id=vpc_id,
            tags={"Name": f"eks-cluster-sg-{name}", "aws:eks:cluster-name": name,
                  f"kubernetes.io/cluster/{name}": "owned"},
        )
        ec2.authorize_security_group_ingress(
            group_name_or_id=group.id, ip_protocol="-1", from_port=None, to_port=None, ip_ranges=[],
            source_groups=[{"GroupId": group.id}], vpc_id=vpc_id,
        )
        config.setdefault("securityGroupIds", [])
        config.setdefault("publicAccessCidrs", ["0.0.0.0/0"])
        config["clusterSecurityGroupId"] = group.id
        config["vpcId"] = vpc_id
        return cluster

    def delete_cluster(self, name):
        cluster = original_delete(self, name)
        group_id = cluster.resources_vpc_config.get("clusterSecurityGroupId")
        if group_id:
            ec2_backends[self.account_id][self.region_name].delete_security_group(group_id=group_id)
        return cluster

    EKSBackend.create_cluster = create_cluster
    EKSBackend.delete_cluster = delete_cluster


def local_control_plane() -> None:
    """A cluster's endpoint and certificate authority are those of a real Kubernetes API server.

    AWS: DescribeCluster returns the API server's URL and the base64 PEM of the CA that signed its certificate,
    and clients (kubeconfigs, helm) connect there. moto invents both (a host that does not resolve, random
    bytes). When the local control plane's endpoint and CA file are given to the emulator
    (TBYTE_LOCAL_KUBE_ENDPOINT, TBYTE_LOCAL_KUBE_CA_FILE, set by the tasks), a new cluster reports them.
    """
    original_create = EKSBackend.create_cluster

    def create_cluster(self, *args, **kwargs):
        cluster = original_create(self, *args, **kwargs)
        endpoint, ca_file = os.environ.get(ENDPOINT_VARIABLE), os.environ.get(CA_VARIABLE)
        if endpoint and ca_file and Path(ca_file).is_file():
            cluster.endpoint = endpoint
            cluster.certificate_authority = {"data": base64.b64encode(Path(ca_file).read_bytes()).decode()}
        return cluster

    EKSBackend.create_cluster = create_cluster


def _updates(backend) -> dict:
    """Updates by (cluster, node group or None, update id), for DescribeUpdate."""
    return backend.__dict__.setdefault("_tbyte_updates", {})


def _record(backend, cluster: str, nodegroup: str | None, update_type: str, params: list[dict]) -> dict:
    # AWS reports InProgress first; completing at once is what an emulator can honestly do.
    update = {"id": str(random.uuid4()), "status": "Successful", "type": update_type, "createdAt": utcnow(),
              "params": params, "errors": []}
    _updates(backend)[(cluster, nodegroup, update["id"])] = update
    return update


def _not_found(message: str, cluster: str, nodegroup: str | None = None) -> ResourceNotFoundException:
    return ResourceNotFoundException(clusterName=cluster, nodegroupName=nodegroup, fargateProfileName=None,
                                     addonName=None, message=message)


def updates() -> None:
    """Cluster and node group updates return an `update` that DescribeUpdate follows to Successful.

    AWS merges UpdateClusterConfig's resourcesVpcConfig (endpoint access, public CIDRs) into the cluster's and
    answers {"update": {...}}; UpdateClusterVersion, UpdateNodegroupVersion and DescribeUpdate exist. moto replaces
    the whole resourcesVpcConfig with the partial request (subnetIds and securityGroupIds vanish, so the next plan
    replaces the cluster), answers {"cluster": ...} ("config update ID: empty response"), and has no route for
    UpdateClusterVersion, UpdateNodegroupVersion or DescribeUpdate (404: the provider retries for 60 minutes).
    """
    dispatch = eks_urls.response.dispatch
    eks_urls.url_paths["{0}/clusters/(?P<name>[^/]+)/updates$"] = dispatch
    eks_urls.url_paths["{0}/clusters/(?P<name>[^/]+)/updates/(?P<updateId>[^/]+)$"] = dispatch
    eks_urls.url_paths["{0}/clusters/(?P<name>[^/]+)/node-groups/(?P<nodegroupName>[^/]+)/update-version$"] = dispatch

    def update_cluster_config(self):
        name = self._get_param("name")
        cluster = self.eks_backend.describe_cluster(name=name)  # ResourceNotFoundException as AWS
        vpc_config = self._get_param("resourcesVpcConfig")
        logging = self._get_param("logging")
        if vpc_config:
            cluster.resources_vpc_config.update(vpc_config)
            params = [{"type": key[0].upper() + key[1:], "value": str(value)} for key, value in vpc_config.items()]
            update = _record(self.eks_backend, name, None, "EndpointAccessUpdate", params)
        else:
            if logging:
                cluster.logging = logging
            update = _record(self.eks_backend, name, None, "LoggingUpdate",
                             [{"type": "ClusterLogging", "value": str(logging)}])
        return ActionResult({"update": update})

    def update_cluster_version(self):
        name = self._get_param("name")
        cluster = self.eks_backend.describe_cluster(name=name)
        cluster.version = self._get_param("version")
        return ActionResult({"update": _record(self.eks_backend, name, None, "VersionUpdate",
                                               [{"type": "Version", "value": cluster.version}])})

    original_nodegroup_config = EKSBackend.update_nodegroup_config

    def update_nodegroup_config(self, cluster_name, nodegroup_name, *args, **kwargs):
        update = original_nodegroup_config(self, cluster_name, nodegroup_name, *args, **kwargs)
        _updates(self)[(cluster_name, nodegroup_name, update["id"])] = update
        return update

    def update_nodegroup_version(self):
        cluster_name, nodegroup_name = self._get_param("name"), self._get_param("nodegroupName")
        cluster = self.eks_backend.clusters.get(cluster_name)
        if cluster is None or nodegroup_name not in cluster.nodegroups:
            raise _not_found(f"No node group found for name: {nodegroup_name}.", cluster_name, nodegroup_name)
        nodegroup = cluster.nodegroups[nodegroup_name]
        params = []
        if self._get_param("launchTemplate"):
            nodegroup.launch_template.update(self._get_param("launchTemplate"))
            params.append({"type": "LaunchTemplateVersion", "value": str(nodegroup.launch_template.get("version"))})
        for field, kind in (("version", "Version"), ("releaseVersion", "ReleaseVersion")):
            if self._get_param(field):
                setattr(nodegroup, "version" if field == "version" else "release_version", self._get_param(field))
                params.append({"type": kind, "value": self._get_param(field)})
        nodegroup.modified_at = utcnow()
        return ActionResult({"update": _record(self.eks_backend, cluster_name, nodegroup_name, "VersionUpdate",
                                               params)})

    def describe_update(self):
        name, nodegroup = self._get_param("name"), self._get_param("nodegroupName")
        update = _updates(self.eks_backend).get((name, nodegroup, self._get_param("updateId")))
        if update is None:
            raise _not_found(f"No update found for ID: {self._get_param('updateId')}.", name, nodegroup)
        return ActionResult({"update": update})

    EKSBackend.update_nodegroup_config = update_nodegroup_config
    EKSResponse.update_cluster_config = update_cluster_config
    EKSResponse.update_cluster_version = update_cluster_version
    EKSResponse.update_nodegroup_version = update_nodegroup_version
    EKSResponse.describe_update = describe_update


def nodegroup_remote_access_only_when_asked() -> None:
    """A node group has remote access only when CreateNodegroup asked for it.

    moto invents {"ec2SshKey": "eksKeypair"} and a remoteAccessSecurityGroup for every node group; remote_access is
    ForceNew in the provider, so every plan replaced the node groups.
    """
    original = Nodegroup.__init__

    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        if not kwargs.get("remote_access"):
            self.remote_access = None
            self.resources.pop("remoteAccessSecurityGroup", None)

    Nodegroup.__init__ = __init__


def apply() -> None:
    cluster_security_group()
    local_control_plane()
    updates()
    nodegroup_remote_access_only_when_asked()
