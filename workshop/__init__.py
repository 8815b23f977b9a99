"""workshop: live facilitation for Open Space and World Café workshops."""

from workshop.app import create_app

__all__ = ["create_app"]
