from __future__ import annotations

from flask import Blueprint
from sqlalchemy import text

from workshop.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        return {"ok": False, "database": "unreachable"}, 503
    return {"ok": True, "database": "ok"}
