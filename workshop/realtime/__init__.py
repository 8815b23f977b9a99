"""Socket.IO: thin handlers that validate, call a service, commit, and broadcast."""
