// Remove a watch of the caller (its own, or its agency's) and the watches derived from it.
MATCH (w:Watch {id: $id, agency: $agency})
WHERE w.user IS NULL OR w.user = $user
OPTIONAL MATCH (child:Watch {parent: w.id})
WITH w, collect(child) AS children
FOREACH (c IN children | DELETE c)
DELETE w
RETURN count(*) AS deleted
