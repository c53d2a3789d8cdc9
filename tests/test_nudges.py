"""未回報's button: each listed person is reminded once a day, through the outbox, by the clock's 5-minute job."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.clock import Clockwork
from bot.deliveries import SendOutcome
from bot.run_lock import RunLock
from handlers.core.replies import plain_text
from schedules.clock import FixedClock
from storage.models import Delivery
from tests.handler_fixtures import CHIEF_DATA, COORDINATOR, MONDAY, STAFF_DATA, buttons, read

SECTION = ["李冠緯", "劉宗佑", "蔡宜臻", "王瑜"]  # 戶籍資料課's owners with occurrences nobody reported


def nudge_button(talk, who: str, text: str = "未回報"):
    [reply] = talk.send(who, text)
    return next(b for b in buttons(reply) if b.label == "提醒他們回報")


def nudges(talk) -> list[Delivery]:
    return list(talk.session.scalars(select(Delivery).where(Delivery.key.startswith("nudge:")).order_by(Delivery.id)))


class Pushes:
    """A LINE stand-in for the clock: records each push, and a quota that says yes or no."""

    def __init__(self, allow: bool = True) -> None:
        self.sent: list[tuple[str, list, str]] = []
        self.asked: list[int] = []
        self.allow = allow

    def __call__(self, to, replies, retry_key) -> SendOutcome:
        self.sent.append((to, replies, retry_key))
        return SendOutcome(True)

    def quota(self, n: int) -> bool:
        self.asked.append(n)
        return self.allow


def clock_job(db, pushes: Pushes, minutes: int = 5) -> Clockwork:
    return Clockwork(db.sessions, FixedClock(MONDAY + timedelta(minutes=minutes)), pushes, RunLock(db.engine),
                     quota=pushes.quota, pause=0, sleep=lambda s: None)


def test_the_button_reminds_each_listed_person_once_a_day_through_the_clock(talk, demo_db):
    button = nudge_button(talk, CHIEF_DATA)
    text = read(talk.tap(CHIEF_DATA, button.data))
    assert text.startswith("好的，會用 LINE 推播提醒這 4 位同仁回報（上班時間內幾分鐘就會送出）：")
    assert all(name in text for name in SECTION)
    rows = nudges(talk)
    assert sorted(r.key for r in rows) == sorted(f"nudge:2024-04-08:{talk.staff(n).id}" for n in SECTION)
    assert all(r.sent_at is None for r in rows)  # the clock sends them, not the chat
    # Tapped again, or the coordinator reminding the whole office: nobody is reminded twice a day.
    again = read(talk.tap(CHIEF_DATA, button.data))
    assert again.startswith("沒有需要再提醒的同仁。\n今天已經提醒過、不再重複提醒（每人每天最多一次）：")
    office = read(talk.tap(COORDINATOR, nudge_button(talk, COORDINATOR).data))
    assert office.startswith("好的，會用 LINE 推播提醒這 9 位同仁回報") and "李冠緯" in office.split("\n")[1]
    assert len(nudges(talk)) == 13
    talk.session.commit()

    pushes = Pushes()
    report = clock_job(demo_db, pushes).tend()
    assert report.nudges.sent == 13 and 13 in pushes.asked  # counted against the quota
    mine = next(replies for to, replies, key in pushes.sent if to == talk.staff(STAFF_DATA).line_user_id
                and plain_text(replies[0]).startswith("江淑惠"))
    words = plain_text(mine[0])
    assert words.startswith("江淑惠（課長）請你回報這 4 次作業的進度：\n・3/29（五） 2-6 ")  # overdue first
    assert "・3/5（二） 11 門牌指標設置及定期巡查管理｜期限⚠️" in words and "回報方式：回報 編號 完成" in words
    assert clock_job(demo_db, pushes, minutes=10).tend().nudges.calls == 0  # sent once
    talk.session.expire_all()
    assert all(r.sent_at is not None for r in nudges(talk))
    # The next day they may be reminded again.
    talk.at("2024-04-09 09:00")
    assert read(talk.tap(CHIEF_DATA, button.data)).startswith("好的，會用 LINE 推播提醒這 4 位同仁回報")


def test_reminders_the_quota_cannot_carry_wait_unsent(talk, demo_db):
    talk.tap(CHIEF_DATA, nudge_button(talk, CHIEF_DATA).data)
    talk.session.commit()
    pushes = Pushes(allow=False)
    report = clock_job(demo_db, pushes).tend()
    assert report.nudges.sent == 0 and report.nudges.left == 4 and report.nudges.errors == ["quota"]
    assert not any(key in {r.retry_key for r in nudges(talk)} for _to, _r, key in pushes.sent)


def test_staff_may_not_remind_and_a_chief_only_their_own_section(talk):
    button = nudge_button(talk, CHIEF_DATA)
    assert read(talk.tap(STAFF_DATA, button.data)).startswith("抱歉，誰還沒回報只提供給課長、研考和主任")
    assert read(talk.tap(CHIEF_DATA, "a=nudge&r=戶籍登記課")).startswith("你可以看自己課室（戶籍資料課）的資料")
    assert nudges(talk) == []
