"""The words a person sees on an admin page: the <main> element's text, without tags, scripts
or attribute values, whitespace collapsed (for asserting that no raw value shows)."""

import re
from html.parser import HTMLParser

# Python's and the database's raw values that must never reach a screen or a file
RAW_WORDS = re.compile(r"\b(True|False|None|null)\b")


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0
        self._in_main = False

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self._in_main = True
        if tag in ("script", "style", "template"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if self._in_main and not self._skip:
            self.parts.append(data)


def screen_text(html: str) -> str:
    parser = _Text()
    parser.feed(html if "<main" in html else f"<main>{html}</main>")
    return " ".join(" ".join(parser.parts).split())


def raw_words(text: str) -> list[str]:
    return RAW_WORDS.findall(text)
