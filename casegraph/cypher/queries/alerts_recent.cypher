// The stream's poller: alerts created since a moment, for the agencies that have clients connected.
MATCH (a:Alert)
WHERE a.at > datetime($since) AND a.agency IN $agencies
RETURN a.id AS id, a.agency AS agency, a.user AS user, toString(a.at) AS at
ORDER BY a.at
LIMIT 5000
