"""casegraph.detect"""
