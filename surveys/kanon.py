"""k-anonymity for every breakdown the platform shows, exports or serves.

A group of fewer than k respondents is never shown on its own: a small unit merges into
its parent unit, and what is still small at the top merges into "other units". When the
remainder would itself be below k (so it could be worked out by subtraction), the
smallest shown group joins it.

A tag filter (topic, sentiment, kind of a free-text answer) narrows a view's counts to the
respondents it matches only when that cannot single anyone out: see ``counted_tag_filters``.
"""

import heapq
from collections import Counter
from collections.abc import Mapping
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


def counted_tag_filters(memberships: Mapping[frozenset[str], int], total: int, k: int) -> frozenset[str]:
    """The tag filters that may narrow the counts of a view of ``total`` respondents.

    ``memberships`` counts the view's respondents by the set of filters each one matches
    ("sentiment:negative", "topic:health"…; respondents matching none may be left out). The
    views a reader can get from this one are then: nothing (fewer than k), the view itself, and
    the view narrowed by each filter this function allows. A filter is allowed only when its
    narrowed view differs from each of the others by no respondent or by at least ``k``, so no
    two of them can be subtracted to reveal fewer than k people. Filters are judged in sorted
    order, so what is allowed does not depend on which filter the reader asks for."""
    sizes: Counter[str] = Counter()
    for keys, count in memberships.items():
        for key in keys:
            sizes[key] += count

    def apart(size: int, other_size: int, both: int) -> bool:
        """Two views of these sizes sharing ``both`` respondents differ by none or by k or more."""
        differ = size + other_size - 2 * both
        return differ == 0 or differ >= k

    def shared(key: str, other: str) -> int:
        return sum(n for keys, n in memberships.items() if key in keys and other in keys)

    allowed: list[str] = []
    for key in sorted(sizes):
        size = sizes[key]
        # Against nothing shown, against the view itself, then against each filter allowed so far.
        if (
            apart(size, 0, 0)
            and apart(size, total, size)
            and all(apart(size, sizes[other], shared(key, other)) for other in allowed)
        ):
            allowed.append(key)
    return frozenset(allowed)
