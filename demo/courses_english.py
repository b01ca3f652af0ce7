"""The demo's English translation: the home page, the course catalogue and one course ("Đo lường
cơ bản", slug `do-luong-co-ban`) with its lessons, made the way a trainer makes one — Wagtail's
copy for translation (what the admin's "Translate" action does), then English titles and
bodies, then publishing. The other demo courses stay Vietnamese-only, so the English catalogue
shows both a translated course and the Vietnamese fallback.

Idempotent: a page already translated is only brought up to date when the seed wrote it and this
file changed; a translation a person has edited in the admin is left alone. Without the course
(demo data not seeded), nothing happens."""

from dataclasses import dataclass

from django.db import transaction
from wagtail.actions.convert_alias import ConvertAliasPageAction
from wagtail.actions.copy_for_translation import CopyPageForTranslationAction
from wagtail.models import Locale, Page

from courses.localisation import default_locale_id
from courses.models import CoursePage

COURSE_SLUG = "do-luong-co-ban"
LANGUAGE = "en"


def para(html: str) -> dict:
    return {"type": "paragraph", "value": html}


def callout(kind: str, html: str) -> dict:
    return {
        "type": "callout",
        "value": {"kind": kind, "text": html, "document": None, "article": ""},
    }


def checklist(title: str, items: list[str]) -> dict:
    return {"type": "checklist", "value": {"title": title, "items": items}}


def example(title: str, situation: str, steps: list[str], result: str) -> dict:
    return {
        "type": "worked_example",
        "value": {"title": title, "situation": situation, "steps": steps, "result": result},
    }


def practice(question: str, options: list[tuple[str, bool, str]], explanation: str = "") -> dict:
    return {
        "type": "practice_question",
        "value": {
            "question": question,
            "options": [
                {"text": text, "correct": correct, "feedback": feedback}
                for text, correct, feedback in options
            ],
            "explanation": explanation,
        },
    }


@dataclass(frozen=True)
class English:
    """What a translated page becomes: its English slug, title and fields."""

    slug: str
    title: str
    fields: dict


HOME = English(
    "",  # the copy's own slug ("<slug>-en"): a home page's slug is not in its URL
    "Commune-level science and technology competency training",
    {
        "intro": "<p>Learn, take exams and earn certificates in the science and technology "
        "competencies of commune, ward and special-zone officers.</p>"
    },
)
CATALOGUE = English(
    "courses",
    "Courses",
    {"intro": "<p>Courses following the minimum competency framework.</p>"},
)
COURSE = English(
    "basic-metrology",
    "Basic metrology for commune officers",
    {
        "summary": "Managing group 2 measuring instruments at markets and shops, checking the "
        "quantity of prepackaged goods, writing inspection records and handling metrology "
        "violations in the commune."
    },
)

# the Vietnamese lesson's slug -> its English version
LESSONS = {
    "phuong-tien-do-nhom-2": English(
        "group-2-measuring-instruments",
        "What group 2 measuring instruments are",
        {
            "body": [
                para(
                    "<h2>Definition</h2><p>Group 2 measuring instruments are the instruments "
                    "used to measure goods and services in trade and payment, for safety, public "
                    "health and the environment, and in inspections and other official duties. "
                    "Because their readings affect people's rights directly, they are subject to "
                    "metrological control.</p><h2>What a commune usually has</h2><ul><li>Scales "
                    "used in trade at markets, shops and farm-produce buyers.</li><li>Fuel "
                    "dispensers at petrol stations.</li><li>Household water meters and electricity "
                    "meters.</li><li>Taximeters, breath alcohol analysers and speed meters used "
                    "by the authorities.</li></ul>"
                ),
                para(
                    "<h2>Management requirements</h2><p>Depending on the type, a group 2 "
                    "instrument needs <b>pattern approval</b> before it is made or imported, and "
                    "<b>verification</b> before first use, periodically and after repair. The "
                    "user (household business or company) must have it verified on time and keep "
                    "the verification seal and stamp intact.</p>"
                ),
                callout(
                    "legal",
                    "<p>The Law on Metrology defines group 2 instruments and their verification; "
                    "Circular 23/2013/TT-BKHCN (amended by Circular 07/2019/TT-BKHCN) sets the "
                    "detailed requirements.</p>",
                ),
                callout(
                    "tip",
                    "<p>Keep a simple list of the businesses in the commune that use group 2 "
                    "instruments (name, instrument, stamp number, verification due date) and "
                    "remind owners a month before it is due: prevention is cheaper than fines."
                    "</p>",
                ),
                practice(
                    "<p>Which of these is <b>not</b> a group 2 measuring instrument when used at "
                    "home?</p>",
                    [
                        (
                            "A coffee buyer's platform scale",
                            False,
                            "Scales used in trade are group 2 instruments.",
                        ),
                        (
                            "A household water meter",
                            False,
                            "A water meter used for billing is a group 2 instrument.",
                        ),
                        (
                            "A tailor's tape measure used at home",
                            True,
                            "Right: it is not used in trade, payment or official duties.",
                        ),
                    ],
                    "<p>What counts is the <b>purpose</b>: trade, payment, safety, health, "
                    "environment, official duties.</p>",
                ),
            ]
        },
    ),
    "kiem-tra-can-tai-cho": English(
        "checking-scales-at-the-market",
        "Checking scales at the market",
        {
            "body": [
                para(
                    "<h2>Preparation</h2><p>Work with the market management board and bring "
                    "<b>standard weights</b> (usually 1 kg, 2 kg, 5 kg) with valid verification, "
                    "the record form and the list of stallholders. Inspect while the market is "
                    "open to see how scales are really used.</p><h2>Steps</h2><p>Look at the "
                    "verification stamp and its expiry, check the seal, bring the scale to zero, "
                    "then weigh a standard weight. Write the readings down and draw up a record "
                    "if the error exceeds the permitted limit.</p>"
                ),
                example(
                    "A dial scale reading 150 g too much",
                    "<p>At the commune market, Mrs N. sells meat on a 5 kg spring dial scale "
                    "with a valid stamp. A customer complains of short weight.</p>",
                    [
                        "<p>Put a 2 kg standard weight on the scale: it reads 2.15 kg.</p>",
                        "<p>Repeat twice with the same result; compare with the market's "
                        "reference scale.</p>",
                        "<p>150 g on 2 kg (7.5 %) is far beyond the permitted error.</p>",
                        "<p>Draw up a record signed by Mrs N. and a witness; stop using the "
                        "scale and have it verified again.</p>",
                    ],
                    "<p>The stall uses a newly verified scale; the case is handled within the "
                    "commune's powers.</p>",
                ),
                checklist(
                    "When checking a scale",
                    [
                        "It has a verification stamp or seal",
                        "The stamp is valid, intact and unaltered",
                        "The seal is not broken",
                        "The scale returns to zero when empty",
                        "A standard weight was weighed and the reading written down",
                        "Stallholder, stall, type of scale and serial number are recorded",
                    ],
                ),
                callout(
                    "error",
                    "<p>Common mistake: looking at the purchase invoice instead of the "
                    "verification stamp, or weighing a bag of goods instead of a standard "
                    "weight. Such results cannot support a record.</p>",
                ),
                practice(
                    "<p>A 1 kg standard weight reads exactly 1.00 kg, but the verification stamp "
                    "expired three months ago. Which conclusion is right?</p>",
                    [
                        (
                            "No violation, the scale is accurate",
                            False,
                            "Being accurate today does not replace periodic verification.",
                        ),
                        (
                            "A verification violation: the scale must be verified again",
                            True,
                            "Right: group 2 instruments must be verified periodically.",
                        ),
                        (
                            "The scale must be confiscated at once",
                            False,
                            "Measures follow the law on sanctions, not the inspector's choice.",
                        ),
                    ],
                ),
            ]
        },
    ),
    "hang-dong-goi-san": English(
        "prepackaged-goods",
        "Prepackaged goods: checking quantity and labels",
        {
            "body": [
                para(
                    "<h2>What prepackaged goods are</h2><p>Goods measured, packed and labelled "
                    "with a nominal quantity without the buyer present: a 1 kg bag of sugar, a "
                    "500 ml bottle of fish sauce, a 5 kg bag of rice. Most of a commune's OCOP "
                    "products are prepackaged.</p><h2>Two main requirements</h2><ol><li><b>The "
                    "quantity is stated properly</b>: a number with a legal unit (g, kg, ml, l), "
                    "easy to see.</li><li><b>The actual quantity is enough</b>: the batch "
                    "average is not below the nominal quantity, and no unit is short beyond the "
                    "tolerance.</li></ol>"
                ),
                callout(
                    "legal",
                    "<p>Circular 21/2014/TT-BKHCN sets the metrology requirements for "
                    "prepackaged goods: labelling, permitted shortfall and sampling.</p>",
                ),
                example(
                    "Checking a batch of 1 kg sugar bags at a grocery",
                    "<p>Mr T.'s shop sells sugar in “1 kg” bags packed in the district. "
                    "Customers say the bags are light.</p>",
                    [
                        "<p>Take 10 bags of the same batch at random, in front of the owner.</p>",
                        "<p>Weigh each bag on a verified scale and subtract the tare.</p>",
                        "<p>The average is 985 g, below the nominal 1,000 g.</p>",
                        "<p>Draw up a record naming the packer on the label; report to the "
                        "provincial Department of Science and Technology.</p>",
                    ],
                    "<p>The batch fails the quantity requirement; the packer is mainly "
                    "responsible, and the shop stops selling the batch meanwhile.</p>",
                ),
                practice(
                    "<p>How should the quantity be written on a bottle of fish sauce?</p>",
                    [
                        ("“Net volume: 500 ml”", True, "Right: a number and a legal unit."),
                        ("“Large bottle”", False, "There is no number and no unit."),
                        ("“About half a litre”", False, "The nominal quantity must be exact."),
                    ],
                ),
            ]
        },
    ),
    "xu-ly-vi-pham-do-luong": English(
        "records-and-sanctions",
        "Inspection records and handling metrology violations",
        {
            "body": [
                para(
                    "<h2>From finding to sanction</h2><p>When a violation is found, the officer "
                    "draws up a <b>record</b> stating the time, place, participants, instrument, "
                    "measurement results, the business's opinion and signatures. The record is "
                    "the evidence for the competent person's decision; an incomplete record "
                    "invites complaints.</p><h2>Powers</h2><p>The chair of the commune People's "
                    "Committee imposes sanctions within the powers given by the Law on Handling "
                    "Administrative Violations and the sector's decree; cases beyond them are "
                    "passed on to the provincial level.</p>"
                ),
                callout(
                    "legal",
                    "<p>Decree 119/2017/ND-CP on administrative sanctions for standards, "
                    "metrology and quality of products and goods, amended by Decree "
                    "126/2021/ND-CP.</p>",
                ),
                checklist(
                    "A record is valid when",
                    [
                        "Time, date and place are written correctly",
                        "The names and positions of the author and participants are given",
                        "The instrument, the results and the standard weights used are stated",
                        "The business's opinion is written, even when it disagrees",
                        "It is read aloud to everyone before signing",
                        "It is signed; a refusal to sign is recorded with a witness",
                    ],
                ),
                callout(
                    "error",
                    "<p>Common mistake: leaving blank lines to fill in later. Strike through "
                    "every blank before signing; every correction needs a signature beside it."
                    "</p>",
                ),
                practice(
                    "<p>The stallholder disputes the result and will not sign. What should the "
                    "officer do?</p>",
                    [
                        (
                            "Tear up the record and stop the inspection",
                            False,
                            "A refusal to sign does not void the record.",
                        ),
                        (
                            "Write down why they did not sign, with a witness's signature",
                            True,
                            "Right: the record stays valid with the reason and a witness.",
                        ),
                        ("Sign on the stallholder's behalf", False, "Never sign for someone."),
                    ],
                ),
            ]
        },
    ),
}


def _edited_by_a_person(page: Page) -> bool:
    revision = page.latest_revision
    return revision is not None and revision.user_id is not None


def _translation(page: Page, locale: Locale) -> Page:
    """The page's translation in the locale: Wagtail's copy for translation (a draft) when
    there is none yet; a translation made as an alias (by "Translate" with its parents) becomes
    a page of its own, so that it can be translated."""
    translated = page.get_translation_or_none(locale)
    if translated is None:
        translated = CopyPageForTranslationAction(page, locale).execute(skip_permission_checks=True)
    elif translated.alias_of_id is not None:
        ConvertAliasPageAction(translated).execute(skip_permission_checks=True)
    return Page.objects.get(pk=translated.pk).specific


def _without_ids(value):
    if isinstance(value, dict):
        return {k: _without_ids(v) for k, v in value.items() if k != "id"}
    if isinstance(value, list):
        return [_without_ids(v) for v in value]
    return value


def _comparable(page: Page, name: str, value):
    """A field's value in one form whether it comes from this file or the database: a stream
    through its blocks' own to_python/get_prep_value, without the generated block ids."""
    if name != "body":
        return value
    stream = type(page)(body=value).body if isinstance(value, list) else value
    return _without_ids(
        [{"type": c.block_type, "value": c.block.get_prep_value(c.value)} for c in stream]
    )


def _translate(page: Page, locale: Locale, english: English) -> Page:
    """The page's translation, in English and published, unless a person edited it."""
    translated = _translation(page, locale)
    if _edited_by_a_person(translated):
        return translated
    wanted = {"title": english.title, **english.fields}
    if english.slug:
        wanted["slug"] = english.slug
    changed = not translated.live or any(
        _comparable(translated, name, getattr(translated, name))
        != _comparable(translated, name, value)
        for name, value in wanted.items()
    )
    if changed:
        for name, value in wanted.items():
            setattr(translated, name, value)
        translated.save_revision().publish()
        translated = type(translated).objects.get(pk=translated.pk)  # its new URL path
    return translated


@transaction.atomic
def demo_english_translation() -> CoursePage | None:
    """The English home page, catalogue and metrology course (with its lessons), published;
    None when the Vietnamese course is not there."""
    course = CoursePage.objects.filter(slug=COURSE_SLUG, locale_id=default_locale_id()).first()
    if course is None:
        return None
    locale, _created = Locale.objects.get_or_create(language_code=LANGUAGE)
    catalogue = course.get_parent().specific
    home = catalogue.get_parent().specific
    _translate(home, locale, HOME)
    _translate(catalogue, locale, CATALOGUE)
    translated = _translate(course, locale, COURSE)
    for page in course.get_descendants().order_by("path"):
        english = LESSONS.get(page.slug)
        if english is not None:
            _translate(page.specific, locale, english)
        else:  # a lesson or module added later: copied, left for a trainer to translate
            _translation(page.specific, locale)
    return translated
