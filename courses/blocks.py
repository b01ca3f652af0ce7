"""Lesson body blocks; each renders with its own template in templates/blocks/."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("loại"),
        choices=[
            ("tip", _("Mẹo")),
            ("error", _("Lỗi thường gặp")),
            ("legal", _("Căn cứ pháp lý")),
        ],
        default="tip",
    )
    text = blocks.RichTextBlock(label=_("nội dung"), features=RICH_TEXT_FEATURES)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["kind_label"] = dict(self.child_blocks["kind"].field.choices).get(value["kind"])
        return context

    class Meta:
        icon = "warning"
        label = _("Hộp lưu ý")
        template = "blocks/callout_block.html"


class LessonBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        label=_("Đoạn văn"), features=RICH_TEXT_FEATURES, template="blocks/paragraph_block.html"
    )
    image = ImageBlock(label=_("Hình ảnh"), template="blocks/image_block.html")
    callout = CalloutBlock()
