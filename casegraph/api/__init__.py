"""casegraph.api"""
