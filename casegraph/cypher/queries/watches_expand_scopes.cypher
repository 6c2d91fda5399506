// New parties of watched cases (and of an agency's own cases) become watched as they are written.
// $rows: {scopes: [case scope, agency scope], case, keys}; one indexed lookup per scope.
UNWIND $rows AS row
UNWIND row.scopes AS scope
MATCH (p:Watch {scope: scope})
UNWIND row.keys AS key
MERGE (w:Watch {id: p.id + '|' + key})
ON CREATE SET w.kind = 'entity', w.target = key, w.agency = p.agency, w.user = p.user, w.parent = p.id,
              w.case = row.case, w.created_by = p.created_by, w.created_at = datetime()
