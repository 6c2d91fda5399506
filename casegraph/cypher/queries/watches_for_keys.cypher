// The writer's one indexed lookup per batch: the watches on any key the batch touches.
UNWIND $keys AS key
MATCH (w:Watch {target: key})
RETURN key, w.id AS watch, w.agency AS agency, w.user AS user
