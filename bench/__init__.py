"""Heed's benchmark harness (issue 8): `make bench` or `python -m bench`. See bench/README.md."""
