"""spaCy components of the extraction pipeline, registered as factories on import.

Each rule component reads `doc_text(doc)` (the normalised text), finds candidates with regular
expressions and word lists, and appends them to `doc.user_data["cg_candidates"]`; `select`
keeps the best non-overlapping ones (`doc._.casegraph_spans`); the last
components attach person attributes and relations.
"""

from casegraph.ingest.components import (
    amounts,
    attributes,
    case_numbers,
    charges,
    identifiers,
    organisations,
    persons,
    places,
    relations,
    select,
)

__all__ = ["amounts", "attributes", "case_numbers", "charges", "identifiers", "organisations", "persons",
           "places", "relations", "select"]
