"""Ring detection on Apache Spark (the optional extra `casegraph[spark]`): see `engine`.

Nothing here imports pyspark at module level: `casegraph detect rings --engine networkx` and the
API run without it, and asking for Spark without it is a clear error (`session.require_pyspark`).
"""
