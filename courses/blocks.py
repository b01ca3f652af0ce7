"""Lesson body blocks; each renders with its own template in templates/blocks/.

Officers read lessons on 2G/3G links and 360 px phones, so every block renders as plain HTML
that works without JavaScript, and nothing heavy (video, audio) is fetched until asked for.
"""

import copy
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.list_block import ListBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock, ImageChooserBlock

from .captions import timed_captions_problem

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]
# Short texts inside other blocks (a step, an option's feedback) need no headings.
INLINE_RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link"]

VIDEO_EXTENSIONS = {"mp4", "m4v", "webm", "ogv"}
LOW_BANDWIDTH_EXTENSIONS = {"mp4", "m4v", "webm", "mp3", "m4a", "ogg", "oga", "opus"}


def _is_blank(rich_text) -> bool:
    """True when a rich text value holds no visible text (the editor leaves `<p></p>`)."""
    source = getattr(rich_text, "source", rich_text) or ""
    return not re.sub(r"\s|&nbsp;", "", strip_tags(str(source)))


def _extension(document) -> str:
    return document.file_extension.lower() if document else ""


class RenditionsImageChooserBlock(ImageChooserBlock):
    """An image chooser that loads its images' renditions with them.

    Without this, each `{% image %}` looks its rendition up in the cache, which is a SQL query
    per image in the embedded mode (database cache), so a lesson's query count would grow with
    its images. Wagtail loads a stream's chooser values in bulk, so this is one query for the
    images and one for all their renditions, however many images the lesson has.
    """

    def bulk_to_python(self, values):
        values = list(values)
        ids = [value for value in values if value is not None]
        objects = self.model_class.objects.prefetch_renditions().in_bulk(ids)
        result, seen = [], set()
        for value in values:
            obj = objects.get(value)
            # a repeated image gets its own instance, as Wagtail's ChooserBlock does
            result.append(copy.copy(obj) if obj is not None and value in seen else obj)
            seen.add(value)
        return result


class LessonImageBlock(ImageBlock):
    """Wagtail's image block (alt text, decorative flag) with renditions loaded in bulk."""

    def __init__(self, required=True, **kwargs):
        super().__init__(required=required, **kwargs)
        chooser = RenditionsImageChooserBlock(required=required)
        chooser.set_name("image")
        self.child_blocks["image"] = chooser

    def deconstruct(self):
        return ("courses.blocks.LessonImageBlock", [], self._constructor_kwargs)


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("type"),
        choices=[
            ("tip", _("Tip")),
            ("error", _("Common mistake")),
            ("legal", _("Legal basis")),
        ],
        default="tip",
    )
    text = blocks.RichTextBlock(label=_("content"), features=RICH_TEXT_FEATURES)
    # Optional so that callouts saved before these fields existed stay valid.
    document = DocumentChooserBlock(
        label=_("legal document"),
        required=False,
        help_text=_("For a legal basis: the legal document (law, decree, circular)."),
    )
    article = blocks.CharBlock(
        label=_("article"),
        required=False,
        max_length=200,
        help_text=_("For a legal basis: the article or clause, e.g. “Article 5, clause 2”."),
    )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["kind_label"] = dict(self.child_blocks["kind"].field.choices).get(value["kind"])
        return context

    class Meta:
        icon = "warning"
        label = _("Callout")
        template = "blocks/callout_block.html"


class VideoBlock(blocks.StructBlock):
    """A video the officer opens on request, always with its transcript.

    Videos are Wagtail documents served by us: an external URL would make the browser call a
    third party, which this block does not allow.
    """

    title = blocks.CharBlock(label=_("title"), max_length=200)
    video = DocumentChooserBlock(
        label=_("video file"), help_text=_("An MP4 or WebM file uploaded as a document.")
    )
    transcript = blocks.RichTextBlock(
        label=_("transcript"),
        features=RICH_TEXT_FEATURES,
        help_text=_("Required: officers on slow links or without sound read this instead."),
    )
    low_bandwidth = DocumentChooserBlock(
        label=_("low-bandwidth version"),
        required=False,
        help_text=_("A small MP4 or an MP3 audio file for slow connections."),
    )
    poster = RenditionsImageChooserBlock(label=_("poster image"), required=False)
    # Optional, so that videos saved before it existed stay valid: without it the captions are
    # the transcript spread over the video (courses/captions.py)
    captions = blocks.TextBlock(
        label=_("timed captions"),
        required=False,
        rows=6,
        help_text=_(
            "Optional: the text of a WebVTT or SRT captions file, for captions timed exactly. "
            "Left empty, the captions are made from the transcript."
        ),
    )

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if _is_blank(value["transcript"]):
            errors["transcript"] = ValidationError(_("A video needs a transcript."))
        problem = timed_captions_problem(value.get("captions") or "")
        if problem:
            errors["captions"] = ValidationError(problem)
        if value["video"] and _extension(value["video"]) not in VIDEO_EXTENSIONS:
            errors["video"] = ValidationError(_("Choose an MP4 or WebM video file."))
        low = value["low_bandwidth"]
        if low and _extension(low) not in LOW_BANDWIDTH_EXTENSIONS:
            errors["low_bandwidth"] = ValidationError(
                _("Choose a small MP4 video or an MP3/M4A/OGG audio file.")
            )
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        low = value["low_bandwidth"]
        context["low_bandwidth_is_audio"] = _extension(low) in {"mp3", "m4a", "ogg", "oga", "opus"}
        context["captions"] = self._captions_track(context)
        return context

    @staticmethod
    def _captions_track(context) -> dict | None:
        """The <track> of a video in a saved lesson: its captions in the lesson's language
        (an English translation serves its own transcript). The URL carries the live revision,
        so a republished lesson's captions are fetched again despite the browser's cache."""
        from .localisation import locale_language  # it imports Wagtail's page models

        page, block_id = context.get("page"), context.get("id")
        # the blocks cannot import the models (which import them): the page says it serves them
        if not getattr(page, "serves_video_captions", False) or not page.pk or not block_id:
            return None
        language = locale_language(page.locale_id)
        url = reverse("courses:lesson_captions", args=[page.pk, block_id])
        try:
            # Django spells some names decomposed ("Tiếng Việt" with combining marks)
            label = unicodedata.normalize("NFC", get_language_info(language)["name_local"])
        except KeyError:
            label = language
        return {"src": f"{url}?v={page.live_revision_id or 0}", "srclang": language, "label": label}

    class Meta:
        icon = "media"
        label = _("Video")
        template = "blocks/video_block.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    description = blocks.CharBlock(label=_("description"), required=False, max_length=300)

    class Meta:
        icon = "doc-full"
        label = _("Document download")
        template = "blocks/document_block.html"


class WorkedExampleBlock(blocks.StructBlock):
    """A typical case worked through: situation → steps → result."""

    title = blocks.CharBlock(label=_("title"), required=False, max_length=200)
    situation = blocks.RichTextBlock(label=_("situation"), features=INLINE_RICH_TEXT_FEATURES)
    steps = blocks.ListBlock(
        blocks.RichTextBlock(label=_("step"), features=INLINE_RICH_TEXT_FEATURES),
        label=_("steps"),
        min_num=1,
    )
    result = blocks.RichTextBlock(label=_("result"), features=INLINE_RICH_TEXT_FEATURES)

    class Meta:
        icon = "list-ol"
        label = _("Worked example")
        template = "blocks/worked_example_block.html"


class ChecklistBlock(blocks.StructBlock):
    """Tick boxes for the officer's own use while working; nothing is saved."""

    title = blocks.CharBlock(label=_("title"), max_length=200)
    items = blocks.ListBlock(
        blocks.CharBlock(label=_("item"), max_length=300), label=_("items"), min_num=1
    )

    class Meta:
        icon = "tasks"
        label = _("Checklist")
        template = "blocks/checklist_block.html"


class PracticeOptionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("option"), max_length=500)
    correct = blocks.BooleanBlock(label=_("correct"), required=False)
    feedback = blocks.CharBlock(
        label=_("feedback"),
        required=False,
        max_length=1000,
        help_text=_("Why this option is right or wrong."),
    )

    class Meta:
        icon = "radio-full"
        label = _("Option")


class PracticeQuestionBlock(blocks.StructBlock):
    """An ungraded practice question inside a lesson.

    It is practice, not an exam: the feedback and the right answer are in the page (hidden in
    `<details>` until the officer opens them), so it works without JavaScript. Exam questions
    live in the assessments app and never reach the browser with their answers.
    """

    question = blocks.RichTextBlock(label=_("question"), features=INLINE_RICH_TEXT_FEATURES)
    options = blocks.ListBlock(PracticeOptionBlock(), label=_("options"))
    explanation = blocks.RichTextBlock(
        label=_("explanation"), features=INLINE_RICH_TEXT_FEATURES, required=False
    )

    def clean(self, value):
        value = super().clean(value)
        options = list(value["options"])
        errors = []
        if len(options) < 2:
            errors.append(ValidationError(_("A practice question needs at least two options.")))
        if not any(option["correct"] for option in options):
            errors.append(ValidationError(_("Mark at least one option as correct.")))
        if errors:
            raise StructBlockValidationError(
                block_errors={"options": ListBlockValidationError(non_block_errors=errors)}
            )
        return value

    class Meta:
        icon = "help"
        label = _("Practice question")
        template = "blocks/practice_question_block.html"


class LessonBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"), features=RICH_TEXT_FEATURES, template="blocks/paragraph_block.html"
    )
    image = LessonImageBlock(label=_("Image"), template="blocks/image_block.html")
    callout = CalloutBlock()
    video = VideoBlock()
    document = DocumentBlock()
    worked_example = WorkedExampleBlock()
    checklist = ChecklistBlock()
    practice_question = PracticeQuestionBlock()
