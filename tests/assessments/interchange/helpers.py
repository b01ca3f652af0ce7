"""Shared helpers of the interchange tests: the real Moodle files and short views of results."""

import base64
import re
from pathlib import Path

from assessments.interchange import gift, moodlexml

MOODLE_DATA = Path(__file__).resolve().parents[2] / "data" / "moodle"


def moodle_file(name: str) -> bytes:
    return (MOODLE_DATA / name).read_bytes()


def read_moodle(name: str):
    return moodlexml.read(moodle_file(name))


def read_gift(name: str):
    return gift.read(moodle_file(name))


def options(question) -> list[tuple]:
    """(text, fraction, correct, feedback) of each option."""
    return [(o["text"], o["fraction"], o["correct"], o["feedback"]) for o in question.options]


def summary(result) -> list[tuple]:
    """(position, name, qtype) of what was imported, then of what was skipped."""
    return [(q.position, q.name, q.qtype) for q in result.questions] + [
        (s.position, s.name, f"skipped:{s.qtype}") for s in result.skipped
    ]


def embedded_file(source: bytes, name: str) -> bytes:
    """The content of <file name="name"> in a Moodle XML file, decoded independently of the
    reader under test."""
    match = re.search(
        rb'<file name="' + re.escape(name.encode()) + rb'"[^>]*>([^<]+)</file>', source
    )
    return base64.b64decode(match[1])
