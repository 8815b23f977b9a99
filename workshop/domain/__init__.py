"""The workshop's rules in plain Python: no Flask, no SQLAlchemy session.

Dataclasses in, dataclasses out; the time is always passed in as ``now``.
"""
