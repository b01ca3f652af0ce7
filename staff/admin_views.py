"""Wagtail admin views that only ever reach objects inside the user's HR scope.

Wagtail's generic views load objects by primary key from the model's default manager; these
subclasses route every load (index, edit, inspect, delete, history, usage) through the viewset's
scope selector, so an object outside the scope is a 404, never a permission hint."""

from django.contrib.admin.utils import unquote
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views import generic
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView

from lms.admin_display import ReadableModelViewSet
from lms.admin_search import FoldedSearchMixin

from .selectors import account_list_linkable, org_unit_list_in_scope
from .services import staff_record_history_sync


class _ScopedMixin:
    scope = None  # set by ScopedModelViewSet: fn(*, user) -> QuerySet

    def scoped_queryset(self):
        return self.scope(user=self.request.user)

    def get_base_object_queryset(self):
        # Wagtail's BaseObjectMixin loads the one object of history/usage (and others) here
        return self.scoped_queryset()

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        # an HR officer may only place staff in units they manage
        if "org_unit" in form.fields:
            form.fields["org_unit"].queryset = org_unit_list_in_scope(user=self.request.user)
        return form


class ScopedIndexView(_ScopedMixin, FoldedSearchMixin, generic.IndexView):
    def get_base_queryset(self):
        return self.scoped_queryset()


class ScopedCreateView(_ScopedMixin, generic.CreateView):
    pass


class ScopedEditView(_ScopedMixin, generic.EditView):
    def get_queryset(self):
        return self.scoped_queryset()


class ScopedInspectView(_ScopedMixin, generic.InspectView):
    def get_object(self, queryset=None):
        return get_object_or_404(self.scoped_queryset(), pk=unquote(str(self.pk)))


class ScopedDeleteView(_ScopedMixin, generic.DeleteView):
    def get_queryset(self):
        return self.scoped_queryset()


class ScopedHistoryView(_ScopedMixin, HistoryView):
    pass


class ScopedUsageView(_ScopedMixin, UsageView):
    pass


class ScopedModelViewSet(ReadableModelViewSet):
    """A ModelViewSet whose every view sees only `scope(user=request.user)`."""

    scope = None
    index_view_class = ScopedIndexView
    add_view_class = ScopedCreateView
    edit_view_class = ScopedEditView
    inspect_view_class = ScopedInspectView
    delete_view_class = ScopedDeleteView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    copy_view_enabled = False

    def _with_scope(self, kwargs):
        return {**kwargs, "scope": type(self).scope}

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(**self._with_scope(kwargs))

    def get_add_view_kwargs(self, **kwargs):
        return super().get_add_view_kwargs(**self._with_scope(kwargs))

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(**self._with_scope(kwargs))

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(**self._with_scope(kwargs))

    def get_delete_view_kwargs(self, **kwargs):
        return super().get_delete_view_kwargs(**self._with_scope(kwargs))

    def get_history_view_kwargs(self, **kwargs):
        return super().get_history_view_kwargs(**self._with_scope(kwargs))

    def get_usage_view_kwargs(self, **kwargs):
        return super().get_usage_view_kwargs(**self._with_scope(kwargs))


ACCOUNT_NOT_LINKABLE = _(
    "This account cannot be linked to this staff record. You may keep the current account, "
    "remove it, or link the officer account created for this record; give the record a new "
    "account with “Create accounts and invite”."
)


class _LinkableAccountMixin:
    """The record's account field offers, and accepts, only what `account_list_linkable` allows:
    a crafted POST with another user's id fails validation with a Vietnamese message."""

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        field = form.fields.get("user")
        if field is not None:
            staff = getattr(self, "object", None)
            staff = staff if staff is not None and staff.pk else None
            number = "" if staff is not None else form.data.get("personnel_number", "")
            field.queryset = account_list_linkable(
                user=self.request.user, staff=staff, personnel_number=number
            )
            field.error_messages["invalid_choice"] = ACCOUNT_NOT_LINKABLE
        return form


class StaffRecordCreateView(_LinkableAccountMixin, ScopedCreateView):
    def save_instance(self):
        instance = super().save_instance()
        staff_record_history_sync(staff=instance, before=None)
        return instance


class StaffRecordEditView(_LinkableAccountMixin, ScopedEditView):
    """Editing unit, position or service in the form is recorded in the position history."""

    def save_instance(self):
        before = (
            type(self.object)
            .objects.values_list("org_unit_id", "position_id", "active")
            .get(pk=self.object.pk)
        )
        instance = super().save_instance()
        staff_record_history_sync(staff=instance, before=before)
        return instance
