"""Public schedule cells: every one is read as a careful coordinator would date it by hand, or reported."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from schedules.calendar import WorkCalendar
from schedules.occurrences import expand
from schedules.phrases import ScheduleError, parse_schedule

TABLE = Path(__file__).resolve().parent / "data" / "public_schedule_cells.tsv"
# Problems that mean the cell does name a date, but one that cannot be taken as written.
DATED_PROBLEMS = {"out_of_year", "year_unclear", "start_without_end", "weekday_conflict", "vague"}


def rows() -> list[dict[str, str]]:
    lines = [line for line in TABLE.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def reading(phrase: str, year: int) -> tuple[str, str]:
    """Return (verdict, expected) as the table writes them, from what the product makes of the cell."""
    try:
        schedule = parse_schedule(phrase, None, year)
    except ScheduleError as exc:
        return "reported", exc.code
    got = []
    for o in expand(schedule, year, WorkCalendar()):
        when = f"{o.starts}~{o.due}" if o.starts is not None else f"{o.due}"
        got.append(f"{o.kind}:{when}")
    return "read", " ".join(sorted(got, key=lambda s: s.split(":")[1][-10:]))


@pytest.mark.parametrize("row", rows(), ids=lambda r: f"{r['year']}-{r['phrase'][:24]}")
def test_public_cell_reads_as_dated_by_hand(row):
    got = reading(row["phrase"], int(row["year"]))
    assert got == (row["verdict"], row["expected"]), f"{row['phrase']} ({row['source']})"


def test_the_table_is_large_and_nearly_every_dated_cell_is_read():
    table = rows()
    assert len(table) >= 250
    assert all(r["source"].startswith("http") for r in table)
    read = [r for r in table if r["verdict"] == "read"]
    dated = read + [r for r in table if r["verdict"] == "reported" and r["expected"] in DATED_PROBLEMS]
    assert len(read) >= 0.9 * len(dated), (len(read), len(dated))
