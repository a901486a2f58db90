"""Word segmentation (underthesea), the one place the tokenizer is called."""

from underthesea import word_tokenize


def tokenize(text: str) -> list[str]:
    return word_tokenize(text) if text.strip() else []
