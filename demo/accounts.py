"""One demo account per role, all with the password the README shows."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from staff.roles import Role
from staff.services import user_role_grant

DEMO_PASSWORD = "demo12345"  # noqa: S105 - documented in the README; demo data only


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    full_name: str
    email: str


DEMO_ACCOUNTS = [
    DemoAccount("canbo", Role.OFFICER, "Nguyễn Thị Thu Hương", "canbo@example.vn"),
    DemoAccount("giangvien", Role.TRAINER, "Trần Minh Quân", "giangvien@example.vn"),
    # a senior trainer who reviews the other trainers' course changes
    DemoAccount("duyetkh", Role.TRAINER, "Vũ Thị Lan", "duyetkh@example.vn"),
    DemoAccount("nhansu", Role.HR_OFFICER, "Lê Thị Mai", "nhansu@example.vn"),
    DemoAccount("nhansu2", Role.HR_OFFICER, "Phạm Văn Bình", "nhansu2@example.vn"),
    DemoAccount("quantri", Role.ADMINISTRATOR, "Đặng Văn Ơn", "quantri@example.vn"),
]


def users_seed() -> dict[str, object]:
    User = get_user_model()
    users = {}
    for account in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=account.username,
            defaults={"email": account.email, "first_name": account.full_name},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            if account.role is Role.ADMINISTRATOR:
                user.is_superuser = True
            user.save()
        user_role_grant(user=user, role=account.role)
        users[account.username] = user
    return users
