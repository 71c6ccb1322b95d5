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
        "【収録モード】OpenRouter に実際にリクエストを送り、応答を収録しています（講師用）。",
        "・APIキーや認証ヘッダーは収録データから取り除かれます。",
    ),
}
BANNER_NOTE = "※ {note}"
BANNER_FOOTER = "接続先: {base_url} ／ APIキー: {key_status}"

# The replay banner's line about the recordings, by what they hold (see recording_source).
RECORDINGS_LINE = {
    "example": "・収録データは見本です。モデル一覧と料金は OpenRouter の実際の公開データ（{catalogue_date} 時点）、"
               "AIの応答文は API の形式に沿って作った例（{days} 付）で、実際の応答とは異なります。",
    "live": "・収録データは、{days} に OpenRouter から実際に収録した応答です"
            "（モデル一覧・料金・応答文はその日のもの）。",
    "mixed": "・収録データには、OpenRouter から実際に収録した応答（{live}）と、"
             "API の形式に沿って作った見本（{example}）が混ざっています。",
    "day_separator": "・",
}

# Notes under the banner on how the mode was chosen.
MODES = {
    "bad_value": "COURSE_MODE={value!r} は使えない値です（live / replay / record のどれかを指定します）。"
                 "モードは自動で選びます。",
    "live_without_key": "COURSE_MODE=live が指定されていますが、使えるAPIキーがないため再生モードで続けます。",
    "key_problem": "APIキーに問題があるため、再生モードで続けます: {problem}",
    "record_without_key": "収録モード（COURSE_MODE=record）には、正しい形式のAPIキーが必要です。"
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
    "other_service": "これは OpenRouter ではなく {service} のキーのようです。"
                     "OpenRouter のキーは「sk-or-v1-」で始まります。"
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

# A request the recordings lack. The error box shows it as "what happened", next to the case's own cause and
# next step (ERRORS["not_recorded"]): so these say only what is particular to this request.
REPLAY = {
    "not_recorded": "このリクエスト（モデル: {model}）は収録されていません。{recorded}",
    "differs": "{field} が収録と違います（収録: {recorded} ／ 今回: {sent}）。",
    "unset": "指定なし",
    "or": "、",
    "examples": "\n収録済みの例:\n{lines}",
    "example": "  ・{model}: 「{prompt}」",
    "lookup": "この問い合わせ（{request}）は収録されていません。",
    "other": "このリクエスト（{request}）は収録されていません。",
    "unsafe_recording": "収録データにAPIキーらしき文字列が残っていたため、{path} を書き込みませんでした。",
    # The recordings themselves: a missing folder, or files that cannot be read (a truncated copy, a bad merge).
    "folder_missing": "収録データ（{path} の .yaml ファイル）が見つからないため、再生できるものがありません。"
                      "教材のフォルダを丸ごと取得し直すか、講師に知らせてください。",
    "broken_files": "収録ファイル {files} が壊れていて読み込めませんでした（ほかの収録は再生できます）。"
                    "教材を取得し直すか、講師に知らせてください。",
    "broken_here": "\n※ 収録ファイル {files} が壊れていて読み込めなかったため、その収録はありません。",
    "file_separator": "、",
}

# -- error explanations (explanations.py, error_box.py, guards.py) ----------------------------------------

# Each error case has `what` (what happened, one sentence), `cause` (one or two likely causes) and `next`
# (one concrete step). The explainer fills `{name}` placeholders only: other braces (JSON in examples) stay as
# written. Plain text, no emoji (the same text is printed to consoles). ERROR_FRAGMENTS holds optional pieces.
KEY_LESSON = "02_account_and_key.ipynb"
PRICE_LESSON = "03_models_and_prices.ipynb"
FALLBACK_MODELS_EXAMPLE = 'extra_body={"models": ["第1候補のモデルID", "予備のモデルID"]}'

ERRORS: dict[str, dict[str, str]] = {
    # -- key --------------------------------------------------------------------------------------
    "no_key": {
        "what": "APIキーがないまま、OpenRouter にリクエストを送ろうとしました。",
        "cause": "このノートブックの最初のセル（course_utils.setup()）を、まだ実行していないのかもしれません。"
                 "環境変数 OPENROUTER_API_KEY が空になっていることも考えられます。カーネルを再起動したあとは、"
                 "最初のセルから実行し直す必要があります。",
        "next": "最初のセル（course_utils.setup()）を実行してから、このセルをもう一度実行してください。"
                f"キーがなくても、setup() を実行すれば再生モードで続けられます。キーの設定手順は {KEY_LESSON} にあります。",
    },
    "key_malformed": {
        "what": "{message}",
        "cause": "APIキーは、OpenRouter の Keys ページで作った「sk-or-v1-」で始まる文字列を、そのまま1行で使います。",
        "next": ".env のキーを直して保存し、セットアップのセル（course_utils.setup()）から実行し直してください。"
                f"キーの作り方と置き場所は {KEY_LESSON} で説明しています。",
    },
    "key_invalid": {
        "what": "OpenRouter がこのAPIキーを受け付けませんでした（401 認証エラー）。",
        "cause": "キーが削除・無効化されたか、一部だけがコピーされているか、別のキーと取り違えている可能性があります。",
        "next": "https://openrouter.ai/settings/keys でキーが有効か確かめ、必要なら新しいキーを作って .env に貼り直してください。"
                f"そのあとセットアップのセルから実行し直します（{KEY_LESSON}）。",
    },
    "record_without_key": {
        "what": "収録モード（COURSE_MODE=record）が指定されましたが、使えるAPIキーがありません。",
        "cause": "収録モードでは本物の OpenRouter にリクエストを送るため、有効なキーが必要です。",
        "next": f".env に OPENROUTER_API_KEY を設定するか（{KEY_LESSON}）、COURSE_MODE の指定を外して再生モードで実行してください。",
    },
    # -- credits ----------------------------------------------------------------------------------
    "credits_insufficient": {
        "what": "クレジットが足りないため、リクエストが断られました（402）。",
        "cause": "残高が足りないまま有料モデルを使おうとしたか、クレジット残高がマイナスになっています"
                 "（残高がマイナスだと無料モデルも使えません）。max_tokens を指定しないと、そのモデルの出力の上限いっぱいで"
                 "費用を見積もるため、残高が少しでも足りないことがあります。",
        "next": "max_tokens=300 のように出力の上限を小さく指定すると通ることがあります。"
                "通らなければ https://openrouter.ai/settings/credits で残高を確かめてください。お金をかけずに続けるなら、"
                f"名前が「:free」で終わる無料モデルに切り替えます（{PRICE_LESSON}）。",
    },
    "credits_never_purchased": {
        "what": "このアカウントはまだクレジットを購入していないため、有料モデルへのリクエストが断られました（402）。",
        "cause": "有料モデルの料金はクレジットから支払います。クレジットを一度も購入していないアカウントでは、"
                 "有料モデルは使えません（max_tokens を小さくしても通りません）。無料モデルは今までどおり使えます。",
        "next": "このセルは飛ばして先へ進んでかまいません。名前が「:free」で終わる無料モデルなら続けられます"
                f"（{PRICE_LESSON}）。有料モデルを使うときは、キーが自分のアカウントのものか確かめてから "
                "https://openrouter.ai/settings/credits でクレジットを購入します（授業では講師の指示に従ってください）。",
    },
    "credits_max_tokens": {
        "what": "今のクレジット残高では、最大 {requested} トークンの応答の料金を払いきれません（402）。",
        "cause": "OpenRouter は、応答が max_tokens（指定しないときはモデルの最大出力長）いっぱいまで長くなった場合の料金を"
                 "前もって確かめます。残高で払えるのは {afford} トークン分までです。",
        "next": "create(...) に max_tokens={suggested} のように {afford} より小さい値を指定して、もう一度実行してください。"
                f"または https://openrouter.ai/settings/credits でクレジットを追加します（{PRICE_LESSON}）。",
    },
    "key_limit": {
        "what": "このAPIキーに設定された利用上限に達しました（402）。",
        "cause": "キーごとに決めた上限（Credit limit）まで使い切りました。アカウントの残高が残っていても、このキーでは使えません。",
        "next": "https://openrouter.ai/settings/keys でこのキーの上限を上げるか、新しいキーを作ってください。"
                "授業で配られたキーなら、講師に相談してください。",
    },
    # -- refused ----------------------------------------------------------------------------------
    "moderation": {
        "what": "入力した文章がプロバイダーの内容チェック（モデレーション）に引っかかり、止められました（403、理由: {reasons}）。",
        "cause": "このモデルはプロバイダーのチェックを必ず通す設定で、プロンプトの一部が規約に触れると判断されました。"
                 "誤判定のこともあります。料金はかかっていません。",
        "next": "プロンプトの言い回しを変えるか、別のモデルを選んで、セルをもう一度実行してください。",
    },
    "guardrail": {
        "what": "OpenRouter のガードレール（組織やキーに設定された安全ルール）が、このリクエストを止めました（403）。",
        "cause": "「前の指示を無視して」のような禁止されたパターンがプロンプトに含まれているか、許可されていないモデルを使おうとしています。",
        "next": "プロンプトを書き換えるか、許可されたモデルを使ってください。ルールの中身は、設定した人（講師や組織の管理者）に確かめてください。",
    },
    "forbidden": {
        "what": "このAPIキーには、この操作をする権限がありません（403）。",
        "cause": "管理用キー（management key）でしか使えない機能を、普通のAPIキーで呼び出した可能性があります。",
        "next": "教材のコードと同じ呼び出し方になっているか見比べてください。管理用の操作が本当に必要なら、"
                "https://openrouter.ai/settings/keys で管理用キーを作ります。",
    },
    # -- request ----------------------------------------------------------------------------------
    "model_invalid": {
        "what": "モデルID「{model}」は OpenRouter にありません（400）。",
        "cause": "IDのつづり違い（「/」の前の会社名、大文字・小文字、「:free」の付け忘れなど）か、そのモデルの提供が終わった可能性があります。",
        "next": "{suggestions}https://openrouter.ai/models で正しいIDを確かめ、モデルを決めるセル（model_name = ...）を直して、"
                "そこから実行し直してください。",
    },
    "context_exceeded": {
        "what": "プロンプトが長すぎて、モデル「{model}」が一度に扱える長さ（コンテキスト長{context}）を超えました（400）。",
        "cause": "プロンプトと応答（max_tokens）を合わせた長さが、このモデルのコンテキスト長を超えています。"
                 "長い文章を貼り付けたか、会話の履歴が長くなりすぎたか、max_tokens が大きすぎます。",
        "next": "プロンプトを短くする・古い履歴を消す・max_tokens を小さくする、のどれかを試してください。"
                f"コンテキスト長の長いモデルは {PRICE_LESSON} で探せます。",
    },
    "bad_request": {
        "what": "リクエストの中身に不足や誤りがあり、受け付けられませんでした（400）。",
        "cause": "messages が空か、引数の名前や値の形が違っていることがよくあります。",
        "next": "create(...) の引数を教材のコードと見比べてください。特に "
                'messages=[{"role": "user", "content": "質問"}] の形になっているかを確かめます。',
    },
    "prompt_empty": {
        "what": "プロンプトが空です。",
        "cause": "何も入力せずに実行したか、空白や改行だけになっています。",
        "next": "質問や指示の文章を入れてから、もう一度実行してください。",
    },
    "prompt_too_long": {
        "what": "プロンプトが長すぎて、モデル「{model}」が一度に読める長さ（{context} トークン）を超えそうです。",
        "cause": "文字数から見積もると、少なくとも約 {estimate} トークンあります（目安です。実際の数はモデルによって違います）。",
        "next": f"文章を短くするか分けて送るか、コンテキスト長の長いモデルを選んでください（{PRICE_LESSON}）。",
    },
    "messages_shape": {
        "what": "messages の形が違います（{problem}）。",
        "cause": 'messages は、{"role": "user", "content": "質問"} のような辞書を並べたリストです。'
                 "文字列だけのリストや、辞書を1つだけ渡すと、この形になりません。",
        "next": 'messages=[{"role": "user", "content": "質問"}] の形に直して、もう一度実行してください。',
    },
    "prompt_surrogate": {
        "what": "プロンプトに、文字として送れない壊れた文字があります{where}。",
        "cause": "絵文字などをコピーしたときに、1文字の半分だけが貼り付けられることがあります"
                 "（Python では「孤立したサロゲート」と呼ばれ、そのままでは送信できません）。",
        "next": "その部分を消して入力し直すか、絵文字を使わずに書いてから、もう一度実行してください。",
    },
    # -- model availability (error.availability.code when OpenRouter sends it, else the message) ----
    "no_endpoints": {
        "what": "モデル「{model}」を今動かせるプロバイダーがありません（404）。",
        "cause": "無料版（:free）の提供が終わったか一時的に止まっているか、求めた機能（ツール呼び出しや画像入力など）に"
                 "対応するプロバイダーがありません。",
        "next": "{suggestions}https://openrouter.ai/models で今使えるモデルを探し、モデルを決めるセルを書き換えて実行し直してください。"
                f"{FALLBACK_MODELS_EXAMPLE} のように予備のモデルを並べておく方法もあります。",
    },
    "no_tool_support": {
        "what": "モデル「{model}」は、ツール呼び出し（tools）に対応していません（404）。",
        "cause": "カタログの supported_parameters に tools がないモデルに、tools を付けて送りました。",
        "next": 'course_utils.catalog.get_model(モデルID)["supported_parameters"] に "tools" があるモデル'
                "（例: course_utils.MODELS.free）に変えて、実行し直してください。",
    },
    "unsupported_parameters": {
        "what": "モデル「{model}」には、指定した項目（response_format など）に対応したプロバイダーがありません（404）。",
        "cause": "provider.require_parameters を True にしたので、対応していない項目を無視せずにエラーにしました。",
        "next": "カタログの supported_parameters（構造化出力なら structured_outputs）があるモデルに変えるか、"
                "require_parameters を外してください（外すと、その項目は無視されます）。",
    },
    "no_image_input": {
        "what": "モデル「{model}」は、画像の入力に対応していません（404）。",
        "cause": 'カタログの input_modalities に "image" がないモデルに、画像（image_url）を送りました。',
        "next": 'input_modalities に "image" があるモデル（例: course_utils.MODELS.free）に変えて、実行し直してください。',
    },
    "no_output_modality": {
        "what": "モデル「{model}」は、求めた出力（modalities: {modalities}）に対応していません（404）。",
        "cause": '画像を作れないモデルに modalities=["image", ...] を送ったか、画像だけを出すモデルに "text" も求めました。',
        "next": 'カタログの output_modalities を確かめ、"image" を含むモデルを選ぶか、'
                "modalities をそのモデルの output_modalities に合わせてください。",
    },
    "no_images_returned": {
        "what": "答えに画像が入っていません（message.images がありません）。",
        "cause": "画像を作れるモデルでも、modalities を付けずに送ると、エラーにはならず文章だけが返ります。",
        "next": '呼び出しに extra_body={"modalities": ["image", "text"]} を付けて、送るセルから実行し直してください'
                '（画像を作れるかは、カタログの output_modalities に "image" があるかでわかります）。',
    },
    "image_too_large": {
        "what": "画像が大きすぎるため、OpenRouter が受け付けませんでした（413）。",
        "cause": "送った画像が 30MB の上限を超えています（プロバイダーによっては、さらに小さい上限があります）。",
        "next": "画像を縮小するか圧縮して（例: 幅 1024 ピクセル程度の PNG/JPEG）、送り直してください。",
    },
    "model_unknown": {
        "what": "モデル「{model}」は、モデル一覧（カタログ）にありません（404）。",
        "cause": "IDのつづり違い（「/」の前の会社名、大文字・小文字、「:free」の有無など）か、そのモデルの提供が終わった可能性があります。",
        "next": "{suggestions}https://openrouter.ai/models で正しいIDを確かめ、IDを直してセルを実行し直してください。",
    },
    "free_retired": {
        "what": "無料版のモデル「{model}」は、もう提供されていません（404）。",
        "cause": "無料版の提供は、プロバイダーの都合で予告なく終わることがあります。モデル一覧（カタログ）に、このIDはもうありません。"
                 "有料版の {base} は残っています（使うとクレジットを消費します）。",
        "next": "{suggestions}無料で続けるなら「:free」で終わるIDを選びます。https://openrouter.ai/models で今使えるIDを確かめ、"
                "モデルを決めるセル（model_name = ...）を直して、そこから実行し直してください。",
    },
    "model_retired": {
        "what": "モデル「{model}」は提供が終わりました（{status}）。",
        "cause": "新しい版が出たときなどに、古いモデルの提供は終わります。OpenRouter は、このモデルを廃止済みと答えました。",
        "next": "{suggestions}https://openrouter.ai/models で今使えるIDを確かめ、モデルを決めるセル（model_name = ...）を直して、"
                "そこから実行し直してください。",
    },
    "wrong_endpoint": {
        "what": "モデル「{model}」は、この種類のリクエストには使えません（{status}）。",
        "cause": "画像生成や埋め込み（embeddings）用のモデルなど、チャット（chat.completions）では動かないモデルを指定した可能性があります。",
        "next": "{suggestions}https://openrouter.ai/models で出力がテキストのモデルを選び、モデルIDを直してから実行し直してください。",
    },
    "region_restricted": {
        "what": "モデル「{model}」は、今いる国や地域からは使えません（{status}）。",
        "cause": "プロバイダーによっては、提供する国や地域を限っています。{excluded}",
        "next": "{suggestions}別のモデルを選んで実行し直してください。授業のネットワークの事情なら、講師に相談してください。",
    },
    "constraint_filtered": {
        "what": "指定した条件に合うプロバイダーがなく、モデル「{model}」を動かせません（{status}）。",
        "cause": "extra_body の provider の条件（料金の上限 max_price、量子化 quantizations、require_parameters など）で、"
                 "すべてのプロバイダーが外れました。{excluded}",
        "next": "provider の条件をゆるめるか外してから、セルを実行し直してください。{suggestions}",
    },
    "capacity_exhausted": {
        "what": "モデル「{model}」のプロバイダーがすべて満員で、今は受け付けられません（{status}）。",
        "cause": "このモデルを使う人が一時的に集中しています。あなたのコードの誤りでも、1日の回数の上限でもありません。",
        "next": "{wait}もう一度実行するか、別のモデルに切り替えてください。{suggestions}"
                f"{FALLBACK_MODELS_EXAMPLE} のように予備のモデルを並べておくと、自動で切り替わります。",
    },
    "temporarily_unavailable": {
        "what": "モデル「{model}」は一時的に使えなくなっています（{status}）。",
        "cause": "プロバイダーの障害やメンテナンスで、一時的に止まっています。あなたのコードの誤りではありません。",
        "next": "{wait}もう一度実行するか、別のモデルを試してください。{suggestions}"
                "障害の情報は https://status.openrouter.ai で見られます。",
    },
    "availability_other": {
        "what": "モデル「{model}」は今は使えないと、OpenRouter が答えました（{status}、理由コード: {code}）。",
        "cause": "この教材でまだ説明を用意していない理由です。OpenRouter の説明は下の「詳細」にあります。",
        "next": "{retry}{suggestions}https://openrouter.ai/models で今使えるモデルを確かめ、モデルを決めるセルを直して"
                "実行し直してください。",
    },
    "data_policy": {
        "what": "今のプライバシー設定では、このモデルを使えるプロバイダーがありません（404）。",
        "cause": "無料モデルの多くは、入力をモデルの改善に使ってよいことを条件にしています。設定でそれを許可していないと使えません。",
        "next": "https://openrouter.ai/settings/privacy の設定を確かめてください。設定を変えたくない場合は、別のモデルを選びます。"
                "{suggestions}",
    },
    "no_allowed_providers": {
        "what": "provider の設定で選んだプロバイダーでは、このモデルを動かせません（404）。",
        "cause": "extra_body の provider（only・order・ignore など）の指定が厳しすぎます。このモデルを扱っているプロバイダー: {available}。",
        "next": "provider の指定を外すか、上のプロバイダーを許可に加えてから、セルを実行し直してください。",
    },
    "not_found": {
        "what": "指定した場所（URL）やデータが見つかりませんでした（404）。",
        "cause": "base_url の書き間違い（正しくは https://openrouter.ai/api/v1）か、存在しないID（生成IDなど）を指定した可能性があります。",
        "next": "OpenAI(base_url=...) の値と .env の OPENROUTER_BASE_URL を確かめてください。"
                "生成IDを使うセルなら、直前の応答からIDを取り直します。",
    },
    "request_timeout": {
        "what": "OpenRouter 側で処理が時間内に終わらず、打ち切られました（408）。",
        "cause": "モデルやプロバイダーが混み合っているか、とても長い応答を求めました。",
        "next": "少し待ってからセルをもう一度実行してください。続くときは max_tokens を小さくするか、別のモデルを試します。",
    },
    # -- rate limits --------------------------------------------------------------------------------
    "rate_minute": {
        "what": "短い時間にリクエストを送りすぎたため、一時的に止められました（429）。1分あたりの上限{limit}に達しています。",
        "cause": "無料モデル（:free）は1分に20回まで、混んでいるモデルはさらに少ない回数までです。"
                 "回数はアカウント全体で数えるので、キーを増やしても変わりません。",
        "next": "{wait}もう一度実行してください。ループで何度も呼ぶときは、time.sleep(3) などで間をあけます。",
    },
    "rate_day": {
        "what": "無料モデルの1日の利用回数の上限{limit}に達しました（429）。",
        "cause": "無料モデルは1日50回まで（合計10クレジット以上を購入済みなら1000回まで）です。"
                 "回数はアカウント全体で数えるので、キーやモデルを替えても増えません。",
        "next": "上限は毎日 9:00（日本時間。0:00 UTC）にリセットされます{reset_at}。{upgrade}",
    },
    "rate_upstream": {
        "what": "モデルのプロバイダー（{provider}）が混み合っていて、リクエストを受け付けられませんでした（429）。",
        "cause": "無料モデルは大勢で同じ枠を分け合っているため、プロバイダーの側で回数制限がかかることがよくあります。"
                 "あなたの1日の上限とは別です。",
        "next": "{wait}もう一度実行するか、別のモデルに切り替えてください。"
                f"{FALLBACK_MODELS_EXAMPLE} のように予備のモデルを並べておくと、自動で切り替わります。",
    },
    "rate_limited": {
        "what": "リクエストが多すぎるため、一時的に止められました（429）。",
        "cause": "短い時間に何度も実行したか、無料モデルの上限（1分20回、1日50回。10クレジット以上購入済みなら1日1000回）に"
                 "達しました。回数はアカウント全体で数えます。",
        "next": "{wait}もう一度実行してください。",
    },
    # -- provider and server ------------------------------------------------------------------------
    "provider_error": {
        "what": "モデルのプロバイダー（{provider}）でエラーが起き、応答を受け取れませんでした（502）。",
        "cause": "プロバイダーのサーバーが一時的に不調か、モデルが止まっています。あなたのコードの誤りではないことがほとんどです。",
        "next": f"少し待ってから実行し直すか、別のモデルを試してください。{FALLBACK_MODELS_EXAMPLE} のように予備のモデルを"
                "並べておくと、自動で次のモデルが使われます。",
    },
    "no_provider": {
        "what": "今このモデルを動かせるプロバイダーがありません（503）。",
        "cause": "プロバイダーが混み合っているか一時的に止まっているか、provider の指定に合うプロバイダーがありません。",
        "next": f"別のモデルを試すか、{FALLBACK_MODELS_EXAMPLE} で予備のモデルを指定してください。"
                "障害の情報は https://status.openrouter.ai で見られます。",
    },
    "server_error": {
        "what": "OpenRouter 側でエラーが起きました（{status}）。",
        "cause": "サーバーの一時的な不調です。あなたのコードの誤りではありません。",
        "next": "数分待ってから実行し直してください。障害の情報は https://status.openrouter.ai で見られます。",
    },
    # -- network and client ---------------------------------------------------------------------------
    "malformed_response": {
        "what": "OpenRouter（または途中の接続先）から、読み取れない形の応答が返ってきました。",
        "cause": "一時的な障害か、接続先の設定（OPENROUTER_BASE_URL）の誤りで、JSON ではない応答が届いたと考えられます。",
        "next": "少し待ってから、セルをもう一度実行してください。続くときは OPENROUTER_BASE_URL が正しいか"
                "（ふだんは https://openrouter.ai/api/v1）を確かめ、別のモデルも試してください。",
    },
    "captive_portal": {
        "what": "OpenRouter の答えの代わりに、Webページ（HTML）が届きました。",
        "cause": "学校・駅・カフェなどの Wi-Fi では、最初に Wi-Fi のログイン画面（利用規約への同意など）を済ませるまで、"
                 "どこに接続してもそのページが返ってきます。接続先（OPENROUTER_BASE_URL）の誤りでも起きます。",
        "next": "ブラウザで https://openrouter.ai を開き、Wi-Fi のログイン画面が出たらログイン（同意）してから、"
                "このセルをもう一度実行してください。続くときは OPENROUTER_BASE_URL が https://openrouter.ai/api/v1 か"
                "確かめます。オフラインでも再生モードなら続けられます。",
    },
    "connection": {
        "what": "OpenRouter（接続先: {host}）に接続できませんでした。",
        "cause": "インターネットにつながっていないか、学校や会社のネットワークでプロキシなどを通す必要があります。",
        "next": "ブラウザで https://openrouter.ai が開けるか確かめてください。別の接続先を使う場合は、.env の OPENROUTER_BASE_URL に"
                "その URL を書き、セットアップのセルから実行し直します。オフラインでも再生モードなら続けられます。",
    },
    "client_timeout": {
        "what": "指定した待ち時間（timeout）のうちに、応答が返ってきませんでした。",
        "cause": "OpenAI(timeout=...) や create(timeout=...) の値が短すぎるか、モデルの応答が遅くなっています。",
        "next": "timeout を大きくする（例: timeout=60）か max_tokens を小さくしてから、もう一度実行してください。",
    },
    # -- streaming and answers with errors ----------------------------------------------------------
    "stream_error": {
        "what": "ストリーミングの途中で、OpenRouter からエラーが届きました（エラーコード {code}）。",
        "cause": "応答を作っている途中で、プロバイダーに問題が起きたか、混雑のため制限がかかりました。それまでに届いた文章は、途中で切れています。",
        "next": "少し待ってからセルを実行し直してください。続くときは別のモデルを試すか、stream=False にして原因を確かめます。",
    },
    "stream_cut": {
        "what": "応答を受け取っている途中で接続が切れ、最後まで届きませんでした。",
        "cause": "ネットワークが不安定か、プロバイダーが途中で接続を切りました。",
        "next": "セルをもう一度実行してください。たびたび起きるときは、stream=False で試すか、別のモデルを使います。",
    },
    "completion_error": {
        "what": "モデルの応答が途中でエラーになりました（finish_reason が \"error\"）。",
        "cause": "応答を作っている途中で、プロバイダーとの接続が切れたかエラーが起きました。HTTP としては成功（200）なので、"
                 "openai は例外を出しません。",
        "next": "届いた文章（message.content）は不完全です。セルを実行し直すか、別のモデルを試してください。",
    },
    # -- replay -------------------------------------------------------------------------------------------
    "not_recorded": {
        "what": "{message}",
        "cause": "再生モードで再生できるのは、プロンプト・モデル・設定（temperature など）が収録とすべて同じリクエストだけです。"
                 "少しでも変えると、対応する収録がないため再生できません。",
        "next": "変えたところ（プロンプト・モデル・temperature など）を元に戻して実行し直してください。自分のプロンプトを試すには、"
                ".env に OPENROUTER_API_KEY を設定し、"
                f"セットアップのセルを実行してライブモードに切り替えます（{KEY_LESSON}）。",
    },
    "recordings_missing": {
        "what": "{message}",
        "cause": "再生モードは教材に入っている収録データ（course_utils/recordings/ の .yaml ファイル）を再生しますが、"
                 "そのファイルが見つかりません。教材のフォルダの一部だけをコピーしたか、ファイルが消えた可能性があります。",
        "next": "教材のフォルダを丸ごと取得し直してから、セットアップのセルを実行し直してください。自分のAPIキーがあれば、"
                f".env に OPENROUTER_API_KEY を設定してライブモードで続けることもできます（{KEY_LESSON}）。",
    },
    "not_recorded_lookup": {
        "what": "{message}",
        "cause": "再生モードで調べられるのは、収録したときに受け取ったID（生成IDなど）だけです。"
                 "IDを書き換えたり、別の応答のIDを使ったりすると見つかりません。",
        "next": "IDを元に戻すか、IDを受け取ったセル（応答を受け取ったセル）から順に実行し直してください。"
                "ほかのIDを調べるには、.env に OPENROUTER_API_KEY を設定して"
                f"ライブモードに切り替えます（{KEY_LESSON}）。",
    },
    "value_invalid": {
        "what": "{message}",
        "cause": "関数に渡した値（モデルID・並べ替えの指定・為替レートなど）が、受け付けられる形や範囲になっていません。",
        "next": "上のメッセージのとおりに値を直して、セルをもう一度実行してください。",
    },
    # -- widget input -------------------------------------------------------------------------------
    "model_empty": {
        "what": "「モデル」欄が空です。",
        "cause": "モデルIDを入れないまま「送信」を押したか、欄の中身を消してしまいました。",
        "next": "「モデル」欄にモデルID（例: google/gemma-4-31b-it:free）を入れてから（再生モードでは「収録例」から選ぶことも"
                "できます）、もう一度「送信」を押してください。",
    },
    "compare_count": {
        "what": "比べるモデルが{n}個になっています（比べられるのは2〜4個です）。",
        "cause": "compare_models(...) に渡したモデルIDのリストが、1個以下か5個以上になっています。",
        "next": "リストに比べたいモデルIDを2〜4個入れて、セルをもう一度実行してください。",
    },
    # -- fallback (only for errors no case above describes) ----------------------------------------------
    "unknown": {
        "what": "予期しないエラーが起きました（{type}）。",
        "cause": "この教材でまだ説明を用意していない種類のエラーです。",
        "next": "下の「詳細」を講師に見せてください。セルを実行し直すと直ることもあります。",
    },
}

# Optional pieces inserted into the messages above (filled with str.format).
ERROR_FRAGMENTS: dict[str, str] = {
    "count": "（{n}回）",
    "suggestions": "近いIDの候補: {ids}。",
    "fallbacks": "OpenRouter がすすめる代わりのモデル: {ids}。",
    "excluded": "外れた理由（OpenRouter の答え）: {items}。",
    "context_tokens": "：{n} トークン",
    "retry_later": "{wait}もう一度実行すると通ることがあります。",
    "retry_useless": "同じリクエストを送り直しても通りません。",
    "reset_at": "（次のリセットは {time}）",
    "rate_day_upgrade": f"それまでは再生モードで続けてください。10クレジット以上を購入すれば、上限が1日1000回になります（{PRICE_LESSON}）。",
    "rate_day_at_max": "このアカウントはすでに1日1000回の上限です。リセットまでは再生モードで続けるか、"
                       f"名前に「:free」が付かない有料版のモデルに切り替えてください（{PRICE_LESSON}）。",
    "date_time": "{month}月{day}日 {hour}:{minute:02d}",
    "wait_until": "{time}（日本時間）ごろまで待ってから、",
    "wait_seconds": "{seconds}秒ほど待ってから、",
    "wait_minute": "1分ほど待ってから、",
    "wait_short": "少し待ってから、",
    "position": "（{n} 文字目）",
    "not_a_list": "リストではなく {type} です",
    "not_a_dict": "{n}番目の要素が辞書ではなく {type} です",
    "unknown_value": "不明",
    "list_separator": "、",
}

# Headings of the explanation box and labels of its details part.
ERROR_HEADINGS: dict[str, str] = {
    "title": "エラーの説明",
    "what": "何が起きたか",
    "cause": "よくある原因",
    "next": "次にやること",
    "details": "詳細",
}
# The short error line under the explanation when a plain cell (no kindly()) raised the error.
UNCAUGHT_LINE = ("{name}: 上の説明のとおりに直してから、このセルをもう一度実行してください。"
                 "英語のエラー表示（トレースバック）全体は、次のセルで %tb を実行すると見られます。")
ERROR_DETAIL_LABELS: dict[str, str] = {
    "type": "例外の種類",
    "status": "HTTPステータス",
    "code": "エラーコード",
    "message": "OpenRouter のメッセージ",
    "exception_message": "例外のメッセージ",
    "provider": "プロバイダー",
    "availability": "availability（モデルを使えない理由）",
    "metadata": "metadata",
    "received": "届いた内容（最初の部分）",
    "cause": "元の例外",
    "request": "リクエスト",
}

# -- widgets (widgets/) -----------------------------------------------------------------------------------

# The model box empty and a wrong comparison count are explained cases: their sentences are the errors'.
WIDGETS = {
    # model picker: feature filters (catalogue architecture and supported_parameters)
    "feature_filters": {"image_in": "画像を読める", "image_out": "画像を作れる", "tools": "ツール対応"},
    # prompt sender: shown only for models whose output_modalities include "image"
    "make_images": "画像も作る（modalities）",
    # what a saved lesson shows in a widget's place until its cell runs
    "placeholder": {
        "picker": "（ここにモデル選択ウィジェットが表示されます。セルを実行してください）",
        "sender": "（ここにプロンプト送信ウィジェットが表示されます。セルを実行してください）",
        "comparison": "（ここにモデル比較ウィジェットと各モデルの答えが表示されます。セルを実行してください）",
    },
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
    "temperature": "temperature",  # the parameter's own name, as the lessons and the shown code write it
    "max_tokens": "最大トークン",
    "send": "送信",
    "show_code": "コードを表示",
    "recorded_prompts": "収録例",
    "recorded_choose": "収録済みのプロンプトを選ぶ…",
    "recorded_system": "（システム: {system}）",
    "replay_hint": "再生モードでは収録済みのプロンプトだけが答えを返します。"
                   "ほかのプロンプトを試すにはAPIキーを設定してください。",
    # replay: how the boxes differ from the nearest 収録例 (under the boxes while typing, and after 送信)
    "match_ok": "上の「収録例」と同じ内容です。「送信」を押すと、収録した答えが再生されます。",
    "match_elsewhere": "ほかの回で収録した内容と同じです。「送信」を押すと、収録した答えが再生されます。",
    "match_differs": "このままでは再生できません。",
    "differs": "「{field}」欄が収録例と違います（収録例: {recorded} ／ いま: {sent}）。",
    "differs_appended": "「プロンプト」欄の収録例の文のあとに、文が書き足されています（書き足した部分: {added}）。",
    "differs_none": "「収録例」に、モデル・プロンプト・システムのどれかが同じものはありません。",
    "or": " または ",
    "blank": "（空欄）",
    "not_recorded_what": "この「モデル」「プロンプト」「システム」の組み合わせは収録されていません。",
    "not_recorded_cause": "再生モードで答えが返るのは、収録済みの組み合わせ（上の「収録例」など）だけです。"
                          "3つの欄のどれかが少しでも違うと、対応する収録がないため再生できません。",
    "not_recorded_next": "上の「収録例」から選び直すか、違う欄を収録例のとおりに戻してから、"
                         "もう一度「送信」を押してください。"
                         "自分のプロンプトを試すには、.env に OPENROUTER_API_KEY を設定して"
                         f"ライブモードに切り替えます（{KEY_LESSON}）。",
    "waiting": "送信しました。応答を待っています…",
    "elapsed": "{status}（{seconds} 秒経過）",
    "stop": "止める",
    "stopped": "「止める」で送信を取りやめました（{seconds} 秒経過）。もう一度「送信」を押すと、送り直せます。",
    # the widgets' own wait (calls.STALL_SECONDS), in place of the lessons' advice about timeout=
    "stalled_cause": "{seconds} 秒のあいだ、サーバーから何も届かなかったので待つのをやめました。"
                     "ネットワーク（学校の Wi-Fi など）が途切れたか、モデルやプロバイダーが混み合っています。",
    "stalled_next": {
        "sender": "少し待ってから、もう一度「送信」を押してください。続くときは「モデル」欄を別の無料モデルに変えるか、"
                  "ブラウザで https://openrouter.ai が開けるか（ネットワークにつながっているか）確かめてください。",
        "comparison": "少し待ってから、もう一度「比較する」を押してください。"
                      "続くときはそのモデルを別の無料モデルに変えるか、"
                      "ブラウザで https://openrouter.ai が開けるか（ネットワークにつながっているか）確かめてください。",
    },
    "thinking": "モデルが考えています…",
    "streaming": "受信中…",
    "empty_answer": "（応答の本文は空でした）",
    "usage": "トークン: 入力 {prompt} ／ 出力 {completion}（合計 {total}） ・ 完了理由: {finish} ・ "
             "プロバイダー: {provider} ・ 応答時間: {latency} ・ 費用: {cost}",
    "image_tokens": " ・ 画像トークン {n}",  # added to the usage line when the answer made images
    "latency": "{total:.2f} 秒（最初の文字まで {first:.2f} 秒）",
    "latency_replayed": "{total:.2f} 秒（収録の再生にかかった時間で、実際の応答時間ではありません）",
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
    "compare_not_recorded": "次のモデルの答えは、このプロンプトでは収録されていません: {models}。",
    "compare_recorded_models": "このプロンプトで収録済みのモデルは {models} です。",
    "compare_no_recorded_models": "このプロンプトの答えは、どのモデルでも収録されていません。",
    "compare_not_recorded_cause": "再生モードで比べられるのは、収録したときと同じモデルとプロンプト（システムも）の"
                                  "組み合わせだけです。",
    "compare_not_recorded_next": "compare_models(...) に渡すモデルとプロンプトを、"
                                 "このレッスンのセルに書かれていたとおりに戻して、セルを実行し直してください。"
                                 "自分で選んだモデルを比べるには、.env に OPENROUTER_API_KEY を"
                                 f"設定してライブモードに切り替えます（{KEY_LESSON}）。",
    "not_recorded_column": "（収録なし。上の説明を見てください）",
    "not_recorded_cell": "収録なし",
    "replay_times": "※ 再生モードの応答時間は、収録した答えを読み出すのにかかった時間です。"
                    "実際の応答時間ではありません。",
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
    "col_provider": "プロバイダー",
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
    "bad_model_id": "モデルIDは「開発元/モデル名」の形で指定してください（指定された値: {value!r}）。",
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
    "makers_title": "開発元別のモデル数（上位{shown}社 / 全{total}社）",
    "makers_xlabel": "モデル数",
    "prices_title": "プロバイダー別の料金（100万トークンあたりのドル）",
    "prices_xlabel": "USD / 100万トークン",
    "input": "入力",
    "output": "出力",
    "missing": "—",
    "text_axis": "（棒の長さ: {xlabel}）",
}

# -- instructor commands: doctor, record, CLI (doctor.py, record.py, __main__.py) ---------------------------

# `python -m course_utils record`. Every notebook ends in one of: re-recorded (both files new) or kept (both
# files exactly as they were, with the reason and what to do).
RECORD = {
    "no_key": "収録にはAPIキーが必要です。.env に OPENROUTER_API_KEY を設定してから、もう一度実行してください。",
    "no_notebooks": "収録するノートブックが見つかりません: {paths}",
    "recording": "収録中",
    "replaying": "出力を更新中",
    "unit": "セル",
    "kept": "収録データと出力は元のままです。",
    "failed": "{name}: 実行に失敗しました（{error}）。",
    "failed_next": "エラーの出たセルを直すか、通信と OpenRouter の状態を確かめてから、もう一度収録してください。",
    "key_in_source": "{name}: {cells} 番目のセルにAPIキーが書かれているため、このノートブックは収録しません。",
    "key_in_source_next": "セルからキーを消して .env の OPENROUTER_API_KEY に書いてください。このノートブックを保存・"
                          "共有したことがあれば、https://openrouter.ai/settings/keys でキーを無効化して作り直してください。",
    "unsafe": "{name}: 今回の収録データにAPIキーらしき文字列がありました（{where}）。書き込みを中止しました。",
    "unsafe_next": "応答にキーが入った原因（プロンプトに貼ったキー、キーを送り返すプロキシなど）を取り除き、念のためキーを"
                   "無効化して作り直してから、もう一度収録してください。",
    "leak_file": "ファイルの本文",
    "leak_stream": "{number} 番目のやりとりのストリーム応答（チャンクをつなげた本文）",
    "separator": "・",
    "new_errors": "{name}: 前回は成功していたものが、今回は失敗しました（{count} 件）。",
    "new_error_request": "  ! {label}（{before} → {after}）",
    "new_error_cell": "  ! {cell} 番目のセル: 前回は出ていなかったエラーの説明が出ています",
    "new_errors_next": "通信と OpenRouter の状態を確かめて、もう一度収録してください。失敗した結果をそのまま収録するには "
                       "--accept-new-errors を付けて実行します。",
    "accepted_errors": "{name}: 前回は成功していたもののうち {count} 件が失敗しましたが、--accept-new-errors の指定"
                       "どおりそのまま収録しました。",
    "save_refused": "{name}: {path} に書き込めませんでした（{error}）。",
    "save_refused_next": "ファイルとフォルダーの書き込み権限を確かめてから、もう一度実行してください。",
    "interrupted": "中断しました（Ctrl+C）。{name} の収録データと出力は元のままです。",
    "interrupted_after_save": "中断しました（Ctrl+C）。{name} は書き込みを終えてから止めました（収録データと出力は"
                              "今回のものです）。",
    "unchanged": "{name}: 変化なし（{count} 件のやりとり）",
    "changed": "{name}: 追加 {added} 件・削除 {removed} 件・応答の変化 {changed} 件",
    "diff_before": "前回",
    "diff_after": "今回",
    "done": "完了: {ok} 冊を再収録しました。",
    "done_with_kept": "{ok} 冊を再収録し、{kept} 冊は元のままです（理由と直し方は上のとおり）。",
    "done_interrupted": "再収録 {ok} 冊・元のまま {kept} 冊・実行しなかったもの {left} 冊。",
}

# `python -m course_utils doctor`.
DOCTOR = {
    "title_live": "講座の点検（ライブ: {url}）",
    "title_offline": "講座の点検（オフライン: 再生モードの準備）",
    "ok": "[OK]   ",
    "problem": "[問題] ",
    "info": "[情報] ",
    "key_found": "APIキー: {status}",
    "key_malformed": "APIキーの形式に問題があります: {message}",
    "reachable": "OpenRouter に接続できました（モデル {count} 件）。",
    "unreachable": "OpenRouter（{url}）に接続できません: {error}。ネットワーク・プロキシ（OPENROUTER_BASE_URL）を確認して"
                   "ください。授業は再生モード（COURSE_MODE=replay）で行えます。",
    "key_valid": "APIキーは有効です。",
    "key_invalid": "APIキーが受け付けられませんでした（{status}）。https://openrouter.ai/settings/keys で確認し、"
                   "新しいキーを .env に設定してください。",
    "key_error": "キーの情報（GET /key）を取得できませんでした: {error}",
    "limit": "キーの利用上限: {limit}（残り {remaining}、リセット: {reset}）",
    "usage": "これまでの使用額: ${usage}（今日 ${daily}）",
    "free_requests": "無料モデルの今日の利用: {used} 回 / 上限 {limit} 回（残り {remaining} 回）",
    "free_tier": "このアカウントはクレジット未購入のため、無料モデルは1日50回までです（10クレジット以上購入で1000回）。",
    "unlimited": "なし",
    "unknown": "不明",
    "model_ok": "{role}: {model}（コンテキスト長 {context}）",
    "model_ok_free": "{role}: {model}（無料、コンテキスト長 {context}）",
    "model_gone": "{role}: {model} がカタログにありません（提供が終わった可能性があります）。",
    "model_not_free": "{role}: {model} が無料ではなくなりました（入力 ${input}/1M・出力 ${output}/1M）。",
    "document_retired": "{role}: {model} は配布資料のモデルで、わざと提供終了のまま使っています（04回でエラーを確かめる教材）。",
    "document_back": "{role}: {model} がカタログに戻っています。04回の「提供が終わったモデル」の説明を見直してください。",
    "suggest": "    候補（同じ開発元の無料モデル、コンテキスト長が近い順）: {ids}",
    "suggest_other": "    同じ開発元に無料モデルがありません。ほかの開発元の候補: {ids}",
    "suggest_none": "    代わりになる無料モデルが見つかりません。",
    "fix_model": "    直し方: course_utils/course_models.toml の {role} の行を書き換え、"
                 "python -m course_utils record notebooks/ で再収録してください。",
    "no_notebooks": "ノートブックが見つかりません: {paths}",
    "notebook_invalid": "{name}: ノートブックの形式が正しくありません（nbformat）: {error}",
    "notebook_unexecuted": "{name}: 出力が保存されていないセルがあります（{count} 個）。"
                           "python -m course_utils record notebooks/ で出力を更新してください。",
    "notebook_ok": "{name}: 形式・出力 OK",
    "notebook_key": "{name}: {cells} 番目のセル（{part}）にAPIキーが含まれています。すぐにキーを無効化し、そのセルと"
                    "出力を消してください。",
    "part_source": "コード",
    "part_output": "出力",
    "cell_separator": "・",
    "recording_missing": "{name}: APIを呼び出すのに、収録データ {recording} がありません。"
                         "python -m course_utils record notebooks/{name} で収録してください。",
    "recording_ok": "{name}: 収録データ {recording} あり",
    "recording_not_needed": "{name}: APIを呼び出さないため、収録データは不要です",
    "recording_key": "{recording}: 収録データにAPIキーらしき文字列があります（{where}）。このファイルを消してキーを"
                     "無効化し、再収録してください。",
    "recordings_clean": "収録データ {count} 件にAPIキーらしき文字列はありません。",
    "catalogue_empty": "収録データにモデル一覧（GET /models）がありません。"
                       "モデル一覧を使うノートブックを python -m course_utils record で収録してください。",
    "catalogue_missing": "{role}: {model} が収録済みのモデル一覧にありません。再生モードで使えません。",
    "catalogue_ok": "{role}: {model} は収録済みのモデル一覧にあります",
    "summary_ok": "問題はありません。",
    "summary_problems": "問題が {count} 件あります。",
}

# `python -m course_utils --help` and the solutions subcommand (__main__.py).
CLI = {
    "description": "OpenRouter講座の講師用コマンド",
    "record": "ノートブックをライブで再収録し、コミットする出力（再生モード）も更新します。"
              "ノートブックごとに、収録データと出力を両方とも新しくするか、両方とも元のままにします",
    "paths": "ノートブックまたはフォルダ（省略時: notebooks/）",
    "accept_new_errors": "前回は成功していたやりとりやセルが今回失敗しても、そのまま収録します",
    "doctor": "授業の前の点検: キーがあれば OpenRouter・キー・講座のモデルを、なければ再生モードの準備を調べます",
    "offline": "キーがあってもオフラインの点検（収録データとノートブック）だけを行います",
    "solutions": "登録されている演習の解答例をすべて表示します（講師用。受講者のノートブックには出しません）",
    "ids": "表示する演習の番号（例: 01-1）。省略時はすべて",
    "no_exercises": "登録されている演習はありません。",
    "hint": "ヒント: {hint}",
}

# -- class keys (class_keys/) -----------------------------------------------------------------------------

# `python -m course_utils class-keys ...`, the printable slips, and the class profile's banner notes (model_ids.py).
CLASS_KEYS = {
    # the class profile (COURSE_PROFILE), for the banner
    "profile_live": "クラス用の設定（COURSE_PROFILE={profile}）: 教材で「無料モデル」と呼んでいる MODELS.free などは、"
                    "安い有料モデル（{free} など）に置き換わっています。"
                    "ふつうの長さの質問で1回0.1円未満の費用がかかり、クラスキーの上限から引かれます。"
                    "教材に「無料」「費用は0」とあっても、この授業では少額かかります。",
    "profile_not_live": "COURSE_PROFILE={profile} はライブモード用の設定です。このモードでは、収録してある標準のモデル"
                        "（無料モデル）を使います。",
    "profile_unknown": "COURSE_PROFILE={value!r} は使えない値です（{names} のどれかを指定します）。"
                       "標準のモデルを使います。",
    # the Management key and the API's errors
    "no_management_key": "Management キーが設定されていません。https://openrouter.ai/settings/management-keys で "
                         "Management キーを作り、講師のパソコンの .env に"
                         "「OPENROUTER_MANAGEMENT_KEY=（キー）」と書くか、環境変数 OPENROUTER_MANAGEMENT_KEY に"
                         "設定してください。Management キーはふつうのAPIキーとは別のもので、"
                         "受講者が読める場所（ハブの共有フォルダなど）には決して置かないでください。"
                         "（--dry-run の試算だけなら、キーなしで実行できます）",
    "http": {
        400: "OpenRouter がリクエストを受け付けませんでした（400: {detail}）。指定した値を確かめてください。",
        401: "Management キーが受け付けられませんでした（401: {detail}）。{var} のキーが間違っているか、"
             "取り消されています。https://openrouter.ai/settings/management-keys でキーを確かめ（必要なら作り直し）、"
             ".env の {var}= の後ろに貼り付け直してください。",
        403: "このキーにはキーを管理する権限がありません（403: {detail}）。{var} に入っているのは、"
             "ふつうのAPIキー（Keys ページで作るキー）のようです。キーの作成や削除には、"
             "https://openrouter.ai/settings/management-keys で作る Management キーが必要です。",
        404: "OpenRouter に見つかりませんでした（404: {detail}）。すでに削除されたキーかもしれません。"
             "class-keys usage で今あるキーを確かめてください。",
        429: "リクエストが多すぎるため、OpenRouter が一時的に受け付けていません（429: {detail}）。"
             "1分ほど待ってから、もう一度実行してください。",
        "5xx": "OpenRouter 側のエラーです（{status}: {detail}）。しばらく待ってから、もう一度実行してください。",
        "other": "OpenRouter がエラーを返しました（{status}: {detail}）。",
    },
    "unreachable": "{url} に接続できませんでした（{error}）。"
                   "インターネット接続と OPENROUTER_BASE_URL の設定を確かめてください。",
    "not_json": "OpenRouter の応答を読み取れませんでした（{status}）。しばらく待ってから、もう一度実行してください。",
    # checking the command line
    "bad_date": "日付は YYYY-MM-DD の形で指定してください（指定された値: {value}）。",
    "bad_count": "--count は 1 から 500 までの数にしてください。",
    "bad_limit": "--limit は 0 より大きい金額（ドル）にしてください（例: --limit 1）。",
    "bad_expires": "--expires の日付 {date} は過去の日付です。今日以降の日付にしてください。",
    "bad_prefix": "--prefix {prefix!r} は使えません。半角英数字と「_」「-」だけで、32文字までにしてください"
                  "（例: class2026a）。",
    "out_not_dir": "{path} はフォルダではありません。キーを保存するフォルダを --out に指定してください。",
    "out_in_git": "{path} は git で管理しているフォルダの中にあり、.gitignore で除外されていません。"
                  "キーをコミットしてしまわないよう、講座のリポジトリの外のフォルダ（例: ~/class-keys）を"
                  " --out に指定してください。",
    "unknown_models": "次のモデルIDはモデル一覧にありません: {models}。つづりを確かめてください"
                      "（--models course で講座のクラス用のモデルを指定できます）。",
    # confirmation and progress
    "confirm": "{question} [y/N]: ",
    "yes_words": ("y", "yes", "はい"),
    "period_usage": "{usage}（{period}）",
    "confirm_create": "{count}本のキーを作成します。よろしいですか？",
    "confirm_delete": "{prefix} のキー {count}本を削除します。削除したキーは元に戻せず、"
                      "受講者はそのキーを使えなくなります。よろしいですか？",
    "no_tty": "確認が必要ですが、入力できる端末がありません（パイプや自動実行から呼ばれています）。"
              "内容を確かめたうえで、--yes を付けて実行してください。何も変更していません。",
    "cancelled": "中止しました。何も変更していません。",
    "unit": "本",
    "progress_create": "キーを作成中",
    "progress": {"disable": "無効にしています", "enable": "有効にしています", "delete": "削除しています"},
    # create
    "plan": "作成する内容: 「{prefix}-番号」のキー {count}本（番号は01から。同じ名前のキーがあれば続きから）。"
            "1本あたりの上限 {limit}（{reset}）、有効期限 {expiry}、保存先 {out}",
    "plan_guardrail": "ガードレール「{name}」を全員のキーに割り当てます。使えるモデル: {models}",
    "plan_no_training": "プロンプトを学習に使う・公開するプロバイダーは使いません（--no-training）。",
    "any_model": "制限なし",
    "no_expiry": "なし",
    "expiry_shown": "{date} 23:59（日本時間）まで",
    "reset_words": {"daily": "毎日リセット", "weekly": "毎週リセット", "monthly": "毎月リセット", "": "リセットなし"},
    "guardrail_reused": "既にあるガードレール「{name}」を使います。",
    "dry_run_done": "（--dry-run のため、何も作成していません）",
    "created": "{count}本のキーを作成しました。キーの一覧: {csv}　配布用の紙: {slips}"
               "（どちらも本人だけが読めるファイルです。キーは画面には表示しません）",
    "partial": "{total}本のうち {done}本を作成したところで、{name} の作成に失敗しました: {error}\n"
               "作成済みの {done}本は keys.csv に保存してあります。"
               "残りの {rest}本は、同じコマンドを --count {rest} にして実行すると、続きの番号で作成され、"
               "同じ keys.csv に追加されます。",
    "assign_failed": "作成したキーをガードレール「{name}」に割り当てられませんでした: {error}\n"
                     "今のキーはモデルの制限なしで使えます。OpenRouter の Guardrails ページで割り当てるか、"
                     "class-keys disable で止めてください。",
    # the dry run's cost arithmetic
    "prices_live": "料金は OpenRouter のモデル一覧の今の値",
    "prices_recorded": "OpenRouter に接続できなかったため、料金は収録したモデル一覧（{date} 時点）の値",
    "prices_none": "モデル一覧を読めなかったため、料金は0として計算",
    "cost_title": "【費用の試算】収録どおりに各回のセルを1回ずつ実行した場合。「無料」の役のモデルは {free} で計算"
                  "（{source}）",
    "cost_header": "回 ｜ 呼び出し ｜ トークン（入力 / 出力） ｜ 1人あたり ｜ クラス全員",
    "cost_row": "{lesson} ｜ {calls}回 ｜ {prompt} / {completion} ｜ {one} ｜ {all}",
    "cost_total": "合計 ｜ {calls}回 ｜ ｜ {one} ｜ {all}（{students}人）",
    "cost_formula": "計算: {students}人 × 各回の呼び出し（合計{calls}回）× 各モデルの料金 ＝ "
                    "1人 {one}、クラス全員 {all}",
    "cost_vs_limit": "1人の上限 {limit}（{period}）に対して、教材1周は {one} です。上限まで約 {rounds} 周分使えます"
                     "（受講者が質問を変えて試すと、そのぶん増えます）。",
    "cost_cap": "費用の最大: {students}人 × 上限 {limit} ＝ {cap}（{period}。上限に達したキーはそれ以上使えません）",
    # usage, disable / enable / delete, doctor
    "usage_columns": ("名前", "今日", "この期間", "上限", "残り", "状態", "有効期限（日本時間）"),
    "period_words": {"daily": "今日", "weekly": "今週", "monthly": "今月", "": "累計"},
    "state": {"active": "有効", "disabled": "無効", "expired": "期限切れ"},
    "no_limit": "上限なし",
    "chart_title": "この期間に上限のどこまで使ったか（キーの本数）:",
    "chart_buckets": ("25%未満", "25〜50%", "50〜80%", "80〜100%", "使い切り"),
    "usage_total": "合計 {count}本、今日の利用額 {today}",
    "no_keys": "名前が「{prefix}-番号」のキーは見つかりませんでした。",
    "done": {"disable": "{prefix} のキー {count}本を無効にしました（受講者の呼び出しは 401 エラーになります。"
                        "class-keys enable で戻せます）。",
             "enable": "{prefix} のキー {count}本を有効にしました。",
             "delete": "{prefix} のキー {count}本を削除しました。"},
    "failed_one": "失敗: {line}",
    "guardrail_deleted": "ガードレール「{name}」も削除しました。",
    "guardrail_left": "ガードレール「{name}」は削除できませんでした: {error}",
    "doctor_line": "クラスキー「{prefix}」: {count}本（無効 {disabled}本、上限の8割以上を使用 {near}本、"
                   "7日以内に期限切れ {soon}本、期限切れ {expired}本）",
    "doctor_none": "Management キーのアカウントに、クラスキー（名前が「名前-番号」のキー）はありません。",
    # the printable slips (HTML: the steps may hold <code>)
    "slip_title": "OpenRouter 講座　あなた専用の APIキー",
    "slip_name_label": "キーの名前",
    "slip_key_label": "あなたの APIキー（「sk-or-v1-」の後ろは 0〜9 と a〜f だけです。o や l はありません）",
    "slip_steps_title": "使えるようにする3つの手順",
    "slip_steps": (
        "JupyterLab で、講座のフォルダにある <code>.env</code> を開きます。ない場合は、"
        "メニューの「ファイル」→「新規」→「ターミナル」（英語の表示なら File → New → Terminal）でターミナルを開き、"
        "<code>cp .env.example .env</code> を"
        "実行してから開きます。",
        "<code>OPENROUTER_API_KEY=</code> の後ろに上のキーを書き（引用符や空白は不要です）、次の行に "
        "<code>COURSE_PROFILE=class</code> と書いて保存します。",
        "ノートブックの最初のセル <code>course_utils.setup()</code> をもう一度実行します。"
        "「ライブモード」と「クラス用の設定」と表示されれば準備完了です。",
    ),
    "slip_hub": "JupyterHub では、講師の指示どおりターミナルで自分のホームフォルダの <code>~/.env</code> に書き、"
                "<code>chmod 600 ~/.env</code> を実行して自分だけが読めるようにします。"
                ".env を使わないように言われたときは、ノートブックのセルで "
                "<code>course_utils.ask_api_key()</code> を実行し、出てきた欄にキーを入力して Enter を押します"
                "（画面には表示されません。カーネルを再起動したら、もう一度入力します）。",
    "slip_limit": "このキーで使える金額は {limit} ドルまでです（{reset}）。使い切ると、このキーでの呼び出しは"
                  "エラー（402）になります。そのときは講師に知らせてください。",
    "slip_reset": {"daily": "毎日、日本時間の9時に0から数え直します",
                   "weekly": "毎週月曜日、日本時間の9時に0から数え直します",
                   "monthly": "毎月1日、日本時間の9時に0から数え直します", "": "数え直しはなく、授業全体での合計です"},
    "slip_expiry": "有効期限: {expiry}。それを過ぎると、このキーは使えなくなります。",
    "slip_no_expiry": "有効期限はありません。授業が終わったら、講師が無効にします。",
    "slip_personal": "このキーはあなた専用です。ほかの人に見せたり、ノートブックのセル・チャット・GitHub などに"
                     "貼ったりしないでください。使った分は講師のアカウントに請求されます。",
    # the command line's help
    "help": {
        "class_keys": "クラスの受講者全員に、上限と有効期限つきのAPIキーを1本ずつ作ります"
                      "（OpenRouter の Management キーを使います）",
        "create": "キーを作成し、キーの一覧 keys.csv と配布用の紙 slips.html を保存します",
        "count": "作るキーの本数（受講者の人数）",
        "limit": "1本あたりの利用額の上限（ドル）",
        "reset": "上限のリセット（daily / weekly / monthly。省略するとリセットなし）",
        "expires": "有効期限の日付 YYYY-MM-DD（その日の 23:59 日本時間まで）",
        "prefix": "キーの名前の先頭（<prefix>-01, <prefix>-02, … になります。既定: class）",
        "models": "使えるモデルを制限するガードレール: course（講座のクラス用のモデル）か、モデルIDのカンマ区切り",
        "no_training": "プロンプトを学習に使う・公開するプロバイダーを使わせない（ガードレールに設定します）",
        "out": "keys.csv と slips.html を保存するフォルダ（リポジトリの外。本人だけが読めるように作ります）",
        "dry_run": "作成せずに、作る内容と費用の試算だけを表示します（Management キーは不要です）",
        "yes": "確認の質問に「はい」と答えたことにします",
        "usage": "クラスのキーごとに、利用額・上限・残り・状態・有効期限を表示します",
        "disable": "プレフィックスのキーをすべて無効にします（授業の後など。enable で戻せます）",
        "enable": "無効にしたキーをまた有効にします",
        "delete": "プレフィックスのキーをすべて削除します（元に戻せません）",
    },
}

# -- Google Colab (colab.py): the badge and the comment of every lesson's first cell ----------------------

COLAB = {
    "badge": "Colab で開く",
    "first_cell_comment": "# Google Colab などで講座の道具（course_utils）がまだないときは、先にインストールします（少し時間がかかります）。",
}
