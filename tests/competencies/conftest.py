import pytest

from staff.roles import Role
from staff.services import hr_assignment_grant, roles_sync, user_role_grant
from tests.competencies.support import grant
from tests.staff.factories import UserFactory


@pytest.fixture
def framework_admin(db):
    """Not a superuser (administrators must set up two-factor): an admin-area user holding
    exactly the framework permissions."""
    return grant(
        UserFactory(),
        "wagtailadmin.access_admin",
        "competencies.change_requirement",
        "competencies.view_framework",
        "competencies.add_framework",
        "competencies.change_framework",
        "competencies.delete_framework",
    )


@pytest.fixture
def hr_officer_of(db):
    """An HR officer (role group) of a unit who may also record assessments."""
    roles_sync()

    def make(unit):
        user = UserFactory()
        user_role_grant(user=user, role=Role.HR_OFFICER)
        hr_assignment_grant(user=user, org_unit=unit)
        return grant(user, "competencies.add_competencyrecord")

    return make
