"""Helpers shared by the competency admin tests."""

from django.contrib.auth.models import Permission
from django.urls import reverse


def grant(user, *perms: str):
    """Give a user individual "app_label.codename" permissions (on top of their role)."""
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    # the permission cache of this instance is stale now; tests log in with fresh instances
    for attr in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(attr, None)
    return user


def assert_denied(response):
    """The Wagtail admin answers a PermissionDenied by sending the user to its home page."""
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")
