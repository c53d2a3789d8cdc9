"""One conversation, as a person has it: 延後 → the reason → confirmed, 撤銷 → confirmed, an old button → confirmed.

Each step is checked in what the person reads and in what is stored: the reports table (history, never
overwritten) and the audit rows, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import select

from storage import queries
from storage.models import AuditLog, ConversationState, ProgressReport, Status
from tests.handler_fixtures import STAFF_DATA, read


def history(talk) -> list[tuple[Status, str, str]]:
    item = next(i for i in queries.items_of_plan(talk.session, queries.only_office(talk.session).plans[0].id)
                if i.section.name == "戶籍資料課" and i.number == "12")
    rows = talk.session.scalars(
        select(ProgressReport).where(ProgressReport.item_id == item.id, ProgressReport.occurrence_key == "2024-04")
        .order_by(ProgressReport.id)
    )
    return [(r.status, r.note, r.via) for r in rows]


def audit(talk) -> list[tuple[str, str, str]]:
    rows = talk.session.scalars(select(AuditLog).where(AuditLog.action.startswith("progress.")).order_by(AuditLog.id))
    return [(r.action, r.detail["status"], r.actor) for r in rows]


def waiting(talk) -> list[tuple[str, str]]:
    """Return what the bot waits for, per person (the conversation_state table)."""
    return [(r.actor, r.topic) for r in talk.session.scalars(select(ConversationState))]


def test_delay_reason_undo_and_an_old_button_each_confirmed_and_kept_as_history(talk_any):
    talk = talk_any
    me = f"line:{talk.line_id(STAFF_DATA)}"
    [ask] = talk.send(STAFF_DATA, "回報 12 4月")
    button = {b.label: b.data for b in ask.quick_replies}
    assert history(talk) == [] and audit(talk) == []  # asking writes nothing

    # 延後 from a button asks why; the next message is the reason, confirmed and kept as a new report.
    text = read(talk.tap(STAFF_DATA, button["延後"]))
    assert text.startswith("已記錄 ✅\n戶籍資料課 12 門牌點位及上傳管理") and "延後的原因是什麼？" in text
    assert history(talk) == [(Status.delayed, "", "line")]
    assert waiting(talk) == [(me, "reason")]
    talk.clock.advance(minutes=2)
    assert talk.text(STAFF_DATA, "等民政局回函，預計下週").startswith(
        "已記下原因 ✅\n12 門牌點位及上傳管理\n備註：等民政局回函，預計下週")
    assert history(talk) == [(Status.delayed, "", "line"), (Status.delayed, "等民政局回函，預計下週", "line")]
    assert audit(talk) == [("progress.report", "delayed", me)] * 2
    assert waiting(talk) == [(me, "remedy")]  # the reason answered; the monthly review asks its 因應對策 next

    # 撤銷 shows the last report and takes it back only on confirmation; the undo is itself recorded.
    talk.clock.advance(minutes=3)
    [undo] = talk.send(STAFF_DATA, "撤銷")
    assert undo.text.startswith("要撤銷你剛才的這筆回報嗎？\n戶籍資料課 12 門牌點位及上傳管理") and "等民政局回函" in undo.text
    assert len(history(talk)) == 2
    confirm = next(b for b in undo.quick_replies if b.label == "確定撤銷")
    assert read(talk.tap(STAFF_DATA, confirm.data)).startswith("已撤銷 ↩️")
    assert history(talk)[-1] == (Status.delayed, "", "undo")
    assert audit(talk)[-1] == ("progress.undo", "delayed", me)

    # The first question's 完成, tapped now, is older than the undo: it asks before replacing it.
    talk.clock.advance(days=1)
    [stale] = talk.tap(STAFF_DATA, button["完成"])
    assert stale.text == "「12 門牌點位及上傳管理」這次作業已由 李冠緯 在 4/8（一） 回報為「延後」，比這個按鈕新。要改成「已完成」嗎？"
    assert len(history(talk)) == 3 and len(audit(talk)) == 3  # nothing written yet
    replace = stale.quick_replies[0]
    assert "進度：已完成" in read(talk.tap(STAFF_DATA, replace.data))
    assert history(talk) == [
        (Status.delayed, "", "line"), (Status.delayed, "等民政局回函，預計下週", "line"), (Status.delayed, "", "undo"),
        (Status.done, "", "line"),
    ]
    assert [a for a, _s, _w in audit(talk)] == ["progress.report", "progress.report", "progress.undo", "progress.report"]
    # The list shows the newest: done.
    assert "12 門牌點位及上傳管理｜4月作業｜✅已完成" in talk.text(STAFF_DATA, "本月")
