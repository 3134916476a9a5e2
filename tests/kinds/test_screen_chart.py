"""The recall chart of a screen (issue 25, item 6): relevant found against records
screened, with the stopping advice's estimate, its bound and the stop, as text in
``alearn run``/``report`` and as a panel of ``--plot``."""

from __future__ import annotations

import numpy as np
from test_screen import screen_frame, write_task

from alearn.kinds.screen.chart import chart_panel, chart_table, recall_chart
from alearn.kinds.screen.stopping import first_stop
from alearn.run import outputs
from alearn.run.plot import run_panels


def decaying_order(rows: int = 1500, relevant: int = 40, seed: int = 0) -> np.ndarray:
    """Relevant records met at a falling rate, as a good ranking meets them."""
    rng = np.random.default_rng(seed)
    at = np.unique(np.round(rng.exponential(120, relevant * 3)).astype(int))[:relevant]
    hits = np.zeros(rows, dtype=bool)
    hits[at] = True
    return hits[:int(at.max()) + 1]


def test_the_chart_holds_the_finds_the_estimate_its_bound_and_the_stop():
    hits = decaying_order()
    stop = first_stop(hits, 1500)
    chart = recall_chart(hits, 1500, stop, relevant=int(hits.sum()))
    assert stop < 1500 and stop in chart.screened
    assert chart.found[-1] == hits.sum() and (np.diff(chart.found) >= 0).all()
    shown = ~np.isnan(chart.estimate)
    assert shown.any() and not shown[chart.screened < 100].any()  # needs 100 screened
    assert (chart.estimate[shown] >= chart.found[shown]).all()
    assert (chart.bound[shown] >= chart.estimate[shown]).all()
    text = chart_table(chart, "t")
    assert any(row[-1].endswith("← stop") for row in text.rows)
    assert any("▒" in row[-1] or "░" in row[-1] for row in text.rows)
    panel = chart_panel(chart, "t", "t")
    assert panel.stop == stop and panel.hline == hits.sum()
    assert panel.lines[0].label == "relevant found"


def test_run_and_report_show_the_chart_and_plot_it(cli, tmp_path):
    folder = write_task(tmp_path / "s", screen_frame(300, 15))
    run = cli("run", folder, "--out", tmp_path / "o", "--seeds", 2)
    assert run.code == 0, run.err
    assert "s · certainty, seed 0: relevant found and the stopping advice" in run.out
    report = cli("report", tmp_path / "o", "--plot", tmp_path / "p.png")
    assert report.code == 0 and "relevant found and the stopping advice" in report.out
    assert (tmp_path / "p.png").stat().st_size > 0
    panels = run_panels(outputs.read_results(tmp_path / "o"))
    chart = [p for p in panels if p.ylabel == "relevant records"]
    assert len(chart) == 1 and chart[0].lines[0].y[-1] == 15


def test_chart_in_a_screening_session_draws_what_was_screened(cli, tmp_path):
    frame = screen_frame(120, 8)
    frame["decision"] = None
    folder = write_task(tmp_path / "s", frame)
    done = cli("label", folder, "--store", tmp_path / "s.db",
               stdin="yes\nno\nno\nyes\nno\n:chart\nq\n")
    assert done.code == 0, done.err
    said = " ".join(done.out.split())
    assert "5 records screened (ranked): relevant found" in said and "█ found" in said
