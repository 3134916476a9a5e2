"""What an optimize session's measured rows say: how many there are, how much better
an unmeasured row could still be (the GP's bound), and the rules of a tree over the
rows' d2h."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from alearn.counting import counted
from alearn.kinds.optimize.headroom import Headroom
from alearn.kinds.optimize.rules import D2hRule
from alearn.session.measure_views import MeasureView


def progress_line(view: MeasureView, under_way: bool = False) -> Text:
    """Rows measured / budget, skipped, failed, left; with ``under_way`` (a table of
    rows being measured by hand) also the rows under way, which are not left."""
    p = view.progress
    parts = [f"measured {p.measured}" + (f"/{p.budget}" if p.budget is not None else "")]
    if under_way:
        parts.append(f"under way {p.under_way}")
    if p.skipped:
        parts.append(f"skipped {p.skipped}")
    if p.failed:
        parts.append(f"failed {p.failed}")
    left = p.remaining - p.under_way if under_way else p.remaining
    parts.append(f"rows left {left}/{p.total}")
    return Text(" · ".join(parts), style="dim")


def headroom_line(room: Headroom) -> Text:
    """How much better an unmeasured row could be, by the GP's 95 % bound."""
    gain = room.best - room.floor
    text = Text(f"room left: over the {room.rows:,} unmeasured rows the GP's best guess is "
                f"d2h {room.expected:.3f} and its 95 % floor {room.floor:.3f}, against "
                f"{room.best:.3f} measured; ")
    if gain <= 0.01:
        text.append("more measurements are unlikely to find a better row", style="green")
    else:
        text.append(f"an unmeasured row could still be up to {gain:.3f} closer to heaven",
                    style="yellow")
    return text


def rules_block(rules: list[D2hRule], n: int) -> Group:
    """The regression tree over measured rows as numbered rules, best first."""
    lines: list[RenderableType] = [Text(
        f"what leads to good goals ({counted(n, 'measured row')}; d2h = distance to heaven, "
        "0 is best):", style="bold cyan")]
    lines.extend(Text(f"  {i}. {rule.text()}") for i, rule in enumerate(rules, 1))
    return Group(*lines)
