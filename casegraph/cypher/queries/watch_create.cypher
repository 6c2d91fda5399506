// A watch, idempotent on its id (the same watcher watching the same target twice is one watch).
MERGE (w:Watch {id: $id})
ON CREATE SET w.kind = $kind, w.target = $target, w.scope = $scope, w.agency = $agency, w.user = $user,
              w.label = $label, w.note = $note, w.created_by = $created_by, w.created_at = datetime()
RETURN w {.*, created_at: toString(w.created_at)} AS watch
