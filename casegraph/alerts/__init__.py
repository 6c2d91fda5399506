"""Watches, alert triggers and risk grades as pure code (issue 19).

What the writer and detection report goes in; rows for `graph/alert_store.py` to store, and
grades with their parts, come out. No I/O here, so `graph/` may use it.
"""
