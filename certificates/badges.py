"""Open Badges 3.0 credentials for certificates, signed as a compact JWS (VC-JWT).

OB 3.0 (1EdTech) lets a credential be secured by a JSON Web Token: the JWT's payload carries
the W3C Verifiable Credential (type ["VerifiableCredential", "OpenBadgeCredential"]) in its
`vc` claim, with `iss`, `jti`, `nbf` and `exp` mirroring the credential, and a header naming
the key (`kid`) in the issuer's published key set (`/verify/keys.json`, a JWKS). That avoids
the RDF canonicalisation the Data Integrity proofs (`eddsa-rdfc-2022`) would need. The key is
the certificate signer's (RS256 for RSA keys, ES256 for P-256), so a badge verifies against
the same keys the PDFs are signed with. The JWT is made when the PDF is signed and stored, so
web servers never touch the key; the live status (revoked, superseded, expired) is at the
credential's `id`, the verification URL (JSON with `Accept: application/json`)."""

import base64
import json
from datetime import datetime, time

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from lms.site_url import site_url

from .links import certificate_site_url
from .models import Certificate, SigningCertificate
from .signing import SigningSession, certificate_fingerprint, jws_algorithm

OB3_CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


class BadgeError(Exception):
    """A badge token that is malformed, signed by an unknown key or not intact."""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def issuer_id(base: str | None = None) -> str:
    return (base or site_url()) + reverse("certificates:verify_issuer")


def keys_url(base: str | None = None) -> str:
    return (base or site_url()) + reverse("certificates:verify_keys")


def key_id(fingerprint: str, base: str | None = None) -> str:
    return f"{keys_url(base)}#{fingerprint}"


def _moment(day, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def openbadge_credential(*, certificate: Certificate) -> dict:
    """The certificate as an OpenBadgeCredential (W3C VC 2.0 data model)."""
    template = certificate.template
    base = certificate_site_url(certificate=certificate)
    credential_id = base + reverse("certificates:verify", args=[certificate.verification_code])
    competencies = [
        f"{c.get('code', '')} {c.get('title', '')} ({c.get('level', '')})".strip()
        for c in certificate.competencies
    ]
    return {
        "@context": OB3_CONTEXT,
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": template.title,
        "issuer": {"id": issuer_id(base), "type": ["Profile"], "name": template.issuer},
        "validFrom": _moment(certificate.issued_on, time.min).isoformat(),
        "validUntil": _moment(certificate.valid_until, time(23, 59, 59)).isoformat(),
        "awardedDate": _moment(certificate.issued_on, time.min).isoformat(),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": certificate.holder_name,
                }
            ],
            "achievement": {
                "id": f"{issuer_id(base)}#achievement-{template.pk}",
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": template.title,
                "description": f"{template.title} – {template.issuer}",
                "criteria": {"narrative": "; ".join(competencies) or template.title},
                "tag": [c.get("code", "") for c in certificate.competencies],
            },
        },
        "credentialSchema": [
            {
                "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
                "ob_v3p0_achievementcredential_schema.json",
                "type": "1EdTechJsonSchemaValidator2019",
            }
        ],
    }


def openbadge_jwt(*, certificate: Certificate, session: SigningSession) -> str:
    """The credential as a VC-JWT signed by the session's key."""
    credential = openbadge_credential(certificate=certificate)
    header = {
        "alg": jws_algorithm(session.certificate),
        "typ": "JWT",
        "kid": key_id(
            certificate_fingerprint(session.certificate),
            certificate_site_url(certificate=certificate),
        ),
    }
    payload = {
        "iss": credential["issuer"]["id"],
        "jti": credential["id"],
        "nbf": int(_moment(certificate.issued_on, time.min).timestamp()),
        "exp": int(_moment(certificate.valid_until, time(23, 59, 59)).timestamp()),
        "iat": int(timezone.now().timestamp()),
        "vc": credential,
    }
    signing_input = ".".join(
        b64url(json.dumps(part, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        for part in (header, payload)
    )
    signature = session.sign_jws_input(signing_input.encode("ascii"))
    return f"{signing_input}.{b64url(signature)}"


# --- the published keys ----------------------------------------------------------------------


def _public_key(row: SigningCertificate):
    der = pem.unarmor(row.pem.encode())[2]
    return x509.load_der_x509_certificate(der).public_key(), der


def _int_b64(value: int) -> str:
    return b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))


def signing_keys_jwks() -> dict:
    """Every key that has signed certificates, as a JWK Set (kid = the certificate's SHA-256);
    `x5c` carries the X.509 certificate the PDF signatures name."""
    keys = []
    for row in SigningCertificate.objects.order_by("created_at"):
        public, der = _public_key(row)
        jwk = {"kid": row.fingerprint, "use": "sig", "x5c": [base64.b64encode(der).decode()]}
        if isinstance(public, rsa.RSAPublicKey):
            numbers = public.public_numbers()
            jwk.update(kty="RSA", alg="RS256", n=_int_b64(numbers.n), e=_int_b64(numbers.e))
        elif isinstance(public, ec.EllipticCurvePublicKey):
            numbers = public.public_numbers()
            jwk.update(
                kty="EC",
                alg="ES256",
                crv="P-256",
                x=b64url(numbers.x.to_bytes(32, "big")),
                y=b64url(numbers.y.to_bytes(32, "big")),
            )
        else:
            continue
        keys.append(jwk)
    return {"keys": keys}


def openbadge_verify(token: str) -> dict:
    """The payload of a badge JWT whose signature is intact and made by one of the published
    keys; BadgeError otherwise."""
    try:
        header_b64, payload_b64, signature_b64 = token.strip().split(".")
        header = json.loads(b64url_decode(header_b64))
        payload = json.loads(b64url_decode(payload_b64))
        signature = b64url_decode(signature_b64)
    except (ValueError, TypeError) as exc:
        raise BadgeError("not a compact JWS") from exc
    fingerprint = str(header.get("kid", "")).rsplit("#", 1)[-1]
    row = SigningCertificate.objects.filter(fingerprint=fingerprint).first()
    if row is None:
        raise BadgeError("signed by an unknown key")
    public, der = _public_key(row)
    signing_input = f"{header_b64}.{payload_b64}".encode("ascii")
    expected = jws_algorithm(asn1_x509.Certificate.load(der))
    if header.get("alg") != expected:
        raise BadgeError("unexpected algorithm")
    try:
        if expected == "RS256":
            public.verify(signature, signing_input, PKCS1v15(), hashes.SHA256())
        else:
            r = int.from_bytes(signature[:32], "big")
            s = int.from_bytes(signature[32:], "big")
            public.verify(encode_dss_signature(r, s), signing_input, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature as exc:
        raise BadgeError("the signature does not match") from exc
    return payload


def issuer_profile(*, request=None) -> dict:
    base = site_url(request)
    return {
        "@context": OB3_CONTEXT,
        "id": issuer_id(base),
        "type": ["Profile"],
        "name": settings.CERTIFICATE_SIGNER_ORGANISATION,
        "url": base,
    }
