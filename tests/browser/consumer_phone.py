"""Helpers for the consumer-page browser tests: phone-sized Chromium contexts (360×740 and 390×844,
touch, zh-CN, Asia/Shanghai, geolocation), the SMS codes the default sender logs, and page checks
every story ends with (no sideways scroll, no raw API code in the Chinese text)."""

import logging
import re

import pytest

from app.checklists.models import NodeStatus
from app.feedback.models import TicketStatus
from app.feedback.vocabulary import CATEGORIES, TAGS
from app.jobs.models import JobStatus
from app.orders.models import OrderStatus, ServiceType
from app.pricing.models import ChargeStatus, Payer
from app.warranty.models import WarrantyStatus
from app.web_app import DIST
from tests.app.consumer.stories import AT

PHONES = {"small": {"width": 360, "height": 740}, "large": {"width": 390, "height": 844}}
AT_HOME = {"longitude": AT["lon"], "latitude": AT["lat"]}
SHANGHAI = {"longitude": 121.47, "latitude": 31.23}  # nobody covers it in these stories

# Every code the API sends that the page must show by its label instead.
ENUM_CODES = sorted({
    *(s.value for s in JobStatus), *(s.value for s in OrderStatus), *(s.value for s in ServiceType),
    *(s.value for s in ChargeStatus), *(s.value for s in Payer), *(s.value for s in WarrantyStatus),
    *(s.value for s in TicketStatus), *(s.value for s in NodeStatus), *TAGS, *CATEGORIES,
    "air_conditioner", "washing_machine", "awaiting_consumer", "en_route", "labour", "draft", "frozen",
    "available", "full", "rebook", "depart", "arrive",
}, key=len, reverse=True)
_CODE = re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(re.escape(c) for c in ENUM_CODES) + r")(?![A-Za-z0-9_])")


def phone(browser, size="large", geolocation=AT_HOME, allow_location=True):
    if not (DIST / "consumer" / "index.html").is_file():
        pytest.fail("the consumer pages are not built: scripts/test.sh builds them (cd app/web && npm run build)")
    return browser.new_context(
        viewport=PHONES[size], device_scale_factor=2, is_mobile=True, has_touch=True, locale="zh-CN",
        timezone_id="Asia/Shanghai", geolocation=geolocation, permissions=["geolocation"] if allow_location else [],
    )


class SmsBox(logging.Handler):
    """Catches what the default SMS sender logs (the server runs in this process)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.texts: list[str] = []

    def emit(self, record):
        self.texts.append(record.getMessage())

    def last_code(self) -> str:
        return re.search(r"验证码 (\d{6})", self.texts[-1]).group(1)


@pytest.fixture
def sms():
    box = SmsBox()
    logger = logging.getLogger("shifu.sms")
    logger.addHandler(box)
    logger.setLevel(logging.WARNING)
    yield box
    logger.removeHandler(box)


def assert_fits_the_phone(page):
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"
    wide = page.evaluate("""w => [...document.querySelectorAll('body *')].filter(e => {
        const r = e.getBoundingClientRect(); return r.width > 0 && r.right > w + 1 && !e.closest('.leaflet-pane');
      }).map(e => e.tagName + '.' + e.className).slice(0, 5)""", width)
    assert not wide, f"wider than the screen: {wide}"


def assert_no_raw_codes(page):
    text = page.inner_text("body")
    found = sorted(set(_CODE.findall(text)))
    assert not found, f"raw API codes on the Chinese page: {found}"


def verify_phone(page, sms, number="13900002222"):
    page.fill("input[name=phone]", number)
    page.click("[data-send-code]")
    page.wait_for_selector("input[name=code]")
    page.fill("input[name=code]", sms.last_code())
    page.click("[data-verify]")
    page.wait_for_selector("[data-verified]")


def drag_by_touch(page, element, dx: float, dy: float):
    """A finger dragging an element (Chromium's touch input, as a phone sends it)."""
    element.scroll_into_view_if_needed()
    box = element.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 3
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for i in range(1, 11):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x + dx * i / 10, "y": y + dy * i / 10}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()



def shot(page, name: str):
    """With SHIFU_SCREENSHOTS=1 the stories also photograph the phone for the README."""
    import os
    from pathlib import Path

    if os.environ.get("SHIFU_SCREENSHOTS") != "1":
        return
    out = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "consumer"
    out.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(400)  # let a toast or the map settle
    page.screenshot(path=str(out / f"{name}.png"), full_page=True)
