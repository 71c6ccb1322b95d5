"""Lesson 06 exercise: which compared model used the fewest completion tokens (from the responses)."""
from __future__ import annotations

from typing import Any

from . import Exercise, register

# Learner-facing text.
TEXT = {
    "shape": "check には (答え, results) の組を渡してください。例: check(\"06-1\", (fewest, results))",
    "results": "results には、比較のセルで作った「モデルID → 応答」の辞書をそのまま渡してください。",
    "empty": "fewest がまだ None のままです。「ここだけ書き換えてください」の行に式を書いてください。",
    "number": "それはトークン数です。トークン数ではなく、そのモデルのID（文字列）で答えてください。",
    "not_id": "答えはモデルID（例: \"google/gemma-3-27b-it\"）の文字列にしてください。",
    "unknown": "{answer!r} は比べた3つのモデルに入っていません。results のキーから選んでください。",
    "most": "それは出力トークンがいちばん多いモデルです。max ではなく min を使います。",
    "total": "それは合計トークン（total_tokens）がいちばん少ないモデルです。出力トークン（completion_tokens）で比べてください。",
    "prompt": "それは入力トークン（prompt_tokens）がいちばん少ないモデルです。出力トークン（completion_tokens）で比べてください。",
    "other": "違います。results[m].usage.completion_tokens を3つのモデルで比べてください。"
             "min(results, key=lambda m: ...) の形で書けます。",
}


def _usage(results: dict, name: str) -> dict[str, int]:
    return {model: getattr(completion.usage, name) for model, completion in results.items()}


def _lowest(counts: dict[str, int]) -> str | None:
    """The model with the smallest count, or None if two share it (then that measure proves nothing)."""
    low = min(counts.values())
    winners = [m for m, c in counts.items() if c == low]
    return winners[0] if len(winners) == 1 else None


def _problem(pair: Any) -> str | None:
    if not isinstance(pair, tuple) or len(pair) != 2:
        return TEXT["shape"]
    answer, results = pair
    if not isinstance(results, dict) or not results or not all(
            getattr(getattr(c, "usage", None), "completion_tokens", None) is not None for c in results.values()):
        return TEXT["results"]
    completion = _usage(results, "completion_tokens")
    if answer is None:
        return TEXT["empty"]
    if isinstance(answer, int) and not isinstance(answer, bool):
        return TEXT["number"]
    if not isinstance(answer, str):
        return TEXT["not_id"]
    if answer not in results:
        return TEXT["unknown"].format(answer=answer)
    if completion[answer] == min(completion.values()):
        return None
    if completion[answer] == max(completion.values()):
        return TEXT["most"]
    for name in ("total", "prompt"):
        if answer == _lowest(_usage(results, f"{name}_tokens")):
            return TEXT[name]
    return TEXT["other"]


register(Exercise(
    id="06-1",
    title="出力トークンがいちばん少なかったモデルは？",
    judge=_problem,
    hint=TEXT["other"],
    solution="""
fewest = min(results, key=lambda m: results[m].usage.completion_tokens)
""",
    praise="出力トークンには推論（考える過程）のトークンも含まれます。答えが短くても、考える量が多いモデルは出力トークンが増えます。",
))
