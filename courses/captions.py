"""Captions (WebVTT) for a lesson's videos.

A video block always has a transcript; it may also have timed captions pasted by the trainer
(the text of a WebVTT or SRT file). Timed captions are served as they are timed; otherwise the
transcript is cut into short cues (a sentence, or a clause of a long one, at most two lines of
42 characters, the usual subtitle limits) spread over the video in proportion to their length,
the video's length read from its MP4 header. When that length is unknown (a WebM file, a
damaged header), cues run at a reading pace instead.

Whatever the source, cue text is plain text escaped for WebVTT: no markup reaches the player
and a transcript cannot forge a cue timing ("-->") or end a cue early (a blank line).
"""

import html
import re
import struct
import textwrap
from dataclasses import dataclass

from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

MAX_LINE = 42  # characters a caption line holds on a phone
MAX_LINES = 2
READING_RATE = 15  # characters a second, when the video's length is unknown
MIN_CUE_SECONDS = 1.5
# a pause between sentences, counted as this many characters of speech
PAUSE_WEIGHT = 4
MAX_CUES = 5000
# bumped when the cues made from the same data change: the ETag then changes too
FORMAT_VERSION = "1"


@dataclass(frozen=True)
class Cue:
    start: float  # seconds
    end: float
    lines: tuple[str, ...]


class CaptionsError(ValueError):
    def __init__(self, message, *, line: int):
        super().__init__(message)
        self.message = message
        self.line = line


# --- from the transcript -------------------------------------------------------------------

_BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|div|blockquote|dd|dt|tr)\s*>|<br\s*/?>", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?…;])\s+")
_CLAUSE_END = re.compile(r"(?<=[,:–])\s+")


def plain_text(markup: str) -> str:
    """Markup as plain text on one line: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(strip_tags(markup or "")).split())


def transcript_passages(rich_text: str) -> list[str]:
    """The transcript's paragraphs (and list items, headings) as plain text."""
    marked = _BLOCK_END.sub("\n", rich_text or "")
    return [text for text in (plain_text(part) for part in marked.split("\n")) if text]


def _fits(text: str) -> bool:
    return len(_wrap(text)) <= MAX_LINES


def _wrap(text: str) -> list[str]:
    return textwrap.wrap(text, width=MAX_LINE, break_long_words=True, break_on_hyphens=False)


def _pieces(sentence: str) -> list[str]:
    """A sentence as the pieces a cue can hold: whole, by clauses, by words at worst."""
    if _fits(sentence):
        return [sentence]
    pieces: list[str] = []
    for clause in _CLAUSE_END.split(sentence):
        if _fits(clause):
            pieces.append(clause)
            continue
        lines = _wrap(clause)
        pieces += [" ".join(lines[i : i + MAX_LINES]) for i in range(0, len(lines), MAX_LINES)]
    return pieces


def _cue_texts(rich_text: str) -> list[str]:
    """Cue texts: sentence by sentence, a long sentence's clauses packed together as they fit."""
    texts = []
    for passage in transcript_passages(rich_text):
        for sentence in _SENTENCE_END.split(passage):
            current = ""
            for piece in _pieces(sentence):
                joined = f"{current} {piece}" if current else piece
                if current and not _fits(joined):
                    texts.append(current)
                    joined = piece
                current = joined
            if current:
                texts.append(current)
    return texts[:MAX_CUES]


def cues_from_transcript(rich_text: str, *, duration: float | None) -> list[Cue]:
    """The transcript as cues over `duration` seconds (by length), or at a reading pace."""
    texts = _cue_texts(rich_text)
    weights = [len(text) + PAUSE_WEIGHT for text in texts]
    if duration and duration > 0:
        scale = duration / sum(weights) if weights else 0
        spans = [weight * scale for weight in weights]
    else:
        spans = [max(MIN_CUE_SECONDS, weight / READING_RATE) for weight in weights]
    cues, start = [], 0.0
    for text, span in zip(texts, spans, strict=True):
        end = start + span
        cues.append(Cue(start=round(start, 3), end=round(end, 3), lines=tuple(_wrap(text))))
        start = end
    return cues


# --- timed captions pasted by a trainer ----------------------------------------------------

_TIMESTAMP = r"(?:(\d+):)?([0-5]?\d):([0-5]\d)[.,](\d{3})"
_TIMING = re.compile(rf"^\s*{_TIMESTAMP}\s*-->\s*{_TIMESTAMP}(?:\s+.*)?$")
_SKIPPED_BLOCKS = ("NOTE", "STYLE", "REGION")


def _seconds(hours, minutes, seconds, millis) -> float:
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000


def _timing_line_index(block: list[tuple[int, str]]) -> int:
    """Where a cue's timing is (or should be): first, or after an identifier."""
    first = block[0][1]
    if "-->" in first or len(block) == 1:
        return 0
    if "-->" in block[1][1]:
        return 1
    # neither holds an arrow: a mistyped timing is the first line when it looks like one
    return 0 if re.match(r"\s*\d+:\d", first) else 1


def parse_timed_captions(text: str) -> list[Cue]:
    """Cues from the text of a WebVTT or SRT file, in time order; CaptionsError names the first
    line that is not one (timings, a cue without text, one that ends before it starts)."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cues: list[Cue] = []
    number = 0  # 1-based number of the line being read
    block: list[tuple[int, str]] = []

    def close(block):
        if not block:
            return
        first = block[0][1].strip()
        if not cues and first.startswith("WEBVTT"):
            return  # the file's header
        if first.split(" ")[0] in _SKIPPED_BLOCKS:
            return
        # a cue: an optional identifier (SRT numbers its cues), the timing, the text
        timing_at = _timing_line_index(block)
        line_number, timing_line = block[timing_at]
        match = _TIMING.match(timing_line)
        if match is None:
            raise CaptionsError(
                _("Expected a cue timing such as “00:00:01.000 --> 00:00:04.000”."),
                line=line_number,
            )
        start, end = _seconds(*match.groups()[:4]), _seconds(*match.groups()[4:])
        if end <= start:
            raise CaptionsError(_("The cue ends before it starts."), line=line_number)
        cue_lines = tuple(t for t in (plain_text(raw) for _n, raw in block[timing_at + 1 :]) if t)
        if not cue_lines:
            raise CaptionsError(_("The cue has no text."), line=line_number)
        if len(cues) >= MAX_CUES:
            raise CaptionsError(_("Too many cues."), line=line_number)
        cues.append(Cue(start=start, end=end, lines=cue_lines))

    for number, line in enumerate(lines, start=1):
        if line.strip():
            block.append((number, line))
        else:
            close(block)
            block = []
    close(block)
    return sorted(cues, key=lambda cue: (cue.start, cue.end))


def timed_captions_problem(text: str) -> str | None:
    """Why the pasted captions cannot be used (with the line), or None."""
    try:
        parse_timed_captions(text)
    except CaptionsError as error:
        return _("Line %(line)d: %(problem)s") % {"line": error.line, "problem": error.message}
    return None


# --- WebVTT --------------------------------------------------------------------------------


def _timestamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def _escape(text: str) -> str:
    # WebVTT cue text knows three escapes; with ">" escaped, no "-->" is left either
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def webvtt(cues: list[Cue]) -> str:
    parts = ["WEBVTT", ""]
    for number, cue in enumerate(cues, start=1):
        parts += [
            str(number),
            f"{_timestamp(cue.start)} --> {_timestamp(cue.end)}",
            *(_escape(" ".join(line.split())) for line in cue.lines if line.strip()),
            "",
        ]
    return "\n".join(parts)


# --- the video's length ------------------------------------------------------------------

_MAX_BOXES = 256


def _boxes(f, start: int, end: int | None):
    """(type, payload offset, box end) of the ISO-BMFF boxes between start and end."""
    position = start
    for _i in range(_MAX_BOXES):
        if end is not None and position + 8 > end:
            return
        f.seek(position)
        header = f.read(8)
        if len(header) < 8:
            return
        size, kind = struct.unpack(">I4s", header)
        payload = position + 8
        if size == 1:  # a 64-bit size follows
            size = struct.unpack(">Q", f.read(8))[0]
            payload += 8
        elif size == 0:  # to the end of the enclosing box (or file)
            yield kind, payload, end
            return
        if size < payload - position:
            return  # damaged
        yield kind, payload, position + size
        position += size


def mp4_duration(f) -> float | None:
    """The length in seconds an MP4 file's movie header (mvhd) gives, or None. Reads a few
    headers, seeking past the media data, wherever the header sits in the file."""
    try:
        for kind, payload, end in _boxes(f, 0, None):
            if kind != b"moov":
                continue
            for inner, inner_payload, _inner_end in _boxes(f, payload, end):
                if inner != b"mvhd":
                    continue
                f.seek(inner_payload)
                version = f.read(1)[0]
                f.read(3)  # flags
                if version == 1:
                    _created, _modified, scale, length = struct.unpack(">QQIQ", f.read(28))
                else:
                    _created, _modified, scale, length = struct.unpack(">IIII", f.read(16))
                return length / scale if scale and length else None
            return None
    except (OSError, struct.error, IndexError, ValueError):
        return None
    return None


# (document id, file name, file hash) → seconds: a file's length is read once per process
_durations: dict[tuple, float | None] = {}


def video_duration(document) -> float | None:
    if document is None or document.file_extension.lower() not in {"mp4", "m4v"}:
        return None
    key = (document.pk, document.file.name, document.file_hash)
    if key not in _durations:
        if len(_durations) >= 1024:
            _durations.clear()
        try:
            with document.file.open("rb") as f:
                _durations[key] = mp4_duration(f)
        except OSError:
            _durations[key] = None
    return _durations[key]


# --- serving ---------------------------------------------------------------------------------


def video_captions(*, value: dict, document) -> list[Cue]:
    """A video block's cues (stored form): its timed captions if it has usable ones, else its
    transcript spread over the video."""
    timed = value.get("captions") or ""
    if timed.strip():
        try:
            return parse_timed_captions(timed)
        except CaptionsError:
            pass  # saved before the check existed: the transcript still serves
    return cues_from_transcript(value.get("transcript") or "", duration=video_duration(document))
