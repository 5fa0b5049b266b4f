"""Commands of the ingest and scheduler packages, attached to the ``ldl`` group on import."""

from ldl import ingest_commands, scheduler_commands  # noqa: F401
