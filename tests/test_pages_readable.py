"""No page shows a question key, a raw JSON blob or an untranslated string (issue 15).

Every GET page of the access matrix is opened as every role (and signed out), with the
matrix's world plus the shipped staff aspirations survey answered and tagged, a weekly
summary and an audit log with entries. In every HTML page, in Vietnamese:
- no question key is a heading, a label or a table header, nor read out by a screen reader;
- no visible text holds a JSON blob (``{"``) or an escape (``\\u``);
- no visible text is an English translation from the catalogue (unless it is its own msgid)
  nor a dotted code such as ``recommendation.resolve``.
"""

import re
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from factories import make_aspirations_survey
from lxml import html
from sqlalchemy import select
from test_access_matrix import ANON, RULES, survey_world  # noqa: F401  (survey_world is a fixture)

from surveys import summaries
from surveys.models import Question, Role
from surveys.timeutil import iso_week_label, local_today

CATALOGUE = Path(__file__).resolve().parent.parent / "webapp/translations/en/LC_MESSAGES/messages.po"
NAMING = "//h1|//h2|//h3|//h4|//h5|//h6|//caption|//th|//legend|//label|//summary|//dt|//strong|//option"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%[sd]")
CODE = re.compile(r"^[a-z]+(?:_[a-z]+)*\.[a-z]+(?:_[a-z]+)*$")


@cache
def english() -> tuple[frozenset[str], tuple[re.Pattern, ...]]:
    """The catalogue's English texts that are not also Vietnamese msgids: whole texts, and
    patterns for those with parameters (each with enough words of its own to mean something)."""
    with CATALOGUE.open("rb") as file:
        catalogue = read_po(file)
    msgids = {" ".join(str(m.id).split()) for m in catalogue if m.id and isinstance(m.id, str)}
    plain, patterns = set(), []
    for message in catalogue:
        if not message.id or not message.string or isinstance(message.string, tuple):
            continue
        text = " ".join(message.string.split())
        if text in msgids:
            continue
        if PLACEHOLDER.search(text):
            if len(re.sub(r"\W", "", PLACEHOLDER.sub("", text))) >= 8:
                literal = [re.escape(part) for part in PLACEHOLDER.split(text)]
                patterns.append(re.compile("^" + ".+?".join(literal) + "$"))
        elif len(text) > 1:
            plain.add(text)
    return frozenset(plain), tuple(patterns)


def _visible_texts(page) -> list[str]:
    """Text nodes a reader sees or hears, whitespace collapsed; not scripts, styles or parts marked
    as in another language than Vietnamese (the switch to English)."""
    texts = page.xpath(
        "//body//text()[not(ancestor::script) and not(ancestor::style) and not(ancestor::textarea)"
        " and not(ancestor::*[@lang and not(self::html) and not(starts-with(@lang, 'vi'))])]"
    )
    attributes = page.xpath("//body//@aria-label|//body//@placeholder|//body//@title|//body//@alt")
    return [" ".join(str(t).split()) for t in [*texts, *attributes] if str(t).strip()]


def problems(body: str, keys: set[str]) -> list[str]:
    page = html.fromstring(body)
    found = []
    key_pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, sorted(keys))) + r")(?![\w-])")
    for element in page.xpath(NAMING) if keys else []:
        named = " ".join(element.text_content().split())
        if key_pattern.search(named):
            found.append(f"question key in <{element.tag}>: {named!r}")
    for label in page.xpath("//body//@aria-label") if keys else []:
        if key_pattern.search(label):
            found.append(f"question key in aria-label: {label!r}")
    if not page.get("lang", "").startswith("vi"):
        found.append(f"page not in Vietnamese: lang={page.get('lang')!r}")
    plain, patterns = english()
    for text in _visible_texts(page):
        if '{"' in text or "{'" in text or "\\u" in text:
            found.append(f"raw JSON or escape: {text[:120]!r}")
        if text in plain or any(p.match(text) for p in patterns):
            found.append(f"English text: {text!r}")
        if CODE.match(text):
            found.append(f"code instead of words: {text!r}")
    return found


@pytest.fixture
def readable_world(request, session):
    """The matrix's world, plus the shipped aspirations survey answered by 12 and tagged, and the
    week's summaries run again over it."""
    world = request.getfixturevalue("survey_world")
    world.aspirations = make_aspirations_survey(session, world, count=12)
    scopes = [summaries.Scope(f"unit:{u.id}", u.name, [u], unit=u) for u in (world.A, world.B)]
    summaries.run_week(session, iso_week_label(local_today()), k=5, topic_labels={}, scopes=scopes)
    session.commit()
    return world


def _urls(app, world) -> list[str]:
    """Every GET page of the matrix with its own and other ids, and the aspirations survey's pages."""
    from flask import url_for

    urls = []
    with app.test_request_context():
        for endpoint, (method, _own, _other, builders) in RULES.items():
            if method != "GET":
                continue
            for build in builders if isinstance(builders, tuple) else (builders,):
                args = build(world) if build else {}
                urls.append(url_for(endpoint, **args))
                if args.get("survey_id") == world.survey_own.id:
                    urls.append(url_for(endpoint, **(args | {"survey_id": world.aspirations.id})))
    return urls


@pytest.mark.parametrize("who", [ANON, *Role], ids=str)
def test_no_page_shows_a_key_a_json_blob_or_english(app, readable_world, session, who):
    world = readable_world
    keys = set(session.scalars(select(Question.key)))
    client = app.test_client()
    if who != ANON:
        world.login_as(client, who)
    found = {}
    for url in _urls(app, world):
        response = client.get(url)
        body = response.get_data(as_text=True) if response.content_type.startswith("text/html") else None
        response.close()  # a download is streamed: end it
        if body and response.status_code not in (301, 302) and (page_problems := problems(body, keys)):
            found[url] = page_problems
    assert not found, "\n".join(f"{url}: {problem}" for url, listed in found.items() for problem in listed)


def test_the_checks_catch_what_they_look_for():
    """The checks themselves fail on a key heading, a JSON blob, an English string and a code."""
    body = (
        '<html lang="vi"><body><h2>vi_tri. Anh/chị thuộc nhóm nào?</h2><p>{"a": "Thi\\u1ebft"}</p>'
        "<p>Remove all filters</p><p>Question 3.</p><table><tr><td>recommendation.resolve</td></tr></table>"
        "<button aria-label='Ý kiến khác cho câu vi_tri'>x</button><p lang='en'>English</p></body></html>"
    )
    found = problems(body, {"vi_tri"})
    assert len(found) == 6, found
    fine = "<html lang='vi'><body><h2>Câu 1. Anh/chị thuộc nhóm nào?</h2><p>Bỏ lọc</p></body></html>"
    assert problems(fine, {"vi_tri"}) == []


def test_an_english_page_is_caught(client, world, session):
    """The same check on the dashboard in English (the reader's choice) finds English in it."""
    world.login_as(client, Role.UNIT_HEAD)
    vietnamese = client.get("/dashboard").get_data(as_text=True)
    client.post("/language/en")
    found = problems(client.get("/dashboard").get_data(as_text=True), set())
    assert problems(vietnamese, set()) == [] and any(p.startswith("English text") for p in found), found
