"""EKS: where moto's control plane differs from AWS."""

from moto.core.responses import ActionResult
from moto.core.utils import utcnow
from moto.ec2.models import ec2_backends
from moto.eks import urls as eks_urls
from moto.eks.models import EKSBackend
from moto.eks.responses import EKSResponse
from moto.moto_api._internal import mock_random as random


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


def cluster_updates() -> None:
    """UpdateClusterConfig / UpdateClusterVersion return an `update` that DescribeUpdate follows to Successful.

    AWS merges UpdateClusterConfig's resourcesVpcConfig (endpoint access, public CIDRs) into the cluster's and
    answers {"update": {"id", "status": "InProgress", "type": "EndpointAccessUpdate" | "LoggingUpdate", ...}}.
    moto replaces the whole resourcesVpcConfig with the partial request (subnetIds and securityGroupIds vanish, so
    the next plan replaces the cluster), answers {"cluster": ...} (the provider fails with "error determining EKS
    Cluster (...) config update ID: empty response") and has no DescribeUpdate nor UpdateClusterVersion route.
    """
    eks_urls.url_paths["{0}/clusters/(?P<name>[^/]+)/updates$"] = eks_urls.response.dispatch
    eks_urls.url_paths["{0}/clusters/(?P<name>[^/]+)/updates/(?P<updateId>[^/]+)$"] = eks_urls.response.dispatch

    def _record(backend, name, update_type, params):
        update = {"id": str(random.uuid4()), "status": "Successful", "type": update_type, "createdAt": utcnow(),
                  "params": [{"type": key, "value": value} for key, value in params.items()], "errors": []}
        updates = backend.__dict__.setdefault("_tbyte_cluster_updates", {})
        updates.setdefault(name, {})[update["id"]] = update
        return update

    def update_cluster_config(self):
        name = self._get_param("name")
        cluster = self.eks_backend.describe_cluster(name=name)  # ResourceNotFoundException as AWS
        vpc_config = self._get_param("resourcesVpcConfig")
        logging = self._get_param("logging")
        if vpc_config:
            cluster.resources_vpc_config.update(vpc_config)
            update = _record(self.eks_backend, name, "EndpointAccessUpdate",
                             {k[0].upper() + k[1:]: str(v) for k, v in vpc_config.items()})
        else:
            if logging:
                cluster.logging = logging
            update = _record(self.eks_backend, name, "LoggingUpdate", {"ClusterLogging": str(logging)})
        return ActionResult({"update": update})

    def update_cluster_version(self):
        name = self._get_param("name")
        cluster = self.eks_backend.describe_cluster(name=name)
        cluster.version = self._get_param("version")
        return ActionResult({"update": _record(self.eks_backend, name, "VersionUpdate", {"Version": cluster.version})})

    def describe_update(self):
        name = self._get_param("name")
        self.eks_backend.describe_cluster(name=name)
        updates = self.eks_backend.__dict__.get("_tbyte_cluster_updates", {}).get(name, {})
        return ActionResult({"update": updates[self._get_param("updateId")]})

    EKSResponse.update_cluster_config = update_cluster_config
    EKSResponse.update_cluster_version = update_cluster_version
    EKSResponse.describe_update = describe_update


def apply() -> None:
    cluster_security_group()
    cluster_updates()
