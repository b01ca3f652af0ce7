"""Late answers: a response file made by the officer's device when the link came back after
the deadline plus the grace, and a trainer's decision on it.

The file (made by static/js/late.js with WebCrypto) is JSON:
``{"format": FORMAT, "v": 1, "attempt": id, "epk": b64url, "iv": b64url, "ct": b64url}``.
`epk` is a fresh ephemeral P-256 public key; the AES-256-GCM key is HKDF-SHA-256 of its ECDH
secret with the server's key (`info` names the attempt); the additional data is
``FORMAT:v1:<attempt id>:<attempt token>``; the plaintext is
``{"attempt", "token", "made": device ms, "answers": [{"p", "seq", "t": device ms, "f":
[[name, value]]}]}``.

What this gives, honestly: only the server reads the file (a shared PC keeps ciphertext);
a file made for one attempt fails on any other (the token is an HMAC of the attempt the
server gave only to its owner's pages); a bit changed anywhere fails the GCM tag. What it
cannot give: proof of *when* an answer was given, nor that the owner did not make up a file
(anyone holding the public key and the token can encrypt). The device times are claims, the
received time is the server's, and a trainer decides.
"""

import base64
import binascii
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .forms import AnswerForm
from .models import Attempt, AttemptItem, LateResponse
from .selectors import _answer_text
from .services import AssessmentError, attempt_regrade

FORMAT = "lms-late-response"
MAX_FILE_BYTES = 256 * 1024
MAX_FIELDS_PER_ANSWER = 64
MAX_VALUE_CHARS = 2000
LOG_ACTION_PREFIX = "assessments.late_response."
# what the device time may claim: nothing before the attempt started, nothing far in the future
_EPOCH_MIN_MS = 0
_EPOCH_MAX_MS = 2**53


class LateResponseError(AssessmentError):
    """A file that cannot be taken, with a message the officer or trainer can read."""


# --- keys --------------------------------------------------------------------------------


def _server_private_key() -> ec.EllipticCurvePrivateKey:
    # derived from SECRET_KEY: every web node has it without a new secret to deploy; rotating
    # SECRET_KEY makes files made before the rotation unreadable (they are short-lived)
    seed = hmac.new(settings.SECRET_KEY.encode(), b"lms-late-response-key", "sha256").digest()
    order = int("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16)
    scalar = int.from_bytes(seed + hashlib.sha256(seed).digest(), "big") % (order - 1) + 1
    return ec.derive_private_key(scalar, ec.SECP256R1())


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text) -> bytes:
    if not isinstance(text, str) or len(text) > MAX_FILE_BYTES * 2:
        raise ValueError
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def late_response_public_key() -> str:
    """The server's P-256 public key, raw uncompressed point in base64url, for the page."""
    point = (
        _server_private_key()
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    return _b64(point)


def attempt_late_token(*, attempt: Attempt) -> str:
    """The attempt's binding token: shown only on its owner's pages, checked in every file."""
    message = f"late-response:{attempt.pk}:{attempt.staff_id}:{attempt.started_at.isoformat()}"
    return hmac.new(settings.SECRET_KEY.encode(), message.encode(), "sha256").hexdigest()[:32]


def _aad(attempt_id: int, token: str) -> bytes:
    return f"{FORMAT}:v1:{attempt_id}:{token}".encode()


def _key(shared: bytes, attempt_id: int) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=b"",
        info=f"{FORMAT}:{attempt_id}".encode(),
    ).derive(shared)


def response_file_encrypt(*, attempt: Attempt, answers: list[dict], made_ms: int) -> bytes:
    """What late.js makes, made in Python (tests and tools): the same format, the same keys."""
    token = attempt_late_token(attempt=attempt)
    ephemeral = ec.generate_private_key(ec.SECP256R1())
    shared = ephemeral.exchange(ec.ECDH(), _server_private_key().public_key())
    iv = AESGCM.generate_key(bit_length=128)[:12]
    plain = json.dumps(
        {"attempt": attempt.pk, "token": token, "made": made_ms, "answers": answers}
    ).encode()
    ct = AESGCM(_key(shared, attempt.pk)).encrypt(iv, plain, _aad(attempt.pk, token))
    epk = ephemeral.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return json.dumps(
        {
            "format": FORMAT,
            "v": 1,
            "attempt": attempt.pk,
            "epk": _b64(epk),
            "iv": _b64(iv),
            "ct": _b64(ct),
        }
    ).encode()


# --- reading a file ----------------------------------------------------------------------


def response_file_attempt_id(data: bytes) -> int:
    """The attempt a file names (not yet checked), or a LateResponseError."""
    return _envelope(data)["attempt"]


def _unreadable() -> LateResponseError:
    return LateResponseError(
        _("This is not a response file of this system, or it was damaged. Nothing was saved.")
    )


def _envelope(data: bytes) -> dict:
    if len(data) > MAX_FILE_BYTES:
        raise LateResponseError(
            _("The file is too large to be a response file. Nothing was saved.")
        )
    try:
        envelope = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _unreadable() from None
    if (
        not isinstance(envelope, dict)
        or envelope.get("format") != FORMAT
        or envelope.get("v") != 1
        or type(envelope.get("attempt")) is not int
    ):
        raise _unreadable()
    return envelope


def _decrypt(envelope: dict, *, attempt: Attempt) -> dict:
    token = attempt_late_token(attempt=attempt)
    try:
        epk = _unb64(envelope.get("epk"))
        iv = _unb64(envelope.get("iv"))
        ct = _unb64(envelope.get("ct"))
        if len(iv) != 12 or len(ct) < 16:
            raise ValueError
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), epk)
        shared = _server_private_key().exchange(ec.ECDH(), public)
        plain = AESGCM(_key(shared, attempt.pk)).decrypt(iv, ct, _aad(attempt.pk, token))
        content = json.loads(plain.decode("utf-8"))
    except (ValueError, TypeError, binascii.Error, InvalidTag, UnicodeDecodeError, RecursionError):
        raise LateResponseError(
            _(
                "The file does not belong to this attempt, or it was changed after it was made. "
                "Nothing was saved."
            )
        ) from None
    if (
        not isinstance(content, dict)
        or content.get("attempt") != attempt.pk
        or not isinstance(content.get("token"), str)
        or not hmac.compare_digest(content["token"], token)
        or not isinstance(content.get("answers"), list)
    ):
        raise _unreadable()
    return content


def _ms(value) -> datetime | None:
    if type(value) is not int or not _EPOCH_MIN_MS <= value <= _EPOCH_MAX_MS:
        return None
    try:
        return datetime.fromtimestamp(value / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def device_time_from(value) -> datetime | None:
    """A device's clock as posted with a save ("t", milliseconds since 1970), or None."""
    if not isinstance(value, str) or not value.isdigit() or len(value) > 16:
        return None
    return _ms(int(value))


def _answers(content: dict, *, attempt: Attempt) -> list[dict]:
    """The newest answer per question the file holds, each read as the question page would."""
    latest: dict[int, dict] = {}
    for raw in content["answers"][: attempt.question_count * 4 or 1]:
        if not isinstance(raw, dict):
            raise _unreadable()
        position, seq, fields = raw.get("p"), raw.get("seq"), raw.get("f")
        if (
            type(position) is not int
            or not 1 <= position <= attempt.question_count
            or type(seq) is not int
            or not 1 <= seq <= 2**31 - 1
            or not isinstance(fields, list)
            or len(fields) > MAX_FIELDS_PER_ANSWER
        ):
            raise _unreadable()
        pairs = []
        for pair in fields:
            if (
                not isinstance(pair, list)
                or len(pair) != 2
                or not all(isinstance(v, str) and len(v) <= MAX_VALUE_CHARS for v in pair)
            ):
                raise _unreadable()
            pairs.append(pair)
        if position not in latest or latest[position]["seq"] < seq:
            device = _ms(raw.get("t"))
            latest[position] = {
                "position": position,
                "seq": seq,
                "device_time": device.isoformat() if device else None,
                "fields": pairs,
            }
    items = {
        i.position: i
        for i in attempt.items.filter(position__in=list(latest)).select_related(
            "question_version__question"
        )
    }
    answers = []
    for position in sorted(latest):
        answer = latest[position]
        form = AnswerForm(_query(answer["fields"], answer["seq"]), item=items[position])
        if form.is_valid():
            answer["readable"], answer["response"], answer["error"] = True, form.response(), ""
        else:
            answer["readable"], answer["response"] = False, None
            answer["error"] = " ".join(str(e) for errors in form.errors.values() for e in errors)
        answers.append(answer)
    return answers


def _query(fields: list[list[str]], seq: int) -> QueryDict:
    query = QueryDict(mutable=True)
    for name, value in fields:
        query.appendlist(name, value)
    query["seq"] = str(seq)
    return query


@transaction.atomic
def late_response_receive(*, attempt: Attempt, data: bytes, uploaded_by) -> LateResponse:
    """A response file is taken for a closed attempt only if it was made for that attempt and
    is intact; the same file brought twice is one submission; it waits for a decision."""
    envelope = _envelope(data)
    if envelope["attempt"] != attempt.pk:
        raise LateResponseError(_("The file was made for another attempt. Nothing was saved."))
    content = _decrypt(envelope, attempt=attempt)
    if attempt.status == Attempt.Status.IN_PROGRESS:
        raise LateResponseError(
            _(
                "The attempt is still open: go back to the questions, the answers are sent "
                "from there."
            )
        )
    answers = _answers(content, attempt=attempt)
    if not answers:
        raise LateResponseError(_("The file holds no answer. Nothing was saved."))
    digest = hashlib.sha256(data).hexdigest()
    existing = LateResponse.objects.filter(attempt=attempt, file_sha256=digest).first()
    if existing is not None:
        return existing
    made = _ms(content.get("made"))
    try:
        with transaction.atomic():
            late = LateResponse.objects.create(
                attempt=attempt,
                uploaded_by=uploaded_by,
                file_sha256=digest,
                device_made_at=made,
                answers=answers,
            )
    except IntegrityError:
        existing = LateResponse.objects.filter(attempt=attempt, file_sha256=digest).first()
        if existing is not None:  # the same file, sent twice at once
            return existing
        raise LateResponseError(
            _(
                "Another response file for this attempt is already waiting for a decision. "
                "Nothing was saved."
            )
        ) from None
    log(late, LOG_ACTION_PREFIX + "receive", user=uploaded_by, data={"attempt": attempt.pk})
    return late


# --- deciding ----------------------------------------------------------------------------


def _lock(late_response: LateResponse) -> LateResponse:
    return (
        LateResponse.objects.select_for_update().select_related("attempt").get(pk=late_response.pk)
    )


@transaction.atomic
def late_response_accept(*, late_response: LateResponse, user) -> LateResponse:
    """Accepting applies each readable answer newer than the one the server holds and grades
    the attempt again (with its triggers); accepting twice changes nothing."""
    late = _lock(late_response)
    if late.status == LateResponse.Status.ACCEPTED:
        return late
    if late.status != LateResponse.Status.PENDING:
        raise LateResponseError(_("These answers were already rejected."))
    attempt = late.attempt
    before = attempt.score_percent
    items = {i.position: i for i in attempt.items.all()}
    applied = []
    for answer in late.answers:
        item = items.get(answer["position"])
        if item is None or not answer.get("readable") or answer["seq"] <= item.saved_seq:
            continue
        item.response, item.saved_seq = answer["response"], answer["seq"]
        applied.append(item)
    AttemptItem.objects.bulk_update(applied, ["response", "saved_seq"])
    attempt = attempt_regrade(attempt=attempt) if applied else attempt
    late.status = LateResponse.Status.ACCEPTED
    late.decided_by, late.decided_at = user, timezone.now()
    late.applied_count = len(applied)
    late.save(update_fields=["status", "decided_by", "decided_at", "applied_count"])
    log(
        late,
        LOG_ACTION_PREFIX + "accept",
        user=user,
        data={
            "attempt": attempt.pk,
            "applied": len(applied),
            "score_before": str(before),
            "score_after": str(attempt.score_percent),
        },
    )
    return late


@transaction.atomic
def late_response_reject(*, late_response: LateResponse, user, reason: str) -> LateResponse:
    """Rejecting keeps the attempt as graded and needs a reason the officer is shown."""
    reason = (reason or "").strip()
    if not reason:
        raise LateResponseError(_("Give the reason for rejecting the answers."))
    late = _lock(late_response)
    if late.status != LateResponse.Status.PENDING:
        raise LateResponseError(_("These answers were already decided."))
    late.status = LateResponse.Status.REJECTED
    late.decided_by, late.decided_at = user, timezone.now()
    late.reason = reason[:2000]
    late.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    log(late, LOG_ACTION_PREFIX + "reject", user=user, data={"reason": late.reason})
    return late


# an answer the device gave more than this before the server saved it waited on the device
OFFLINE_AFTER = timedelta(seconds=60)


def attempt_save_times(*, attempt: Attempt) -> list[dict]:
    """Per question: when the server saved the answer and when the device says it was given
    (answers given offline and sent when the link returned show both, minutes apart)."""
    rows = []
    for position, saved_at, device in attempt.items.values_list(
        "position", "saved_at", "answered_at_device"
    ):
        rows.append(
            {
                "position": position,
                "saved_at": saved_at,
                "device_time": device,
                "waited": bool(saved_at and device and saved_at - device > OFFLINE_AFTER),
            }
        )
    return rows


def late_answer_rows(*, late_response: LateResponse) -> list[dict]:
    """What the trainer checks per answer: device time against the deadline, whether it is
    newer than the saved answer, and the answer as text."""
    attempt = late_response.attempt
    cutoff = attempt.deadline + timedelta(seconds=settings.ATTEMPT_GRACE_SECONDS)
    items = {i.position: i for i in attempt.items.select_related("question_version__question")}
    rows = []
    for answer in late_response.answers:
        item = items.get(answer["position"])
        device = answer.get("device_time")
        device_dt = datetime.fromisoformat(device) if device else None
        version = item.question_version
        rows.append(
            {
                "position": answer["position"],
                "device_time": device_dt,
                "before_deadline": device_dt is not None and device_dt <= cutoff,
                # once accepted, the applied answers are the saved ones
                "newer": answer["seq"] > item.saved_seq
                or (
                    late_response.status == LateResponse.Status.ACCEPTED
                    and answer["seq"] == item.saved_seq
                ),
                "answer": _answer_text(
                    qtype=version.question.qtype,
                    version=version,
                    response=answer.get("response"),
                    order=item.option_order,
                ),
                "error": answer.get("error", ""),
            }
        )
    return rows
