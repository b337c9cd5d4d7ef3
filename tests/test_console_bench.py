"""`tiepdan bench console` on a tiny database, so its seeding and measuring cannot rot."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from bot.cases.models import Case
from bot.cases.search import identity_text, search_text
from bot.console_bench import SECTION, markdown, run_console_bench
from bot.console_bench_seed import UNITS, CaseMaker
from bot.db import session_factory
from bot.markdown_sections import write_section
from bot.workdays.service import WorkCalendar


async def test_the_benchmark_seeds_measures_and_reports(db_url: str, tmp_path: Path) -> None:
    report = await run_console_bench(cases=120, rounds=2, database_url=db_url)
    with session_factory(db_url)() as session:
        cases = list(session.scalars(select(Case)))
        kinds = session.scalar(select(func.count(func.distinct(Case.kind))))
    assert len(cases) == 120 and kinds == 3
    assert all(c.search_text == search_text(c.code, c.details, c.address_detail) for c in cases)
    secret = [c for c in cases if c.confidential]
    assert secret and all(c.search_identity and c.citizen_id_number for c in secret)
    assert len({c.code for c in cases}) == 120
    assert report["cases"] == 120 and len(report["scenarios"]) == 7
    assert all(row["page"]["n"] == 2 and row["service"]["n"] == 2 for row in report["scenarios"])
    page = tmp_path / "benchmarks.md"
    page.write_text("# NLU benchmark\n\nfigures\n", encoding="utf-8")
    write_section(page, SECTION, markdown(report, "tiepdan bench console --cases 120"))
    write_section(page, "# NLU benchmark", "# NLU benchmark\n\nnew figures\n")
    written = page.read_text(encoding="utf-8")
    assert written.startswith("# NLU benchmark\n\nnew figures\n\n# Staff console benchmark")
    assert "| default page, officer of one unit |" in written


def test_a_seeded_row_folds_its_search_columns_like_the_orm_listener() -> None:
    staff = {unit: [1] for unit in UNITS}
    maker = CaseMaker(rng=random.Random(1), calendar=WorkCalendar(), staff=staff)
    now = datetime(2026, 12, 1, 3, tzinfo=UTC)
    for _ in range(50):
        row = maker.row(datetime(2026, 11, 20, 3, tzinfo=UTC), now)
        assert row["search_identity"] == identity_text(
            row["citizen_name"], row["citizen_phone"], row["citizen_id_number"],
            row["citizen_address"],
        )  # fmt: skip
        assert row["code"].lower() in row["search_text"]
