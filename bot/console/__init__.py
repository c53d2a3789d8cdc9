"""The coordinator's console: a few server-rendered pages behind a sign-in link from LINE.

Every request finds its person from the session cookie here; what that person may see or change is
decided by handlers (handlers.core.access, handlers.documents.control_table), never by what a page shows.
"""

from __future__ import annotations

from bot.console import (  # noqa: F401 - they register their routes on the blueprint
    calendar_pages,
    city_pages,
    import_pages,
    leave_pages,
    report_pages,
    review_pages,
    staff_pages,
)
from bot.console.routes import bp

__all__ = ["bp"]
