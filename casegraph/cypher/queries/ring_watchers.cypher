// Watches on a ring of any run of the lines $lineages (a watch names the ring it was made on; the
// ring's later runs continue it).
UNWIND $lineages AS line
MATCH (old:Ring)
WHERE old.lineage = line OR old.id = line
MATCH (w:Watch {target: 'ring:' + old.id})
RETURN DISTINCT line, w.id AS watch, w.agency AS agency, w.user AS user
