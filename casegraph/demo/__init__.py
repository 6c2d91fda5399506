"""casegraph.demo: the synthetic multi-agency corpus generator (`casegraph demo generate`).

Entry points: `generator.generate(out, scale, seed, progress)` and `scales.parse_scale(name)`.

truth.json follows the shared format of issue 3; keys added beyond it (nothing renamed):
- documents[]: "matter" (case-chain id), "ring" (ring id or null), "encoding" also for CSV
  ledgers; mentions of BANK_ACCOUNT carry "is_card", full numbers "luhn", partial ones
  (尾号1234 -> "1234") "partial": true with valid false (never a merge key).
- organizations[]: "address"; agencies and courts named in documents are organisations of
  kind "agency", so every ORG mention has an entity id.
- rings[]: "controller" (person id) and "flows" [{typology, tx_ids}] naming the planted
  ledger transactions by their 交易流水号.
- ledgers[]: "format", "encoding", "agency", "accounts".
- top level: "accounts" [{number, bank, owner, is_card, branch}] and
  "planted_same_name_pairs" (same_name_groups also holds the natural collisions).
Normalised values: MONEY as yuan with two decimals ("350000.00"); DATE ISO; CASE_NUMBER with
every bracket width turned into ASCII round brackets; identifiers as bare digits.
Resident-ID validity = check digit + real birth date + a 50xxxx/51xxxx code from the
shipped table (`identifiers.is_valid_ric`), not stdnum's year-dependent code check.
"""
