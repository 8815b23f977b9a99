"""Refusals of the domain: a code a program can test, and parameters for the readable message.

The message itself is written (and translated) by ``workshop.messages``, outside the domain.
"""

from __future__ import annotations


class WorkshopError(Exception):
    def __init__(self, code: str, **params: object):
        self.code = code
        self.params = params
        super().__init__(code, params)
