"""Lesson 09 exercise: the `content` list of a user message that carries a question and an image (a data URL)."""
from __future__ import annotations

from typing import Any

from . import Exercise, register

# Learner-facing text.
HINTS = {
    "not_list": "content は、文章の部品と画像の部品を並べたリスト（[...]）にします。",
    "not_dict": "リストの各要素は {\"type\": ..., ...} の形の辞書にします。",
    "no_text": "質問の文章の部品 {\"type\": \"text\", \"text\": \"...\"} が入っていません。",
    "text_empty": "文章の部品の \"text\" に、質問の文章を入れてください。",
    "no_image": "画像の部品 {\"type\": \"image_url\", \"image_url\": {\"url\": data_url}} が入っていません。",
    "image_shape": "画像の部品は {\"type\": \"image_url\", \"image_url\": {\"url\": data_url}} の形です。"
                   "\"image_url\" の中にもう1つ辞書を作り、その \"url\" に入れます。",
    "not_data_url": "\"url\" には、上で作った data_url（「data:image/png;base64,」で始まる文字列）を入れてください。",
}


def judge_image_content(content: Any) -> str | None:
    """Right when content has a non-empty text part and an image_url part whose url is a base64 data URL."""
    if not isinstance(content, list):
        return HINTS["not_list"]
    if not all(isinstance(part, dict) for part in content):
        return HINTS["not_dict"]
    texts = [part for part in content if part.get("type") == "text"]
    if not texts:
        return HINTS["no_text"]
    if not all(isinstance(part.get("text"), str) and part["text"].strip() and part["text"] != "???" for part in texts):
        return HINTS["text_empty"]
    images = [part for part in content if part.get("type") == "image_url"]
    if not images:
        return HINTS["no_image"]
    inner = images[0].get("image_url")
    if not isinstance(inner, dict) or "url" not in inner:
        return HINTS["image_shape"]
    url = inner["url"]
    if not isinstance(url, str) or not url.startswith("data:image/") or ";base64," not in url:
        return HINTS["not_data_url"]
    return None


register(Exercise(
    id="09-1",
    title="文章と画像を1つのメッセージにする",
    judge=judge_image_content,
    hint="content を [文章の部品, 画像の部品] のリストにします。",
    solution='''
content = [
    {"type": "text", "text": "この画像の果物は、全部でいくつありますか？"},
    {"type": "image_url", "image_url": {"url": data_url}},
]

course_utils.exercises.check("09-1", content)

# messages=[{"role": "user", "content": content}] として、画像入力に対応したモデルに送れます。
''',
    praise="文章の部品と画像の部品を並べれば、1つのメッセージで画像について質問できます。",
))
