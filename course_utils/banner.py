"""The Japanese banner `setup()` prints: mode, honesty about recordings, base URL and key status."""
from __future__ import annotations

from . import recording_source
from .config import CATALOGUE_DATE, RECORDED_AT, recordings_dir

# Learner-facing text, one entry per mode.
BANNER = {
    "live": (
        "【ライブモード】OpenRouter に実際にリクエストを送ります。",
        "・無料モデル（:free）は1分に20回・1日50回（10クレジット以上購入済みなら1日1000回）までです。有料モデルはクレジットを消費します。",
    ),
    "replay": (
        "【再生モード】収録済みの応答を再生しています。OpenRouter には何も送信しません。",
        "{recordings}",  # recording_source.banner_line: examples, live recordings of a day, or both
        "・ライブモードで試すには: .env に OPENROUTER_API_KEY を設定し、このセルをもう一度実行してください。",
        "・講師向け（再収録）: python -m course_utils record notebooks/",
    ),
    "record": (
        "【録音モード】OpenRouter に実際にリクエストを送り、応答を収録しています（講師用）。",
        "・APIキーや認証ヘッダーは収録データから取り除かれます。",
    ),
}
FOOTER = "接続先: {base_url} ／ APIキー: {key_status}"


def render_banner(mode: str, base_url: str, key_status: str, notes: tuple[str, ...] = ()) -> str:
    """The banner text for a mode; never contains any part of a key (only its status)."""
    recordings = recording_source.banner_line(recordings_dir(), CATALOGUE_DATE, RECORDED_AT) if mode == "replay" else ""
    lines = [line.format(recordings=recordings) for line in BANNER[mode]]
    lines += [f"※ {note}" for note in notes]
    lines.append(FOOTER.format(base_url=base_url, key_status=key_status))
    return "\n".join(lines)
