"""The patient daily diary: entries, catalogs, history, charts and cautious insights."""
