"""Finding and checking the OpenRouter API key. Never prints, logs or returns any part of the key."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from .config import KEY_VAR, NO_DOTENV_VAR
from .exceptions import KeyProblem

# Set in the environment in replay mode so that the document's plain code
# (`api_key = os.getenv("OPENROUTER_API_KEY")`) runs unchanged; never sent anywhere.
REPLAY_PLACEHOLDER = "replay-mode-no-real-key"

# The placeholder text from the course document's sample code.
DOCUMENT_PLACEHOLDER = "sk-or-v1-ここにあなたのAPIキーを貼り付けてください"

_OPENROUTER_KEY = re.compile(r"sk-or-v1-[0-9a-f]{64}")
_OPENROUTER_KEY_LENGTH = len("sk-or-v1-") + 64

# Learner-facing text: one message per malformed-key case.
KEY_MESSAGES = {
    "empty": "APIキーが空です。.env の OPENROUTER_API_KEY= の後ろにキーを貼り付けてください。",
    "whitespace": "APIキーの前後に空白や改行が入っています。余分な空白や改行を消してください"
                  "（.env なら「OPENROUTER_API_KEY=sk-or-v1-…」の1行にします）。",
    "quotes": "APIキーが引用符（\" や '）で囲まれたまま渡されています。引用符を外したキーだけを設定してください。",
    "placeholder": "APIキーが教材の見本の文字（「ここにあなたのAPIキーを貼り付けてください」）のままです。"
                   "OpenRouter の Keys ページで作ったキーに置き換えてください。",
    "non_ascii": "APIキーに全角文字や日本語が混ざっています。キーは半角の英数字と「-」だけです。"
                 "日本語入力をオフにして、Keys ページからコピーし直してください。",
    "other_service": "これは OpenRouter ではなく {service} のキーのようです。OpenRouter のキーは「sk-or-v1-」で始まります。"
                     "https://openrouter.ai/settings/keys で OpenRouter のキーを作ってください。",
    "truncated": "APIキーが途中で切れているようです（OpenRouter のキーは「sk-or-v1-」の後に英数字が64文字続きます）。"
                 "コピーし直すか、コピーできない場合は新しいキーを作ってください。",
    "not_openrouter": "OpenRouter のAPIキーの形式ではありません（OpenRouter のキーは「sk-or-v1-」で始まります）。"
                      "https://openrouter.ai/settings/keys で作ったキーを貼り付けてください。",
    "missing": "APIキーが設定されていません。.env に OPENROUTER_API_KEY を書くか、"
               "course_utils.ask_api_key() で入力してください（キーがなくても再生モードで学習できます）。",
}

_OTHER_SERVICES = (("sk-proj-", "OpenAI"), ("sk-ant-", "Anthropic"), ("AIza", "Google（Gemini）"),
                   ("gsk_", "Groq"), ("hf_", "Hugging Face"), ("sk-", "OpenAI"))


@dataclass(frozen=True)
class KeyLookup:
    """Where a key was found (never the key itself in any repr) and whether it is usable."""

    source: str  # "env" | "dotenv" | "colab" | "prompt" | "none"
    problem: KeyProblem | None = None

    @property
    def usable(self) -> bool:
        return self.source != "none" and self.problem is None


def validate_key(key: str | None) -> None:
    """Raise KeyProblem with a Japanese message if `key` is not a well-formed OpenRouter key."""
    def fail(code: str, **fmt: str) -> None:
        raise KeyProblem(code, KEY_MESSAGES[code].format(**fmt))

    if key is None:
        fail("missing")
    if not key.strip():
        fail("empty")
    if key != key.strip():
        fail("whitespace")
    if key[0] in "\"'" or key[-1] in "\"'":
        fail("quotes")
    if key == DOCUMENT_PLACEHOLDER or "ここに" in key:
        fail("placeholder")
    if not key.isascii():
        fail("non_ascii")
    if key.startswith("sk-or-"):
        if not _OPENROUTER_KEY.fullmatch(key):
            fail("truncated" if len(key) < _OPENROUTER_KEY_LENGTH else "not_openrouter")
        return
    for prefix, service in _OTHER_SERVICES:
        if key.startswith(prefix):
            fail("other_service", service=service)
    fail("not_openrouter")


# Variables the course itself put into the environment, with their values: from .env, or the key from Colab.
# A later setup() may replace these (the learner fixed .env); variables set outside the course always win.
_dotenv_set: dict[str, str] = {}
_colab_key: str | None = None


def _apply_dotenv() -> None:
    """Load the nearest .env (searched from the working directory upwards) as UTF-8, again on every call.

    Re-reading matters: a learner who fixes a wrong key in .env re-runs setup(), not the kernel.
    """
    from dotenv import dotenv_values, find_dotenv

    path = find_dotenv(usecwd=True)
    # UTF-8 explicitly: Japanese comments in .env break the platform default encoding on Windows.
    values = {k: v for k, v in (dotenv_values(path, encoding="utf-8") if path else {}).items() if v is not None}
    for name, value in list(_dotenv_set.items()):
        if os.environ.get(name) == value and name not in values:  # the line was removed from .env
            del os.environ[name]
        if os.environ.get(name) != value or name not in values:
            del _dotenv_set[name]
    for name, value in values.items():
        if name not in os.environ or name in _dotenv_set:
            os.environ[name] = _dotenv_set[name] = value


def _from_colab() -> str | None:
    try:
        from google.colab import userdata  # type: ignore[import-not-found]
    except ImportError:
        return None
    try:
        return userdata.get(KEY_VAR)
    except Exception:  # SecretNotFoundError / NotebookAccessError: the learner has not shared the secret
        return None


def _check(source: str, key: str | None) -> KeyLookup:
    try:
        validate_key(key)
    except KeyProblem as problem:
        return KeyLookup(source, problem)
    return KeyLookup(source)


def find_api_key() -> KeyLookup:
    """Look for the key: environment, then .env (cwd upwards), then Colab secrets. Sets the env var if found."""
    global _colab_key
    env_key = os.environ.get(KEY_VAR)
    if env_key is not None and env_key in (REPLAY_PLACEHOLDER, _colab_key):
        del os.environ[KEY_VAR]  # set by an earlier setup(): look again
    if os.environ.get(NO_DOTENV_VAR) == "1":
        env_key = os.environ.get(KEY_VAR)
        return KeyLookup("none") if env_key is None else _check("env", env_key)
    _apply_dotenv()
    key = os.environ.get(KEY_VAR)
    if key is not None:
        return _check("dotenv" if _dotenv_set.get(KEY_VAR) == key else "env", key)
    key = _colab_key = _from_colab()
    if key is not None:
        os.environ[KEY_VAR] = key  # so the document's `os.getenv("OPENROUTER_API_KEY")` finds it
        return _check("colab", key)
    return KeyLookup("none")


def ask_api_key() -> KeyLookup:
    """Ask for the key without echoing it (for live coding on a projector); keeps it in this process only."""
    from getpass import getpass

    key = getpass("OpenRouter の APIキーを貼り付けて Enter を押してください（画面には表示されません）: ")
    lookup = _check("prompt", key)
    if lookup.usable:
        os.environ[KEY_VAR] = key
    return lookup


def key_status_ja(lookup: KeyLookup) -> str:
    """The only thing ever shown about a key: set or not set, and where from."""
    where = {"env": "環境変数", "dotenv": ".env ファイル", "colab": "Colab のシークレット", "prompt": "入力"}
    if lookup.source == "none":
        return "未設定"
    if lookup.problem:
        return f"形式に問題あり（{where[lookup.source]}）"
    return f"設定済み（{where[lookup.source]}）"
