"""Dates: every date expression in the text, normalised to ISO, and the article's timeline.

Detection is ours, parsing is dateparser's. Candidates come from patterns compiled once per
language from ``data/dates.toml`` (day-month-year in either order, ISO and numeric dates,
"March 2019", "in March", "in 2019", weekdays, "yesterday", "two weeks ago", ranges such as
"From 14 March to 27 March 2019", "between 1 and 3 April", "March 14-27") and, for English,
spaCy DATE entities from the shared parse when an earlier stage made one. dateparser.search is
not used: it is slow and takes the verb "may" for May. A month name only counts next to a day,
a year or a date preposition ("in May"), and English month names must be capitalised.

Each candidate is then normalised by dateparser with the document's language and the parts
its pattern promises (``REQUIRE_PARTS``); calls are cached per (expression, language, settings).

Anchoring, in order:

1. A publication date from the input or the page metadata anchors everything: relative
   expressions ("yesterday", "on Monday", "last week") resolve against it, and a day or month
   without a year ("March 30", "in May") takes the year that puts it nearest to it.
2. Without one, it is inferred from the text: the latest explicit date (one that carries its
   own year; day dates preferred over months, months over bare years, which are as often
   plans as past events) is a lower bound of the publication date, and the article is taken
   to be from that year. Yearless mentions take the year that puts them nearest to that bound ("From 14
   March to 27 March 2019" -> "March 30" is 2019-03-30, "March 23" 2019-03-23).
   ``meta.published`` becomes the year (all that is known), ``published_source`` is
   "inferred-from-text", the section ``published_inferred`` keeps the evidence and the lower
   bound (raised to the latest day the text then mentions), and a warning says so. Captions are not in the text, so a photo's date never
   dates the article.
3. With no anchor at all, yearless and relative expressions keep ``value`` null with a
   ``note``; the clock of the machine running the analysis is never used.

Layer ``dates`` (labels date | date-range); view ``timeline``. Caption records get the ISO
dates found in them under ``attrs["dates"]``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any, TypedDict

from ..document import Document, Span
from ..models.spacy_model import CACHE_KEY as SPACY_CACHE_KEY
from ..pipeline import BaseStage, register
from ..sections import declare
from ..views import view


class PublishedInferred(TypedDict):
    """The publication year inferred from the text, its lower bound and the date it rests on."""

    year: int
    not_before: str
    evidence: str
    evidence_start: int
    evidence_end: int


PUBLISHED_INFERRED = declare("published_inferred", PublishedInferred, provider="dates", description=(
    "With no publication date given: the year inferred from the latest explicit date in the text, "
    "the day it cannot precede (not_before) and that date's text and offsets")).name

DATEPARSER_ID = "dateparser-1.5.0"
INFERRED = "inferred-from-text"
NEUTRAL_BASE = dt.datetime(2000, 6, 15)  # a leap year: "February 29" parses before its year is chosen
MAX_EXPRESSION_GAP = r"[^\S\n]{1,3}"  # whitespace inside one expression: bounded, never a newline
YEAR_RANGE = range(1000, 2200)

# ------------------------------------------------------------------------------------------
# Lexicon and patterns, compiled once per language


@dataclass(frozen=True, slots=True)
class Lexicon:
    """One language's compiled patterns and the tables to read their matches."""

    language: str
    date_order: str
    month_of: dict[str, int]  # lower-cased name -> 1..12
    canonical_months: tuple[str, ...]
    weekday_of: dict[str, int]  # lower-cased name -> 0..6
    canonical_weekdays: tuple[str, ...]
    absolute: re.Pattern[str]
    relative: re.Pattern[str]
    range_open_before: re.Pattern[str]  # opener right before a position
    range_gap: re.Pattern[str]  # what may stand between the two ends
    range_and_gap: re.Pattern[str]  # the conjunction, valid after an opener only
    day_before: re.Pattern[str]  # "14 to " before "27 March 2019"
    day_after: re.Pattern[str]  # "-27, 2019" after "March 14"
    year_after: re.Pattern[str]  # "-2019" after "in 2014"
    future: re.Pattern[str] | None
    number_words: re.Pattern[str] | None  # "two" in "two weeks ago" -> "2"
    number_values: dict[str, int]
    rewrites: tuple[tuple[re.Pattern[str], str], ...]
    qualifier: re.Pattern[str] | None
    cue: re.Pattern[str] | None
    reject: re.Pattern[str] | None


@lru_cache(maxsize=1)
def _lexicon_data() -> dict[str, dict[str, Any]]:
    text = resources.files(__package__).joinpath("data/dates.toml").read_text("utf-8")
    return tomllib.loads(text)


def supported_languages() -> tuple[str, ...]:
    return tuple(_lexicon_data())


def _alternation(names: list[str], case_sensitive: bool) -> str:
    forms = set(names)
    if case_sensitive:
        forms |= {n.upper() for n in names}
    # Longest first, so that "Sept" wins over "Sep" and "марта" over "мар".
    return "|".join(re.escape(n) for n in sorted(forms, key=lambda n: (-len(n), n)))


def _optional(pattern: str) -> str:
    return f"(?:{pattern})?" if pattern else ""


def _names(table: list[list[str]]) -> dict[str, int]:
    return {name.lower(): i for i, names in enumerate(table) for name in names}


@cache
def lexicon(language: str) -> Lexicon | None:
    """The compiled lexicon of a language, or None when the data has none for it."""
    data = _lexicon_data().get(language)
    if data is None:
        return None
    cs = data["case_sensitive"]
    full = _alternation([n for names in data["months"] for n in names], cs)
    abbrev = [n for names in data["month_abbreviations"] for n in names]
    # An abbreviation may carry its dot ("Mar. 30"); a full name never takes a sentence's.
    any_month = rf"(?:{full})(?!\w)" + (rf"|(?:{_alternation(abbrev, cs)})(?!\w)\.?" if abbrev else "")
    weekday = _alternation([n for names in data["weekdays"] for n in names], cs)
    ws, ows = MAX_EXPRESSION_GAP, f"(?:{MAX_EXPRESSION_GAP})?"
    day = rf"(?<![\d.,/-])\d{{1,2}}(?!\d){_optional(data['day_suffix'])}"
    year = rf"\d{{4}}(?!\d){_optional(data['year_suffix'])}"
    weekday_lead = rf"(?:(?:{weekday}),?{ws})?"
    joiner = data["day_month_joiner"]
    # A month named twice, in two calendars' names ("29 آذار/مارس 2019", "29 mars (March)").
    month_pair = rf"(?P<d_alt>{ows}[/(]{ows}(?:{any_month})(?:{ows}\))?)?"
    absolute = "|".join([
        r"(?P<iso>(?<![\d-])(?P<iso_y>\d{4})-(?P<iso_m>\d{2})-(?P<iso_d>\d{2})(?![\d-]))",
        r"(?P<num>(?<![\d./-])(?P<n1>\d{1,2})(?P<sep>[./-])(?P<n2>\d{1,2})(?P=sep)(?P<n3>\d{4})(?![\d./-]\d))",
        (rf"(?P<dmy>{weekday_lead}(?P<d_day>{day}){ws}{joiner}(?P<d_month>{any_month}){month_pair}"
        rf"(?:,?{ws}(?:de{ws})?(?P<d_year>{year}))?)"),
        (rf"(?P<mdy>{weekday_lead}(?<!\w)(?P<m_month>{any_month}){ws}(?P<m_day>{day})"
        rf"(?:,?{ws}(?P<m_year>{year}))?)"),
        rf"(?P<my>(?<!\w)(?P<y_month>{any_month}),?{ws}(?:de{ws})?(?P<y_year>{year}))",
        # "in March"; "last September" / "next March" point one way (weekday_before's words)
        (rf"(?:(?<!\w)(?:{data['date_prefix']}|(?P<pm_dir>{data['weekday_before']})){ws}"
         rf"(?P<pm>(?P<pm_month>{full}))(?!\w)(?!\.?,?{ws}\d))"),
        (rf"(?:(?<!\w){data['date_prefix']}{ws}(?P<py>(?P<py_year>(?:1[89]|20|21)\d\d)(?![\d%])"
        rf"{_optional(data['year_suffix'])}))"),
        (rf"(?P<wd>(?:(?<!\w){data['weekday_before']}{ws})?(?<!\w)(?P<wd_name>{weekday})(?!\w)"
        rf"(?:{ws}{data['weekday_after'] or '(?!)'}(?!\w))?)"),
    ])
    flags = 0 if cs else re.IGNORECASE
    words = sorted(data["numbers"], key=len, reverse=True)
    numbers = "|".join([r"\d{1,3}", *map(re.escape, words)])
    relative_patterns = [p.replace("{number}", f"(?:{numbers})") for p in data["relative_patterns"]]
    relative_words = [re.escape(w) for w in sorted(data["relative"], key=len, reverse=True)]
    relative = rf"(?<!\w)(?:{'|'.join(relative_patterns + relative_words)})(?!\w)"
    join, conj, opener = data["range_join"], data["range_and"], data["range_open"]
    return Lexicon(
        language=language,
        date_order=data["date_order"],
        month_of=_names([m + a for m, a in zip(data["months"], data["month_abbreviations"])]),
        canonical_months=tuple(names[0] for names in data["months"]),
        weekday_of=_names(data["weekdays"]),
        canonical_weekdays=tuple(names[0] for names in data["weekdays"]),
        absolute=re.compile(absolute, flags),
        relative=re.compile(relative, re.IGNORECASE),
        range_open_before=re.compile(rf"(?<!\w){opener}{ws}$", flags),
        range_gap=re.compile(rf"{ows}{join}{ows}", flags),
        range_and_gap=re.compile(rf"{ws}{conj}{ows}", flags),
        day_before=re.compile(
            rf"(?:(?<!\w)(?P<open>{opener}){ws})?(?P<day>{day}){ows}(?:(?P<and>{conj})|{join}){ows}$",
            flags,
        ),
        day_after=re.compile(rf"{ows}(?:-|–|—){ows}(?P<day>\d{{1,2}})(?!\d)(?:,?{ws}(?P<year>{year}))?", flags),
        year_after=re.compile(rf"{ows}(?:-|–|—|{join}){ows}(?P<year>(?:1[89]|20|21)\d\d)(?!\d)", flags),
        future=re.compile(data["future"]) if data.get("future") else None,
        number_words=re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, words))})(?!\w)", re.IGNORECASE)
        if words else None,
        number_values={w.lower(): n for w, n in data["numbers"].items()},
        rewrites=tuple((re.compile(p), r) for p, r in data.get("rewrites", [])),
        qualifier=re.compile(data["qualifier"]) if data.get("qualifier") else None,
        cue=re.compile(data["cue"]) if data.get("cue") else None,
        reject=re.compile(data["reject"]) if data.get("reject") else None,
    )


# ------------------------------------------------------------------------------------------
# dateparser, cached


# Arabic-Indic and Eastern Arabic-Indic digits (٢٩ آذار ٢٠١٩): the patterns' \d matches them,
# dateparser reads ASCII digits only.
_ASCII_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


@lru_cache(maxsize=8192)
def _dateparse(
    text: str,
    language: str,
    parts: tuple[str, ...],
    base: dt.datetime,
    prefer: str = "current_period",
    order: str | None = None,
) -> tuple[dt.date, str] | None:
    """dateparser's reading of one expression: the date and its period, or None."""
    from dateparser.date import DateDataParser

    settings: dict[str, Any] = {
        "REQUIRE_PARTS": list(parts),
        "RELATIVE_BASE": base,
        "PREFER_DATES_FROM": prefer,
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_TIME_AS_PERIOD": False,
    }
    if order:
        settings["DATE_ORDER"] = order
    try:
        data = DateDataParser(languages=[language], settings=settings).get_date_data(
            text.translate(_ASCII_DIGITS))
    except (ValueError, OverflowError):  # dateparser raises on impossible dates in some locales
        return None
    if data.date_obj is None:
        return None
    return data.date_obj.date(), data.period or "day"


# ------------------------------------------------------------------------------------------
# Candidates: what the patterns found, before anchoring


@dataclass(slots=True)
class Found:
    """A date expression, parsed as far as it can be without an anchor."""

    start: int
    end: int
    kind: str  # "day" | "month" | "year" | "relative"
    day: dt.date | None = None  # explicit or month/day only (year to be chosen)
    has_year: bool = True
    end_day: dt.date | None = None  # ranges
    end_has_year: bool = True
    expression: str = ""  # relative: what dateparser resolves against the anchor
    prefer: str = "past"
    source: str = "pattern"  # "pattern" | "spacy"
    month_first: bool = False  # "March 14": a following "-27" is the range's end
    direction: str | None = None  # "past" | "future": "last September", "next March"
    bare_weekday: bool = False  # "on Friday" (no "last"/"next"): may be the publication day

    @property
    def is_range(self) -> bool:
        return self.end_day is not None


def _canonical_month(lex: Lexicon, token: str) -> str:
    return lex.canonical_months[lex.month_of[token.lower().rstrip(".")]]


def _parse_day(lex: Lexicon, text: str, month: str, has_year: bool) -> dt.date | None:
    """A day date through dateparser; yearless ones parse in a neutral leap year."""
    expression = text.replace(month, _canonical_month(lex, month), 1)
    parts = ("day", "month", "year") if has_year else ("day", "month")
    parsed = _dateparse(expression, lex.language, parts, NEUTRAL_BASE)
    return parsed[0] if parsed else None


def _parse_month(lex: Lexicon, month: str, year: str | None) -> dt.date | None:
    """The first day of a named month (of ``year``, else of the neutral base's year).

    Computed, not parsed: dateparser reads "<canonical month> <year>" as exactly this, for every
    month of every language and every four-digit year (tests/test_dates.py compares the two),
    and a text whose only dates are months then never pays dateparser's import and first call
    (~0.35 s of a cold start)."""
    try:
        return dt.date(int(year[:4]) if year else NEUTRAL_BASE.year,
                       lex.month_of[month.lower().rstrip(".")] + 1, 1)
    except ValueError:  # year 0000
        return None


def _numeric(lex: Lexicon, m: re.Match[str]) -> dt.date | None:
    first, second = int(m["n1"]), int(m["n2"])
    order = "DMY" if first > 12 else "MDY" if second > 12 else lex.date_order
    parsed = _dateparse(m["num"].replace(m["sep"], "/"), lex.language, ("day", "month", "year"),
                        NEUTRAL_BASE, order=order)
    return parsed[0] if parsed else None


def _from_match(lex: Lexicon, m: re.Match[str]) -> Found | None:
    """Read one match of the absolute pattern (which alternative matched decides the kind)."""
    group = m.lastgroup
    if m["iso"]:
        parsed = _dateparse(m["iso"], lex.language, ("day", "month", "year"), NEUTRAL_BASE)
        return Found(*m.span("iso"), "day", parsed[0]) if parsed else None
    if m["num"]:
        day = _numeric(lex, m)
        return Found(*m.span("num"), "day", day) if day else None
    for name, month, year in (("dmy", "d_month", "d_year"), ("mdy", "m_month", "m_year")):
        if m[name]:
            expression = m[name]
            if name == "dmy" and m["d_alt"]:  # the second name of a paired month is left out
                cut = m.start("d_alt") - m.start(name)
                expression = expression[:cut] + expression[cut + len(m["d_alt"]):]
            day = _parse_day(lex, expression, m[month], bool(m[year]))
            if day is None:
                return None
            return Found(*m.span(name), "day", day, has_year=bool(m[year]), month_first=name == "mdy")
    if m["my"]:
        if int(m["y_year"][:4]) not in YEAR_RANGE:
            return None
        first = _parse_month(lex, m["y_month"], m["y_year"])
        return Found(*m.span("my"), "month", first) if first else None
    if m["pm"]:
        first = _parse_month(lex, m["pm_month"], None)
        if first is None:
            return None
        direction = None
        if m["pm_dir"]:
            direction = "future" if lex.future is not None and lex.future.search(m["pm_dir"]) else "past"
            return Found(m.start("pm_dir"), m.end("pm"), "month", first, has_year=False, direction=direction)
        return Found(*m.span("pm"), "month", first, has_year=False)
    if m["py"]:
        return Found(*m.span("py"), "year", dt.date(int(m["py_year"]), 1, 1))
    if m["wd"]:
        weekday = lex.canonical_weekdays[lex.weekday_of[m["wd_name"].lower()]]
        forward = lex.future is not None and lex.future.search(m["wd"]) is not None
        return Found(*m.span("wd"), "relative", expression=weekday,
                     prefer="future" if forward else "past", bare_weekday=m["wd"] == m["wd_name"])
    raise AssertionError(f"unhandled date pattern {group}")  # pragma: no cover


def _relative(lex: Lexicon, start: int, end: int, text: str, source: str = "pattern") -> Found:
    if lex.number_words is not None:
        text = lex.number_words.sub(lambda m: str(lex.number_values[m.group().lower()]), text)
    for pattern, replacement in lex.rewrites:
        text = pattern.sub(replacement, text)
    prefer = "future" if lex.future is not None and lex.future.search(text) else "past"
    return Found(start, end, "relative", expression=text.strip(), prefer=prefer, source=source)


def _overlaps_any(found: list[Found], start: int, end: int) -> bool:
    i = bisect.bisect_left([f.end for f in found], start + 1)
    return i < len(found) and found[i].start < end


def _join_ranges(lex: Lexicon, text: str, found: list[Found]) -> list[Found]:
    """Merge "A to B" pairs, then extend single dates into "14 to 27 March", "March 14-27",
    "from 2014 to 2019" where the extension does not run into a neighbouring expression."""
    merged: list[Found] = []
    for item in found:
        prev = merged[-1] if merged else None
        if prev and not prev.is_range and prev.kind == item.kind != "relative" and prev.day:
            gap = text[prev.end:item.start]
            opener = lex.range_open_before.search(text, max(0, prev.start - 20), prev.start)
            if lex.range_gap.fullmatch(gap) or (opener and lex.range_and_gap.fullmatch(gap)):
                start = opener.start() if opener else prev.start
                merged[-1] = Found(start, item.end, item.kind, prev.day, prev.has_year, item.day,
                                   item.has_year)
                continue
        merged.append(item)
    out: list[Found] = []
    for i, item in enumerate(merged):
        extended = _extend(lex, text, item)
        floor = out[-1].end if out else 0
        ceiling = merged[i + 1].start if i + 1 < len(merged) else len(text)
        out.append(extended if floor <= extended.start and extended.end <= ceiling else item)
    return out


def _extend(lex: Lexicon, text: str, item: Found) -> Found:
    """A single date that is one end of a range whose other end is a bare number."""
    if item.day is None or item.is_range:
        return item
    if item.kind == "day":
        before = lex.day_before.search(text, max(0, item.start - 40), item.start)
        if before and (before["open"] or not before["and"]):
            first = _with_day(item.day, before["day"])
            if first and first < item.day:
                return Found(before.start(), item.end, "day", first, item.has_year, item.day,
                             item.has_year)
        after = lex.day_after.match(text, item.end) if item.month_first and not item.has_year else None
        if after:
            last = _with_day(item.day, after["day"])
            if last and last > item.day:
                has_year = after["year"] is not None
                if has_year:
                    year = int(after["year"][:4])
                    first, last = _with_year(item.day, year), _with_year(last, year)
                else:
                    first = item.day
                if first and last:
                    return Found(item.start, after.end(), "day", first, has_year, last, has_year)
    if item.kind == "year":
        after = lex.year_after.match(text, item.end)
        if after and int(after["year"]) > item.day.year:
            return Found(item.start, after.end(), "year", item.day, True,
                         dt.date(int(after["year"]), 1, 1), True)
    return item


def _with_day(day: dt.date, digits: str) -> dt.date | None:
    try:
        return day.replace(day=int(digits.strip(".")[:2]))
    except ValueError:
        return None


def _with_year(day: dt.date, year: int) -> dt.date | None:
    try:
        return day.replace(year=year)
    except ValueError:  # February 29 in a common year
        return None


def find_dates(text: str, language: str, spacy_dates: list[tuple[int, int]] = ()) -> list[Found]:
    """Every date expression in ``text`` (ranges merged), parsed as far as no anchor is needed."""
    lex = lexicon(language)
    if lex is None:
        return []
    found = [f for m in lex.absolute.finditer(text) if (f := _from_match(lex, m))]
    relative = [_relative(lex, *m.span(), m.group()) for m in lex.relative.finditer(text)]
    found = _merge_sorted(found, relative)
    spacy_found = [
        f for start, end in spacy_dates
        if not _overlaps_any(found, start, end) and (f := _from_spacy(lex, text, start, end))
    ]
    found = _merge_sorted(found, spacy_found)
    return _join_ranges(lex, text, found)


def _merge_sorted(first: list[Found], second: list[Found]) -> list[Found]:
    """Both lists, in text order; on an overlap the longer span (then the first list) wins."""
    ranked = [(f.start, -(f.end - f.start), rank, f) for rank, items in enumerate((first, second))
              for f in items]
    out: list[Found] = []
    for *_, item in sorted(ranked, key=lambda r: r[:3]):
        if out and item.start < out[-1].end:
            continue
        out.append(item)
    return out


def _from_spacy(lex: Lexicon, text: str, start: int, end: int) -> Found | None:
    """A spaCy DATE entity the patterns missed ("the end of March", "mid-2019")."""
    expression = text[start:end]
    if lex.cue is None or not lex.cue.search(expression) and not _names_in(lex, expression):
        return None
    if lex.reject is not None and lex.reject.search(expression):
        return None
    if lex.qualifier is not None:
        expression = lex.qualifier.sub("", expression)
    year = re.search(r"\b(\d{4})\b", expression)
    has_day = re.search(r"\b\d{1,2}\b", expression) is not None
    month = next((w for w in re.findall(r"\w+", expression) if w.lower() in lex.month_of), None)
    if month and not has_day:  # "the end of March", "early May 2019"
        first = _parse_month(lex, month, year.group(1) if year else None)
        return Found(start, end, "month", first, has_year=bool(year), source="spacy") if first else None
    if year and not has_day:  # "mid-2019", "fiscal year 2016"
        return Found(start, end, "year", dt.date(int(year.group(1)), 1, 1), source="spacy")
    found = _relative(lex, start, end, expression, source="spacy")
    readable = _dateparse(found.expression, lex.language, (), NEUTRAL_BASE, found.prefer)
    return found if readable else None  # an entity dateparser cannot read is not shown


def _names_in(lex: Lexicon, expression: str) -> bool:
    return any(w.lower() in lex.month_of or w.lower() in lex.weekday_of
               for w in re.findall(r"\w+", expression))


# ------------------------------------------------------------------------------------------
# Anchoring: the publication date, given or inferred


@dataclass(frozen=True, slots=True)
class Anchor:
    day: dt.date
    granularity: str  # "day" | "month" | "year"
    inferred: bool


def published_anchor(published: str | None) -> Anchor | None:
    """The publication date of the metadata as an anchor ("2019-03-30", "2019-03", "2019")."""
    if not published:
        return None
    m = re.match(r"^\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", published)
    if not m:
        return None
    try:
        day = dt.date(int(m[1]), int(m[2] or 1), int(m[3] or 1))
    except ValueError:
        return None
    return Anchor(day, "day" if m[3] else "month" if m[2] else "year", inferred=False)


def _nearest_year(month_day: dt.date, anchor: Anchor) -> dt.date | None:
    """The month/day placed in the year nearest the anchor (ties go to the past)."""
    if anchor.granularity == "year":
        return _with_year(month_day, anchor.day.year)
    options = [d for y in (anchor.day.year - 1, anchor.day.year, anchor.day.year + 1)
               if (d := _with_year(month_day, y))]
    return min(options, key=lambda d: (abs((d - anchor.day).days), d > anchor.day), default=None)


def _directed_year(month_day: dt.date, anchor: Anchor, direction: str | None) -> dt.date | None:
    """"last September" is the latest September before the anchor's month, "next March" the
    first after it; without a direction, the nearest year."""
    if direction is None or anchor.granularity == "year":
        return _nearest_year(month_day, anchor)
    month = anchor.day.replace(day=1)
    options = [d for y in (anchor.day.year - 1, anchor.day.year, anchor.day.year + 1)
               if (d := _with_year(month_day, y))]
    if direction == "past":
        return max((d for d in options if d.replace(day=1) < month), default=None)
    return min((d for d in options if d.replace(day=1) > month), default=None)


@dataclass(slots=True)
class Resolved:
    value: str | None
    end_value: str | None
    granularity: str | None
    relative: bool
    anchor: str | None
    note: str | None = None


GRANULARITY_FORMAT = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}


def _iso(day: dt.date, granularity: str) -> str:
    return day.strftime(GRANULARITY_FORMAT[granularity])


def resolve(found: Found, language: str, anchor: Anchor | None) -> Resolved:
    """The ISO value of a found expression against an anchor (or null, with a note)."""
    if found.kind == "relative":
        return _resolve_relative(found, language, anchor)
    assert found.day is not None
    granularity = found.kind
    first, last = found.day, found.end_day
    uses_anchor = not found.has_year or (last is not None and not found.end_has_year)
    if last is not None:  # one end's year completes the other; a range never runs backwards
        if found.end_has_year and not found.has_year:
            first = _with_year(first, last.year) or first
            if first > last:
                first = _with_year(first, last.year - 1) or first
        elif found.has_year and not found.end_has_year:
            last = _with_year(last, first.year) or last
            if last < first:
                last = _with_year(last, first.year + 1) or last
        uses_anchor = not (found.has_year or found.end_has_year)
    if uses_anchor:
        if anchor is None:
            return Resolved(None, None, granularity, False, None,
                            "year unknown: no publication date and no dated mention in the text")
        first = _directed_year(first, anchor, found.direction) if first else None
        if last is not None and first is not None:
            last = _with_year(last, first.year + (last.replace(year=2000) < first.replace(year=2000)))
        if first is None:
            return Resolved(None, None, granularity, False, None, "no such day in the anchor's year")
    return Resolved(
        _iso(first, granularity),
        _iso(last, granularity) if last else None,
        granularity, False, "published" if uses_anchor else "explicit",
    )


def _resolve_relative(found: Found, language: str, anchor: Anchor | None) -> Resolved:
    if anchor is None or anchor.inferred or anchor.granularity != "day":
        return Resolved(None, None, None, True, None,
                        "relative date: no publication date (to the day) to resolve it against")
    lex = lexicon(language)
    if found.bare_weekday and lex is not None and lex.weekday_of.get(found.expression.lower()) == anchor.day.weekday():
        # News style: "said on Friday" in an item of Friday is that Friday, not a week before.
        return Resolved(_iso(anchor.day, "day"), None, "day", True, "published")
    base = dt.datetime.combine(anchor.day, dt.time(12))
    parsed = _dateparse(found.expression, language, (), base, found.prefer)
    if parsed is None:
        return Resolved(None, None, None, True, None, "relative date dateparser could not resolve")
    day, period = parsed
    if period == "week":  # "last week": the calendar week, Monday to Sunday
        monday = day - dt.timedelta(days=day.weekday())
        return Resolved(_iso(monday, "day"), _iso(monday + dt.timedelta(days=6), "day"), "day",
                        True, "published")
    granularity = period if period in GRANULARITY_FORMAT else "day"
    return Resolved(_iso(day, granularity), None, granularity, True, "published")


def _latest_explicit(found: list[Found]) -> Found | None:
    """The latest explicit date of the most precise kind present: a day date reports an
    event, while a bare year is as often a plan ("by 2030") as a past."""
    explicit = [f for f in found if f.kind != "relative" and f.day and f.day.year in YEAR_RANGE
                and (f.has_year or (f.end_day is not None and f.end_has_year))]
    for kind in ("day", "month", "year"):
        of_kind = [f for f in explicit if f.kind == kind]
        if of_kind:
            return max(of_kind, key=_last_day)
    return None


def _last_day(found: Found) -> dt.date:
    """The last day an explicit expression covers (the end of a month, a year, a range)."""
    day = found.end_day or found.day
    assert day is not None
    if found.kind == "year":
        return dt.date(day.year, 12, 31)
    if found.kind == "month":
        following = day.replace(day=28) + dt.timedelta(days=4)
        return following - dt.timedelta(days=following.day)
    return day


# ------------------------------------------------------------------------------------------
# The stage


@register("dates")
class DatesStage(BaseStage):
    """Adds the ``dates`` layer; may set ``meta.published`` from the text (with a warning)."""

    version = "1"
    requires = ("sentences",)
    provides = ("dates",)
    sections = (PUBLISHED_INFERRED,)

    @property
    def model(self) -> str | None:
        return DATEPARSER_ID

    def __call__(self, doc: Document) -> None:
        language = doc.meta.language or "en"
        if lexicon(language) is None:
            doc.warn("dates-language", f"no date lexicon for language {language!r}; dates are missing",
                     self.name)
            return
        found = find_dates(doc.text, language, _spacy_dates(doc, language))
        anchor = self._anchor(doc, found)
        sentences = doc.get("sentences")
        starts = [s.start for s in sentences]
        spans: list[Span] = []
        for item in found:
            resolved = resolve(item, language, anchor)
            attrs: dict[str, Any] = {
                "value": resolved.value, "granularity": resolved.granularity,
                "relative": resolved.relative, "anchor": resolved.anchor,
                "sentence": _sentence_id(sentences, starts, item.start),
                "source": item.source,
            }
            if resolved.end_value is not None:
                attrs["end_value"] = resolved.end_value
            if resolved.note:
                attrs["note"] = resolved.note
            label = "date-range" if resolved.end_value is not None else "date"
            spans.append(doc.span(item.start, item.end, label, stage=self.name, model=self.model,
                                  **attrs))
        doc.add("dates", spans)
        if anchor is not None and anchor.inferred:
            _raise_lower_bound(doc, spans)
        self._date_captions(doc, language, anchor)

    def _anchor(self, doc: Document, found: list[Found]) -> Anchor | None:
        meta = doc.meta
        if meta.published and meta.published_source != INFERRED:
            anchor = published_anchor(meta.published)
            if anchor is not None:
                return anchor
            doc.warn("published-unreadable",
                     f"the publication date {meta.published!r} is not an ISO date; "
                     "it was ignored for resolving dates", self.name)
        latest = _latest_explicit(found)
        if latest is None:
            return None
        bound = _last_day(latest)
        anchor = Anchor(bound, "day", inferred=True)
        evidence = doc.text[latest.start:latest.end]
        meta.published = str(bound.year)
        meta.published_source = INFERRED
        doc.sections[PUBLISHED_INFERRED] = {
            "year": bound.year, "not_before": bound.isoformat(), "evidence": evidence,
            "evidence_start": latest.start, "evidence_end": latest.end,
        }
        doc.warn(
            "published-inferred",
            f"no publication date was given; it was inferred as {bound.year} from the latest "
            f"explicit date in the text (\u201c{evidence}\u201d, {bound.isoformat()}), which it "
            "cannot precede; dates without a year were placed nearest to it",
            self.name,
        )
        return anchor

    def _date_captions(self, doc: Document, language: str, anchor: Anchor | None) -> None:
        """The photo's own dates on each caption record, never the article's; a caption dated
        well before the article is flagged as possibly recycled imagery, with both dates."""
        min_days = _caption_rules()["recycled"]["min_days"]
        for record in doc.removed:
            if record.kind != "caption":
                continue
            values = [r.value for f in find_dates(record.text, language)
                      if (r := resolve(f, language, anchor)).value and not r.relative]
            record.attrs["dates"] = values
            latest = max((_first_day(v) for v in values), default=None)
            if anchor is None or latest is None or (anchor.day - latest).days < min_days:
                continue
            article = _iso(anchor.day, anchor.granularity)
            record.attrs["recycled"] = {
                "caption_date": max(values, key=_first_day), "article_date": article,
                "article_date_inferred": anchor.inferred, "days_before": (anchor.day - latest).days,
            }
            doc.warn("recycled-imagery",
                     f"a caption is dated {record.attrs['recycled']['caption_date']}, "
                     f"{(anchor.day - latest).days} days before the article ({article}"
                     f"{', inferred' if anchor.inferred else ''}): the image may be recycled "
                     f"(\u201c{record.text[:80]}\u201d)", self.name)


@lru_cache(maxsize=1)
def _caption_rules() -> dict[str, Any]:
    return tomllib.loads(resources.files(__package__).joinpath("data/captions.toml").read_text("utf-8"))


def _first_day(value: str) -> dt.date:
    """The first day an ISO date, month or year value covers."""
    parts = [int(p) for p in value.split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def _raise_lower_bound(doc: Document, spans: list[Span]) -> None:
    """An inferred publication date cannot precede any day the text mentions ("March 30")."""
    inferred = doc.sections[PUBLISHED_INFERRED]
    days = [s.attrs.get("end_value") or s.attrs["value"] for s in spans
            if s.attrs["granularity"] == "day" and s.attrs["value"] and not s.attrs["relative"]]
    inferred["not_before"] = max([inferred["not_before"], *days])


def _spacy_dates(doc: Document, language: str) -> list[tuple[int, int]]:
    """DATE entities of the shared parse, when an earlier stage made one (English only)."""
    parsed = doc.cache.get(SPACY_CACHE_KEY)
    if language != "en" or parsed is None:
        return []
    return [(e.start_char, e.end_char) for e in parsed.ents if e.label_ == "DATE"]


def _sentence_id(sentences: list[Span], starts: list[int], offset: int) -> str | None:
    i = bisect.bisect_right(starts, offset) - 1
    if i >= 0 and sentences[i].start <= offset < sentences[i].end:
        return sentences[i].id
    return None


# ------------------------------------------------------------------------------------------
# The timeline view


@view("timeline")
def timeline(doc: Document) -> list[dict[str, Any]]:
    """Dated statements in date order: each resolved date with its sentence and who speaks.

    ``start``/``end`` are the sentence's offsets (the date's own are in the ``dates`` layer,
    under ``date_id``); ``end_date`` is a range's last day. The publication date, when known,
    is an event of its own (``event`` "published").
    """
    sentences = {s.id: s for s in doc.get("sentences")}
    voices = {v.start: v for v in doc.get("voice")}
    rows: list[dict[str, Any]] = []
    if doc.meta.published:
        inferred = doc.sections.get(PUBLISHED_INFERRED) or {}
        rows.append({
            "event": "published", "date": doc.meta.published, "end_date": None,
            "not_before": inferred.get("not_before") if doc.meta.published_source == INFERRED else None,
            "granularity": _granularity_of(doc.meta.published), "relative": False,
            "source": doc.meta.published_source,
            "date_id": None, "text": None, "sentence_id": None, "sentence": None, "start": None,
            "end": None, "voice": None, "speaker": None, "quote": None,
        })
    for date in doc.get("dates"):
        if not date.attrs.get("value"):
            continue
        sentence = sentences.get(date.attrs.get("sentence") or "")
        voice = voices.get(sentence.start) if sentence else None
        voice_attrs = voice.attrs if voice else {}
        rows.append({
            "event": "mention", "date": date.attrs["value"], "end_date": date.attrs.get("end_value"),
            "not_before": None, "source": None,
            "granularity": date.attrs.get("granularity"), "relative": date.attrs.get("relative", False),
            "date_id": date.id, "text": date.text,
            "sentence_id": sentence.id if sentence else None,
            "sentence": sentence.text if sentence else None,
            "start": sentence.start if sentence else None, "end": sentence.end if sentence else None,
            "voice": voice.label if voice else None, "speaker": voice_attrs.get("speaker"),
            "quote": voice_attrs.get("quote"),
        })
    # An inferred publication (a year) sorts at the latest day the text shows it cannot precede.
    return sorted(rows, key=lambda r: (r.get("not_before") or r["date"], r["end_date"] or "",
                                       r["event"] == "published",
                                       r["start"] if r["start"] is not None else -1))


def _granularity_of(value: str) -> str | None:
    anchor = published_anchor(value)
    return anchor.granularity if anchor else None
