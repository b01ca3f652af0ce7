"""Wagtail admin listings whose search ignores case and Vietnamese diacritics
(`lms.search.folded_search` over the view's `search_fields`)."""

from wagtail.admin.views.generic import IndexView

from .search import folded_search


class FoldedSearchMixin:
    """For a Wagtail `IndexView` of a model that is not in Wagtail's search index: the
    `search_fields` (ORM paths) are matched folded, each query term in one of them."""

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return folded_search(queryset, self.search_fields or [], self.search_query)


class FoldedSearchIndexView(FoldedSearchMixin, IndexView):
    """The index view of a `ModelViewSet` with `search_fields` and no index view of its own."""
