// The mentions of a retired document, removed in transactions of $batch before the node itself.
MATCH (:RetiredDocument {key: $key})<-[m]-()
CALL (m) { DELETE m } IN TRANSACTIONS OF $batch ROWS
