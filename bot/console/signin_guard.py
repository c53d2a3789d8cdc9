"""Proof that a sign-in link's POST came from the 登入 page this browser was shown (login CSRF).

A link's POST signs a browser in as the link's holder, so a page elsewhere that posts a link (its owner's, or the
attacker's own) would sign its visitor in without their asking. The GET of a link's page sets a random cookie and
puts a proof derived from it and the link into the form (double submit): another site can neither read the cookie
nor compute the proof. A browser's Origin and Sec-Fetch-Site, when sent, must also say the POST came from this site.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import urlsplit

from flask import Response, current_app, request

from storage.console_tokens import LINK_LIFETIME

COOKIE = "planbot_signin"
FIELD = "proof"
_NONCE_CHARS = 43  # secrets.token_urlsafe(32)
# What Sec-Fetch-Site says of a form posted from the page itself ("none": the person's own action, e.g. a bookmark).
_OWN_FETCH = {"same-origin", "none"}


def _proof(nonce: str, link_token: str) -> str:
    return hmac.new(nonce.encode(), b"planbot-signin:" + link_token.encode(), hashlib.sha256).hexdigest()


def _nonce() -> str:
    """This browser's sign-in cookie, kept when it has one (two tabs of links both work), else a new one."""
    held = request.cookies.get(COOKIE, "")
    if len(held) == _NONCE_CHARS and all(c.isalnum() or c in "-_" for c in held):
        return held
    return secrets.token_urlsafe(32)


def offer(link_token: str) -> tuple[str, str]:
    """Return (the cookie's value, the proof the page's form carries) for a link's page."""
    nonce = _nonce()
    return nonce, _proof(nonce, link_token)


def remember(response: Response, nonce: str) -> Response:
    """Set the sign-in cookie on the link's page: sent back only by this site's own pages (SameSite=Strict)."""
    response.set_cookie(COOKIE, nonce, max_age=int(LINK_LIFETIME.total_seconds()), httponly=True, samesite="Strict",
                        secure=_public_origin().startswith("https://"), path="/console")
    return response


def forget(response: Response) -> Response:
    """Clear the sign-in cookie once it has served."""
    response.delete_cookie(COOKIE, path="/console")
    return response


def _public_origin() -> str:
    return _origin(current_app.extensions["planbot"].settings.public_url)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


def _from_this_site() -> bool:
    """Say whether the browser's own headers, when it sends them, place the POST on this site's pages."""
    fetch = request.headers.get("Sec-Fetch-Site")
    if fetch is not None and fetch.lower() not in _OWN_FETCH:
        return False
    origin = request.headers.get("Origin")
    # The public address, or the address this request reached (a proxy may keep the Host but not the scheme).
    return origin is None or origin.lower() in {_public_origin(), _origin(request.host_url)} - {""}


def from_its_page(link_token: str) -> bool:
    """Say whether this POST carries the proof of the link's page, from this site, with the cookie that page set."""
    nonce = request.cookies.get(COOKIE, "")
    given = request.form.get(FIELD, "")
    if not nonce or not given or not _from_this_site():
        return False
    return hmac.compare_digest(_proof(nonce, link_token), given)
