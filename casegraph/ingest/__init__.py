"""casegraph.ingest"""
