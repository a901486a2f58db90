"""k-anonymity for every breakdown the platform shows, exports or serves.

A group of fewer than k respondents is never shown on its own: a small unit merges into
its parent unit, and what is still small at the top merges into "other units". When the
remainder would itself be below k (so it could be worked out by subtraction), the
smallest shown group joins it.
"""

import heapq
from dataclasses import dataclass

from .models import Unit

REMAINDER_LABEL = "Các đơn vị khác (gộp)"


@dataclass
class Group:
    unit: Unit | None  # None: the merged remainder ("các đơn vị khác")
    count: int
    merged_units: int = 0  # how many units' respondents were folded in

    @property
    def merged(self) -> bool:
        return self.merged_units > 0


def roll_up(
    counts: dict[int, int], units: dict[int, Unit], k: int, top: set[int] | None = None, unplaced: int = 0
) -> list[Group]:
    """Groups of at least ``k`` respondents from per-unit counts.

    ``units`` maps every unit id in ``counts`` and their ancestors to ``Unit``; ``top`` are
    the unit ids a group may not climb above (the reader's scope roots); ``unplaced``
    respondents belong to no unit and start in the remainder."""
    groups: dict[int, Group] = {uid: Group(units[uid], n) for uid, n in counts.items() if n > 0}
    remainder = Group(None, unplaced, 1 if unplaced else 0)
    # Deepest first, so a small department folds into its agency before the agency is judged.
    # A merge only ever moves a count up to a shallower unit, so one pass in this order suffices.
    pending = [(-units[uid].depth, uid) for uid in groups]
    heapq.heapify(pending)
    while pending:
        _, uid = heapq.heappop(pending)
        group = groups[uid]
        if group.count >= k:
            continue
        del groups[uid]
        parent_id = units[uid].parent_id
        if parent_id is not None and parent_id in units and not (top and uid in top):
            if parent_id not in groups:
                groups[parent_id] = Group(units[parent_id], 0)
                heapq.heappush(pending, (-units[parent_id].depth, parent_id))
            target = groups[parent_id]
        else:
            target = remainder
        target.count += group.count
        target.merged_units += 1 + group.merged_units
    shown = sorted(groups.values(), key=lambda g: -g.count)
    while 0 < remainder.count < k and shown:
        smallest = shown.pop()
        remainder.count += smallest.count
        remainder.merged_units += 1 + smallest.merged_units
    if remainder.count >= k:
        shown.append(remainder)
    return shown
