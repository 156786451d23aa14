"""The developer account page's frame: a page whose body is one slot the gateway fills.

Signing up, apps and access requests are dynamic; the gateway renders them inside this built
page (gateway/developer/layout.py) so they share the portal's header, navigation and look.
"""

from __future__ import annotations

from portal.wording import Lang

SLOT = "<!-- tsunagu:account-slot -->"
TITLE: dict[Lang, str] = {"ja": "開発者アカウント", "en": "Developer account"}


def render(lang: Lang) -> str:
    return f"# {TITLE[lang]}\n\n{SLOT}\n"
