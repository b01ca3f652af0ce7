"""Open Badges 3.0: a signed VC-JWT per certificate, downloaded by the holder and HR, verified
against the published keys."""

import base64
import json

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicNumbers
from django.urls import reverse

from certificates.badges import BadgeError, b64url_decode, openbadge_verify
from certificates.services import certificate_issue, certificate_render_pdf
from tests.certificates.factories import CertificateTemplateFactory
from tests.staff.factories import StaffRecordFactory, hr_officer_of


@pytest.fixture
def certificate(provinces):
    issued = certificate_issue(
        staff=StaffRecordFactory(full_name="Trịnh Thị Hoa", org_unit=provinces["ward"]),
        template=CertificateTemplateFactory(title="Chứng chỉ Đo lường", issuer="Bộ KH&CN"),
        basis="manual:1",
        competencies=[{"code": "MET-01", "title": "Đo lường", "level": "2. Vận dụng"}],
    )
    return certificate_render_pdf(certificate_id=issued.pk)


def parts(token):
    header, payload, signature = token.split(".")
    return json.loads(b64url_decode(header)), json.loads(b64url_decode(payload)), signature


def test_the_badge_is_an_open_badges_3_credential(certificate):
    header, payload, _ = parts(certificate.badge_jwt)
    assert header["alg"] == "RS256" and header["typ"] == "JWT"
    vc = payload["vc"]
    assert vc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert vc["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert "ob/v3p0" in vc["@context"][1]
    assert vc["id"].endswith(reverse("certificates:verify", args=[certificate.verification_code]))
    assert payload["jti"] == vc["id"] and payload["iss"] == vc["issuer"]["id"]
    assert vc["issuer"]["name"] == "Bộ KH&CN"
    subject = vc["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["identifier"][0]["identityHash"] == "Trịnh Thị Hoa"
    assert subject["achievement"]["name"] == "Chứng chỉ Đo lường"
    assert "MET-01 Đo lường (2. Vận dụng)" in subject["achievement"]["criteria"]["narrative"]
    assert vc["validFrom"].startswith(certificate.issued_on.isoformat())
    assert vc["validUntil"].startswith(certificate.valid_until.isoformat())
    assert payload["nbf"] < payload["exp"]


def test_the_badge_verifies_against_the_published_key_set(client, certificate):
    jwks = client.get(reverse("certificates:verify_keys")).json()
    header, _, signature = parts(certificate.badge_jwt)
    (key,) = [k for k in jwks["keys"] if header["kid"].endswith("#" + k["kid"])]
    # independently of our code: the RSA key from the JWK, PKCS#1 v1.5 with SHA-256
    public = RSAPublicNumbers(
        int.from_bytes(b64url_decode(key["e"]), "big"),
        int.from_bytes(b64url_decode(key["n"]), "big"),
    ).public_key()
    signing_input = certificate.badge_jwt.rsplit(".", 1)[0].encode()
    public.verify(b64url_decode(signature), signing_input, PKCS1v15(), hashes.SHA256())
    # and the x5c certificate is the one that signs the PDFs
    x5c = x509.load_der_x509_certificate(base64.b64decode(key["x5c"][0]))
    assert x5c.public_key().public_numbers() == public.public_numbers()
    assert key["kid"] == certificate.signed_by.fingerprint
    assert (
        openbadge_verify(certificate.badge_jwt)["vc"]["id"]
        == parts(certificate.badge_jwt)[1]["jti"]
    )


def test_a_tampered_badge_does_not_verify(certificate):
    header, payload, signature = certificate.badge_jwt.split(".")
    claims = json.loads(b64url_decode(payload))
    claims["vc"]["credentialSubject"]["identifier"][0]["identityHash"] = "Kẻ Mạo Danh"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    with pytest.raises(BadgeError):
        openbadge_verify(f"{header}.{forged}.{signature}")
    with pytest.raises(BadgeError):
        openbadge_verify("not.a-jwt")


def test_the_issuer_profile_is_published(client, certificate, settings):
    settings.SITE_URL_FROM_REQUEST = False  # SITE_URL configured, as in production
    profile = client.get(reverse("certificates:verify_issuer")).json()
    assert profile["type"] == ["Profile"]
    assert profile["id"] == parts(certificate.badge_jwt)[1]["iss"]


def test_without_site_url_the_issuer_profile_names_the_address_it_is_reached_at(
    client, db, settings
):
    settings.ALLOWED_HOSTS = ["192.168.1.20", "testserver"]
    profile = client.get(
        reverse("certificates:verify_issuer"), HTTP_HOST="192.168.1.20:8000"
    ).json()
    assert profile["id"] == "http://192.168.1.20:8000" + reverse("certificates:verify_issuer")


@pytest.mark.parametrize(
    ("who", "expected"), [("holder", 200), ("hr_hanoi", 200), ("hr_caobang", 404), ("other", 404)]
)
def test_the_badge_is_downloaded_by_the_holder_and_hr_in_scope_only(
    client, certificate, provinces, who, expected
):
    user = {
        "holder": certificate.staff.user,
        "hr_hanoi": hr_officer_of(provinces["hanoi"]),
        "hr_caobang": hr_officer_of(provinces["caobang"]),
        "other": StaffRecordFactory(org_unit=provinces["ward"]).user,
    }[who]
    client.force_login(user)
    response = client.get(reverse("certificates:openbadge", args=[certificate.pk]))
    assert response.status_code == expected
    if expected == 200:
        assert response.content.decode() == certificate.badge_jwt
        assert response["Content-Type"] == "application/jwt"


def test_my_certificates_offers_the_badge(client, certificate):
    client.force_login(certificate.staff.user)
    html = client.get(reverse("certificates:my_certificates")).content.decode()
    assert reverse("certificates:openbadge", args=[certificate.pk]) in html
