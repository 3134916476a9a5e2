"""``alearn agreement``'s tables: the annotators, the figures on the shared random rows
beside those on every shared row, and each pair's confusion."""

from __future__ import annotations

from collections.abc import Callable
from itertools import combinations

from rich.markup import escape
from rich.table import Table

from alearn import render
from alearn.estimates.agreement import Agreement, Figure
from alearn.export.agreement import AgreementReport, Section


def _figure(figure: Figure | None) -> str:
    if figure is None or figure.value is None:
        return "—"
    if figure.low is None or figure.high is None:
        return f"{figure.value:.3f}"
    return f"{figure.value:.3f} [{figure.low:.2f}, {figure.high:.2f}]"


def _rows(figure: Figure | None) -> str:
    return "" if figure is None else str(figure.items)


def annotators_table(report: AgreementReport) -> Table:
    """One line per store: its labels, missing answers and audit rows."""
    out = Table(title=f"annotators of {escape(report.source)}", title_justify="left")
    for name, justify in (("annotator", "left"), ("store", "left"), ("labels", "right"),
                          ("skipped/unsure", "right"), ("audit rows", "right"),
                          ("random order reached", "right")):
        out.add_column(name, justify=justify)  # type: ignore[arg-type]
    for a in report.annotators:
        out.add_row(escape(a.name), escape(a.store), str(a.labels), str(a.missing),
                    str(a.audit), str(a.reached))
    return out


def figures_table(report: AgreementReport) -> Table:
    """Each figure on the shared random rows (the one to report) and on every shared row."""
    names = [a.name for a in report.annotators]
    random, shared = report.random, report.shared
    level = next((s.figures.level for s in (random, shared) if s.figures is not None), 0.95)
    out = Table(title=f"agreement ({100 * level:.0f} % bootstrap intervals; n: rows used)",
                title_justify="left",
                caption="Report the shared random rows: drawn at random for everyone's audit, "
                "they are a sample of the data. Every shared row is mostly rows each "
                "person's model chose (hard ones first): a biased sample."
                + (" Fleiss' κ uses the rows everyone labeled; the majority is that of the "
                   "others' answers." if len(names) > 2 else ""),
                caption_justify="left")
    out.add_column("figure")
    for section, what in ((random, "report this"), (shared, "biased")):
        out.add_column(f"{section.title}\n({what})", justify="right")
        out.add_column("n", justify="right")

    def line(label: str, pick: Callable[[Agreement], Figure], end: bool = False) -> None:
        cells = []
        for section in (random, shared):
            figure = pick(section.figures) if section.figures is not None else None
            cells += [_figure(figure), _rows(figure)]
        out.add_row(label, *cells, end_section=end)

    def heading(label: str) -> None:
        out.add_row(label, "", "", "", "")

    out.add_row("rows in the set", str(random.rows), "", str(shared.rows), "", end_section=True)
    count = len(names)
    # The pairs in the order the figures hold them (estimates.agreement.agreement).
    pairs = [f"{escape(names[a])} · {escape(names[b])}"
             for a, b in combinations(range(count), 2)]
    if count == 2:
        line("raw agreement", lambda f: f.agreement)
        line(f"Cohen's κ {pairs[0]}", lambda f: f.pairs[0].kappa)
        line("Krippendorff's α", lambda f: f.alpha)
        return out
    line("raw agreement", lambda f: f.agreement)
    line("Fleiss' κ", lambda f: f.fleiss)
    line("Krippendorff's α", lambda f: f.alpha, end=True)
    heading("Cohen's κ")
    for k, who in enumerate(pairs):
        line(f"  {who}", lambda f, k=k: f.pairs[k].kappa, end=k == len(pairs) - 1)
    heading("agreement")
    for k, who in enumerate(pairs):
        line(f"  {who}", lambda f, k=k: f.pairs[k].agreement, end=k == len(pairs) - 1)
    heading("κ with the majority")
    for j, name in enumerate(names):
        line(f"  {escape(name)}", lambda f, j=j: f.consensus[j].kappa)
    return out


def _confusion(classes: list[str], section: Section, k: int) -> Table:
    """The ``k``-th pair's confusion on the rows of ``section`` (agreements in bold)."""
    out = Table(title=section.title, title_justify="left")
    out.add_column("")
    for name in classes:
        out.add_column(escape(name), justify="right")
    if section.figures is None:
        return out
    for r, (name, counts) in enumerate(zip(classes, section.figures.pairs[k].confusion,
                                           strict=True)):
        out.add_row(escape(name), *(f"[bold]{n}[/]" if r == c else str(n)
                                    for c, n in enumerate(counts)))
    return out


def confusion_grids(report: AgreementReport) -> list[tuple[str, Table]]:
    """Per pair: a heading and its confusion on the shared random rows beside every
    shared row."""
    names = [a.name for a in report.annotators]
    grids = []
    sections = [s for s in (report.random, report.shared) if s.figures is not None]
    for k, (first, second) in enumerate(combinations(range(len(names)), 2)):
        if not sections:
            break
        grid = Table.grid(padding=(0, 4))
        for _ in sections:
            grid.add_column()
        grid.add_row(*(_confusion(report.classes, s, k) for s in sections))
        grids.append((f"{escape(names[first])}'s answers (rows) against "
                      f"{escape(names[second])}'s (columns)", grid))
    return grids


def show(report: AgreementReport) -> None:
    """Print the report: annotators, figures, confusions, and what is missing or noted."""
    console = render.out
    console.print(annotators_table(report))
    console.print(figures_table(report))
    for section in (report.random, report.shared):
        if section.reason:
            render.notice(f"no {section.title}: {section.reason}")
    for heading, grid in confusion_grids(report):
        console.print(heading)
        console.print(grid)
    for line in report.notes:
        render.notice(line)
