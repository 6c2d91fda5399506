"""The bundle job (kind "bundle"): a large case's bundle, built in the job runner's worker process.

It runs on the durable (:Job) machinery of casegraph.graph.jobs like ring detection: the job's
state lives in Neo4j (an API restart reports it failed), the work runs outside the API process,
and the bundle's files are written to a folder of their own under `params["store"]`. The job's
result points at them: the folder, each file's SHA-256, and the keys the bundle returns (for the
audit record of whoever later fetches it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

from casegraph.bundle.assemble import Limits
from casegraph.bundle.models import Bundle, Requester
from casegraph.bundle.package import write_bundle
from casegraph.bundle.service import assemble_or_404
from casegraph.errors import InvalidInput
from casegraph.graph.jobs import JobContext

BUNDLE_JOB: Final = "bundle"


def job_params(case: str, requester: Requester, limits: Limits, store: Path) -> dict[str, Any]:
    """What a bundle job needs to run in another process; the caller's agency and user are the job's own."""
    return {"case": case, "purpose": requester.purpose, "parties": limits.parties, "offset": limits.offset,
            "store": str(store)}


def returned_keys(bundle: Bundle) -> list[str]:
    """The keys a bundle hands out: its case, parties and their identifiers, other cases, rings and sources."""
    keys = [bundle.case.key, *(p.key for p in bundle.parties.items),
            *(i.key for p in bundle.parties.items for i in p.identifiers),
            *(o.key for o in bundle.other_cases.items), *(r.id for r in bundle.rings),
            *(d.key for d in bundle.sources)]
    return list(dict.fromkeys(keys))


def run_bundle_job(context: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    """Job entry point: assemble the bundle within the job's agency's sharing and store its files."""
    if context.agency is None:
        raise InvalidInput("a bundle job needs the requesting agency")
    requester = Requester(agency=context.agency, user=context.user or "anonymous", purpose=params.get("purpose", ""))
    limits = Limits(parties=int(params["parties"]), offset=int(params["offset"]))
    context.progress(0.05, "assembling the bundle")
    bundle = assemble_or_404(context.driver, context.database, params["case"], requester, limits)
    context.progress(0.5, f"rendering {bundle.parties.total} parties, {len(bundle.evidence)} evidence items")
    written = write_bundle(bundle, Path(params["store"]) / context.job_id)
    return {"case": bundle.case.key, "parties": bundle.parties.total, "folder": str(written.folder),
            "zip": str(written.zip_path), "files": {f.name: f.sha256 for f in written.manifest.files},
            "returned": returned_keys(bundle)}
