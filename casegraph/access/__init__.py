"""casegraph.access"""
