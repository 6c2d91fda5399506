// Every index with its state (casegraph doctor).
SHOW INDEXES YIELD name, state
RETURN name, state
