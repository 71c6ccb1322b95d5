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
    "unknown": "{answer!r} は比べたモデルに入っていません。results のキーから選んでください。",
    "most": "それは出力トークンがいちばん多いモデルです。max ではなく min を使います。",
    "total": "それは合計トークン（total_tokens）がいちばん少ないモデルです。"
             "出力トークン（completion_tokens）で比べてください。",
    "prompt": "それは入力トークン（prompt_tokens）がいちばん少ないモデルです。"
              "出力トークン（completion_tokens）で比べてください。",
    "other": "違います。results[m].usage.completion_tokens をモデルごとに比べてください。"
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


# Exercise 06-2: one call whose model comes from the argument (checked offline with each compared model).
CALL_TEXT = {
    "fixed_model": "model に {model!r} と書いてあるため、どのモデルを渡しても同じモデルに送ってしまいます。"
                   "model= には引数の model_id を渡してください。",
    "other_model": "model= には、引数の model_id をそのまま渡してください（{model!r} になっています）。",
    "same_prompt": "モデルごとに messages が変わっています。比べるときは、どのモデルにも同じ messages を送ります。",
}


def judge_model_swap(ask: Any) -> str | None:
    """Right when ask(client, model_id) sends the same messages to whichever model id it is given."""
    from ..model_ids import MODELS
    from .calls import messages_problem, record_calls

    models = [MODELS.small_free, MODELS.large_free, MODELS.paid]
    calls, problem = record_calls(ask, [(m,) for m in models])
    if problem:
        return problem
    sent = [c.get("model") for c in calls]
    if len(set(map(repr, sent))) == 1:
        return CALL_TEXT["fixed_model"].format(model=sent[0])
    wrong = next((s for s, m in zip(sent, models, strict=True) if s != m), None)
    if wrong is not None:
        return CALL_TEXT["other_model"].format(model=wrong)
    problem = messages_problem(calls[0].get("messages"))
    if problem:
        return problem
    if any(c.get("messages") != calls[0].get("messages") for c in calls):
        return CALL_TEXT["same_prompt"]
    return None


register(Exercise(
    id="06-2",
    title="model だけを取り替える呼び出しを書く",
    judge=judge_model_swap,
    hint="model= に、関数の引数 model_id を渡します。messages はどのモデルでも同じです。",
    solution='''
def ask(client, model_id):
    return client.chat.completions.create(
        model=model_id,
        messages=[{"role": "user", "content": prompt}],
    )

course_utils.exercises.check("06-2", ask)

# ライブモードなら、3つのモデルに同じプロンプトを送れます:
# for m in models:
#     print(m, ask(client, m).choices[0].message.content)
''',
    praise="同じ関数のまま、渡すモデルIDを変えるだけで別の開発元のモデルに送れます。",
))
