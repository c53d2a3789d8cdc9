"""管理: a one-time link to the coordinator's console, for the people who run the plan."""

from __future__ import annotations

from handlers.core.incoming import Context
from handlers.core.replies import Reply, Text
from handlers.core.request import Request
from handlers.texts import console as T
from storage.console_tokens import create_link
from storage.models import Role, Staff

MAY_SIGN_IN_BY_CHAT = (Role.coordinator, Role.director, Role.chief)


def signin_url(public_url: str, token: str) -> str:
    """Return the address a sign-in token opens."""
    return f"{public_url.rstrip('/')}/console/signin/{token}"


def link_for(ctx: Context, staff: Staff, actor: str) -> str:
    """Issue a sign-in link for the staff member and return its address (valid 10 minutes, once)."""
    return signin_url(ctx.settings.public_url, create_link(ctx.session, staff, ctx.now, actor))


def console_link(req: Request, ctx: Context) -> list[Reply]:
    """Answer 管理 with a sign-in link, for the coordinator, the director and chiefs."""
    if req.who.role not in MAY_SIGN_IN_BY_CHAT:
        return [Text(T.LINK_REFUSED)]
    return [Text(T.LINK_SENT.format(url=link_for(ctx, req.who.staff, req.who.actor)))]
