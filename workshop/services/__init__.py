"""Every write of the app: load, call the domain, write, and return what to broadcast.

The caller commits. The acting participant is always an argument, never read from a request.
"""
