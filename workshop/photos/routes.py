"""Photos of the tablecloths: the host's (or the facilitator's) upload, the pictures themselves,
and the list the board and the console follow. The pictures are public within the workshop's code,
like the board that shows them.

A form post answers as every other form (a redirect, or the page again with the reason); a script
that asks for JSON (``Accept: application/json``) gets ``{"ok", "photo"}`` or ``{"ok": false,
"error": {"code", "message"}}`` with the same status.
"""

from __future__ import annotations

import re
import threading

from flask import Blueprint, abort, flash, jsonify, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import ImmutableMultiDict

from workshop import clock
from workshop.domain import photos as rules
from workshop.domain.errors import WorkshopError
from workshop.extensions import db
from workshop.live import participants as participant_service
from workshop.messages import describe as describe_common
from workshop.models import Workshop
from workshop.photos import writes as photo_service
from workshop.ratelimit import limiter
from workshop.realtime.broadcast import publish
from workshop.validation import Field, validate
from workshop.web.common import facilitator_key, load_workshop, session_value

bp = Blueprint("photos", __name__)

UPLOAD_FORM = (
    Field("table", kind="int", max_value=999),
    Field("round", kind="int"),
    Field("topic", kind="uuid"),
    Field("participant", max_length=64),
)
# The whole request: the photo and a few fields (the global limit stays small for every other form).
MAX_REQUEST_BYTES = rules.MAX_UPLOAD_BYTES + 64 * 1024
PHOTO_BUDGET = "20/minute"  # per phone (or console), on top of every form's per-address budget
YEAR = 365 * 24 * 3600

MESSAGES = {
    "photo_missing": _l("Choose a photo first: take it with the camera button."),
    "photo_type": _l(
        "This file is not a JPEG, PNG or WebP photo. Nothing was saved: take the photo again with the camera button."
    ),
    "photo_unreadable": _l(
        "This photo could not be read (the file may be damaged or cut short). Nothing was saved: try again."
    ),
    "photo_too_large": _l("This picture has more than %(max)s megapixels. Nothing was saved: send a smaller one."),
    "photo_too_big": _l("This file is larger than %(max)s MB. Nothing was saved: send a smaller photo."),
    "photo_limit_place": _l("This table already has %(max)s photos for this round: the facilitator can remove one."),
    "photo_limit_workshop": _l("The workshop already holds its %(max)s photos. Nothing was saved."),
    "photo_no_round": _l("No round of this block has started yet: take the photo once a round is under way."),
    "unknown_photo": _l("This photo does not exist in this workshop."),
}
STATUS = {
    "not_host": 403,
    "not_convener": 403,
    "forbidden": 403,
    "photo_too_big": 413,
    "photo_limit_place": 409,
    "photo_limit_workshop": 409,
    "unknown_photo": 404,
    "rate_limited": 429,
}


def describe(error: WorkshopError) -> str:
    template = MESSAGES.get(error.code)
    if template is None:
        return describe_common(error)
    return str(template) % error.params if error.params else str(template)


def _wants_json() -> bool:
    accepted = request.accept_mimetypes
    return accepted.best_match(("application/json", "text/html")) == "application/json"


@bp.url_value_preprocessor
def _allow_a_photo(endpoint: str | None, values: dict | None) -> None:
    # Runs before any before_request (the CSRF check reads the form): only the uploads get the room.
    if endpoint in ("photos.upload", "photos.console_upload"):
        request.max_content_length = MAX_REQUEST_BYTES


PHOTO_ADDRESS_BUDGET = "120/minute"  # per address: whatever tokens a script makes up
TOKEN = re.compile(r"[A-Za-z0-9_-]{10,64}")
# One picture decoded at a time in this process: four bombs at once no longer take four times the
# memory (and, with threads, every core).
_decoding = threading.Lock()


def _uploader_key() -> str:
    """The rate limit's key: the phone (its token), else the console's session, else the address.
    Normalised: the token as the app reads it (spaces around it, padding, case of the code do not
    make a new key), and anything that is not a token is the address."""
    code = str((request.view_args or {}).get("code", "")).strip().upper()
    token = (request.form.get("participant") or "").strip() or session_value("participants", code)
    if token is not None and not TOKEN.fullmatch(token):
        token = None
    return f"photo:{code}:{token or session_value('keys', code) or request.remote_addr}"


def _read_photo() -> bytes:
    upload = request.files.get("photo")
    data = upload.stream.read(rules.MAX_UPLOAD_BYTES + 1) if upload is not None else b""
    if not data:
        raise WorkshopError("photo_missing")
    if len(data) > rules.MAX_UPLOAD_BYTES:
        raise WorkshopError("photo_too_big", max=rules.MAX_UPLOAD_BYTES // (1024 * 1024))
    return data


def _store(workshop: Workshop, participant, data: dict):
    """Checks who may send it, then reads and cleans the picture once (one at a time), then
    stores it; a race for the same number or slot tries again."""
    photo_service.check_uploader(
        workshop, participant, table=data["table"], round_id=data["round"], topic_id=data["topic"]
    )
    raw = _read_photo()
    with _decoding:
        clean = rules.clean_photo(raw)
    for attempt in range(3):
        try:
            photo, broadcasts = photo_service.add_photo(
                workshop,
                clean,
                clock.now(),
                participant=participant,
                table=data["table"],
                round_id=data["round"],
                topic_id=data["topic"],
            )
            db.session.commit()
            return photo, broadcasts
        except IntegrityError:
            db.session.rollback()
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _answer_json(payload: dict, status: int):
    response = jsonify(payload)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


def _refused(workshop: Workshop, error: WorkshopError, on_console: bool):
    status = STATUS.get(error.code, 400)
    message = describe(error)
    if _wants_json():
        return _answer_json({"ok": False, "error": {"code": error.code, "message": message}}, status)
    # The page again, with the reason. A body refused as too large was never read: the page
    # must not try to read it again.
    current = request._get_current_object()
    current.__dict__.setdefault("form", ImmutableMultiDict())
    current.__dict__.setdefault("files", ImmutableMultiDict())
    if on_console:
        from workshop.live.console_routes import key_form, render_console

        key = facilitator_key(workshop)
        if key is None:
            return key_form(workshop)
        return render_console(workshop, key, status, message)
    from workshop.live.phone_routes import render_page

    return render_page(workshop, status, error=message, form_seats=False)


def _stored(workshop: Workshop, photo, broadcasts, on_console: bool):
    publish(broadcasts)
    if _wants_json():
        return _answer_json({"ok": True, "photo": photo_service.one_photo_json(workshop, photo.id)}, 201)
    flash(_("The photo is saved."), "success")
    if on_console:
        return redirect(url_for("facilitate.console", code=workshop.code, _anchor="photos"), 303)
    # Back to the form it came from: the table host's (#photos) or the convener's (#os-photos).
    anchor = "os-photos" if photo.topic_id else "photos"
    return redirect(url_for("participant.page", code=workshop.code, _anchor=anchor), 303)


@bp.post("/j/<code>/photos")
@limiter.limit(PHOTO_BUDGET, key_func=_uploader_key)
@limiter.limit(PHOTO_ADDRESS_BUDGET)
def upload(code: str):
    """A table host's photo (or a convener's, with ``topic``): ``photo``, ``table``?, ``round``?."""
    workshop = load_workshop(code)
    try:
        data = validate(request.form.to_dict(), UPLOAD_FORM)
        token = (data["participant"] or "").strip() or session_value("participants", workshop.code)
        participant = participant_service.find_participant(workshop, token)
        if participant is None:
            raise WorkshopError("not_convener" if data["topic"] else "not_host")
        photo, broadcasts = _store(workshop, participant, data)
    except WorkshopError as error:
        db.session.rollback()
        return _refused(workshop, error, on_console=False)
    return _stored(workshop, photo, broadcasts, on_console=False)


@bp.post("/w/<code>/photos")
@limiter.limit(PHOTO_BUDGET, key_func=_uploader_key)
@limiter.limit(PHOTO_ADDRESS_BUDGET)
def console_upload(code: str):
    """The facilitator's photo for any table (``table`` required) or session (``topic``)."""
    workshop = load_workshop(code)
    if facilitator_key(workshop) is None:
        return _refused(workshop, WorkshopError("forbidden"), on_console=True)
    try:
        data = validate(request.form.to_dict(), UPLOAD_FORM)
        photo, broadcasts = _store(workshop, None, data)
    except WorkshopError as error:
        db.session.rollback()
        return _refused(workshop, error, on_console=True)
    return _stored(workshop, photo, broadcasts, on_console=True)


@bp.post("/w/<code>/photos/<photo_id>/delete")
def remove(code: str, photo_id: str):
    """The facilitator takes a photo away."""
    workshop = load_workshop(code)
    if facilitator_key(workshop) is None:
        return _refused(workshop, WorkshopError("forbidden"), on_console=True)
    try:
        photo_id = validate({"photo": photo_id}, (Field("photo", kind="uuid", required=True),))["photo"]
        broadcasts = photo_service.remove_photo(workshop, photo_id)
        db.session.commit()
    except WorkshopError as error:
        db.session.rollback()
        return _refused(workshop, error, on_console=True)
    publish(broadcasts)
    if _wants_json():
        return _answer_json({"ok": True}, 200)
    flash(_("The photo is removed."), "success")
    return redirect(url_for("facilitate.console", code=workshop.code, _anchor="photos"), 303)


def _picture(code: str, photo_id, thumbnail: bool):
    workshop = load_workshop(code)
    try:
        data = photo_service.photo_bytes(workshop, str(photo_id), thumbnail=thumbnail)
    except WorkshopError:
        abort(404)
    response = make_response(data)
    response.headers["Content-Type"] = "image/jpeg"
    response.headers["X-Content-Type-Options"] = "nosniff"
    # An id is never reused and a photo never changes: kept as long as a browser likes.
    response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    response.headers["Content-Disposition"] = f'inline; filename="{photo_id}.jpg"'
    return response


@bp.get("/w/<code>/photos/<uuid:photo_id>.jpg")
def picture(code: str, photo_id):
    return _picture(code, photo_id, thumbnail=False)


@bp.get("/w/<code>/photos/<uuid:photo_id>.thumb.jpg")
def thumbnail(code: str, photo_id):
    return _picture(code, photo_id, thumbnail=True)


@bp.get("/w/<code>/photos.json")
def listing(code: str):
    """Every photo of the workshop and the current block's tables (what photos.js draws)."""
    workshop = load_workshop(code)
    shown = photo_service.gallery(workshop)
    block = shown["block"]
    response = jsonify(
        {
            "block": block.id if block is not None else None,
            "tables": [{"number": t["number"], "theme": t["theme"]} for t in shown["all_tables"]],
            "rounds": [
                {"id": r.id, "number": r.position + 1, "title": r.title, "status": r.status} for r in block.rounds
            ]
            if block
            else [],
            "photos": photo_service.photos_json(workshop),
        }
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/w/<code>/photos/fragment")
def fragment(code: str):
    """The board's photo strips as HTML (``?view=console``: the console's, with the remove buttons
    and the upload form's choices, for the facilitator only): the partial both pages include,
    fetched again by photos.js when a photo comes or goes or the block changes (one renderer)."""
    workshop = load_workshop(code)
    key = None
    if request.args.get("view") == "console":
        key = facilitator_key(workshop)
        if key is None:
            abort(403)
    response = make_response(render_template("photos/_photos.html", workshop=workshop, key=key, photos_fragment=True))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.app_context_processor
def _templates() -> dict:
    """What the photo partials call (templates/photos/_photos.html, templates/photos/_photo_upload.html)."""
    return {
        "photo_gallery": photo_service.gallery,
        "table_photos": photo_service.table_photos,
        "photo_strings": photo_strings,
        "photo_alt": photo_alt,
    }


def photo_alt(photo: dict) -> str:
    """What a photo shows, for its alt text and caption."""
    if photo.get("topic"):
        return _("Photo of the flipchart of the session “%(title)s”", title=photo.get("topic_title") or "")
    if photo.get("round_number"):
        return _(
            "Photo of the tablecloth of table %(table)s, round %(round)s",
            table=photo["table"],
            round=photo["round_number"],
        )
    return _("Photo of the tablecloth of table %(table)s", table=photo["table"])


def photo_strings() -> dict:
    """What photos.js says, translated here."""
    return {
        "alt": _("Photo of the tablecloth of table %(table)s, round %(round)s"),
        "altNoRound": _("Photo of the tablecloth of table %(table)s"),
        "altTopic": _("Photo of the flipchart of the session “%(title)s”"),
        "table": _("Table %(number)s"),
        "close": _("Close the photo"),
        "remove": _("Remove"),
        "removeOne": _("Remove: %(photo)s"),
        "round": _("Round %(number)s"),
        "currentRound": _("The current round"),
        "confirmRemove": _("Remove this photo from the board and the results?"),
        "sending": _("Sending the photo…"),
        "sent": _("The photo is saved."),
        "preparing": _("Preparing the photo…"),
        "failed": _("The photo could not be sent: check the connection and try again."),
        "chosen": _("Photo ready to send: %(size)s"),
        "previous": _("Previous photo"),
        "next": _("Next photo"),
    }


def _too_large(error):
    code = (request.view_args or {}).get("code", "")
    workshop = load_workshop(str(code))
    return _refused(
        workshop,
        WorkshopError("photo_too_big", max=rules.MAX_UPLOAD_BYTES // (1024 * 1024)),
        on_console=request.endpoint == "photos.console_upload",
    )


def _too_many(error):
    code = (request.view_args or {}).get("code", "")
    workshop = load_workshop(str(code))
    return _refused(workshop, WorkshopError("rate_limited"), on_console=request.endpoint == "photos.console_upload")


bp.register_error_handler(413, _too_large)
bp.register_error_handler(429, _too_many)
