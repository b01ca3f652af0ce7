"""Lesson body blocks; each renders with its own template in templates/blocks/."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


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

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["kind_label"] = dict(self.child_blocks["kind"].field.choices).get(value["kind"])
        return context

    class Meta:
        icon = "warning"
        label = _("Callout")
        template = "blocks/callout_block.html"


class LessonBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"), features=RICH_TEXT_FEATURES, template="blocks/paragraph_block.html"
    )
    image = ImageBlock(label=_("Image"), template="blocks/image_block.html")
    callout = CalloutBlock()
