"""Profile and website links: host, kind and handle, from the text alone (never fetched).

The toolkit never opens a URL a candidate supplied; links are only parsed so that LinkedIn and
GitHub handles can be compared with the candidate's name and free-hosted portfolios recognised.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from screening.model.normalized import Link
from screening.normalize.text import clean_line

_FREE_HOSTS = (
    "netlify.app",
    "vercel.app",
    "github.io",
    "gitlab.io",
    "herokuapp.com",
    "pages.dev",
    "web.app",
    "firebaseapp.com",
    "wixsite.com",
    "carrd.co",
    "glitch.me",
    "onrender.com",
    "surge.sh",
    "000webhostapp.com",
    "weebly.com",
    "wordpress.com",
    "blogspot.com",
)
_MESSAGING = {
    "t.me": "telegram",
    "telegram.me": "telegram",
    "telegram.org": "telegram",
    "discord.gg": "discord",
    "discord.com": "discord",
    "discordapp.com": "discord",
    "wa.me": "whatsapp",
    "whatsapp.com": "whatsapp",
    "skype.com": "skype",
    "join.skype.com": "skype",
}
_HANDLE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


def normalize_link(raw: str) -> Link:
    """Classify a link by host; extract the handle for LinkedIn, GitHub, GitLab, X and Telegram."""
    text = clean_line(raw)
    url = text if "://" in text else f"https://{text}"
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower().removeprefix("www.")
    except ValueError:
        return Link(raw=raw, url=text, host="", kind="invalid")
    segments = [s for s in parts.path.split("/") if s]
    kind, handle = "website", None
    if host.endswith("linkedin.com"):
        kind = "linkedin"
        if len(segments) >= 2 and segments[0] in ("in", "pub"):
            handle = segments[1]
    elif host == "github.com":
        kind = "github"
        handle = segments[0] if segments else None
    elif host == "gitlab.com":
        kind = "gitlab"
        handle = segments[0] if segments else None
    elif host in ("twitter.com", "x.com"):
        kind = "x"
        handle = segments[0] if segments else None
    elif host in _MESSAGING:
        kind = _MESSAGING[host]
        handle = segments[0] if segments and kind == "telegram" else None
    elif host.endswith(_FREE_HOSTS):
        kind = "free_host"
        if host.endswith("github.io"):
            handle = host.split(".")[0]
    if handle is not None and not _HANDLE.match(handle):
        handle = None
    return Link(raw=raw, url=url, host=host, kind=kind, handle=handle.lower() if handle else None)
