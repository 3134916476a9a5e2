"""The research questions the screening benchmark starts from (``bench/screening.py --query``).

Each query was written only from its review's published title and research
questions, before any ranking with it was looked at, and is kept as written:
a reviewer has this text before screening a single record. Nothing in it was
chosen by looking at the collection's relevant records. The titles are the
papers'; the research questions are paraphrased (what was checked and what was
not: docs/benchmarks.md, "Starting from the research question").
"""

from __future__ import annotations

# task folder name -> (query, where its words come from)
QUERIES: dict[str, tuple[str, str]] = {
    "kitchenham": (
        "Systematic literature reviews in software engineering: a tertiary study. "
        "How many systematic literature reviews (SLRs) were published between 2004 and 2008? "
        "What software engineering research topics do SLRs address? "
        "Which individuals and organisations are most active in SLR-based research? "
        "Are the limitations of SLRs still an issue? Is the quality of SLRs improving?",
        "Kitchenham, Pretorius, Budgen, Brereton, Turner, Niazi, Linkman: Systematic "
        "literature reviews in software engineering - A tertiary study. Information and "
        "Software Technology 52(8):792-805, 2010 (the review behind MOOT's Kitchenham set, "
        "as in Yu et al.'s FASTREAD data); its title and its research questions RQ1-RQ5"),
    "radjenovic": (
        "Software fault prediction metrics: a systematic literature review. "
        "Which software metrics for fault prediction exist in literature? "
        "What data sets are used for evaluating metrics?",
        "Radjenović, Heričko, Torkar, Živkovič: Software fault prediction metrics: A "
        "systematic literature review. Information and Software Technology 55(8):1397-1418, "
        "2013; its title and its first two research questions (the term columns of the "
        "processed set hold stems; the query's words are mapped to them by prefix)"),
}
