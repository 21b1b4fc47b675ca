"""Identities of a cluster that authenticates with client certificates (the local control plane): a kubeconfig
for a user in groups, its certificate (CN = user, O = groups) signed by the cluster's CA. On EKS the same
users and groups come from the access entries of the group roles instead.

    client_kubeconfig(ca_cert, ca_key, server, user, groups, directory, context) -> Path
"""

from __future__ import annotations

import datetime
from pathlib import Path

import yaml

from tbyte.core.files import write_private

VALIDITY = datetime.timedelta(hours=12)


def client_kubeconfig(ca_cert: Path, ca_key: Path, server: str, user: str, groups: tuple[str, ...],
                      directory: Path, context: str) -> Path:
    """A kubeconfig (0600, in `directory`) whose client certificate says `user` in `groups`."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    authority = x509.load_pem_x509_certificate(Path(ca_cert).read_bytes())
    signer = serialization.load_pem_private_key(Path(ca_key).read_bytes(), password=None)
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.UTC)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, user)]
                        + [x509.NameAttribute(NameOID.ORGANIZATION_NAME, group) for group in groups])
    certificate = (x509.CertificateBuilder().subject_name(subject).issuer_name(authority.subject)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + VALIDITY)
                   .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                   .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
                   .sign(signer, hashes.SHA256()))
    stem = user.replace(":", "-")
    certificate_file = write_private(directory / f"{stem}.crt", certificate.public_bytes(serialization.Encoding.PEM))
    key_file = write_private(directory / f"{stem}.key", key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    config = {
        "apiVersion": "v1", "kind": "Config", "current-context": context,
        "clusters": [{"name": context, "cluster": {"server": server, "certificate-authority": str(ca_cert)}}],
        "users": [{"name": user, "user": {"client-certificate": str(certificate_file),
                                          "client-key": str(key_file)}}],
        "contexts": [{"name": context, "context": {"cluster": context, "user": user}}],
    }
    return write_private(directory / f"{stem}.kubeconfig", yaml.safe_dump(config, sort_keys=False))
