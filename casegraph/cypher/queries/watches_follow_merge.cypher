// Watches on a node merged into another now watch the node it became (its key only redirects).
MATCH (w:Watch {target: $from})
SET w.target = $into, w.merged_from = coalesce(w.merged_from, []) + $from
