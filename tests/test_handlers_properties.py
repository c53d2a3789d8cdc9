"""Thousands of arbitrary messages and button taps, as every role: always an answer, never an error, no stray writes.

Only valid commands write: a report, an export, a 綁定 attempt (rate limiting) and a chief's 綁定群組.
"""

from __future__ import annotations

import logging

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from handlers.chat.catalog import COMMANDS
from handlers.core.replies import FileLink
from handlers.documents.digests import replies_from_payload
from storage import queries
from storage.models import Delivery
from tests.handler_fixtures import (
    CHIEF_DATA,
    COORDINATOR,
    DIRECTOR,
    STAFF_DATA,
    STAFF_REG,
    STRANGER,
    Talk,
    read,
)
from tests.sizes import size
from tests.test_handlers_router import GROUP, check_limits

ROLES = [STAFF_DATA, STAFF_REG, CHIEF_DATA, COORDINATOR, DIRECTOR, STRANGER]
EXAMPLES_PER_ROLE = size(400, 60)  # x 6 roles x 2 (text and postback) = 4,800 events in a full run

ODD = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u3000", "\u202e", "\x00", "\r\n", "\t", "👍", "🙏🏻", "👨‍👩‍👧",
       "＠", "％", "－", "１２", "ⅻ", "𠀋", "é", "ñ", "ı", "ß", "ﬁ", "Ａ", "ｱ", "한", "ก", "ع", "Ω", "∞", "\\", "'", '"']
SQL = ["'; DROP TABLE staff; --", "1 OR 1=1", "%' OR '1'='1", "\" OR \"\"=\"", "UNION SELECT * FROM invite_codes",
       "1; DELETE FROM progress_reports", "); --", "${jndi:ldap://x}", "{{7*7}}", "<script>alert(1)</script>"]
KEYWORDS = [s for d in COMMANDS.definitions for s in d.spellings] + ["回報 12", "回報 戶籍資料課 11", "回報 6-2", "查 ", "逾期 "]
WORDS = ["完成", "50%", "100%", "150%", "延遲", "3月", "十二月", "4/29", "全所", "戶籍資料課", "人事室", "門牌", "12", "6-2", " "]

pieces = st.one_of(
    st.text(max_size=40),
    st.sampled_from(ODD + SQL + KEYWORDS + WORDS),
    st.lists(st.sampled_from(ODD + list("回報查逾期本週月完成0123456789-% ")), max_size=30).map("".join),
)
reports = st.builds(
    lambda section, number, which, status, note: f"回報 {section}{number} {which}{status}{note}",
    st.sampled_from(["", "戶籍資料課 ", "行政庶務課", "民政課 ", "資料課"]),
    st.sampled_from(["11", "12", "6", "6-2", "3", "1", "99", "０１２", "12月"]),
    st.sampled_from(["", "3月 ", "4月", "十三月 ", "4/29 ", "2/30 ", "第1季 "]),
    st.sampled_from(["完成", "已完成", "50%", "100%", "0%", "250%", "延遲", "進行中", "未開始", "", "done"]),
    st.one_of(st.just(""), pieces, st.text(min_size=1000, max_size=3000)),
)
messages = st.one_of(
    reports,
    st.lists(pieces, max_size=6).map("".join),
    st.builds(lambda head, tail: head + tail, st.sampled_from(KEYWORDS), st.lists(pieces, max_size=4).map(" ".join)),
    st.builds(lambda unit, n: (unit * n)[:5000], st.text(min_size=1, max_size=12), st.integers(300, 5000)),
)
postback_data = st.one_of(
    st.text(max_size=320),
    st.builds(
        lambda i, o, s, p, n: f"a=report&i={i}&o={o}&s={s}" + (f"&p={p}" if p is not None else "") + (f"&n={n}" if n else ""),
        st.integers(0, 80),
        st.sampled_from(["2024-04", "2024-03", "2024-04-29", "2024-03-01~2024-04-30", "2024", "2099-01", "", "%00"]),
        st.sampled_from(["done", "in_progress", "delayed", "not_started", "DONE", "", "完成"]),
        st.one_of(st.none(), st.integers(-10, 200)),
        st.text(max_size=40),
    ),
    st.builds(
        lambda action, fields: "&".join([f"a={action}", *fields]),
        st.sampled_from(["report", "ask", "card", "more", "nope", ""]),
        st.lists(st.builds(lambda k, v: f"{k}={v}", st.sampled_from("iospnmcrd"), st.one_of(st.integers(-5, 10**6).map(str), st.text(max_size=20))), max_size=6),
    ),
)

# What valid commands write: a report (回報), an export (匯出), a 綁定 try, a chief's 綁定群組 (audit only),
# a console sign-in link (管理).
# What the bot notes it waits for (更多, a reason after 延後) is one conversation_state row per person; a 落後原因
# (given with 延後, or answered when asked) is one lag_reasons row per occurrence.
ALLOWED_GROWTH = {
    "progress_reports", "audit_log", "link_attempts", "export_files", "console_tokens", "conversation_state", "lag_reasons",
}


def sent_privately(talk: Talk, after_id: int) -> list[Delivery]:
    """Return the answers queued for the asker alone (asked in a group) since the outbox row after_id."""
    return talk.session.scalars(select(Delivery).where(Delivery.key.startswith("notice:private:"), Delivery.id > after_id)).all()


def check_event(talk: Talk, who: str, send, text_for_rules: str | None) -> None:
    """Send one event, check the answer and what was written, then undo it for the next example."""
    before = queries.count_rows(talk.session)
    last_row = talk.session.scalar(select(func.max(Delivery.id))) or 0
    replies = send()
    # In a group, what not every member may see is queued for the asker alone: the rules hold for what they read.
    private = sent_privately(talk, last_row)
    assert len(private) <= 1 and (not private or "已私訊給你" in read(replies)), read(replies)
    asker_reads = replies_from_payload(private[0].payload) if private else replies
    after = queries.count_rows(talk.session)
    # The note of what the bot waits for is one row per person (kept, replaced or dropped), not a change to the
    # plan: the rules below are about the rest.
    assert after["conversation_state"] - before["conversation_state"] in (-1, 0, 1)
    after["conversation_state"] = before["conversation_state"]
    after["deliveries"] -= len(private)
    grown = {k: after[k] - before[k] for k in after if after[k] != before[k]}
    event("writes " + ",".join(sorted(grown)) if grown else "writes nothing")
    assert set(grown) <= ALLOWED_GROWTH, grown
    shown = read(asker_reads)
    if grown.get("progress_reports"):
        # Every written report is confirmed: recorded, a reason kept after 延後, or a report taken back.
        confirmed = shown.startswith(("已記錄 ✅", "已記下原因 ✅", "已撤銷 ↩️"))
        one_report = {"progress_reports": 1, "audit_log": 1}
        with_reason = {"progress_reports": 1, "audit_log": 2, "lag_reasons": 1}  # 延後 with its reason: the 落後原因 too
        asked = {"progress_reports": 1, "audit_log": 1, "lag_reasons": 1}  # late 完成 (or a long 延後 note): asked once
        assert grown in (one_report, with_reason, asked) and confirmed, (grown, shown)
        assert grown != asked or "請簡述落後原因" in shown, shown
    if grown.get("lag_reasons"):
        assert "progress_reports" in grown or shown.startswith("已記下"), (grown, shown)
    if grown.get("console_tokens"):
        assert grown == {"console_tokens": 1, "audit_log": 1} and "/console/signin/" in shown, (grown, shown)
    if grown.get("export_files"):
        assert grown == {"export_files": 3, "audit_log": 3} and sum(isinstance(r, FileLink) for r in asker_reads) == 3  # .ods, .xlsx, PDF
    if grown.get("link_attempts"):
        assert grown == {"link_attempts": 1} and text_for_rules is not None and COMMANDS.parse(text_for_rules).name == "link"
    bound = text_for_rules is not None and COMMANDS.parse(text_for_rules).name == "link_group" and "已綁定為" in shown
    # A 落後原因 / 因應對策 the bot was waiting for (a plain message after 說明落後原因 or a late report) is kept with
    # its audit line; an answer replacing an earlier one adds no lag_reasons row.
    reason_kept = shown.startswith("已記下") and set(grown) <= {"audit_log", "lag_reasons", "conversation_state"}
    if grown.get("audit_log") and not (
        grown.get("progress_reports") or grown.get("export_files") or grown.get("console_tokens") or bound or reason_kept
    ):
        pytest.fail(f"audit without a report, an export, a console link, a group binding or a reason: {grown} {shown!r}")
    if bound:
        assert grown == {"audit_log": 1}, grown
    if "出了問題" in shown:
        pytest.fail(f"the safety net caught an error for {text_for_rules!r}")
    if replies:
        check_limits(replies)
        check_limits(asker_reads)
    talk.session.rollback()


@pytest.mark.slow
@pytest.mark.parametrize("who", ROLES)
@settings(max_examples=EXAMPLES_PER_ROLE, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                                  HealthCheck.too_slow])
@given(text=messages, in_group=st.booleans())
def test_any_message_gets_an_answer_and_writes_only_what_a_valid_command_writes(talk, caplog, who, text, in_group):
    group = GROUP if in_group else None
    with caplog.at_level(logging.ERROR):
        check_event(talk, who, lambda: talk.send(who, text, group=group), text)
        if group is None:
            assert talk.log[-1][2], f"no answer to {text!r}"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text


@pytest.mark.slow
@pytest.mark.parametrize("who", ROLES)
@settings(max_examples=EXAMPLES_PER_ROLE, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                                  HealthCheck.too_slow])
@given(data=postback_data)
def test_any_button_data_gets_an_answer_and_writes_only_a_valid_report(talk, caplog, who, data):
    replies = []
    with caplog.at_level(logging.ERROR):
        check_event(talk, who, lambda: replies.extend(talk.tap(who, data)) or replies, None)
    assert replies, f"no answer to {data!r}"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
