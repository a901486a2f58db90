"""Shipped tagger, training/evaluation on a tiny corpus (functions and CLI), emerging themes."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

import nlp
from nlp.models import evaluate_artifact, load_artifact, read_tsv, save_artifacts, train_task

ROOT = Path(__file__).resolve().parents[1]
TINY = [
    ("lương thấp quá, không đủ sống", "negative", "salary"),
    ("lương tốt, thu nhập ổn định", "positive", "salary"),
    ("tiền lương chậm trả mấy tháng", "negative", "salary"),
    ("phụ cấp được trả đầy đủ", "positive", "salary"),
    ("lương thưởng cuối năm cao", "positive", "salary"),
    ("đường nhiều ổ gà, rất xấu", "negative", "road"),
    ("đường mới làm đẹp, đi lại thuận tiện", "positive", "road"),
    ("cầu yếu, đường xuống cấp", "negative", "road"),
    ("đèn đường sáng, đường sạch", "positive", "road"),
    ("đường ngập khi mưa to", "negative", "road"),
]


@pytest.fixture(scope="module")
def tagger():
    return nlp.load_tagger()


@pytest.fixture()
def tiny_tsv(tmp_path):
    path = tmp_path / "tiny.tsv"
    path.write_text("text\tsentiment\ttopic\n" + "".join(f"{t}\t{s}\t{c}\n" for t, s, c in TINY),
                    encoding="utf-8")
    return path


def test_tag_output_shape(tagger):
    result = tagger.tag("Cán bộ xã nhiệt tình, gọi 0912 345 678 nếu cần")
    assert set(result) >= {"text", "redacted", "no_diacritics", "tokens", "sentiment",
                           "sentiment_confidence", "topics", "keyphrases", "alerts", "model_version"}
    assert "0912" not in result["redacted"] and "0912" not in " ".join(result["tokens"])
    assert result["sentiment"] in {"negative", "neutral", "positive"}
    assert 0 <= result["sentiment_confidence"] <= 1
    assert 1 <= len(result["topics"]) <= 3
    assert result["model_version"] == tagger.version and tagger.version.startswith("2026.11-1+")
    batch = tagger.tag_many(["lương thấp", "", "duong xau qua, nhieu o ga nguy hiem"])
    assert len(batch) == 3 and all(r["topics"] for r in batch)
    assert batch[2]["no_diacritics"] and batch[2]["alerts"] == ["safety"]


def test_negation(tagger):
    assert tagger.tag("lương không tốt")["sentiment"] == "negative"
    assert tagger.tag("lương tốt")["sentiment"] == "positive"
    assert tagger.tag("lương không tốt")["topics"][0]["key"] == "salary_benefits"


def test_train_and_evaluate_functions(tiny_tsv, tmp_path):
    for task in ("sentiment", "topic"):
        texts, labels = read_tsv([tiny_tsv], task)
        art = train_task(task, texts, labels)
        save_artifacts({task: art}, tmp_path / "m")
        result = evaluate_artifact(load_artifact(tmp_path / "m", task), texts, labels)
        assert result["n"] == len(TINY) and result["accuracy"] >= 0.8
    tagger = nlp.load_tagger(tmp_path / "m")
    assert tagger.tag("đường xấu")["topics"][0]["key"] in {"road", "salary"}


def test_cli_train_evaluate_tag(tiny_tsv, tmp_path):
    run = [sys.executable, "-m", "nlp"]
    out = tmp_path / "cli"
    subprocess.run(run + ["train", "--task", "topic", "--input", str(tiny_tsv), "--input",
                          str(tiny_tsv), "--output", str(out)], cwd=ROOT, check=True, capture_output=True)
    done = subprocess.run(run + ["evaluate", "--task", "topic", "--input", str(tiny_tsv), "--model", str(out)],
                          cwd=ROOT, check=True, capture_output=True, text=True)
    last = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(last) == {"n", "accuracy", "macro_f1", "hit_rate"} and last["n"] == len(TINY)
    tagged = subprocess.run(run + ["tag"], cwd=ROOT, check=True, capture_output=True, text=True,
                            input="Lương thấp quá\nĐường đẹp\n")
    rows = [json.loads(line) for line in tagged.stdout.splitlines()]
    assert [r["text"] for r in rows] == ["Lương thấp quá", "Đường đẹp"]


def test_emerging_themes(tagger):
    texts = ([f"Nhà văn hóa thôn {i} thiếu loa đài, âm thanh hỏng khi họp thôn" for i in range(6)]
             + [f"Lễ hội làng năm {i} tổ chức linh đình, tốn kém tiền đóng góp" for i in range(6)]
             + ["Lương thấp quá"])
    themes = nlp.find_emerging_themes(texts, tagger=tagger, n_themes=3, min_answers=3)
    assert themes and all(t["phrases"] and t["size"] >= 1 for t in themes)
    assert all(0 <= i < len(texts) for t in themes for i in t["examples"])
    assert nlp.find_emerging_themes(["Lương thấp"], tagger=tagger) == []


def test_cached_char_vectoriser_matches_sklearn():
    """CharTfidfVectorizer (per-word cache) must give exactly sklearn's char_wb TF-IDF."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    from nlp.features import CharTfidfVectorizer, CharWBNgrams

    train = [t for t, _, _ in TINY] * 2
    test = ["lương không đủ sống , đường xấu", "a bc", "", "phụ_cấp NOT_tốt tốt tốt"]
    ours = CharTfidfVectorizer(analyzer=CharWBNgrams((2, 4)), sublinear_tf=True, min_df=2,
                               lowercase=False, dtype=np.float32).fit(train)
    ref = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, min_df=2,
                          lowercase=False, dtype=np.float32).fit(train)
    assert ours.vocabulary_ == ref.vocabulary_
    for _ in range(2):  # second pass hits the cache
        a, b = ours.transform(test), ref.transform(test)
        assert a.shape == b.shape and abs(a - b).max() < 1e-7
