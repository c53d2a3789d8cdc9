"""Time parse+expand of a synthetic 300-item plan, and of 50 offices x 300 items (targets: 50 ms, 2 s)."""

from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from schedules.calendar import WorkCalendar  # noqa: E402 - after the path fix so the script runs from anywhere
from schedules.occurrences import expand  # noqa: E402
from schedules.phrases import parse_schedule  # noqa: E402

YEAR = 2024
ITEMS = 300
OFFICES = 50
RUNS = 7

# (phrase, weight): the mix of the seed plans, where most items are yearly or monthly.
MIX: list[tuple[str, int]] = [
    ("1 月~12 月", 30),
    ("賡續辦理", 10),
    ("每月5日前陳報", 12),
    ("每月第1個工作日填報案件正確及稽核無缺失", 8),
    ("當月案件應於次月2日前完成登錄，以工作日計算", 6),
    ("致贈百歲人瑞金鎖片不知去向者(1/1-2/28)完成清查率100%", 4),
    ("90歲以上未滿百歲最近1年未使用健保卡者(3/1-4/30)完成清查率100%", 4),
    ("於4月25日-8月31日每週一列印學齡兒童異動名冊交予區公所承辦人員", 3),
    ("實地(3月)", 6),
    ("書面(7-8 月)", 6),
    ("1. 規劃設計階段(3-4月) 2. 工程發包階段(5-6月) 3. 工程施作階段(7-10月) 4. 結案階段(11-12月)", 3),
    ("每3個月召開1次", 4),
    ("每半年至少辦理一次內部稽核及每年辦理一次外部稽核抽核", 4),
    ("每月定期更新提供人口統計資料", 8),
    ("每年 1、4、7、11 月的第 3 個星期日", 2),
    ("每月第 2 及第 4 個週五", 2),
    ("113.12.31 前", 4),
    ("i-Voting 票選活動(5月31日-6月14日)", 2),
    ("1/1-2/8、7/1-8/8", 2),
    ("", 10),  # month marks only
]


def plan(seed: int) -> list[tuple[str, frozenset[int] | None]]:
    """Return a synthetic plan of ITEMS (phrase, month marks) rows."""
    rng = random.Random(seed)
    phrases, weights = zip(*MIX, strict=True)
    rows = []
    for phrase in rng.choices(phrases, weights, k=ITEMS):
        marks = frozenset(rng.sample(range(1, 13), rng.randint(1, 4))) if not phrase else None
        rows.append((phrase, marks))
    return rows


def office_calendar(seed: int) -> WorkCalendar:
    """Return a calendar with a typhoon day or two, as real offices have."""
    rng = random.Random(seed)
    closures = {date(YEAR, rng.randint(7, 9), rng.randint(1, 28)) for _ in range(rng.randint(0, 2))}
    return WorkCalendar(closures=closures)


def parse_and_expand(rows: list[tuple[str, frozenset[int] | None]], calendar: WorkCalendar) -> int:
    """Parse every row and expand it for the year; return the number of occurrences."""
    return sum(len(expand(parse_schedule(text, marks, YEAR), YEAR, calendar)) for text, marks in rows)


def timed(fn) -> tuple[float, int]:
    """Return the median seconds of RUNS calls after one warm-up call, and the call's result."""
    result = fn()
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    """Print the timings."""
    rows = plan(0)
    one, count = timed(lambda: parse_and_expand(rows, WorkCalendar()))
    print(
        f"1 office x {ITEMS} items: {one * 1000:.1f} ms (median of {RUNS}, target < 50 ms), {count} occurrences"
    )

    offices = [(plan(i), i) for i in range(OFFICES)]

    def all_offices() -> int:
        # A fresh calendar per office per run: no cached month data is reused across runs.
        return sum(parse_and_expand(rows, office_calendar(seed)) for rows, seed in offices)

    many, total = timed(all_offices)
    print(
        f"{OFFICES} offices x {ITEMS} items: {many:.2f} s (median of {RUNS}, target < 2 s), {total} occurrences"
    )


if __name__ == "__main__":
    main()
