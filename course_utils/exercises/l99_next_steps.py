"""Lesson 99 recap quiz: one multiple-choice question per lesson 01-09, checked offline.

Each question is data: its choices, the right one, and why each wrong choice is wrong (the hint).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from . import Exercise, register

# Learner-facing text.
TEXT = {
    "not_a_choice": "a・b・c のどれか1文字を、文字列で入れてください（例: answer = \"a\"）。",
    "solution": "正解: {letter}（{choice}）\n{why}",
    "praise": "{why}",
}


@dataclass(frozen=True)
class Question:
    """A multiple-choice question: choices by letter, the right letter, why it is right, hints for the others."""

    id: str
    title: str
    choices: dict[str, str]
    right: str
    why: str
    wrong: dict[str, str]


QUESTIONS = (
    Question("99-1", "OpenRouter の役割（01回）",
             {"a": "モデル開発元", "b": "アグリゲーター", "c": "クラウドストレージ"}, "b",
             "OpenRouter は、いろいろな開発元のモデルを集めて、"
             "1つの契約と1つのAPIキーで使えるようにするアグリゲーターです。",
             {"a": "モデル開発元は、OpenAI や Anthropic のようにモデルそのものを作る会社です。01回を振り返りましょう。",
              "c": "クラウドストレージはファイルを保存するサービスです。"
                   "01回の「サービスプロバイダーの役割の違い」を振り返りましょう。"}),
    Question("99-2", "APIキーの置き場所（02回）",
             {"a": "ノートブックのセルに直接書いておく", "b": "`.env` ファイルに書き、git には含めない",
              "c": "確認のため、先頭の数文字だけ画面に表示する"}, "b",
             "キーはパスワードと同じです。`.env` に書けばノートブックにも git にも残りません。",
             {"a": "セルに書いたキーは、ノートブックを共有したときに一緒に漏れてしまいます。02回を振り返りましょう。",
              "c": "一部分であっても、キーは画面に表示しません"
                   "（出力がノートブックに残ります）。02回を振り返りましょう。"}),
    Question("99-3", "無料モデルの見分け方（03回）",
             {"a": "モデルIDの末尾が `:free`", "b": "モデルIDの末尾が `-mini`",
              "c": "モデル名に「Beta」と付いている"}, "a",
             "無料モデルのIDは `:free` で終わります。カタログでは入力・出力の料金が 0 になっています。",
             {"b": "`-mini` は小さなモデルによく付く名前で、有料のものがほとんどです。03回を振り返りましょう。",
              "c": "「Beta」は試験提供という意味で、料金とは関係ありません。03回を振り返りましょう。"}),
    Question("99-4", "OpenAI のコードから変えるところ（04回）",
             {"a": "`base_url`（とAPIキー）", "b": "`messages` の形",
              "c": "応答の読み方（`choices[0].message.content`）"}, "a",
             "OpenRouter は OpenAI のAPIと互換なので、"
             "`base_url` を https://openrouter.ai/api/v1 にしてキーを替えるだけで動きます。",
             {"b": "`messages` は OpenAI と同じ形のまま使えます。04回を振り返りましょう。",
              "c": "応答も OpenAI と同じ形なので、同じ書き方で読めます。04回を振り返りましょう。"}),
    Question("99-5", "会話を続けるには（05回）",
             {"a": "`temperature` を上げる", "b": "毎回 `messages` にそれまでのやりとりを入れて送る",
              "c": "`stream=True` にする"}, "b",
             "APIは前の呼び出しを覚えていません。それまでの質問と答えを `messages` に積み重ねて送ります。",
             {"a": "`temperature` は答えのばらつきを決める値で、会話の記憶とは関係ありません。05回を振り返りましょう。",
              "c": "`stream=True` は答えを少しずつ受け取る設定で、"
                   "会話の記憶とは関係ありません。05回を振り返りましょう。"}),
    Question("99-6", "モデルを比べるとき（06回）",
             {"a": "`model` だけ", "b": "クライアント（`OpenAI(...)`）を作り直す", "c": "`base_url`"}, "a",
             "OpenRouter なら同じクライアントのまま、`model` を変えるだけで別のモデルに送れます。",
             {"b": "クライアントは1つで十分です。モデルごとに作り直す必要はありません。06回を振り返りましょう。",
              "c": "`base_url` は OpenRouter のURLのままです。どのモデルでも同じです。06回を振り返りましょう。"}),
    Question("99-7", "無料モデルの1日の上限（07回）",
             {"a": "20回", "b": "50回", "c": "1000回"}, "b",
             "クレジットを購入していないアカウントでは、無料モデルは1日50回までです（10クレジット以上購入済みなら1000回）。",
             {"a": "20回は「1分あたり」の上限です。07回の回数制限の表を振り返りましょう。",
              "c": "1000回は、10クレジット以上を購入したアカウントの上限です。07回の回数制限の表を振り返りましょう。"}),
    Question("99-8", "構造化出力に対応していないモデル（08回）",
             {"a": "400 のエラーになる", "b": "エラーにならず、`response_format` が無視される",
              "c": "OpenRouter が、対応しているモデルに自動で切り替える"}, "b",
             "`structured_outputs` に対応していないモデルでは、`response_format` はエラーにならずに無視されます。"
             "送る前に、カタログの `supported_parameters` を確かめます。",
             {"a": "エラーにはならないので、気づきにくいのです。08回の「対応していないモデルに送ると」を振り返りましょう。",
              "c": "OpenRouter が勝手にモデルを変えることはありません（予備のモデルは `models` で自分で並べます）。"
                   "08回を振り返りましょう。"}),
    Question("99-9", "画像を作ってもらうには（09回）",
             {"a": "`extra_body={\"modalities\": [\"image\", \"text\"]}` を付ける",
              "b": "`response_format={\"type\": \"image\"}` を付ける", "c": "`max_tokens` を大きくする"}, "a",
             "画像を作れるモデル（`output_modalities` に `image`）に、OpenRouter だけの項目 `modalities` を "
             "`extra_body` で渡します。付け忘れると、文章だけが返ります。",
             {"b": "`response_format` は答えの文章の形（JSON など）を決める項目で、画像は作りません。09回を振り返りましょう。",
              "c": "`max_tokens` は答えの長さの上限で、画像を作るかどうかとは関係ありません。09回を振り返りましょう。"}),
)


def _letter(answer: Any) -> str | None:
    """The chosen letter: full-width letters, spaces, case and a trailing ）or . are forgiven."""
    if not isinstance(answer, str):
        return None
    text = unicodedata.normalize("NFKC", answer).strip().lower().rstrip(").")
    return text if text in ("a", "b", "c") else None


def _judge(question: Question):
    def judge(answer: Any) -> str | None:
        letter = _letter(answer)
        if letter is None:
            return TEXT["not_a_choice"]
        return None if letter == question.right else question.wrong[letter]
    return judge


for _q in QUESTIONS:
    register(Exercise(
        id=_q.id,
        title=_q.title,
        judge=_judge(_q),
        hint=TEXT["not_a_choice"],
        solution=TEXT["solution"].format(letter=_q.right, choice=_q.choices[_q.right], why=_q.why),
        praise=TEXT["praise"].format(why=_q.why),
    ))
