"""What ``alearn merge`` shows: the members, how the rows were settled, the conflicts."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from alearn import render
from alearn.counting import counted
from alearn.export.merge import MergeResult
from alearn.journal.merged import TeamRow, TeamState

SHOWN_CONFLICTS = 30  # more are counted, and `alearn labels` lists them all


def _answered(state: TeamState, member: str) -> int:
    """Rows a member labeled, skipped or marked unsure."""
    own = state.members[member]
    return len(own.labels) + len(own.skipped) + len(own.unsure)


def settled_line(state: TeamState) -> str:
    """How the rows of a merged store stand: agreed, one person's, conflicts, decided."""
    parts = [f"{state.count('agreed')} agreed", f"{state.count('single')} labeled by one person"]
    if state.count("majority"):
        parts.append(f"{state.count('majority')} by majority")
    parts += [f"{counted(state.count('conflict'), 'conflict')}",
              f"{state.count('decided')} decided"]
    return f"{counted(len(state.rows), 'row')} labeled: {', '.join(parts)}"


def conflicts_table(rows: list[TeamRow], members: list[str]) -> Table:
    """The conflicts: each row's id, each member's answer and their notes."""
    table = Table(box=None, pad_edge=False, show_edge=False)
    table.add_column("id", no_wrap=True)
    for name in members:
        table.add_column(name)
    table.add_column("notes", style="dim")
    for row in rows:
        notes = "; ".join(f"{who}: {text}" for who, text in row.notes.items())
        table.add_row(row.row_id, *(row.answers.get(n, "—") for n in members), notes)
    return table


def merged(result: MergeResult) -> None:
    """Print what ``alearn merge`` made (stdout), its notes and the file written (stderr)."""
    for line in result.notes:
        render.notice(line)
    out = render.out
    state = result.state
    who = ", ".join(f"{m.name} ({counted(_answered(state, m.name), 'answer')})"
                    for m in state.team.members)
    out.print(Text(f"merged {counted(len(state.team.members), 'store')}: {who}; "
                   f"rule {state.team.rule}"))
    out.print(Text(settled_line(state)))
    conflicts = state.conflicts()
    if conflicts:
        out.print(Text(f"conflicts ({len(conflicts)}):", style="bold"))
        out.print(conflicts_table(conflicts[:SHOWN_CONFLICTS],
                                  [m.name for m in state.team.members]))
        if len(conflicts) > SHOWN_CONFLICTS:
            out.print(Text(f"… and {len(conflicts) - SHOWN_CONFLICTS} more: `alearn labels "
                           f"{result.out}` lists every row with its status", style="dim"))
    if result.advice is not None:
        out.print(Text(f"stopping (the merged decisions): {result.advice.message()}"))
    if conflicts:
        # One line, whatever the width: a command to copy.
        out.print(Text(f"next: alearn label {result.out} --adjudicate", style="dim"),
                  soft_wrap=True)
    render.written([result.out])
