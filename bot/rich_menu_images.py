"""Draw the rich-menu pages of `handlers/chat/rich_menus.py` as PNG images (Pillow, a CJK font found on the machine)."""

from __future__ import annotations

import io
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from handlers.chat.rich_menus import MenuPage
from handlers.texts import menus as T

MAX_BYTES = 1_000_000  # LINE's limit for a rich-menu image
# Debian's fonts-noto-cjk (and a few other common places), tried when fontconfig is not there.
KNOWN_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)
# Noto CJK collections hold JP, KR, SC, TC and HK faces; index 3 is Traditional Chinese (TC).
TC_INDEX = {"NotoSansCJK": 3, "NotoSerifCJK": 3}
BACKGROUND = (246, 248, 250)
BUTTON = (255, 255, 255)
LINE_COLOUR = (210, 216, 222)
INK = (33, 37, 41)
HINT_INK = (108, 117, 125)
TAB_ON = (6, 199, 85)  # LINE green
TAB_OFF = (226, 230, 234)


class FontError(RuntimeError):
    """No CJK font: the menu images cannot be drawn (the message says what to install)."""


def find_cjk_font(given: str | None = None) -> Path:
    """Return a font file that has Traditional Chinese: the given one, fontconfig's choice, or a known path."""
    if given:
        path = Path(given)
        if not path.is_file():
            raise FontError(T.FONT_UNREADABLE.format(path=given, error="not a file"))
        return path
    for candidate in [*_fontconfig(), *map(Path, KNOWN_FONTS)]:
        if candidate.is_file():
            return candidate
    raise FontError(T.NO_CJK_FONT)


def _fontconfig() -> list[Path]:
    if shutil.which("fc-match") is None:
        return []
    try:
        out = subprocess.run(
            ["fc-list", ":lang=zh-tw", "file"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    files = sorted({line.split(":")[0].strip() for line in out.splitlines() if line.strip()})
    # Prefer a bold sans face: it reads best at a glance on a phone.
    files.sort(key=lambda f: ("Sans" not in f, "Bold" not in f, f))
    return [Path(f) for f in files]


def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    index = next((i for stem, i in TC_INDEX.items() if path.name.startswith(stem)), 0)
    try:
        return ImageFont.truetype(str(path), size, index=index)
    except OSError:
        try:
            return ImageFont.truetype(str(path), size)
        except OSError as exc:
            raise FontError(T.FONT_UNREADABLE.format(path=path, error=exc)) from exc


@lru_cache(maxsize=32)
def draw(page: MenuPage, font_path: Path) -> bytes:
    """Return the page as a PNG of its size (under LINE's 1 MB)."""
    image = Image.new("RGB", (page.width, page.height), BACKGROUND)
    pen = ImageDraw.Draw(image)
    word_font, hint_font, tab_font = _font(font_path, 150), _font(font_path, 64), _font(font_path, 96)
    for area in page.tabs:
        box = (area.x, area.y, area.x + area.width - 1, area.y + area.height - 1)
        pen.rectangle(box, fill=TAB_ON if area.selected else TAB_OFF)
        colour = (255, 255, 255) if area.selected else INK
        pen.text(_centre(area), area.action.label, font=tab_font, fill=colour, anchor="mm")
    for area in page.buttons:
        inset = 14
        box = (area.x + inset, area.y + inset, area.x + area.width - inset, area.y + area.height - inset)
        pen.rounded_rectangle(box, radius=48, fill=BUTTON, outline=LINE_COLOUR, width=4)
        cx, cy = _centre(area)
        pen.text((cx, cy - 50), area.action.label, font=word_font, fill=INK, anchor="mm")
        if area.hint:
            pen.text((cx, cy + 110), area.hint, font=hint_font, fill=HINT_INK, anchor="mm")
    out = io.BytesIO()
    image.save(out, "PNG")
    data = out.getvalue()
    if len(data) > MAX_BYTES:
        raise ValueError(f"{page.alias}: image is {len(data)} bytes, LINE takes at most {MAX_BYTES}")
    return data


def _centre(area) -> tuple[int, int]:
    return area.x + area.width // 2, area.y + area.height // 2
