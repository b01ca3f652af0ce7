import pytest
from allauth.mfa.models import Authenticator

from tests.staff.factories import OrgUnitFactory, UserFactory


@pytest.fixture
def provinces(roles):
    """Hà Nội (with Phường Ba Đình) and Cao Bằng (with Xã Trà Lĩnh) under the ministry."""
    ministry = OrgUnitFactory(code="BKHCN", kind="ministry")
    hanoi = OrgUnitFactory(code="01", name="Hà Nội", parent=ministry)
    caobang = OrgUnitFactory(code="04", name="Cao Bằng", parent=ministry)
    ward = OrgUnitFactory(code="01-BD", name="Phường Ba Đình", kind="ward", parent=hanoi)
    commune = OrgUnitFactory(code="04-TN", name="Xã Trà Lĩnh", kind="commune", parent=caobang)
    return {"hanoi": hanoi, "caobang": caobang, "ward": ward, "commune": commune}


@pytest.fixture
def admin_user(roles):
    """A superuser who has enrolled TOTP (administrators must)."""
    user = UserFactory(username="quantri", is_superuser=True, is_staff=True)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user
