"""The Wagtail admin speaks Vietnamese to the staff who use it (issue 16, item 15).

Each role signs in and walks the admin screens it uses, with Vietnamese active; no text a user
reads there (text nodes, and the title/aria-label/placeholder/alt of elements and the value of
buttons, outside <script>, <style> and <template>) may be an English interface string of Wagtail,
allauth, django-filter, taggit or Django whose Vietnamese translation is missing: the packages'
own vi catalogues cover a small part of Wagtail, so locale/vendor/vi completes them. The
moderation e-mails and the strings Wagtail's JavaScript shows are checked the same way.
"""

import json
import re
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import allauth
import django
import django_filters
import polib
import pytest
import taggit
import wagtail
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation
from wagtail.admin.localization import get_js_translation_strings
from wagtail.models import Collection, Comment, TaskState
from wagtail_factories import DocumentFactory, ImageFactory

from assessments.models import Question
from certificates.models import Certificate
from courses.models import LessonPage
from courses.services import course_catalogue_grant_trainers, course_reviewer_grant
from staff.roles import Role
from staff.services import hr_assignment_grant, user_role_grant
from tests.assessments.factories import ExamFactory, QuestionFactory
from tests.certificates.factories import CertificateTemplateFactory
from tests.courses.factories import (
    CourseIndexPageFactory,
    CoursePageFactory,
    LessonPageFactory,
    site_home,
)
from tests.staff.factories import OrgUnitFactory, StaffRecordFactory, UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
VENDOR_PO = ROOT / "locale" / "vendor" / "vi" / "LC_MESSAGES" / "django.po"
VENDOR_JS_PO = VENDOR_PO.with_name("djangojs.po")
PROJECT_PO = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"

_WAGTAIL = Path(wagtail.__file__).parent
_DJANGO = Path(django.__file__).parent
# the packages' English msgids (a package that ships no "en" catalogue: any other language's)
SOURCE_CATALOGUES = [
    *sorted(_WAGTAIL.rglob("locale/en/LC_MESSAGES/django.po")),
    Path(allauth.__file__).parent / "locale" / "fr" / "LC_MESSAGES" / "django.po",
    Path(django_filters.__file__).parent / "locale" / "fr" / "LC_MESSAGES" / "django.po",
    Path(taggit.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po",
    _DJANGO / "conf" / "locale" / "en" / "LC_MESSAGES" / "django.po",
    *(
        _DJANGO / "contrib" / app / "locale" / "en" / "LC_MESSAGES" / "django.po"
        for app in ("auth", "contenttypes", "humanize", "sessions")
    ),
]
JS_CATALOGUE = _WAGTAIL / "admin" / "locale" / "en" / "LC_MESSAGES" / "djangojs.po"

PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
READ_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt", "aria-description"}
BUTTON_INPUTS = {"submit", "button", "reset"}
SKIPPED = {"script", "style", "template", "textarea", "svg"}
VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
}  # fmt: skip


def _kept_as_is() -> set[str]:
    """msgids our catalogues deliberately translate to themselves ("Email", "URL", "PDF")."""
    kept = set()
    for path in (PROJECT_PO, VENDOR_PO, VENDOR_JS_PO):
        kept |= {e.msgid for e in polib.pofile(str(path)) if e.msgstr and e.msgstr == e.msgid}
    # a language switcher names each language in that language ("English", "Tiếng Việt")
    kept |= {translation.get_language_info(code)["name_local"] for code, _ in settings.LANGUAGES}
    return kept


# English that no catalogue can reach: Wagtail's own code names these without gettext
UNTRANSLATABLE = {
    # the group's page permissions form: forms.ModelChoiceField(...) without a label
    ("group edit", "Page"),
    # the object permissions table: Wagtail's Locale model has no verbose_name
    ("group edit", "Locale"),
}


def _translated(entry: polib.POEntry, domain_gettext) -> bool:
    with translation.override("vi"):
        if entry.msgid_plural:
            if entry.msgctxt:
                got = translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 2)
            else:
                got = translation.ngettext(entry.msgid, entry.msgid_plural, 2)
            return got != entry.msgid_plural
        got = domain_gettext(entry)
        return got != entry.msgid


def _django_gettext(entry):
    if entry.msgctxt:
        return translation.pgettext(entry.msgctxt, entry.msgid)
    return translation.gettext(entry.msgid)


@dataclass(frozen=True)
class Untranslated:
    exact: dict[str, str]  # normalised English text → where it comes from
    patterns: list[tuple[re.Pattern, str]]  # msgids with placeholders
    sentences: list[tuple[str, str]]  # long msgids, searched in a page's joined text


@cache
def untranslated_interface_strings() -> Untranslated:
    kept = _kept_as_is()
    exact, patterns, sentences = {}, [], []
    for path in SOURCE_CATALOGUES:
        origin = path.parents[3].relative_to(_DJANGO.parent).as_posix().replace("/", ".")
        for entry in polib.pofile(str(path)):
            if entry.obsolete or entry.msgid in kept:
                continue
            if _translated(entry, _django_gettext):
                # English on the page although Vietnamese exists: text the template hard-codes
                text = " ".join(entry.msgid.split())
                if not PLACEHOLDER.search(text) and re.search(r"[A-Za-z]{2}", text):
                    exact.setdefault(text, f"{origin}: {entry.msgid!r}, hard-coded")
                continue
            for msgid in filter(None, (entry.msgid, entry.msgid_plural)):
                text = " ".join(msgid.split())
                # a word to read: not "{}st" (an ordinal suffix) nor "%s:%s"
                words = PLACEHOLDER.sub("", text)
                if not re.search(r"[A-Za-z]{3}" if words != text else r"[A-Za-z]{2}", words):
                    continue
                where = f"{origin}: {entry.msgid!r}"
                if PLACEHOLDER.search(text):
                    pieces = [re.escape(p) for p in PLACEHOLDER.split(text)]
                    patterns.append((re.compile(r".+?".join(pieces)), where))
                else:
                    exact.setdefault(text, where)
                    if len(text.split()) >= 4:
                        sentences.append((text, where))
    return Untranslated(exact, patterns, sentences)


class _InterfaceText(HTMLParser):
    """The texts of a page a user reads or hears."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._stack: list[str] = []

    @property
    def _skipping(self) -> bool:
        return any(tag in SKIPPED for tag in self._stack)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag not in VOID:
            # an element with the hidden attribute is not shown (an empty counter says "None")
            self._stack.append("template" if "hidden" in attributes else tag)
        if self._skipping:
            return
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self.texts.append(" ".join(value.split()))
        if tag == "input" and attributes.get("type") in BUTTON_INPUTS and attributes.get("value"):
            self.texts.append(" ".join(attributes["value"].split()))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self._stack:
            self._stack.pop()

    def handle_endtag(self, tag):
        # a hidden element was pushed as "template": close the innermost open one of either
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index] in (tag, "template"):
                del self._stack[index:]
                break

    def handle_data(self, data):
        if not self._skipping and data.strip():
            self.texts.append(" ".join(data.split()))


def interface_texts(html: str) -> list[str]:
    parser = _InterfaceText()
    parser.feed(html)
    parser.close()
    return parser.texts


def english_left(texts: list[str]) -> set[str]:
    strings = untranslated_interface_strings()
    found = set()
    for text in texts:
        candidates = {text, text.rstrip(":").strip(), text.strip("()…. ")}
        for candidate in candidates:
            if candidate in strings.exact:
                found.add(f"{text!r} ({strings.exact[candidate]})")
        for pattern, where in strings.patterns:
            if pattern.fullmatch(text):
                found.add(f"{text!r} ({where})")
    # a sentence split by inline tags ("<a>Page</a> 1 of 1") is looked for in the joined text
    joined = " ".join(texts)
    for sentence, where in strings.sentences:
        if sentence in joined and not any(sentence in text for text in texts):
            found.add(f"{sentence!r} ({where})")
    return found


def page_html(response) -> str:
    """The HTML of an admin response: a page, or the "html" of a modal's JSON."""
    if response["Content-Type"].startswith("application/json"):
        return json.loads(response.content).get("html", "")
    return response.content.decode()


# --- the admin world ------------------------------------------------------------------------


@dataclass
class World:
    users: dict
    urls: dict


def _user(role: Role | None = None, **kwargs):
    user = UserFactory(**kwargs)
    if role is not None:
        user_role_grant(user=user, role=role)
    return user


@pytest.fixture
def world(roles) -> World:
    province = OrgUnitFactory(code="01", name="Hà Nội")
    ward = OrgUnitFactory(code="01-BD", name="Phường Ba Đình", kind="ward", parent=province)
    staff = StaffRecordFactory(org_unit=ward, user=_user(Role.OFFICER, username="canbo"))
    template = CertificateTemplateFactory()
    certificate = Certificate.objects.create(
        serial="CC-2026-000001",
        staff=staff,
        template=template,
        basis="manual:1",
        holder_name=staff.full_name,
        position_name=staff.position.name,
        unit_name=ward.name,
        issued_on="2026-01-05",
        valid_until="2029-01-05",
        verification_code="v" * 43,
    )
    question = QuestionFactory(status=Question.Status.DRAFT)
    exam = ExamFactory(published=False)

    index = CourseIndexPageFactory(parent=site_home())
    course_catalogue_grant_trainers(index=index)
    course = CoursePageFactory(parent=index, slug="khoa-1", title="Đo lường")
    lesson = LessonPageFactory(parent=course, slug="bai-1", title="Bài 1")
    lesson.save_revision().publish()

    trainer = _user(Role.TRAINER, username="giangvien")
    reviewer = _user(Role.TRAINER, username="truongnhom")
    course_reviewer_grant(user=reviewer)
    hr = _user(Role.HR_OFFICER, username="nhansu")
    hr_assignment_grant(user=hr, org_unit=province)
    admin = _user(None, username="quantri", is_superuser=True, is_staff=True)
    # administrators must have a second factor enrolled to open the admin (staff/two_factor.py)
    Authenticator.objects.create(user=admin, type=Authenticator.Type.TOTP, data={"secret": "x"})

    # the trainer's change waits for the reviewer, with a comment on it
    lesson = LessonPage.objects.get(pk=lesson.pk)
    lesson.title = "Bài 1 (sửa)"
    revision = lesson.save_revision(user=trainer)
    lesson.get_workflow().start(lesson, trainer)
    Comment.objects.create(
        page=lesson, user=reviewer, text="Cần bổ sung ví dụ.", contentpath="title",
        revision_created=revision,
    )  # fmt: skip
    task = TaskState.objects.get(workflow_state__object_id=str(lesson.pk))

    root = Collection.get_first_root_node()
    image = ImageFactory(title="Sơ đồ", collection=root)
    document = DocumentFactory(title="Quy trình", collection=root)

    page = [course.pk]
    common = {
        "dashboard": reverse("wagtailadmin_home"),
        "account": reverse("wagtailadmin_account"),
    }
    trainer_urls = {
        **common,
        "explorer": reverse("wagtailadmin_explore", args=[index.pk]),
        "page search": reverse("wagtailadmin_pages:search") + "?q=khoa",
        "page edit": reverse("wagtailadmin_pages:edit", args=page),
        "page add": reverse("wagtailadmin_pages:add_subpage", args=page),
        "page history": reverse("wagtailadmin_pages:history", args=page),
        "page usage": reverse("wagtailadmin_pages:usage", args=page),
        "page in review": reverse("wagtailadmin_pages:edit", args=[lesson.pk]),
        "workflow history": reverse("wagtailadmin_pages:workflow_history", args=[lesson.pk]),
        "questions": reverse("question:index"),
        "question inspect": reverse("question:inspect", args=[question.pk]),
        "question edit": reverse("question:edit", args=[question.pk]),
        "question add": reverse("question:add"),
        "question history": reverse("question:history", args=[question.pk]),
        "exams": reverse("exam:index"),
        "exam edit": reverse("exam:edit", args=[exam.pk]),
        "certificate templates": reverse("certificatetemplate:index"),
        "certificate template edit": reverse("certificatetemplate:edit", args=[template.pk]),
        "item statistics": reverse("item_statistics_report"),
        "late answers": reverse("late_responses:index"),
        "images": reverse("wagtailimages:index"),
        "image edit": reverse("wagtailimages:edit", args=[image.pk]),
        "image upload": reverse("wagtailimages:add_multiple"),
        "documents": reverse("wagtaildocs:index"),
        "document edit": reverse("wagtaildocs:edit", args=[document.pk]),
        "document upload": reverse("wagtaildocs:add_multiple"),
        "locked pages": reverse("wagtailadmin_reports:locked_pages"),
        # the editor's side: a new lesson, the choosers it opens, revisions, the review trail
        "lesson add": reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", course.pk]),
        "page chooser": reverse("wagtailadmin_choose_page"),
        "image chooser": reverse("wagtailimages_chooser:choose"),
        "document chooser": reverse("wagtaildocs_chooser:choose"),
        "revisions compare": reverse(
            "wagtailadmin_pages:revisions_compare", args=[lesson.pk, "live", "latest"]
        ),
        "workflow history detail": reverse(
            "wagtailadmin_pages:workflow_history_detail",
            args=[lesson.pk, task.workflow_state_id],
        ),
        "translate": reverse("simple_translation:submit_page_translation", args=[course.pk]),
        "bulk tag images": reverse(
            "wagtail_bulk_action", args=["wagtailimages", "image", "add_tags"]
        )
        + f"?id={image.pk}",
        "bulk tag documents": reverse(
            "wagtail_bulk_action", args=["wagtaildocs", "document", "add_tags"]
        )
        + f"?id={document.pk}",
    }
    reviewer_urls = {
        **trainer_urls,
        "approve": reverse(
            "wagtailadmin_pages:workflow_action", args=[lesson.pk, "approve", task.pk]
        ),
        "request changes": reverse(
            "wagtailadmin_pages:workflow_action", args=[lesson.pk, "reject", task.pk]
        ),
        "workflow preview": reverse(
            "wagtailadmin_pages:workflow_preview", args=[lesson.pk, task.task_id]
        ),
    }
    hr_urls = {
        **common,
        "staff": reverse("staffrecord:index"),
        "staff search": reverse("staffrecord:index") + "?q=nguyen",
        "staff inspect": reverse("staffrecord:inspect", args=[staff.pk]),
        "staff edit": reverse("staffrecord:edit", args=[staff.pk]),
        "staff add": reverse("staffrecord:add"),
        "staff history": reverse("staffrecord:history", args=[staff.pk]),
        "org units": reverse("orgunit:index"),
        "competencies": reverse("competency:index"),
        "certificates": reverse("certificate:index"),
        "certificate inspect": reverse("certificate:inspect", args=[certificate.pk]),
        "certificate revoke": reverse("certificate:revoke", args=[certificate.pk]),
        "assign a course": reverse("courses_assign"),
        "accounts": reverse("staff_accounts"),
        "staff import": reverse("staff_imports:upload"),
        "assessment search": reverse("competencies_admin:assess_search"),
        "compliance overview": reverse("reports_overview"),
        "report people": reverse("reports_people"),
        "coverage report": reverse("reports_coverage"),
        "by competency report": reverse("reports_by_competency"),
        "expiry report": reverse("reports_expiring") + "?within=90",
        "monthly digest": reverse("reports_digest"),
    }
    admin_urls = {
        **trainer_urls,
        **hr_urls,
        "frameworks": reverse("framework:index"),
        "explorer root": reverse("wagtailadmin_explore_root"),
        "users": reverse("wagtailusers_users:index"),
        "user edit": reverse("wagtailusers_users:edit", args=[trainer.pk]),
        "groups": reverse("wagtailusers_groups:index"),
        "workflows": reverse("wagtailadmin_workflows:index"),
        "workflow tasks": reverse("wagtailadmin_workflows:task_index"),
        "workflow report": reverse("wagtailadmin_reports:workflow"),
        "workflow tasks report": reverse("wagtailadmin_reports:workflow_tasks"),
        "site history": reverse("wagtailadmin_reports:site_history"),
        "aging pages": reverse("wagtailadmin_reports:aging_pages"),
        "collections": reverse("wagtailadmin_collections:index"),
        "locales": reverse("wagtaillocales:index"),
        "redirects": reverse("wagtailredirects:index"),
        "page delete": reverse("wagtailadmin_pages:delete", args=page),
        "page move": reverse("wagtailadmin_pages:move", args=page),
        "page copy": reverse("wagtailadmin_pages:copy", args=page),
        "page unpublish": reverse("wagtailadmin_pages:unpublish", args=page),
        "page privacy": reverse("wagtailadmin_pages:set_privacy", args=page),
        "bulk delete pages": reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])
        + f"?id={course.pk}",
        "bulk publish pages": reverse(
            "wagtail_bulk_action", args=["wagtailcore", "page", "publish"]
        )
        + f"?id={course.pk}",
        "image delete": reverse("wagtailimages:delete", args=[image.pk]),
        "document delete": reverse("wagtaildocs:delete", args=[document.pk]),
        "question delete": reverse("question:delete", args=[question.pk]),
        "staff delete": reverse("staffrecord:delete", args=[staff.pk]),
        "user add": reverse("wagtailusers_users:add"),
        "group edit": reverse("wagtailusers_groups:edit", args=[trainer.groups.first().pk]),
    }
    return World(
        users={"trainer": trainer, "reviewer": reviewer, "hr": hr, "admin": admin},
        urls={
            "trainer": trainer_urls,
            "reviewer": reviewer_urls,
            "hr": hr_urls,
            "admin": admin_urls,
        },
    )


@pytest.mark.parametrize("role", ["trainer", "reviewer", "hr", "admin"])
def test_every_admin_screen_of_the_role_speaks_vietnamese(world, role):
    client = Client()
    client.force_login(world.users[role])
    report, not_shown = [], []
    for name, url in world.urls[role].items():
        response = client.get(url)
        if response.status_code != 200:
            not_shown.append(f"{name} ({url}): {response.status_code}")
            continue
        html = page_html(response)
        assert 'lang="vi"' in html or not html.lstrip().startswith("<!DOCTYPE"), name
        known = tuple(f"{english!r} (" for screen, english in UNTRANSLATABLE if screen == name)
        left = english_left(interface_texts(html))
        report.extend(f"{name}: {text}" for text in sorted(left) if not text.startswith(known))
    assert not_shown == report == [], (
        "Not reached:\n" + "\n".join(not_shown) + "\nEnglish left:\n" + "\n".join(report)
    )


def test_the_moderation_e_mails_speak_vietnamese(world):
    """Submitting, approving and requesting changes send Wagtail's notifications (rendered from
    wagtailadmin/notifications/*); none is in English."""
    reviewer, trainer = world.users["reviewer"], world.users["trainer"]
    course = CoursePageFactory(
        parent=CourseIndexPageFactory._meta.model.objects.get(), slug="khoa-2", title="An toàn"
    )
    texts = []
    for action in ("approve", "reject"):
        course = type(course).objects.get(pk=course.pk)
        course.title = f"An toàn ({action})"
        course.save_revision(user=trainer)
        mail.outbox.clear()
        course.get_workflow().start(course, trainer)
        task = TaskState.objects.get(
            workflow_state__object_id=str(course.pk), status=TaskState.STATUS_IN_PROGRESS
        )
        submitted = list(mail.outbox)
        client = Client()
        client.force_login(reviewer)
        url = reverse("wagtailadmin_pages:workflow_action", args=[course.pk, action, task.pk])
        assert client.post(url, {"comment": "Đã xem."}).status_code == 302
        decided = [m for m in mail.outbox if m not in submitted]
        assert submitted and decided, f"{action}: Wagtail sent its notifications"
        for message in [*submitted, *decided]:
            texts.append(" ".join(message.subject.split()))
            texts.extend(line.strip() for line in message.body.splitlines() if line.strip())
            for content, mimetype in getattr(message, "alternatives", []):
                if mimetype == "text/html":
                    texts.extend(interface_texts(content))
    assert sorted(english_left(texts)) == []
    assert any("đã được phê duyệt" in text for text in texts), "the approval mail is Vietnamese"
    assert any("yêu cầu chỉnh sửa" in text for text in texts), "the rejection mail is Vietnamese"


def test_wagtails_javascript_strings_speak_vietnamese():
    """wagtailConfig.STRINGS (rendered by the Django catalogue) and the JavaScript catalogue
    (djangojs, served by wagtailadmin_javascript_catalog) have Vietnamese for every string."""
    with translation.override("vi"):
        vietnamese = json.dumps(get_js_translation_strings(), ensure_ascii=False)
    with translation.override("en"):
        english = get_js_translation_strings()
    left = [
        text
        for group in english["BULK_ACTIONS"].values()
        for text in group.values()
        if json.dumps(text)[1:-1] in vietnamese
    ]
    assert left == []

    from django.views.i18n import JavaScriptCatalog

    catalogue = JavaScriptCatalog(packages=["wagtail.admin"], domain="djangojs")
    with translation.override("vi"):
        catalogue.translation = translation.trans_real.DjangoTranslation(
            "vi", domain="djangojs", localedirs=catalogue.get_paths(["wagtail.admin"])
        )
        translated = catalogue.get_catalog()
    kept = _kept_as_is()
    missing = []
    for entry in polib.pofile(str(JS_CATALOGUE)):
        key = entry.msgid if not entry.msgctxt else f"{entry.msgctxt}\x04{entry.msgid}"
        value = translated.get(key)
        if entry.msgid not in kept and not value:
            missing.append(entry.msgid)
    assert missing == []


def test_the_vendor_catalogue_is_well_formed_and_compiled(tmp_path):
    assert Path(settings.LOCALE_PATHS[1]) == ROOT / "locale" / "vendor"
    for po_path in (VENDOR_PO, VENDOR_JS_PO):
        po = polib.pofile(str(po_path))
        assert po.metadata["Plural-Forms"].startswith("nplurals=1;")
        assert [e.msgid for e in po.untranslated_entries()] == []
        assert [e.msgid for e in po.fuzzy_entries()] == []
        for entry in po:
            forms = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
            wanted = sorted(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
            for form in forms:
                assert sorted(PLACEHOLDER.findall(form)) == wanted, (entry.msgid, form)
        compiled = tmp_path / po_path.with_suffix(".mo").name
        po.save_as_mofile(str(compiled))
        stale = {e.msgid: e.msgstr for e in polib.mofile(str(po_path.with_suffix(".mo")))}
        fresh = {e.msgid: e.msgstr for e in polib.mofile(str(compiled))}
        assert stale == fresh, f"{po_path.with_suffix('.mo')} is stale: run bin/compile_messages.py"
