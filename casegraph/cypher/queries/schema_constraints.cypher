// Every constraint by name (casegraph doctor).
SHOW CONSTRAINTS YIELD name
RETURN name
