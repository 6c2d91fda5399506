"""casegraph.demo"""
