"""The fixed words of feedback: rating tags, complaint categories, and the ticket SLA by severity.

Fixed lists (not free text) so ratings and complaints can be counted per technician and compared
across brands; each word carries its Chinese and English label for the consumer's page.
"""

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum


@dataclass(frozen=True)
class Word:
    code: str
    zh: str
    en: str
    kind: str  # tags: positive | negative; complaint categories: their severity


class Tag(StrEnum):
    on_time = "on_time"
    tidy = "tidy"
    explained = "explained"
    polite = "polite"
    no_hidden_fees = "no_hidden_fees"
    skilled = "skilled"
    protected_home = "protected_home"
    late = "late"
    messy = "messy"
    upsell = "upsell"
    rude = "rude"
    not_fixed = "not_fixed"


TAGS: dict[str, Word] = {
    w.code: w
    for w in (
        Word("on_time", "准时", "On time", "positive"),
        Word("tidy", "干净整洁", "Tidy", "positive"),
        Word("explained", "讲解清楚", "Explained clearly", "positive"),
        Word("polite", "礼貌", "Polite", "positive"),
        Word("no_hidden_fees", "无乱收费", "No hidden fees", "positive"),
        Word("skilled", "技术专业", "Skilled", "positive"),
        Word("protected_home", "做好防护", "Protected floor and furniture", "positive"),
        Word("late", "迟到", "Late", "negative"),
        Word("messy", "未清理", "Left a mess", "negative"),
        Word("upsell", "推销", "Pushed extra sales", "negative"),
        Word("rude", "态度差", "Rude", "negative"),
        Word("not_fixed", "问题未解决", "Problem not fixed", "negative"),
    )
}
assert set(TAGS) == set(Tag)

# Tags that cannot both be true of one visit.
CONTRADICTIONS = (
    ("on_time", "late"), ("tidy", "messy"), ("polite", "rude"), ("no_hidden_fees", "upsell"), ("skilled", "not_fixed"),
)


class Severity(StrEnum):
    high = "high"
    normal = "normal"


class ComplaintCategory(StrEnum):
    overcharge = "overcharge"
    no_show = "no_show"
    poor_work = "poor_work"
    damage = "damage"
    rude = "rude"
    fake_repair = "fake_repair"
    other = "other"


# Money and property first: the sources name overcharging, damage and fake repairs as what hurts
# consumers most, so those get the short clock.
CATEGORIES: dict[str, Word] = {
    w.code: w
    for w in (
        Word("overcharge", "乱收费", "Overcharged", Severity.high),
        Word("no_show", "师傅爽约", "Technician did not come", Severity.normal),
        Word("poor_work", "服务质量差", "Poor workmanship", Severity.normal),
        Word("damage", "损坏物品", "Damaged property", Severity.high),
        Word("rude", "态度恶劣", "Rude behaviour", Severity.normal),
        Word("fake_repair", "虚假维修", "Fake or unnecessary repair", Severity.high),
        Word("other", "其他", "Other", Severity.normal),
    )
}
assert set(CATEGORIES) == set(ComplaintCategory)


@dataclass(frozen=True)
class TicketSla:
    first_response: timedelta
    resolution: timedelta


# The one place the complaint SLA is defined: both clocks start when the consumer files it.
TICKET_SLA: dict[str, TicketSla] = {
    Severity.high: TicketSla(first_response=timedelta(hours=2), resolution=timedelta(hours=24)),
    Severity.normal: TicketSla(first_response=timedelta(hours=4), resolution=timedelta(hours=48)),
}

SLA_FIRST_RESPONSE = "ticket_first_response"
SLA_RESOLUTION = "ticket_resolution"
