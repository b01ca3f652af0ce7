import factory
import wagtail_factories
from wagtail.models import Page, Site

from cms.models import HomePage
from courses.models import CourseIndexPage, CoursePage, LessonPage
from tests.competencies.factories import DomainFactory


def site_home() -> HomePage:
    """A HomePage serving the default site (the Wagtail welcome page is replaced)."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(title="Trang chủ", slug="home-test"))
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": "localhost", "root_page": home, "port": 80},
        )
    return home


class CourseIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CourseIndexPage

    title = "Khóa học"
    slug = "khoa-hoc"


class CoursePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CoursePage

    title = factory.Sequence(lambda n: f"Khóa học {n}")
    summary = "Tóm tắt khóa học."
    domain = factory.SubFactory(DomainFactory)


class LessonPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = LessonPage

    title = factory.Sequence(lambda n: f"Bài {n}")
    body = factory.LazyFunction(
        lambda: [
            ("paragraph", "<p>Nội dung bài học.</p>"),
            ("callout", {"kind": "tip", "text": "<p>Mẹo.</p>"}),
        ]
    )
