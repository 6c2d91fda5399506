// Keys the chosen documents gave the node before it was merged (their own person nodes).
MATCH (d:Document)
WHERE d.key IN $documents AND d.path_id IS NOT NULL
WITH collect('mention:' + d.path_id + ':') AS prefixes
MATCH (a:KeyAlias {target: $key})
WHERE any(prefix IN prefixes WHERE a.key STARTS WITH prefix)
RETURN a.key AS key
ORDER BY key
