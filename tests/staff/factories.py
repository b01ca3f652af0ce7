import factory
from django.contrib.auth import get_user_model

from staff.models import OrgUnit, Position, StaffRecord


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.vn")
    password = factory.django.Password("pw-12345-test")


class OrgUnitFactory(factory.django.DjangoModelFactory):
    """Org units live in a treebeard tree: created through add_root/add_child."""

    class Meta:
        model = OrgUnit

    code = factory.Sequence(lambda n: f"U{n:05d}")
    name = factory.Sequence(lambda n: f"Đơn vị {n}")
    kind = OrgUnit.Kind.PROVINCE
    parent = None

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        return parent.add_child(**kwargs) if parent else model_class.add_root(**kwargs)


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"POS-{n}")
    name = factory.Sequence(lambda n: f"Vị trí {n}")
    level = Position.Level.COMMUNE


class StaffRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffRecord

    personnel_number = factory.Sequence(lambda n: f"NV{n:06d}")
    full_name = "Nguyễn Thị Thu Hương"
    org_unit = factory.SubFactory(OrgUnitFactory)
    position = factory.SubFactory(PositionFactory)
    user = factory.SubFactory(UserFactory)


def hr_officer_of(unit):
    """A user with the HR officer role whose scope is `unit`'s subtree (roles must be synced)."""
    from staff.roles import Role
    from staff.services import hr_assignment_grant, user_role_grant

    user = UserFactory()
    user_role_grant(user=user, role=Role.HR_OFFICER)
    hr_assignment_grant(user=user, org_unit=unit)
    return user
