"""City viewers (民政局, 研考會 staff): added, given sign-in links and deactivated by `planbot city viewer`.

They are no office's staff: they have no LINE chat with any office's bot and only read the city page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.texts import city as C
from storage import console_tokens, queries
from storage.models import CityViewer

NAME_MOST, UNIT_MOST = 50, 100


class ViewerError(ValueError):
    """What is wrong with a viewer command, in words for the person who typed it."""


@dataclass(frozen=True)
class Added:
    viewer: CityViewer
    reactivated: bool


def signin_url(public_url: str, token: str) -> str:
    """Return the address a city viewer's sign-in token opens."""
    return f"{public_url.rstrip('/')}/console/city/signin/{token}"


def find(session: Session, name: str) -> CityViewer | None:
    return session.scalar(select(CityViewer).where(CityViewer.name == name.strip()))


def viewers(session: Session) -> list[CityViewer]:
    return list(session.scalars(select(CityViewer).order_by(CityViewer.id)))


def add(session: Session, name: str, unit: str, now: datetime, actor: str) -> Added:
    """Add a viewer (a deactivated one of that name comes back, with the unit given); ViewerError otherwise."""
    name, unit = name.strip(), unit.strip()
    if not name or len(name) > NAME_MOST:
        raise ViewerError(C.BAD_NAME.format(most=NAME_MOST, name=name))
    if not unit or len(unit) > UNIT_MOST:
        raise ViewerError(C.BAD_UNIT.format(most=UNIT_MOST))
    viewer = find(session, name)
    if viewer is not None and viewer.active:
        raise ViewerError(C.EXISTS.format(name=name, unit=viewer.unit))
    reactivated = viewer is not None
    if viewer is None:
        viewer = CityViewer(name=name, unit=unit, active=True, created_at=now)
        session.add(viewer)
    else:
        viewer.active, viewer.unit = True, unit
    session.flush()
    queries.audit(session, now, actor, "city.viewer_reactivate" if reactivated else "city.viewer_add", viewer=name, unit=unit)
    return Added(viewer, reactivated)


def active_viewer(session: Session, name: str) -> CityViewer:
    """Return the active viewer of that name; ViewerError saying why not."""
    viewer = find(session, name)
    if viewer is None:
        raise ViewerError(C.UNKNOWN.format(name=name))
    if not viewer.active:
        raise ViewerError(C.INACTIVE.format(name=name))
    return viewer


def link(session: Session, viewer: CityViewer, public_url: str, now: datetime, actor: str) -> str:
    """Issue a one-time sign-in link (10 minutes) for the viewer and return its address."""
    return signin_url(public_url, console_tokens.create_city_link(session, viewer, now, actor))


def deactivate(session: Session, name: str, now: datetime, actor: str) -> int | None:
    """Deactivate the viewer and end their sessions and unused links (how many; None when already inactive)."""
    viewer = find(session, name)
    if viewer is None:
        raise ViewerError(C.UNKNOWN.format(name=name))
    if not viewer.active:
        return None
    viewer.active = False
    # Ended, not only hidden behind `active`: adding the viewer again must not revive an old session.
    ended = console_tokens.end_all_of_viewer(session, viewer.id, now)
    session.flush()
    queries.audit(session, now, actor, "city.viewer_deactivate", viewer=name, ended=ended)
    return ended
