"""The machine-readable model card (card.json): what each model says, the figures per set
and per class, the data behind them and the known limits. The app's page "Độ tin cậy của
phân tích tự động" reads it."""

import json
from pathlib import Path

TASK_LABELS = {
    "sentiment": {"negative": "tiêu cực", "neutral": "trung tính", "positive": "tích cực"},
    "kind": {
        "request": "kiến nghị",
        "problem": "phản ánh",
        "praise": "ghi nhận",
        "question": "câu hỏi",
        "other": "khác",
    },
}
SET_NAMES = {
    "domain_eval": "Ý kiến cán bộ và người dân (viết riêng, không dùng để huấn luyện)",
    "domain_hard": "Ý kiến khó: không dấu, viết tắt, mỉa mai, phủ định, vừa khen vừa chê",
    "uit_vsfc_dev": "UIT-VSFC dev (phản hồi của sinh viên)",
}
LIMITS = [
    {
        "vi": "Sắc thái, loại ý kiến và chủ đề do máy gán; nhãn dưới ngưỡng tin cậy được ghi là "
        "“chưa rõ” và không được dùng làm dẫn chứng.",
        "en": "Tags are machine-made; a tag below its confidence threshold is marked unsure and is never "
        "used as evidence.",
    },
    {
        "vi": "Mô hình học từ câu trả lời viết tay cho dự án và từ ba bộ dữ liệu công khai (phản hồi sinh "
        "viên, bình luận sản phẩm, bình luận mạng xã hội); câu trả lời thuộc lĩnh vực khác có thể "
        "bị đọc sai.",
        "en": "Trained on hand-written staff/citizen answers and three public sets (student feedback, product "
        "reviews, social media); answers far from these may be misread.",
    },
    {
        "vi": "Mỉa mai, câu rất ngắn và câu vừa khen vừa chê là những chỗ máy hay sai nhất.",
        "en": "Sarcasm, very short answers and mixed praise and complaint are the commonest errors.",
    },
    {
        "vi": "Câu không dấu được đọc bằng một mô hình riêng, kém chính xác hơn câu có dấu.",
        "en": "Answers typed without tone marks are read by a separate, less accurate model.",
    },
    {
        "vi": "Chủ đề chỉ gồm 16 mục của bảng chủ đề; ý kiến về việc khác được xếp vào “khác”.",
        "en": "Topics are the taxonomy's 16 keys; anything else is 'other'.",
    },
]


def write_card(output_dir, metrics: dict) -> Path:
    from .tagger import load_tagger

    version = load_tagger(output_dir).version
    card = {
        "model_version": version,
        "trained": metrics["trained"],
        "tasks": {
            task: {
                "labels": TASK_LABELS.get(task, {}),
                "abstention": {v: metrics["holdout"][task][v]["abstention"] for v in ("full", "plain")},
            }
            for task in metrics["holdout"]
        },
        "evaluation": {
            name: {"description": SET_NAMES.get(name, name), "figures": figures}
            for name, figures in metrics["evaluation"].items()
        },
        "holdout": {task: metrics["holdout"][task]["full"]["holdout"] for task in metrics["holdout"]},
        "data": metrics["data"],
        "limits": LIMITS,
    }
    path = Path(output_dir) / "card.json"
    path.write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
