"""The public verification form's fields point at their help text and their errors: every id
named by aria-describedby, aria-labelledby or a label's `for` is on the page, once (Django sets
aria-describedby="<id>_helptext <id>_error" on the input; the hand-written form must use those
ids, or a screen reader announces neither the example serial nor the error)."""

from collections import Counter
from html.parser import HTMLParser

import pytest
from django.urls import reverse

URL = reverse("certificates:verify_start")


class References(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: Counter[str] = Counter()
        self.referenced: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids[attrs["id"]] += 1
        for name in ("aria-describedby", "aria-labelledby"):
            for ref in (attrs.get(name) or "").split():
                self.referenced.append((f"{tag}[{name}]", ref))
        if tag == "label" and attrs.get("for"):
            self.referenced.append(("label[for]", attrs["for"]))


def broken_references(html: str) -> list[str]:
    parser = References()
    parser.feed(html)
    missing = [f"{where} -> #{ref}" for where, ref in parser.referenced if ref not in parser.ids]
    duplicated = [f"#{name} x{n}" for name, n in parser.ids.items() if n > 1]
    return missing + duplicated


@pytest.mark.django_db
def test_the_serial_form_points_at_its_help_texts(client):
    html = client.get(URL).content.decode()
    assert 'aria-describedby="id_serial_helptext"' in html
    assert 'id="id_serial_helptext"' in html and 'id="id_name_helptext"' in html
    assert broken_references(html) == []


@pytest.mark.django_db
def test_the_serial_form_points_at_its_errors(client):
    response = client.post(URL, {"serial": "", "name": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'aria-describedby="id_serial_helptext id_serial_error"' in html
    assert 'aria-invalid="true"' in html
    assert broken_references(html) == []
