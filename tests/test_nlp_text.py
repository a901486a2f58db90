"""Normaliser, redactor, taxonomy and alert lexicon (no models, no app)."""

import json
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

import nlp
from nlp.taxonomy import DEFAULT_PATH

WORDS = [
    "cán bộ",
    "lương",
    "thấp",
    "người dân",
    "hồ sơ",
    "thủ tục",
    "rất",
    "tốt",
    "không",
    "hài lòng",
    "đường",
    "xã",
    "phường",
    "hòa",
    "khỏe",
    "thúy",
    "được",
    "trạm y tế",
    "môi trường",
    "chậm",
    "nhiệt tình",
    "Hà Nội",
    "năm",
    "mới",
    "ý kiến",
]
vietnamese_text = st.lists(st.sampled_from(WORDS), min_size=1, max_size=12).map(" ".join)
digits = st.text("0123456789", min_size=1, max_size=1)
separator = st.sampled_from(["", " ", ".", "-"])


@st.composite
def phones(draw):
    body = "".join(draw(digits) for _ in range(8))
    prefix = draw(st.sampled_from(["03", "05", "07", "08", "09", "+843", "+849", "849"]))
    sep = draw(separator)
    number = prefix + body
    head = 4 if number.startswith("0") else len(prefix) + 2
    return number[:head] + sep + number[head : head + 3] + sep + number[head + 3 :]


@st.composite
def id_numbers(draw):
    n = draw(st.sampled_from([9, 12]))
    return "".join(draw(digits) for _ in range(n))


emails = st.builds(
    lambda user, domain, tld: f"{user}@{domain}.{tld}",
    st.from_regex(r"[a-z][a-z0-9._]{0,12}[a-z0-9]", fullmatch=True),
    st.from_regex(r"[a-z][a-z0-9-]{0,10}[a-z]", fullmatch=True),
    st.sampled_from(["vn", "com", "gov.vn", "edu.vn"]),
)


@settings(max_examples=150, deadline=None)
@given(vietnamese_text, st.one_of(phones(), emails, id_numbers()), vietnamese_text)
def test_personal_data_never_survives(before, secret, after):
    redacted = nlp.redact(f"{before} {secret} {after}")
    assert secret not in redacted


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=80))
def test_redact_is_idempotent(text):
    once = nlp.redact(text)
    assert nlp.redact(once) == once


@given(vietnamese_text)
def test_text_without_personal_data_is_unchanged(text):
    assert nlp.redact(text) == text


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=80), vietnamese_text))
def test_normalize_is_idempotent_and_nfc(text):
    once = nlp.normalize(text).text
    assert unicodedata.is_normalized("NFC", once)
    assert nlp.normalize(once).text == once


def test_normalize_conventions():
    result = nlp.normalize("Hoà  bình ,thuý khoẻ, uỷ ban ko dc j cả , quý")
    assert result.text == "Hòa bình, thúy khỏe, ủy ban không được gì cả, quý"
    assert not result.no_diacritics
    assert nlp.normalize("luong thap qua khong du song").no_diacritics
    assert not nlp.normalize("Meeting room is too small").no_diacritics


def test_redact_examples():
    text = (
        "Gọi 0912.345.678 hoặc +84 912 345 678, mail a.b@gmail.com, CCCD 001089012345, "
        "nhà số 12 ngõ 34 phố Hàng Bạc; nợ 500.000.000 đồng"
    )
    assert nlp.redact(text) == (
        "Gọi [số điện thoại] hoặc [số điện thoại], mail [email], CCCD [số giấy tờ], nhà [địa chỉ]; nợ 500.000.000 đồng"
    )
    assert nlp.redact("ở số nhà 5, đường Lê Lợi và tổ 3 thôn Đông") == "ở [địa chỉ] và [địa chỉ]"


def test_taxonomy_file():
    expected = {
        "salary_benefits",
        "training_career",
        "working_conditions",
        "leadership_democracy",
        "workload_staffing",
        "admin_procedures",
        "digital_transformation",
        "official_conduct",
        "infrastructure_transport",
        "land_housing",
        "health",
        "education",
        "security_order",
        "environment",
        "social_welfare",
        "other",
    }
    raw = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    assert {t["key"] for t in raw["topics"]} == expected
    taxonomy = nlp.load_taxonomy()
    assert set(taxonomy.keys()) == expected
    for topic in taxonomy.topics:
        assert topic.label and topic.description
        assert 10 <= len(topic.seeds) <= 30
    assert taxonomy.label("health") == "Y tế"


def test_alerts_with_false_friends():
    assert nlp.detect_alerts("Lãnh đạo đánh giá cán bộ công bằng") == []
    assert nlp.detect_alerts("Bảo vệ đánh người dân") == ["violence"]
    assert nlp.detect_alerts("Cán bộ nhũng nhiễu, đòi phong bì") == ["corruption"]
    assert nlp.detect_alerts("can bo hanh hung nguoi dan") == ["violence"]
    assert nlp.detect_alerts("Trụ sở có nguy cơ sập, rất nguy hiểm") == ["safety"]
    assert nlp.detect_alerts("Cổng dịch vụ công sập mạng cả ngày") == []
    assert nlp.detect_alerts("Bị trưởng phòng trù dập vì góp ý") == ["harassment"]
