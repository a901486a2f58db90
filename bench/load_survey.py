"""What bench/load.py stores and bench/locustfile.py answers: the two surveys' questions, the
password of every account it makes, and answers as a browser would post them."""

import random

PASSWORD = "LangNghe@2026"
STAFF_EMAIL = "canbo{number}@tai.gov.vn"
READER_EMAIL = "head0@bench.gov.vn"  # the province head made by bench.summary.build_org

CITIZEN_QUESTIONS = [
    {"key": "hai_long", "kind": "rating", "text": "Mức độ hài lòng với dịch vụ", "required": True},
    {
        "key": "kenh",
        "kind": "single",
        "text": "Ông/bà đến bằng kênh nào?",
        "required": True,
        "choices": [{"value": "truc_tiep", "label": "Trực tiếp"}, {"value": "truc_tuyen", "label": "Trực tuyến"}],
    },
    {"key": "y_kien", "kind": "long_text", "text": "Ý kiến, kiến nghị"},
]
STAFF_QUESTIONS = [  # two pages: a draft is saved on the second
    {"key": "cong_viec", "kind": "rating", "text": "Mức hài lòng với công việc", "required": True},
    {"key": "moi_truong", "kind": "likert", "text": "Môi trường làm việc dân chủ, cởi mở", "required": True},
    {"key": "nguyen_vong", "kind": "long_text", "text": "Tâm tư, nguyện vọng", "page": 2},
]
OPINIONS = [
    "Thủ tục nhanh gọn, cán bộ nhiệt tình.",
    "Đề nghị rút ngắn thời gian chờ ở bộ phận một cửa.",
    "Mong phần mềm dịch vụ công ít lỗi hơn.",
    "Lương thấp, khối lượng công việc lớn.",
    "Đề xuất bố trí thêm chỗ để xe cho người dân.",
    "Mong lãnh đạo lắng nghe ý kiến cán bộ trẻ.",
]


def citizen_answers(rng: random.Random) -> dict[str, str]:
    return {
        "q_hai_long": str(rng.randint(1, 5)),
        "q_kenh": rng.choice(["truc_tiep", "truc_tuyen"]),
        "q_y_kien": rng.choice(OPINIONS),
    }


def staff_first_page(rng: random.Random) -> dict[str, str]:
    return {"q_cong_viec": str(rng.randint(1, 5)), "q_moi_truong": str(rng.randint(1, 5))}


def staff_second_page(rng: random.Random) -> dict[str, str]:
    return {"q_nguyen_vong": rng.choice(OPINIONS)}
