"""Tunable thresholds of ring detection, with the defaults that work on the generated corpus.

Every number lives in `DetectionParams`, so a detection run records exactly what it used (the
`DetectionRun` node stores `asdict(params)`). Times are in hours, amounts in yuan, tolerances are
fractions of the amount that came in.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

__all__ = ["DEFAULT_WEIGHTS", "DetectionParams"]

# How much each typology says about a ring on its own. A money-flow structure that needs
# coordination (a cycle, scatter-gather, gather-scatter) is strong evidence; a bare fan-in or
# fan-out, a fast pass-through or a shared identifier also fit innocent life, so they only
# score above the threshold together with something else.
DEFAULT_WEIGHTS: dict[str, float] = {
    "cycle": 1.0,
    "scatter_gather": 1.0,
    "gather_scatter": 1.0,
    "control_network": 0.5,
    "pass_through": 0.5,
    "fan_in": 0.5,
    "fan_out": 0.5,
    "shared_identifier": 0.3,
    # Relationships that exist for one transfer only, significantly more than the ledger's habit
    # (see `one_off`): half the evidence, reported together with the fan or cycle they form.
    "one_off_counterparties": 0.5,
}


@dataclass(frozen=True, slots=True)
class DetectionParams:
    """Thresholds for every detector, the community step and the score.

    Shared identifiers: an identifier (phone, address, account) linking more than
    `hub_max_entities` people/companies is a hub (a bank branch, a service hall, a platform
    hotline) and is pruned. Control: a person is "behind many companies" at
    `control_min_companies`, following shareholder chains `control_max_depth` deep. Money flows:
    `window_hours` bounds every pattern; cycles have `cycle_min_length`..`cycle_max_length` hops and
    each hop keeps at least `1 - hop_tolerance` of the amount (fees, skimming) and at most
    `1 + hop_gain` (rounding); fan-in/out need `fan_min_counterparties` distinct counterparties within
    `fan_window_hours`; scatter-gather needs `scatter_min_paths` intermediaries ending at one account;
    gather-scatter needs `gather_min_in` sources and `gather_min_out` destinations within
    `gather_window_hours`, passing on all but `gather_tolerance` of the money; a fast pass-through
    forwards within `pass_through_hours`, at least `pass_through_min_amount` (following the ledger:
    its `pass_through_amount_quantile` of all amounts, once it has `profile_min_transfers`).
    Recurring payments (same payer and payee in `regular_min_months` distinct months) and payroll
    memos are ordinary business and are ignored by the money-flow detectors; accounts with more
    than `flow_hub_counterparties` distinct counterparties (platforms, utilities) are not pattern
    centres. One-off relationships (see
    `one_off`): a fan centre has at least `one_off_fan_min` one-off counterparties and a binomial
    tail significant at false discovery rate `one_off_fdr` (the share of flagged centres that may
    be chance, matched to the precision asked of a report); cycles of one-off transfers are
    searched up to `one_off_cycle_max_length` hops, all within one episode: `episode_span_share`
    of the ledger's time span, or `window_hours` if longer (not a year's coincidences). A pair
    whose transfers lie further apart than an episode is a standing relationship
    (`TransferIndex.habitual`).
    Communities: a connected group larger than `max_ring_size` is first cut at bridges with at
    least `bridge_min_side` members on each side, and what is still too large is split with
    Louvain (`louvain_resolution`, `seed`). Score: the sum of the typology weights found (the base), plus
    `cross_region_bonus` x base for two regions or more, plus `multi_agency_bonus` x base for two
    agencies or more, minus `size_penalty` per member beyond `size_penalty_from`; a ring is
    reported when its score is strictly above `score_threshold`. A ring with no money-flow
    typology at all (only shared identifiers and control) is capped at `structure_only_cap`, below
    the threshold: families share phones and business people run several companies; without money
    moving between them that is ordinary life, and it is listed, not reported.
    Following the ledger: with `thresholds="ledger"` (the default) a run replaces the amount and time
    thresholds by values read from the transfers it got (see `profile.follow_ledger`) and records
    them, with the ledger's profile, in `derived`; `same_time_ties` lets transfers stamped with the
    same time follow each other (a day-granular clock); `activity_span_hours` is the time span an
    account's own pace is measured over (the ledger's; 0: no pace test); `disabled_detectors` are
    money-flow detectors the ledger cannot support (its clock too coarse). `thresholds="absolute"`
    keeps every value as given.
    """

    hub_max_entities: int = 6
    control_min_companies: int = 2
    control_max_depth: int = 3
    window_hours: float = 240.0
    cycle_min_length: int = 3
    cycle_max_length: int = 6
    hop_tolerance: float = 0.15
    hop_gain: float = 0.02
    fan_min_counterparties: int = 5
    fan_window_hours: float = 72.0
    scatter_min_paths: int = 3
    gather_min_in: int = 2
    gather_min_out: int = 3
    gather_window_hours: float = 48.0
    gather_tolerance: float = 0.05
    pass_through_hours: float = 24.0
    pass_through_min_amount: float = 1000.0
    pass_through_amount_quantile: float = 0.75
    profile_min_transfers: int = 200
    one_off_fan_min: int = 3
    one_off_fdr: float = 0.2
    one_off_cycle_max_length: int = 10
    episode_span_share: float = 0.125
    regular_min_months: int = 3
    payroll_words: tuple[str, ...] = ("工资", "薪", "代发", "奖金", "社保", "公积金", "报销")
    flow_hub_counterparties: int = 200
    max_ring_size: int = 40
    bridge_min_side: int = 4
    louvain_resolution: float = 1.0
    seed: int = 7
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    cross_region_bonus: float = 0.3
    multi_agency_bonus: float = 0.3
    size_penalty: float = 0.01
    size_penalty_from: int = 30
    score_threshold: float = 0.9
    structure_only_cap: float = 0.8
    thresholds: str = "ledger"
    same_time_ties: bool = False
    activity_span_hours: float = 0.0
    disabled_detectors: tuple[str, ...] = ()
    derived: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not 2 <= self.cycle_min_length <= self.cycle_max_length:
            raise ValueError("cycle lengths must satisfy 2 <= cycle_min_length <= cycle_max_length")
        if self.thresholds not in ("ledger", "absolute"):
            raise ValueError("thresholds must be 'ledger' or 'absolute'")
        if not 0 < self.one_off_fdr < 1:
            raise ValueError("one_off_fdr must be in (0, 1)")
        if not 0 <= self.hop_tolerance < 1:
            raise ValueError("hop_tolerance must be in [0, 1)")
        for name in ("window_hours", "fan_window_hours", "pass_through_hours"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")
        unknown = set(self.weights) - set(DEFAULT_WEIGHTS)
        if unknown:
            raise ValueError(f"unknown typology weights: {sorted(unknown)}")

    def as_record(self) -> dict[str, Any]:
        """Plain values for JSON and for the DetectionRun node."""
        return {f.name: (list(v) if isinstance(v := getattr(self, f.name), tuple) else v)
                for f in fields(self)}
