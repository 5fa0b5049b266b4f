"""Commands of the ingest and scheduler packages, attached to the ``ldl`` group."""
