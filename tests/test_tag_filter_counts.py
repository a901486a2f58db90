"""A topic, sentiment or kind filter narrows every figure of a (confidential or identified)
survey's results page only when no two views a reader can get from the same page (nothing, the
whole view, each narrowed one) differ by 1 … k-1 respondents; otherwise, and always for an
anonymous survey, it narrows the list of answers and the charts of their tags alone, and the page
says why."""

from collections import Counter
from itertools import combinations

from factories import ASPIRATIONS, make_aspirations_survey
from hypothesis import given, settings
from hypothesis import strategies as st

from surveys import kanon, results
from surveys.models import Role

KEYS = ["kind:praise", "kind:request", "sentiment:negative", "sentiment:positive", "topic:health", "topic:land"]


@settings(max_examples=400, deadline=None)
@given(
    k=st.integers(min_value=2, max_value=6),
    tagged=st.lists(st.frozensets(st.sampled_from(KEYS)), max_size=40),
    untagged=st.integers(min_value=0, max_value=10),
)
def test_no_two_views_differ_by_fewer_than_k(k, tagged, untagged):
    """Respondents as the set of filters each matches (plus some who wrote nothing tagged)."""
    everyone = frozenset(range(len(tagged) + untagged))
    allowed = kanon.counted_tag_filters(Counter(tagged), len(everyone), k)
    views = [frozenset(), everyone] + [frozenset(i for i, keys in enumerate(tagged) if key in keys) for key in allowed]
    views = [view if len(view) >= k else frozenset() for view in views]  # below k a page shows only that fact
    for one, other in combinations(views, 2):
        assert not 0 < len(one ^ other) < k, (sorted(one), sorted(other))


def test_a_filter_on_a_large_enough_group_narrows_every_figure(world, session):
    survey = make_aspirations_survey(session, world, count=12, anonymity="confidential")  # 6 negative, 3 + 3 others
    head = world.users[Role.UNIT_HEAD]
    whole = results.compute(session, head, survey, k=5)
    negative = results.compute(session, head, survey, results.Filters(sentiment="negative"), k=5)
    assert (whole.narrowing, negative.narrowing) == (None, results.Narrowing.COUNTED)
    assert (whole.total, negative.total) == (12, 6)
    assert [g.count for g in negative.groups] == [6]
    by_key = {q.question.key: q for q in negative.questions}
    assert sum(bar.count for bar in by_key["vi_tri"].bars) == 6 == by_key["vi_tri"].answered
    assert dict(negative.sentiment_counts) == {"negative": 6}
    assert len(by_key["tam_tu"].texts) == 6
    # The respondents are those the filter matches: the first two answers of every four.
    negatives = [i for i in range(12) if ASPIRATIONS[i % 4][1] == "negative"]
    expected = Counter(["cong_chuc", "vien_chuc", "nguoi_lao_dong"][i % 3] for i in negatives)
    assert {bar.value: bar.count for bar in by_key["vi_tri"].bars if bar.count} == dict(expected)


def test_a_small_group_or_a_keyword_narrows_the_answers_only(world, session):
    survey = make_aspirations_survey(session, world, count=12, anonymity="confidential")
    head = world.users[Role.UNIT_HEAD]
    cases = [
        (results.Filters(sentiment="positive"), results.Narrowing.TOO_SMALL),  # 3 of 12
        (results.Filters(keyword="lương"), results.Narrowing.TEXTS_ONLY),
        (results.Filters(sentiment="negative", kind="request"), results.Narrowing.TEXTS_ONLY),
    ]
    for filters, narrowing in cases:
        outcome = results.compute(session, head, survey, filters, k=5)
        assert outcome.narrowing == narrowing and outcome.total == 12
        tam_tu = next(q for q in outcome.questions if q.question.key == "tam_tu")
        assert 0 < len(tam_tu.texts) < 12 and tam_tu.answered == 12
    # 6 requests of 12: counted while k is 5, not once k is 7.
    assert results.compute(session, head, survey, results.Filters(kind="request"), k=5).narrowing == "counted"
    assert results.compute(session, head, survey, results.Filters(kind="request"), k=7).narrowing == "too_small"


def test_every_counted_filter_of_a_page_is_k_apart(world, session):
    """Through the database: each filter the page offers, as the reader would try them one by one."""
    survey = make_aspirations_survey(session, world, count=17, anonymity="identified")
    head = world.users[Role.UNIT_HEAD]
    keys = {f"sentiment:{s}" for _t, s, _k, _c in ASPIRATIONS} | {f"kind:{k}" for _t, _s, k, _c in ASPIRATIONS}
    keys |= {f"topic:{c}" for _t, _s, _k, c in ASPIRATIONS}
    members = {key: frozenset(i for i in range(17) if key in _keys_of(ASPIRATIONS[i % 4])) for key in keys}
    views = [frozenset(), frozenset(range(17))]
    for key in sorted(keys):
        name, value = key.split(":")
        outcome = results.compute(session, head, survey, results.Filters(**{name: value}), k=5)
        if outcome.narrowing == results.Narrowing.COUNTED:
            assert outcome.total == len(members[key])
            views.append(members[key])
        else:
            assert outcome.total == 17
    assert len(views) > 2
    for one, other in combinations(views, 2):
        assert not 0 < len(one ^ other) < 5


def _keys_of(aspiration) -> set[str]:
    _text, sentiment, kind, topic = aspiration
    return {f"sentiment:{sentiment}", f"kind:{kind}", f"topic:{topic}"}


def test_an_anonymous_survey_never_narrows_who_is_counted(world, session):
    """Its respondents are released in batches of k; a tag would cut across them (issue 13)."""
    survey = make_aspirations_survey(session, world, count=12)
    head = world.users[Role.UNIT_HEAD]
    negative = results.compute(session, head, survey, results.Filters(sentiment="negative"), k=5)
    assert negative.narrowing == results.Narrowing.ANONYMOUS and negative.total == 12
    vi_tri = next(q for q in negative.questions if q.question.key == "vi_tri")
    assert vi_tri.answered == 12
    # The list of answers and the charts of their tags (which count that list) follow the filter.
    assert dict(negative.sentiment_counts) == {"negative": 6}
    assert dict(negative.topic_counts) == {"salary_benefits": 3, "working_conditions": 3}


def test_the_page_says_what_the_filters_did(client, world, session):
    survey = make_aspirations_survey(session, world, count=12, anonymity="confidential")
    world.login_as(client, Role.UNIT_HEAD)
    counted = client.get(f"/surveys/{survey.id}/results?sentiment=negative").get_data(as_text=True)
    assert "Mọi số liệu trên trang chỉ tính những người có ít nhất một ý kiến khớp bộ lọc." in counted
    assert '<span id="total-responses">6</span>' in counted
    small = client.get(f"/surveys/{survey.id}/results?sentiment=positive").get_data(as_text=True)
    assert "Bộ lọc chỉ áp dụng cho danh sách ý kiến vì nhóm quá nhỏ để bảo đảm ẩn danh." in small
    assert '<span id="total-responses">12</span>' in small
    anonymous = make_aspirations_survey(session, world, count=12)
    page = client.get(f"/surveys/{anonymous.id}/results?sentiment=negative").get_data(as_text=True)
    assert "Khảo sát ẩn danh: bộ lọc chủ đề" in page


def test_the_api_says_what_the_filters_did(client, world, session):
    from test_api import bearer

    survey = make_aspirations_survey(session, world, count=12, anonymity="confidential")
    headers = bearer(session, world.users[Role.UNIT_HEAD])
    url = f"/api/v1/surveys/{survey.id}/results"
    assert client.get(url, headers=headers).json["narrowing"] is None
    negative = client.get(url + "?sentiment=negative", headers=headers).json
    assert (negative["narrowing"], negative["total"]) == ("counted", 6)
    positive = client.get(url + "?sentiment=positive", headers=headers).json
    assert (positive["narrowing"], positive["total"]) == ("too_small", 12)
