// Large documents whose writing began and did not finish (a crash or a stop): invisible to readers,
// finished by the next ingest of the same file, or retired by `casegraph documents delete`.
MATCH (d:PendingDocument)
RETURN d.key AS key, d.agency AS agency, d.path AS path
ORDER BY d.key
