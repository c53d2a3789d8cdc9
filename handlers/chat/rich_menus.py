"""The rich menus (the panel under the chat), one per role, as plain data: pages, areas, labels and actions.

`bot/rich_menus.py` draws them (Pillow) and installs them at LINE; the simulator shows the same pages. A
button sends its word as a message, so a tap goes through the same path as typing it; a role with more than
six actions gets tabs (a `richmenuswitch` to the other page's alias). Strangers see the staff menu (LINE's
default), whose words answer them with how to link.
"""

from __future__ import annotations

from dataclasses import dataclass

from handlers.core import postbacks
from handlers.texts import menus as T
from storage.models import Role

PREFIX = "planbot"  # every menu's name and alias starts with it: what install may replace or delete
WIDTH, HEIGHT = 2500, 1686
TAB_HEIGHT = 220
COLUMNS, ROWS = 3, 2

STAFF_WORDS = (T.TODAY, T.THIS_WEEK, T.OVERDUE, T.REPORT, T.MINE, T.HELP)
CHIEF_WORDS = (T.SUMMARY, T.NOT_REPORTED)
OFFICE_WORDS = (T.SUMMARY, T.NOT_REPORTED, T.OFFICE, T.EXPORT, T.CONSOLE)
SENDS = {T.OFFICE: T.OFFICE_SENDS}


@dataclass(frozen=True)
class MenuAction:
    """What a tap does: send a word (`message`), or switch to another page (`switch`, with a postback)."""

    kind: str
    label: str
    text: str = ""
    alias: str = ""
    data: str = ""


@dataclass(frozen=True)
class MenuArea:
    """One tappable rectangle of a page; `tab` areas are the tab bar, `selected` the page's own tab."""

    x: int
    y: int
    width: int
    height: int
    action: MenuAction
    hint: str = ""
    tab: bool = False
    selected: bool = False


@dataclass(frozen=True)
class MenuPage:
    """One rich menu at LINE: its alias (also its key), which role menu it belongs to, size and areas."""

    alias: str
    menu: str
    title: str
    width: int
    height: int
    areas: tuple[MenuArea, ...]
    chat_bar_text: str = T.CHAT_BAR

    @property
    def name(self) -> str:
        """Return the menu's name at LINE: the prefix install recognises its own menus by."""
        return f"{PREFIX}:{self.alias.removeprefix(PREFIX + '-')}"

    @property
    def buttons(self) -> tuple[MenuArea, ...]:
        return tuple(a for a in self.areas if not a.tab)

    @property
    def tabs(self) -> tuple[MenuArea, ...]:
        return tuple(a for a in self.areas if a.tab)


def menu_of(role: Role | None) -> str:
    """Return the key of the menu a role sees (strangers: the staff menu, LINE's default)."""
    if role is Role.chief:
        return "chief"
    if role in (Role.coordinator, Role.director):
        return "office"
    return "staff"


def _word(word: str) -> MenuAction:
    return MenuAction("message", word, text=SENDS.get(word, word))


def _grid(words: tuple[str, ...], top: int) -> list[MenuArea]:
    """Lay words out row by row in a 3 × 2 grid below `top`; cells left over stay blank (no area)."""
    height = (HEIGHT - top) // ROWS
    areas = []
    for n, word in enumerate(words):
        row, col = divmod(n, COLUMNS)
        x = col * WIDTH // COLUMNS
        width = (col + 1) * WIDTH // COLUMNS - x
        y = top + row * height
        h = HEIGHT - y if row == ROWS - 1 else height
        areas.append(MenuArea(x, y, width, h, _word(word), T.HINTS.get(word, "")))
    return areas


def alias_of(menu: str, tab: int | None = None) -> str:
    """Return a page's alias: planbot-staff, or planbot-chief-1 / planbot-chief-2 for a tabbed menu."""
    return f"{PREFIX}-{menu}" if tab is None else f"{PREFIX}-{menu}-{tab}"


def _tabbed(menu: str, tabs: tuple[tuple[str, tuple[str, ...]], ...]) -> list[MenuPage]:
    pages = []
    for n, (title, words) in enumerate(tabs, start=1):
        bar = []
        for m, (other, _words) in enumerate(tabs, start=1):
            x = (m - 1) * WIDTH // len(tabs)
            width = m * WIDTH // len(tabs) - x
            target = alias_of(menu, m)
            action = MenuAction("switch", other, alias=target, data=postbacks.encode(postbacks.Route.menu, p=target))
            bar.append(MenuArea(x, 0, width, TAB_HEIGHT, action, tab=True, selected=m == n))
        areas = tuple(bar + _grid(words, TAB_HEIGHT))
        pages.append(MenuPage(alias_of(menu, n), menu, title, WIDTH, HEIGHT, areas))
    return pages


def pages_of(menu: str) -> list[MenuPage]:
    """Return the pages of one role menu (staff, chief, office), the first one shown first."""
    if menu == "staff":
        return [MenuPage(alias_of("staff"), "staff", T.TAB_MINE, WIDTH, HEIGHT, tuple(_grid(STAFF_WORDS, 0)))]
    if menu == "chief":
        return _tabbed("chief", ((T.TAB_MINE, STAFF_WORDS), (T.TAB_SECTION, CHIEF_WORDS)))
    if menu == "office":
        return _tabbed("office", ((T.TAB_MINE, STAFF_WORDS), (T.TAB_OFFICE, OFFICE_WORDS)))
    raise ValueError(f"no menu {menu!r}")


MENUS = ("staff", "chief", "office")
DEFAULT_MENU = "staff"


def all_pages() -> list[MenuPage]:
    """Return every page of every role menu, the default (staff) menu first."""
    return [page for menu in MENUS for page in pages_of(menu)]


def first_page(role: Role | None) -> MenuPage:
    """Return the page a person of this role sees first."""
    return pages_of(menu_of(role))[0]


def words_of(role: Role | None) -> list[str]:
    """Return every word a role's menu offers (the tabs aside), in the order of its pages."""
    return [a.action.label for page in pages_of(menu_of(role)) for a in page.buttons]
