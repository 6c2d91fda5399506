"""Entity resolution: one document's mentions to canonical nodes (coreference inside the document,
strong keys across documents), the cross-document linker (name + birth date, parties of linked
cases, candidates for people to review) and the evaluation against a corpus' ground truth."""
