// Retired documents whose facts are still to be retracted (a crash or a stop may leave some).
MATCH (d:RetiredDocument)
RETURN d.key AS key
ORDER BY d.retired_at, d.key
