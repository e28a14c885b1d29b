"""The publication's key pair: made on first use, kept in the database so every worker
and node signs with the same one."""

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.db import IntegrityError, transaction

from masthead.federation.models import ActorKey


def site_key() -> ActorKey:
    key = ActorKey.objects.order_by("pk").first()
    if key is not None:
        return key
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public_pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    try:
        # pk=1: two workers making a key at once keep the first one written.
        with transaction.atomic():
            ActorKey.objects.create(pk=1, private_pem=private_pem, public_pem=public_pem)
    except IntegrityError:
        pass
    return ActorKey.objects.order_by("pk").first()
