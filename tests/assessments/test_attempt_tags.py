"""The question page's navigation and options, written in Python for speed
(assessments/templatetags/attempt_tags.py): the same markup Django's widgets give."""

from django import forms
from django.urls import reverse
from django.utils.safestring import mark_safe

from assessments.selectors import NavItem
from assessments.templatetags.attempt_tags import choice_inputs, question_nav


class _Attempt:
    pk = 42


def test_the_navigation_links_every_question_and_marks_answered_and_current():
    items = [NavItem(1, 3, ["a"]), NavItem(2, 0, None), NavItem(3, 5, [])]
    html = question_nav(_Attempt(), items, 2)
    url = reverse("assessments:question", args=[42, 1])
    # answered: said in words too, not only by the link's colour (WCAG 1.4.1)
    assert html.startswith(
        f'<li><a href="{url}" class="answered">1<span class="qstate">, đã trả lời</span></a></li>'
    )
    assert f'href="{url[:-2]}2/" aria-current="step">2</a>' in html
    # a cleared choice ([]) is not an answer
    assert f'<li><a href="{url[:-2]}3/">3</a></li>' in html


class _Choices(forms.Form):
    one = forms.ChoiceField(
        choices=[("a", mark_safe("<p>A &amp; B</p>")), ("b", "x < 5")],
        required=False,
        widget=forms.RadioSelect,
    )
    many = forms.MultipleChoiceField(
        choices=[("a", "A"), ("b", "B"), ("c", "C")],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


def test_radio_inputs_carry_labels_ids_and_the_saved_choice():
    html = choice_inputs(_Choices(initial={"one": "b"})["one"])
    assert html.startswith('<div id="id_one">')
    assert (
        '<label for="id_one_0"><input type="radio" name="one" value="a" id="id_one_0">'
        " <p>A &amp; B</p></label>" in html
    )
    # sanitised option HTML stays markup; plain text is escaped
    assert 'id="id_one_1" checked> x &lt; 5</label>' in html


def test_checkboxes_check_every_saved_choice():
    html = choice_inputs(_Choices(initial={"many": ["a", "c"]})["many"])
    assert html.count(" checked>") == 2
    assert 'value="b" id="id_many_1">' in html


def test_a_posted_choice_is_kept_and_an_invalid_one_left_to_django():
    form = _Choices(data={"one": "b"})
    assert form.is_valid()
    assert 'value="b" id="id_one_1" checked>' in choice_inputs(form["one"])
    form = _Choices(data={"one": "zz"})
    assert not form.is_valid()
    assert 'aria-invalid="true"' in choice_inputs(form["one"])
