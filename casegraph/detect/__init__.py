"""Ring detection over the networkx projection: pure functions, one module per typology family.

- `shared_identifiers`: people and companies tied by phones, addresses, accounts; hubs pruned.
- `control`: one person behind many companies, through legal-rep/shareholder/control chains.
- `cycles`, `fans` (fan-in, fan-out, scatter-gather, gather-scatter), `pass_through`: money-flow
  patterns over time-stamped TRANSFERRED edges, read through one `transfers.TransferIndex`.
- `communities`: findings merged into rings (connected pieces, Louvain for oversized ones).
- `scoring`, `explain`, `rings.find_rings`: the assembled, scored, explained result.
- `evaluation`: recall/precision against a generator truth file.
Every threshold is in `params.DetectionParams`.

Faster backends. The graph calls used here (`connected_components`, `louvain_communities`,
`simple_cycles` in the benchmark) go through networkx's backend dispatch. With a backend package
installed (`pip install nx-parallel`, or `nx-cugraph-cu12` on a CUDA machine) it is switched on
without code changes by the environment, ``NETWORKX_BACKEND_PRIORITY=parallel`` (or ``cugraph``),
or in code with ``nx.config.backend_priority.algos = ["parallel"]``, or per call with the
``backend="parallel"`` keyword (e.g. ``nx.community.louvain_communities(G, backend="cugraph")``);
nx-parallel also reads ``nx.config.backends.parallel.n_jobs``. The temporal money-flow search is
plain Python over sorted lists and does not dispatch; it is the stage to parallelise by account
partition if one core is too slow.
"""

from casegraph.detect.params import DetectionParams
from casegraph.detect.rings import DetectionResult, Ring, RingMember, find_rings

__all__ = ["DetectionParams", "DetectionResult", "Ring", "RingMember", "find_rings"]
