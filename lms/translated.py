"""Reference data (domains, competencies, levels, positions, exams) is written in Vietnamese;
an optional English twin of a field (`title_en` beside `title`) is what an officer reading in
English sees. Official documents (certificates, exports) keep the Vietnamese."""

from django.utils.translation import get_language


def english_active() -> bool:
    return (get_language() or "").split("-")[0] == "en"


class InReadersLanguage:
    """`shown_title = InReadersLanguage("title")`: the `title_en` of the instance while English
    is active and it is filled in, else `title`."""

    def __init__(self, field: str):
        self.field = field

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        if english_active():
            english = getattr(instance, f"{self.field}_en", "")
            if english:
                return english
        return getattr(instance, self.field)
