"""Secret keys: made at random, stored only as their SHA-256 (workshop keys, the organiser key)."""

from __future__ import annotations

import hashlib
import secrets


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def new_key() -> str:
    return secrets.token_urlsafe(24)
