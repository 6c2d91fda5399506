// Organisations known by USCC whose name is one of these.
UNWIND $names AS name
MATCH (o:Organization {name: name})
WHERE o.uscc IS NOT NULL
RETURN name, collect(o.key) AS keys
