// People or organisations the cross-document linker has not looked at since they were written.
MATCH (n:{label})
WHERE n.pending = true
RETURN n.key AS key
