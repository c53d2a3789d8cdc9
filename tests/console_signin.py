"""Signing in as a browser does: open the link's page, then press its 登入 button (the form and its proof)."""

from __future__ import annotations

import re

PROOF = re.compile(r'name="proof" value="([^"]+)"')


def proof_of(page) -> str:
    """The proof the 登入 form of a link's page carries (the page a GET of the link showed)."""
    found = PROOF.search(page.get_data(as_text=True))
    assert found, f"no 登入 form on the page ({page.status_code})"
    return found.group(1)


def sign_in(client, path: str, **headers):
    """Open the link's page with `client` and press 登入; return the POST's answer."""
    return client.post(path, data={"proof": proof_of(client.get(path))}, headers=headers)
