"""Entry point for gunicorn (`wsgi:app`) and the Flask CLI (`flask --app wsgi ...`)."""

import gc

from app import create_app

app = create_app()
# Everything loaded at start-up (modules, catalogs, definitions, metadata) lives as long as the
# process: move it out of the collector's reach so full collections during a request walk only
# that request's objects (list pages create tens of thousands of them).
gc.freeze()
