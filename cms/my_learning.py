"""The officer's "My learning": assigned, automatic and self-chosen courses, what is overdue,
and where to resume."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from courses.selectors import learning_list_for_staff
from staff.selectors import staff_for_user


@never_cache  # personal data on possibly shared office PCs
@login_required
def my_learning(request):
    staff = staff_for_user(user=request.user)
    return render(
        request,
        "cms/my_learning.html",
        {"staff": staff, "items": learning_list_for_staff(staff=staff) if staff else []},
    )
