"""The one validator for every Socket.IO payload and form.

A schema is a tuple of fields; ``validate`` returns a clean dict with every field of the schema
(absent optional fields are None) and ignores unknown fields. Any problem raises WorkshopError with
a code and the field's name, so the message a person reads says what to fix.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from workshop.domain.errors import WorkshopError
from workshop.domain.text import clean_text

MAX_PAYLOAD_FIELDS = 32


@dataclass(frozen=True)
class Field:
    name: str
    kind: str = "str"  # str | text | int | uuid | choice | bool | date | int_list | uuid_list | object_list
    max_items: int = 500
    items: tuple[Field, ...] = ()  # the schema of each object of an object_list
    required: bool = False
    max_length: int = 200
    min_value: int = 1
    max_value: int = 1_000_000
    choices: tuple[str, ...] = ()


def validate(payload: object, schema: tuple[Field, ...]) -> dict:
    if payload is None:
        payload = {}
    if not isinstance(payload, Mapping):
        raise WorkshopError("bad_payload")
    if len(payload) > MAX_PAYLOAD_FIELDS:
        raise WorkshopError("bad_payload")
    clean: dict = {}
    for field in schema:
        raw = payload.get(field.name)
        if raw is None or (isinstance(raw, str) and raw.strip() == "" and field.kind != "text"):
            if field.required:
                raise WorkshopError("missing_field", field=field.name)
            clean[field.name] = None
            continue
        clean[field.name] = _convert(field, raw)
    return clean


def _convert(field: Field, raw: object):
    if field.kind in ("str", "text", "choice"):
        if not isinstance(raw, str):
            raise WorkshopError("wrong_type", field=field.name)
        # Refuse absurd sizes before any work on them; the domain applies the real limit.
        if len(raw) > field.max_length * 4 + 64:
            raise WorkshopError("too_long", field=field.name, max=field.max_length)
        if field.kind == "text":
            return raw  # the domain rule cleans and measures it (see domain.notes)
        value = clean_text(raw)
        if len(value) > field.max_length:
            raise WorkshopError("too_long", field=field.name, max=field.max_length)
        if field.kind == "choice" and value not in field.choices:
            raise WorkshopError("bad_choice", field=field.name, choices=", ".join(field.choices))
        if field.required and not value:
            raise WorkshopError("missing_field", field=field.name)
        return value or None
    if field.kind == "int":
        value = _integer(raw, field.name)
        if not field.min_value <= value <= field.max_value:
            raise WorkshopError("out_of_range", field=field.name, min=field.min_value, max=field.max_value)
        return value
    if field.kind == "uuid":
        if not isinstance(raw, str) or len(raw) > 64:
            raise WorkshopError("bad_uuid", field=field.name)
        try:
            return str(uuid.UUID(raw.strip()))
        except ValueError:
            raise WorkshopError("bad_uuid", field=field.name) from None
    if field.kind == "date":
        if not isinstance(raw, str) or len(raw) > 10:
            raise WorkshopError("bad_date", field=field.name)
        try:
            return dt.date.fromisoformat(raw.strip())
        except ValueError:
            raise WorkshopError("bad_date", field=field.name) from None
    if field.kind == "object_list":
        if not isinstance(raw, list):
            raise WorkshopError("wrong_type", field=field.name)
        if len(raw) > field.max_items:
            raise WorkshopError("too_many_items", field=field.name, max=field.max_items)
        return [validate(each, field.items) for each in raw]
    if field.kind in ("int_list", "uuid_list"):
        if not isinstance(raw, list):
            raise WorkshopError("wrong_type", field=field.name)
        if len(raw) > field.max_items:
            raise WorkshopError("too_many_items", field=field.name, max=field.max_items)
        item = Field(
            field.name, kind=field.kind.removesuffix("_list"), min_value=field.min_value, max_value=field.max_value
        )
        values = [_convert(item, each) for each in raw]
        return list(dict.fromkeys(values))  # each once, in the order given
    if field.kind == "bool":
        if isinstance(raw, bool):
            return raw
        if raw in ("1", "true", "on", "yes"):
            return True
        if raw in ("0", "false", "off", "no"):
            return False
        raise WorkshopError("wrong_type", field=field.name)
    raise AssertionError(f"unknown field kind {field.kind}")


def _integer(raw: object, name: str) -> int:
    # bool is an int in Python; a phone sending true for a table number made a mistake.
    if isinstance(raw, bool):
        raise WorkshopError("wrong_type", field=name)
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and raw.strip().isdigit() and len(raw.strip()) <= 9:
        return int(raw.strip())
    raise WorkshopError("wrong_type", field=name)
