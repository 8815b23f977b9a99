"""The two methods a block runs with, named once."""

from __future__ import annotations

WORLD_CAFE = "world-cafe"  # tables, rounds, rotations, a harvest
OPEN_SPACE = "open-space"  # a marketplace of topics, the agenda wall, reports, a dot vote
METHODS: tuple[str, ...] = (WORLD_CAFE, OPEN_SPACE)
