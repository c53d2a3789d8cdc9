"""A fake of NCDR's alert feed (AlertType=33, the DGPA's closure announcements): a real threaded HTTP server.

It serves entries of the real shape (`entry(...)` builds them as the feed writes them: the DGPA's id, `updated`
with +08:00, `summary` as {"#text": …}, `effective` / `expires` in the feed's own 下午 notation), wrapped as the
JSON Atom feed wraps them (`entry` at the top, or inside `feed`; a lone entry as an object). Queued faults answer
before the feed: 429 with the host's own words, 5xx, or a dropped connection. It records every request.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

RATE_LIMITED = "限制存取間隔時間為3秒"
BUREAU = "行政院人事行政總處"
TAIL = "行政院人事行政總處。如有任何問題請撥1999(市內直撥)。"


def _cap_time(moment: datetime) -> str:
    """Write a moment as the feed's effective/expires do: 2026/8/22 下午 02:10:00."""
    half = "上午" if moment.hour < 12 else "下午"
    hour = moment.hour % 12 or 12
    return f"{moment.year}/{moment.month}/{moment.day} {half} {hour:02d}:{moment.minute:02d}:{moment.second:02d}"


def entry(updated: datetime, area: str, said: str, code: str = "6300000", status: str = "Actual",
          msg_type: str = "Alert", serial: int = 1) -> dict:
    """Return one entry as the feed publishes it: `said` is what follows the area (明天停止上班、停止上課)."""
    stamp = updated.strftime("%Y%m%d%H%M%S")
    day_end = (updated + timedelta(days=1)).replace(hour=0, minute=0, second=0)
    return {
        "id": f"dgpa.gov.tw_workSchlClos_{stamp}_i_{code}_{serial:03d}",
        "updated": updated.isoformat(),
        "author": {"name": BUREAU},
        "status": status,
        "msgType": msg_type,
        "summary": {"#text": f"[停班停課通知]{area}:{said}。{TAIL}"},
        "effective": _cap_time(updated - timedelta(minutes=1)),
        # The end of the announcement's day, not of the closure: the reader must never use it.
        "expires": _cap_time(day_end),
    }


def feed_of(entries: list[dict], wrapped: bool = False) -> dict:
    """Return the JSON Atom document: entries at the top or inside `feed`, a lone one as an object."""
    body = entries[0] if len(entries) == 1 else entries
    inner = {"title": "停班停課", "updated": entries[0]["updated"] if entries else "", "entry": body}
    return {"feed": inner} if wrapped else inner


@dataclass(frozen=True)
class Seen:
    path: str
    query: dict[str, list[str]]


class FakeClosureFeed:
    """The feed on 127.0.0.1: `publish(entries)` sets what it serves; `fail(429, 2)` queues answers before it."""

    def __init__(self) -> None:
        self.document: bytes = json.dumps(feed_of([])).encode()
        self.faults: deque[int | str] = deque()
        self.requests: list[Seen] = []
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                parts = urlsplit(self.path)
                with fake._lock:
                    fake.requests.append(Seen(parts.path, parse_qs(parts.query)))
                    fault = fake.faults.popleft() if fake.faults else None
                    body = fake.document
                if fault == "drop":
                    self.close_connection = True
                    self.connection.close()
                    return
                if parts.path != "/JSONAtomFeed.ashx" or parse_qs(parts.query).get("AlertType") != ["33"]:
                    self._answer(404, b"not found", "text/plain")
                elif fault == 429:
                    self._answer(429, RATE_LIMITED.encode(), "text/plain; charset=utf-8")
                elif isinstance(fault, int):
                    self._answer(fault, b"error", "text/plain")
                else:
                    self._answer(200, body, "application/json; charset=utf-8")

            def _answer(self, status: int, body: bytes, kind: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/JSONAtomFeed.ashx?AlertType=33"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def publish(self, entries: list[dict], wrapped: bool = False) -> None:
        """Serve these entries from now on."""
        with self._lock:
            self.document = json.dumps(feed_of(entries, wrapped), ensure_ascii=False).encode()

    def serve_raw(self, body: bytes) -> None:
        """Serve a body as it is (a broken feed)."""
        with self._lock:
            self.document = body

    def fail(self, status: int | str, times: int = 1) -> None:
        """Answer the next `times` requests with this status (or "drop" the connection)."""
        with self._lock:
            self.faults.extend([status] * times)

    def __enter__(self) -> FakeClosureFeed:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
