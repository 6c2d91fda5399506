// Accounts by key, for retracting the parts of a ledger refused midway.
UNWIND $keys AS key
MATCH (a:Account {key: key})
RETURN elementId(a) AS id
