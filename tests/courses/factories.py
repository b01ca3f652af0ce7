import factory
import wagtail_factories
from wagtail.models import Page, Site

from cms.models import HomePage
from courses.models import CourseCompetency, CourseIndexPage, CoursePage, LessonPage, ModulePage
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


def teach(course, competency, level=None) -> CourseCompetency:
    """Records that `course` teaches `competency` (to `level`, rank 2 by default)."""
    if level is None:
        from tests.competencies.factories import ProficiencyLevelFactory

        level = ProficiencyLevelFactory()
    return CourseCompetency.objects.create(course=course, competency=competency, level=level)


class ModulePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ModulePage

    title = factory.Sequence(lambda n: f"Học phần {n}")
