// The watches an agency's user sees: its own and its agency's, not those derived from a case watch
// unless asked (they can be thousands).
MATCH (w:Watch {agency: $agency})
WHERE (w.user IS NULL OR w.user = $user) AND ($derived OR w.parent IS NULL)
RETURN w {.*, created_at: toString(w.created_at)} AS watch
ORDER BY w.created_at DESC, w.id
SKIP $skip LIMIT $limit
