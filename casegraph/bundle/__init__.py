"""casegraph.bundle"""
