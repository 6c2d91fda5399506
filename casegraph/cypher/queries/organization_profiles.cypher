UNWIND $keys AS key
MATCH (o:Organization {key: key})
RETURN o.key AS key, o.name AS name, o.uscc AS uscc
