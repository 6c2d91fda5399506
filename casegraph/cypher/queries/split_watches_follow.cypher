// After a split: a watch that followed $new_key into $key when they were merged follows it back.
MATCH (w:Watch {target: $key})
WHERE $new_key IN coalesce(w.merged_from, [])
SET w.target = $new_key, w.merged_from = [k IN w.merged_from WHERE k <> $new_key]
