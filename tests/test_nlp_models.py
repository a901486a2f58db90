"""Shipped tagger (with hard cases from the labelling guide), the abstention rule, training
and evaluating single tasks (functions and CLI), the retraining gate, emerging themes."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import nlp
from nlp.corpus import holdout_mask, leaked, read_rows
from nlp.evaluation import (
    abstention_threshold,
    evaluate_model,
    figures,
    is_not_worse,
    regressions,
)
from nlp.training import train_single

ROOT = Path(__file__).resolve().parents[1]
TINY = [
    ("lương thấp quá, không đủ sống", "negative", "problem", "salary"),
    ("lương tốt, thu nhập ổn định", "positive", "praise", "salary"),
    ("tiền lương chậm trả mấy tháng", "negative", "problem", "salary"),
    ("đề nghị tăng phụ cấp cho cán bộ", "neutral", "request", "salary"),
    ("lương thưởng cuối năm cao", "positive", "praise", "salary"),
    ("đường nhiều ổ gà, rất xấu", "negative", "problem", "road"),
    ("đường mới làm đẹp, đi lại thuận tiện", "positive", "praise", "road"),
    ("đề nghị sửa cầu yếu", "neutral", "request", "road"),
    ("bao giờ làm đường mới?", "neutral", "question", "road"),
    ("đường ngập khi mưa to", "negative", "problem", "road"),
]


@pytest.fixture(scope="module")
def tagger():
    return nlp.load_tagger()


@pytest.fixture()
def tiny_tsv(tmp_path):
    path = tmp_path / "tiny.tsv"
    path.write_text(
        "text\tsentiment\tkind\ttopic\taudience\n" + "".join(f"{t}\t{s}\t{k}\t{c}\tstaff\n" for t, s, k, c in TINY),
        encoding="utf-8",
    )
    return path


def test_tag_output_shape(tagger):
    result = tagger.tag("Cán bộ xã nhiệt tình, gọi 0912 345 678 nếu cần")
    assert set(result) >= {
        "text",
        "redacted",
        "no_diacritics",
        "tokens",
        "sentiment",
        "sentiment_confidence",
        "sentiment_sure",
        "kind",
        "kind_confidence",
        "kind_sure",
        "topics",
        "topic_sure",
        "keyphrases",
        "alerts",
        "model_version",
    }
    assert "0912" not in result["redacted"] and "0912" not in " ".join(result["tokens"])
    assert result["sentiment"] in {"negative", "neutral", "positive"}
    assert result["kind"] in {"request", "problem", "praise", "question", "other"}
    assert 0 <= result["sentiment_confidence"] <= 1 and 0 <= result["kind_confidence"] <= 1
    assert 1 <= len(result["topics"]) <= 3
    assert result["model_version"] == tagger.version and tagger.version.startswith("2026.11-2+")
    batch = tagger.tag_many(["lương thấp", "", "duong xau qua, nhieu o ga nguy hiem"])
    assert len(batch) == 3 and all(r["topics"] for r in batch)
    assert batch[2]["no_diacritics"] and batch[2]["alerts"] == ["safety"]


HARD_CASES = [
    # (answer, sentiment, kind, main topic): the labelling guide's hard cases.
    ("luong thap qua, khong du trang trai cuoc song", "negative", "problem", "salary_benefits"),  # no tone marks
    ("Lương không tốt, làm mãi không đủ sống.", "negative", "problem", "salary_benefits"),  # negation
    ("Cán bộ không hề gây khó dễ, rất nhiệt tình.", "positive", "praise", "official_conduct"),  # negated complaint
    ("Kính mong lãnh đạo quan tâm, lương quá thấp.", "negative", "request", "salary_benefits"),  # politeness
    ("Hội họp quá nhiều, không còn thời gian làm chuyên môn.", "negative", "problem", "workload_staffing"),
    (
        "Đề nghị xử lý dứt điểm tình trạng ngập úng đã kéo dài 3 năm.",
        "negative",
        "request",
        "infrastructure_transport",
    ),  # a request that describes a problem
    ("Nên tổ chức thêm lớp ngoại ngữ cho cán bộ trẻ.", "neutral", "request", "training_career"),  # names no problem
    ("Cho tôi hỏi thủ tục cấp lại căn cước làm ở đâu?", "neutral", "question", "admin_procedures"),  # question
    ("Tuyệt vời, hồ sơ nộp 3 tháng vẫn chưa có kết quả.", "negative", "problem", "admin_procedures"),  # sarcasm
    ("Cán bộ một cửa hướng dẫn tận tình, chu đáo.", "positive", "praise", "official_conduct"),
    ("Không có ý kiến.", "neutral", "other", "other"),
    # Issue 12, item 4: the cases train_c.tsv was written for.
    ("Bỏ cấp huyện rồi, việc dồn hết về xã mà cán bộ vẫn bấy nhiêu người.", "negative", "problem", "workload_staffing"),
    ("Xin hỏi hộ chiếu giờ làm ở công an tỉnh mới hay vẫn ở tỉnh cũ ạ?", "neutral", "question", "admin_procedures"),
    ("Mình chưa đi họp tổ dân phố lần nào nên ko biết nói gì.", "neutral", "other", "leadership_democracy"),
    ("Đề nghị chi bộ tổ chức sinh hoạt chuyên đề mỗi quý.", "neutral", "request", "leadership_democracy"),
    ("dat nha toi bi do sai dien tich ma xa chua chiu do lai", "negative", "problem", "land_housing"),
    ("Cán bộ xã nói chuyện cộc cằn, hỏi gì cũng gắt.", "negative", "problem", "official_conduct"),
]


@pytest.mark.parametrize("text,sentiment,kind,topic", HARD_CASES)
def test_hard_cases(tagger, text, sentiment, kind, topic):
    result = tagger.tag(text)
    assert (result["sentiment"], result["kind"], result["topics"][0]["key"]) == (sentiment, kind, topic)


def test_joint_decoding_of_sentiment_and_kind(tagger):
    """The shipped sentiment and kind models were trained together and are decoded jointly;
    a weight of zero leaves the heads' probabilities as they are."""
    from nlp.joint import applies, compatibility, decode

    assert applies(tagger.sentiment, tagger.kind)
    pairs = [("positive", "praise")] * 9 + [("negative", "problem")] * 9
    table = compatibility(["negative", "positive"], ["praise", "problem"], pairs)
    assert table[1, 0] > 0 > table[0, 0]  # seen together more often than chance, and less
    p_s, p_k = np.array([[0.5, 0.5]]), np.array([[0.6, 0.4]])  # unsure sentiment, rather praise
    same_s, same_k = decode(p_s, p_k, table, [0.0])
    assert np.allclose(same_s, p_s) and np.allclose(same_k, p_k)
    joint_s, joint_k = decode(p_s, p_k, table, [1.0])
    assert joint_s[0, 1] > 0.55 and joint_k[0].argmax() == 0 and np.isclose(joint_s.sum(), 1)
    assert not applies(tagger.sentiment, dict(tagger.kind, joint_pair="another training"))


def test_demo_week_complaints_are_not_praise(tagger):
    """Issue 12: this answer was printed under "Những mặt tích cực" of a committee's report."""
    for text in (
        "Thu nhập thấp so với khối lượng công việc.",
        "Lương thấp so với khối lượng công việc.",
        "Lương thấp.",
    ):
        assert tagger.tag(text)["sentiment"] == "negative"


def test_solved_problem_is_not_a_complaint(tagger):
    result = tagger.tag("Trước đây đường hay ngập, nay đã được nâng cấp, đi lại thuận tiện hơn nhiều.")
    assert result["sentiment"] == "positive" and result["kind"] == "praise"


def test_abstention_rule(tagger):
    """A tag is sure exactly when its confidence reaches the threshold chosen on hold-outs."""
    texts = [
        "Lương thấp quá",
        "ok",
        "Cán bộ tận tình",
        "Bình thường",
        "duong xau qua, nhieu o ga nguy hiem",
        "Đề nghị sửa đường",
        "không biết",
        "???",
    ]
    for result in tagger.tag_many(texts):
        variant = "plain_report" if result["no_diacritics"] else "full_report"
        for task, key in (("sentiment", "sentiment_confidence"), ("kind", "kind_confidence")):
            threshold = tagger.artifacts[task][variant]["abstention"]["threshold"]
            assert result[f"{task}_sure"] == (result[key] >= threshold)
        threshold = tagger.artifacts["topic"][variant]["abstention"]["threshold"]
        assert result["topic_sure"] == (result["topics"][0]["confidence"] >= threshold)


def test_unsure_below_threshold(tagger):
    import copy

    strict = copy.copy(tagger)
    strict.artifacts = {task: dict(art) for task, art in tagger.artifacts.items()}
    for art in strict.artifacts.values():
        for variant in ("full_report", "plain_report"):
            art[variant] = {"abstention": {"threshold": 1.01}}
    result = strict.tag("Lương thấp quá, không đủ sống")
    assert not (result["sentiment_sure"] or result["kind_sure"] or result["topic_sure"])
    assert result["sentiment"] == tagger.tag("Lương thấp quá, không đủ sống")["sentiment"]


def test_abstention_threshold_reaches_its_target():
    rng = np.random.RandomState(0)
    confidence = rng.uniform(0.3, 1.0, 400)
    correct = rng.uniform(size=400) < confidence  # more confident, more often right
    chosen = abstention_threshold(confidence, correct, 0.9)
    sure = confidence >= chosen["threshold"]
    assert correct[sure].mean() >= 0.9 and chosen["accuracy_answered"] == round(correct[sure].mean(), 4)
    assert 0 < chosen["coverage"] < 1
    assert abstention_threshold([0.9, 0.8], [False, False], 0.9)["threshold"] == 1.0


def test_train_single_tasks_and_evaluate(tiny_tsv, tmp_path):
    for task in ("sentiment", "kind", "topic"):
        summary = train_single(task, [tiny_tsv], tmp_path / "m")
        assert summary["rows"] == len(TINY)
    tagger = nlp.load_tagger(tmp_path / "m")
    assert tagger.tag("đường xấu")["topics"][0]["key"] in {"road", "salary"}
    assert tagger.tag("bao giờ sửa đường?")["kind"] in {"request", "problem", "praise", "question", "other"}
    result = evaluate_model(tmp_path / "m", {"tiny": tiny_tsv})["tiny"]
    assert set(result) == {"sentiment", "kind", "topic"}
    assert all(result[t]["n"] == len(TINY) and result[t]["accuracy"] >= 0.8 for t in result)


def test_cli_train_evaluate_tag(tiny_tsv, tmp_path):
    run = [sys.executable, "-m", "nlp"]
    out = tmp_path / "cli"
    subprocess.run(
        run + ["train", "--task", "kind", "--input", str(tiny_tsv), "--input", str(tiny_tsv), "--model", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    for task, extra in (("kind", set()), ("topic", {"hit_rate"})):
        if task == "topic":
            subprocess.run(
                run + ["train", "--task", "topic", "--input", str(tiny_tsv), "--model", str(out)],
                cwd=ROOT,
                check=True,
                capture_output=True,
            )
        done = subprocess.run(
            run + ["evaluate", "--task", task, "--input", str(tiny_tsv), "--model", str(out)],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        last = json.loads(done.stdout.strip().splitlines()[-1])
        assert set(last) == {"n", "accuracy", "macro_f1", "recall", "abstention"} | extra
        assert last["n"] == len(TINY) and set(last["abstention"]) >= {"coverage", "accuracy_answered"}
        assert set(last["recall"]) == {row[2 if task == "kind" else 3] for row in TINY}
    tagged = subprocess.run(
        run + ["tag"], cwd=ROOT, check=True, capture_output=True, text=True, input="Lương thấp quá\nĐường đẹp\n"
    )
    rows = [json.loads(line) for line in tagged.stdout.splitlines()]
    assert [r["text"] for r in rows] == ["Lương thấp quá", "Đường đẹp"]
    assert all("kind" in r and "sentiment_sure" in r for r in rows)


def test_gate_refuses_a_worse_model(tiny_tsv, tmp_path):
    """A model trained on ten rows is worse than the shipped one on a real set: refused."""
    sample = tmp_path / "sample.tsv"
    sample.write_text(
        "text\tsentiment\tkind\n" + "".join(f"{t}\t{s}\t{k}\n" for t, s, k, _ in HARD_CASES * 3), encoding="utf-8"
    )
    for task in ("sentiment", "kind"):
        train_single(task, [tiny_tsv], tmp_path / "worse")
    shipped = evaluate_model(None, {"sample": sample})
    worse = evaluate_model(tmp_path / "worse", {"sample": sample})
    assert is_not_worse(shipped, shipped)
    assert not is_not_worse(shipped, worse)
    assert any(r.startswith("sample/") for r in regressions(shipped, worse))


def test_gate_noise_rule():
    old = {"eval": {"sentiment": {"n": 400, "accuracy": 0.90}}}
    # two standard errors of 0.90 over 400 rows = 0.03
    assert is_not_worse(old, {"eval": {"sentiment": {"n": 400, "accuracy": 0.875}}})
    assert not is_not_worse(old, {"eval": {"sentiment": {"n": 400, "accuracy": 0.865}}})
    assert not is_not_worse(old, {"other": {"sentiment": {"n": 400, "accuracy": 0.99}}})  # not measured
    assert is_not_worse(old, {"eval": {"sentiment": {"n": 400, "accuracy": 0.95}}})


def test_figures_and_holdout():
    result = figures(["a", "a", "b", "c"], ["a", "b", "b", "c"])
    assert result == {
        "n": 4,
        "accuracy": 0.75,
        "macro_f1": pytest.approx(0.7778, abs=1e-4),
        "recall": {"a": 0.5, "b": 1.0, "c": 1.0},
    }
    labels = ["x"] * 80 + ["y"] * 20
    mask = holdout_mask(labels, 0.15, 13)
    assert mask.sum() == 15 and (mask & (np.array(labels) == "y")).sum() == 3
    assert (holdout_mask(labels, 0.15, 13) == mask).all()
    groups = [i // 2 for i in range(100)]  # pairs of copies stay on one side
    grouped = holdout_mask(labels, 0.2, 13, groups=groups)
    assert all(grouped[i] == grouped[i + 1] for i in range(0, 100, 2))


def test_leaks_are_found():
    train = [
        "Lương thấp quá, không đủ sống.",
        "luong thap qua khong du song",
        "Đường đẹp, sạch sẽ.",
        "Lương thấp quá không đủ sống!!",
        "Cán bộ tận tình",
    ]
    evaluation = ["Lương thấp quá, không đủ sống", "Trạm y tế thiếu thuốc"]
    assert leaked(train, evaluation) == [0, 1, 3]


def test_evaluation_sets_are_apart_from_training_rows():
    """Every shipped evaluation row is absent (even as a near copy) from the training rows."""
    train = [r["text"] for path in sorted((ROOT / "nlp/data/train").glob("*.tsv")) for r in read_rows(path)]
    evaluation = [r["text"] for path in sorted((ROOT / "nlp/data/eval").glob("*.tsv")) for r in read_rows(path)]
    assert leaked(train, evaluation) == []


def test_emerging_themes(tagger):
    texts = (
        [f"Nhà văn hóa thôn {i} thiếu loa đài, âm thanh hỏng khi họp thôn" for i in range(6)]
        + [f"Lễ hội làng năm {i} tổ chức linh đình, tốn kém tiền đóng góp" for i in range(6)]
        + ["Lương thấp quá"]
    )
    themes = nlp.find_emerging_themes(texts, tagger=tagger, n_themes=3, min_answers=3)
    assert themes and all(t["phrases"] and t["size"] >= 1 for t in themes)
    assert all(0 <= i < len(texts) for t in themes for i in t["examples"])
    assert nlp.find_emerging_themes(["Lương thấp"], tagger=tagger) == []


def test_cached_char_vectoriser_matches_sklearn():
    """CharTfidfVectorizer (per-word cache) must give exactly sklearn's char_wb TF-IDF."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from nlp.features import CharTfidfVectorizer, CharWBNgrams

    train = [row[0] for row in TINY] * 2
    test = ["lương không đủ sống , đường xấu", "a bc", "", "phụ_cấp NOT_tốt tốt tốt"]
    ours = CharTfidfVectorizer(
        analyzer=CharWBNgrams((2, 4)), sublinear_tf=True, min_df=2, lowercase=False, dtype=np.float32
    ).fit(train)
    ref = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, min_df=2, lowercase=False, dtype=np.float32
    ).fit(train)
    assert ours.vocabulary_ == ref.vocabulary_
    for _ in range(2):  # second pass hits the cache
        a, b = ours.transform(test), ref.transform(test)
        assert a.shape == b.shape and abs(a - b).max() < 1e-7


def test_shipped_card_matches_data_and_models(tagger):
    """metrics.json and card.json describe the shipped artifacts and the data they came from:
    a change to a training or evaluation file without `python -m nlp train` fails here."""
    from nlp.corpus import sha256_file

    metrics = json.loads((ROOT / "nlp/models/metrics.json").read_text(encoding="utf-8"))
    card = json.loads((ROOT / "nlp/models/card.json").read_text(encoding="utf-8"))
    assert card["model_version"] == tagger.version
    for name, entry in metrics["artifacts"].items():
        assert sha256_file(ROOT / "nlp/models" / name) == entry["sha256"]
    for source in metrics["data"]["sources"]:
        if source["path"].startswith("nlp/"):
            assert sha256_file(ROOT / source["path"]) == source["sha256"]
    for _name, entry in metrics["evaluation_sets"].items():
        if entry["path"].startswith("nlp/"):
            assert sha256_file(ROOT / entry["path"]) == entry["sha256"]
    assert set(card["evaluation"]) >= {"domain_eval", "domain_hard"}
    figures_ = card["evaluation"]["domain_eval"]["figures"]
    assert set(figures_) == {"sentiment", "kind", "topic"}
    assert set(figures_["sentiment"]["recall"]) == {"negative", "neutral", "positive"}
    assert all(card["tasks"][t]["abstention"]["full"]["threshold"] > 0 for t in ("sentiment", "kind", "topic"))
    assert card["limits"] and all(limit["vi"] and limit["en"] for limit in card["limits"])
