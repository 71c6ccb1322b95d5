"""Every learner- and instructor-facing string of course_utils, grouped by concern: one file to proofread.

Exercise hints and solutions stay with their lesson (`course_utils/exercises/`): they are lesson content.
Placeholders are `{name}` and are filled with `str.format` or the explainer's own filler. Terms: one per
concept, as listed in the README's developer part.
"""
from __future__ import annotations

# -- setup banner and modes (banner.py, modes.py, recording_source.py, retry_notice.py) -------------------

# The banner setup() prints, one group of lines per mode; "{recordings}" is one of RECORDINGS_LINE.
BANNER = {
    "live": (
        "【ライブモード】OpenRouter に実際にリクエストを送ります。",
        "・無料モデル（:free）は1分に20回・1日50回（10クレジット以上購入済みなら1日1000回）までです。"
        "有料モデルはクレジットを消費します。",
    ),
    "replay": (
        "【再生モード】収録済みの応答を再生しています。OpenRouter には何も送信しません。",
        "{recordings}",
        "・ライブモードで試すには: .env に OPENROUTER_API_KEY を設定し、このセルをもう一度実行してください。",
        "・講師向け（再収録）: python -m course_utils record notebooks/",
    ),
    "record": (
        "【録音モード】OpenRouter に実際にリクエストを送り、応答を収録しています（講師用）。",
        "・APIキーや認証ヘッダーは収録データから取り除かれます。",
    ),
}
BANNER_NOTE = "※ {note}"
BANNER_FOOTER = "接続先: {base_url} ／ APIキー: {key_status}"

# The replay banner's line about the recordings, by what they hold (see recording_source).
RECORDINGS_LINE = {
    "example": "・収録データは見本です。モデル一覧と料金は OpenRouter の実際の公開データ（{catalogue_date} 時点）、"
               "AIの応答文は API の形式に沿って作った例（{days} 付）で、実際の応答とは異なります。",
    "live": "・収録データは、{days} に OpenRouter から実際に収録した応答です（モデル一覧・料金・応答文はその日のもの）。",
    "mixed": "・収録データには、OpenRouter から実際に収録した応答（{live}）と、API の形式に沿って作った見本（{example}）が"
             "混ざっています。",
    "day_separator": "・",
}

# Notes under the banner on how the mode was chosen.
MODES = {
    "bad_value": "COURSE_MODE={value!r} は使えない値です（live / replay / record のどれかを指定します）。"
                 "モードは自動で選びます。",
    "live_without_key": "COURSE_MODE=live が指定されていますが、使えるAPIキーがないため再生モードで続けます。",
    "key_problem": "APIキーに問題があるため、再生モードで続けます: {problem}",
    "record_without_key": "録音モード（COURSE_MODE=record）には、正しい形式のAPIキーが必要です。"
                          ".env に OPENROUTER_API_KEY を設定してから、もう一度実行してください。",
}

# The line printed while openai waits before retrying a request.
RETRY = {
    "waiting": "（応答を待っています。エラーか混雑のため、openai ライブラリが {seconds}秒後に自動で送り直します。"
               "{max}回のうち{n}回目の再試行です）",
}

# -- API keys and .env (keys.py, environment.py) ----------------------------------------------------------

# The placeholder in the course document's sample code, and the words that give a pasted copy of it away.
DOCUMENT_PLACEHOLDER = "sk-or-v1-ここにあなたのAPIキーを貼り付けてください"
PLACEHOLDER_MARK = "ここに"

# One message per malformed-key case (KeyProblem.code -> message).
KEYS = {
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

# Other services' key prefixes and the name the "other_service" message gives them (first match wins).
OTHER_SERVICES = (("sk-proj-", "OpenAI"), ("sk-ant-", "Anthropic"), ("AIza", "Google（Gemini）"),
                  ("gsk_", "Groq"), ("hf_", "Hugging Face"), ("sk-", "OpenAI"))

# The only thing ever shown about a key: whether it is set, and where it came from.
KEY_STATUS = {
    "none": "未設定",
    "problem": "形式に問題あり（{where}）",
    "set": "設定済み（{where}）",
}
KEY_SOURCES = {"env": "環境変数", "dotenv": ".env ファイル", "colab": "Colab のシークレット", "prompt": "入力"}
KEY_PROMPT = "OpenRouter の APIキーを貼り付けて Enter を押してください（画面には表示されません）: "

# Notes under the banner about a .env saved in another encoding than UTF-8 (Windows editors).
DOTENV = {
    "other_encoding": ".env ファイルは {encoding} で保存されていたため、そのまま読み込みました。"
                      "ほかのツールでも読めるよう、エディタの「名前を付けて保存」で文字コードを「UTF-8」にして"
                      "保存し直すことをおすすめします。",
    "unreadable": ".env ファイルの文字コードを読み取れなかったため、.env の設定は使っていません。"
                  "メモ帳などで .env を開き、「名前を付けて保存」で文字コードを「UTF-8」にして保存し直してから、"
                  "このセルをもう一度実行してください。",
}

# -- replay and recordings (replay/) ----------------------------------------------------------------------

# -- error explanations (explanations.py, error_box.py, guards.py) ----------------------------------------

# -- widgets (widgets/) -----------------------------------------------------------------------------------

# The model box empty and a wrong comparison count are explained cases: their sentences are the errors'.
WIDGETS = {
    # what a saved lesson shows in a widget's place until its cell runs
    "placeholder": {"picker": "（ここにモデル選択ウィジェットが表示されます。セルを実行してください）",
                    "sender": "（ここにプロンプト送信ウィジェットが表示されます。セルを実行してください）",
                    "comparison": "（ここにモデル比較ウィジェットと各モデルの答えが表示されます。セルを実行してください）"},
    # model picker
    "price": "料金",
    "price_options": (("すべて", "all"), ("無料のみ", "free"), ("有料のみ", "paid")),
    "maker": "開発元",
    "maker_all": "すべて",
    "maker_option": "{maker}（{n}）",
    "search": "検索",
    "search_hint": "名前やIDの一部（例: gemma）",
    "max_price": "料金の上限",
    "max_price_options": (("上限なし", 0.0), ("$0.1 まで", 0.1), ("$0.5 まで", 0.5), ("$1 まで", 1.0),
                          ("$5 まで", 5.0), ("$20 まで", 20.0)),
    "min_context": "コンテキスト長",
    "min_context_options": (("指定なし", 0), ("32K 以上", 32_000), ("128K 以上", 128_000),
                            ("1M 以上", 1_000_000)),
    "models": "モデル",
    "count": "{shown} / {total} 件　各行: 名前 ｜ 料金（100万トークンあたり 入力 / 出力） ｜ "
             "コンテキスト長 ｜ モデルID",
    "model_row": "{mark}{name} ｜ {price} ｜ {context} ｜ {id}",
    "no_match": "条件に合うモデルがありません。条件をゆるめてください。",
    "free": "無料",
    "recorded_mark": "【収録あり】",
    "recorded_hint": "再生モード: 【収録あり】のモデルには収録済みの答えがあります。",
    "chosen": "選択中: <code>{model}</code>",
    # prompt sender
    "system": "システム",
    "system_hint": "（任意）AIの役割や話し方の指示。例: あなたは丁寧な日本語の先生です。",
    "prompt": "プロンプト",
    "prompt_hint": "AIへの質問や指示を書きます",
    "model": "モデル",
    "fix_model_box": "{suggestions}https://openrouter.ai/models で今使えるモデルIDを確かめ、「モデル」欄を直してから、"
                     "もう一度「送信」を押してください。",
    "temperature": "温度",
    "max_tokens": "最大トークン",
    "send": "送信",
    "show_code": "コードを表示",
    "recorded_prompts": "収録例",
    "recorded_choose": "収録済みのプロンプトを選ぶ…",
    "recorded_system": "（システム: {system}）",
    "replay_hint": "再生モードでは収録済みのプロンプトだけが答えを返します。"
                   "ほかのプロンプトを試すにはAPIキーを設定してください。",
    "waiting": "送信しました。応答を待っています…",
    "thinking": "モデルが考えています…",
    "streaming": "受信中…",
    "empty_answer": "（応答の本文は空でした）",
    "usage": "トークン: 入力 {prompt} ／ 出力 {completion}（合計 {total}） ・ 完了理由: {finish} ・ "
             "プロバイダ: {provider} ・ 応答時間: {latency} ・ 費用: {cost}",
    "latency": "{total:.2f} 秒（最初の文字まで {first:.2f} 秒）",
    "finish": {"stop": "stop（最後まで回答）", "length": "length（最大トークンで打ち切り）",
               "content_filter": "content_filter（内容フィルターで停止）", "error": "error（途中でエラー）"},
    "cost_free": "$0（無料）",
    "unknown": "不明",
    # comparison
    "compare_run": "比較する",
    "compare_prompt": "プロンプト: {prompt}",
    "running": "問い合わせ中…",
    "failed": "失敗",
    "seconds": "{seconds:.2f} 秒",
    "columns": ("モデル", "応答時間", "トークン（入力 / 出力）", "費用"),
}

# -- catalogue tables and charts (catalog/, charts.py) ----------------------------------------------------

# Table headings and cell values of the catalogue, provider and key tables, and the catalogue's argument errors.
CATALOG = {
    "col_id": "モデルID",
    "col_name": "名前",
    "col_free": "無料",
    "col_input": "入力 $/1M",
    "col_output": "出力 $/1M",
    "col_context": "コンテキスト長",
    "col_provider": "プロバイダ",
    "col_tag": "タグ（指定用）",
    "col_quantization": "量子化",
    "col_uptime": "稼働率 %（直近30分）",
    "col_field": "項目",
    "col_value": "値",
    "col_meaning": "意味",
    "free_mark": "○",
    "missing": "—",
    "unknown": "不明",
    "more_rows": "（全{total}件のうち{shown}件を表示）",
    "no_rows": "（該当するものはありません）",
    "unlimited": "上限なし",
    "yes": "はい",
    "no": "いいえ",
    "hidden": "（表示しません）",
    "ignored": "（省略）",
    "free_requests": "{used} 回使用 / 上限 {limit} 回（残り {remaining} 回）",
    "bad_sort": "sort には {choices} のどれかを指定してください（指定された値: {value!r}）。",
    "bad_model_id": "モデルIDは「メーカー/モデル名」の形で指定してください（指定された値: {value!r}）。",
    "unknown_model": "モデル {model!r} はカタログにありません。IDのつづりを確認するか、"
                     "list_models() で今あるモデルを確かめてください。",
    "price_varies": "モデル {model!r} の料金は固定ではない（使われたモデルで決まる）ため、見積もれません。",
    "price_unknown": "モデル {model!r} の料金（{kind}）がカタログに載っていないため、見積もれません。"
                     "料金は https://openrouter.ai/models のモデルのページで確かめてください。",
    "price_kinds": {"prompt": "入力", "completion": "出力", "request": "1回あたり"},
    "bad_rate": "為替レート（1ドルが何円か）は 0 より大きい数で指定してください。",
}

# What each GET /key field means, in the order the key table shows them. `label` is a masked piece of the key:
# it is listed so learners know it exists, but its value is never read.
KEY_FIELDS = {
    "label": "キーの先頭と末尾を伏せ字で示したもの。一部であってもキーは人に見せないので、ここでは表示しません。",
    "usage": "このキーでこれまでに使った金額（USD）。無料モデルだけを使っていれば増えません。",
    "usage_daily": "今日（UTC の0時から）使った金額（USD）。",
    "usage_monthly": "今月使った金額（USD）。",
    "limit": "このキーに設定した利用上限（USD）。上限を決めておくと使いすぎを防げます。",
    "limit_remaining": "上限までの残り（USD）。",
    "limit_reset": "上限がリセットされる周期（daily / weekly / monthly）。",
    "is_free_tier": "まだクレジットを購入したことがないアカウントなら「はい」。",
    "free_model_daily_requests": "今日（UTC）の無料モデルの利用回数と1日の上限。上限はこれまでのクレジット購入額で変わります。",
    "expires_at": "キーの有効期限。空なら期限なし。",
    "rate_limit": "古い項目で、今は使われていません（無視してかまいません）。",
}

# Chart titles and labels.
CHARTS = {
    "makers_title": "メーカー別のモデル数（上位{shown}社 / 全{total}社）",
    "makers_xlabel": "モデル数",
    "prices_title": "プロバイダ別の料金（100万トークンあたりのドル）",
    "prices_xlabel": "USD / 100万トークン",
    "input": "入力",
    "output": "出力",
    "missing": "—",
}

# -- instructor commands: doctor, record, CLI (doctor.py, record.py, __main__.py) ---------------------------

# -- class keys (class_keys/) -----------------------------------------------------------------------------
