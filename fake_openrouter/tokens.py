"""Deterministic token estimates that behave like real tokenizers in the ways the course shows.

Japanese characters and ASCII words are counted separately and weighted per tokenizer family
(`architecture.tokenizer` in the catalogue): the same meaning costs a different number of tokens in
different tokenizers, and Japanese text typically costs more tokens than its English translation.
"""
from __future__ import annotations

import math
import re

# Tokens per Japanese character / per ASCII word or symbol. Large-vocabulary tokenizers (Gemini,
# Gemma, GPT's o200k, Qwen) pack Japanese better than small ones (Mistral, Claude).
_JAPANESE_FACTOR = {
    "GPT": 0.8, "Gemini": 0.7, "Gemma": 0.7, "Qwen": 0.8, "Qwen3": 0.8, "DeepSeek": 0.85,
    "Llama3": 1.0, "Llama4": 0.9, "Grok": 0.9, "Cohere": 1.0, "Claude": 1.2, "Mistral": 1.3,
    "Nova": 1.1,
}
_ASCII_FACTOR = {
    "GPT": 1.25, "Gemini": 1.2, "Gemma": 1.2, "Qwen": 1.3, "Qwen3": 1.3, "DeepSeek": 1.3,
    "Llama3": 1.3, "Llama4": 1.3, "Grok": 1.3, "Cohere": 1.3, "Claude": 1.35, "Mistral": 1.4,
    "Nova": 1.35,
}
_DEFAULT_JAPANESE = 1.0
_DEFAULT_ASCII = 1.3
# Chat templates wrap every message in role markers; the reply is primed once.
_TOKENS_PER_MESSAGE = 4
_TOKENS_PER_REPLY = 3

_JAPANESE = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_ASCII_PIECE = re.compile(
    r"[A-Za-z0-9]+|[^\sA-Za-z0-9\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def count_tokens(text: str, tokenizer: str) -> int:
    """Estimated tokens of `text` for a tokenizer family (0 for empty text, else at least 1)."""
    if not text:
        return 0
    japanese = len(_JAPANESE.findall(text))
    pieces = len(_ASCII_PIECE.findall(text))
    estimate = (japanese * _JAPANESE_FACTOR.get(tokenizer, _DEFAULT_JAPANESE)
                + pieces * _ASCII_FACTOR.get(tokenizer, _DEFAULT_ASCII))
    return max(1, math.ceil(estimate))


def count_prompt_tokens(texts: list[str], tokenizer: str) -> int:
    """Estimated prompt tokens of a conversation given the text of each message."""
    content = sum(count_tokens(text, tokenizer) + _TOKENS_PER_MESSAGE for text in texts)
    return content + _TOKENS_PER_REPLY


def truncate(text: str, tokenizer: str, limit: int) -> str:
    """The longest prefix of `text` whose estimate fits in `limit` tokens."""
    if count_tokens(text, tokenizer) <= limit:
        return text
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if count_tokens(text[:middle], tokenizer) <= limit:
            low = middle
        else:
            high = middle - 1
    return text[:low]
