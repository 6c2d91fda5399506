"""casegraph: a cross-agency financial-crime case graph for Sichuan and Chongqing."""

__version__ = "0.1.0"
