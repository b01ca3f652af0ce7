"""Site pages: home and standard pages. (The operational toolbox lands here later.)"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from lms.search import FOLDED_SEARCH_FIELDS, FoldedSearchTextMixin


class HomePage(FoldedSearchTextMixin, Page):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, *FOLDED_SEARCH_FIELDS]
    search_text_fields = ("title", "intro")
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import course_list_for_home

        context = super().get_context(request, *args, **kwargs)
        context["courses"] = course_list_for_home(home=self)
        return context


class StandardPage(FoldedSearchTextMixin, Page):
    body = RichTextField(_("content"), features=["h2", "h3", "bold", "italic", "ol", "ul", "link"])

    content_panels = [*Page.content_panels, FieldPanel("body")]
    search_fields = [*Page.search_fields, *FOLDED_SEARCH_FIELDS]
    search_text_fields = ("title", "body")

    class Meta:
        verbose_name = _("content page")
        verbose_name_plural = _("content pages")
