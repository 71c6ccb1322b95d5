"""Learner-facing text for errors.py: one entry per case, as data, so the wording can be reviewed as prose.

Each case has `what` (what happened, one sentence), `cause` (one or two likely causes) and `next`
(one concrete step). errors.py fills `{name}` placeholders; other braces (JSON in examples) stay as
written. FRAGMENTS holds the optional pieces.
Plain text only, no emoji (the same text is printed to consoles).
"""
from __future__ import annotations

KEY_LESSON = "02_account_and_key.ipynb"
PRICE_LESSON = "03_models_and_prices.ipynb"
FALLBACK_MODELS = 'extra_body={"models": ["第1候補のモデルID", "予備のモデルID"]}'

MESSAGES: dict[str, dict[str, str]] = {
    # -- key --------------------------------------------------------------------------------------
    "no_key": {
        "what": "APIキーがないまま、OpenRouter にリクエストを送ろうとしました。",
        "cause": "このノートブックの最初のセル（course_utils.setup()）を、まだ実行していないのかもしれません。"
                 "環境変数 OPENROUTER_API_KEY が空になっていることも考えられます。カーネルを再起動したあとは、最初のセルから実行し直す必要があります。",
        "next": f"最初のセル（course_utils.setup()）を実行してから、このセルをもう一度実行してください。"
                f"キーがなくても、setup() を実行すれば再生モードで続けられます。キーの設定手順は {KEY_LESSON} にあります。",
    },
    "key_malformed": {
        "what": "{message}",
        "cause": "APIキーは、OpenRouter の Keys ページで作った「sk-or-v1-」で始まる文字列を、そのまま1行で使います。",
        "next": f".env のキーを直して保存し、セットアップのセル（course_utils.setup()）から実行し直してください。"
                f"キーの作り方と置き場所は {KEY_LESSON} で説明しています。",
    },
    "key_invalid": {
        "what": "OpenRouter がこのAPIキーを受け付けませんでした（401 認証エラー）。",
        "cause": "キーが削除・無効化されたか、一部だけがコピーされているか、別のキーと取り違えている可能性があります。",
        "next": "https://openrouter.ai/settings/keys でキーが有効か確かめ、必要なら新しいキーを作って .env に貼り直してください。"
                f"そのあとセットアップのセルから実行し直します（{KEY_LESSON}）。",
    },
    "record_without_key": {
        "what": "録音モード（COURSE_MODE=record）が指定されましたが、使えるAPIキーがありません。",
        "cause": "録音モードでは本物の OpenRouter にリクエストを送るため、有効なキーが必要です。",
        "next": f".env に OPENROUTER_API_KEY を設定するか（{KEY_LESSON}）、COURSE_MODE の指定を外して再生モードで実行してください。",
    },
    # -- credits ----------------------------------------------------------------------------------
    "credits_insufficient": {
        "what": "クレジットが足りないため、リクエストが断られました（402）。",
        "cause": "残高が足りないまま有料モデルを使おうとしたか、クレジット残高がマイナスになっています（残高がマイナスだと無料モデルも使えません）。",
        "next": "https://openrouter.ai/settings/credits で残高を確かめてください。お金をかけずに続けるなら、"
                f"名前が「:free」で終わる無料モデルに切り替えます（{PRICE_LESSON}）。",
    },
    "credits_max_tokens": {
        "what": "今のクレジット残高では、最大 {requested} トークンの応答の料金を払いきれません（402）。",
        "cause": "OpenRouter は、応答が max_tokens（指定しないときはモデルの最大出力長）いっぱいまで長くなった場合の料金を前もって確かめます。"
                 "残高で払えるのは {afford} トークン分までです。",
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
        "what": "入力した文章がプロバイダの内容チェック（モデレーション）に引っかかり、止められました（403、理由: {reasons}）。",
        "cause": "このモデルはプロバイダのチェックを必ず通す設定で、プロンプトの一部が規約に触れると判断されました。誤判定のこともあります。料金はかかっていません。",
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
        "next": "{suggestions}https://openrouter.ai/models で正しいIDを確かめ、モデルを決めるセル（model_name = ...）を直して、そこから実行し直してください。",
    },
    "context_exceeded": {
        "what": "プロンプトと応答の長さの合計が、このモデルが一度に扱える長さ（コンテキスト長）を超えました（400）。",
        "cause": "長い文章を貼り付けたか、会話の履歴が長くなりすぎたか、max_tokens が大きすぎます。",
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
    # -- model availability -----------------------------------------------------------------------
    "no_endpoints": {
        "what": "モデル「{model}」を今動かせるプロバイダがありません（404）。",
        "cause": "無料版（:free）の提供が終わったか一時的に止まっているか、求めた機能（ツール呼び出しや画像入力など）に対応するプロバイダがありません。",
        "next": "https://openrouter.ai/models で今使えるモデルを探し、モデルを決めるセルを書き換えて実行し直してください。"
                f"{FALLBACK_MODELS} のように予備のモデルを並べておく方法もあります。",
    },
    "model_unknown": {
        "what": "モデル「{model}」は、モデル一覧（カタログ）にありません（404）。",
        "cause": "IDのつづり違い（「/」の前の会社名、大文字・小文字、「:free」の有無など）か、そのモデルの提供が終わった可能性があります。",
        "next": "{suggestions}https://openrouter.ai/models で正しいIDを確かめ、IDを直してセルを実行し直してください。",
    },
    "free_retired": {
        "what": "無料版のモデル「{model}」は、もう提供されていません（404）。",
        "cause": "無料版の提供は、プロバイダの都合で予告なく終わることがあります。モデル一覧（カタログ）に、このIDはもうありません。"
                 "有料版の {base} は残っています（使うとクレジットを消費します）。",
        "next": "{suggestions}無料で続けるなら「:free」で終わるIDを選びます。https://openrouter.ai/models で今使えるIDを確かめ、"
                "モデルを決めるセル（model_name = ...）を直して、そこから実行し直してください。",
    },
    "data_policy": {
        "what": "今のプライバシー設定では、このモデルを使えるプロバイダがありません（404）。",
        "cause": "無料モデルの多くは、入力をモデルの改善に使ってよいことを条件にしています。設定でそれを許可していないと使えません。",
        "next": "https://openrouter.ai/settings/privacy の設定を確かめてください。設定を変えたくない場合は、別のモデルを選びます。",
    },
    "no_allowed_providers": {
        "what": "provider の設定で選んだプロバイダでは、このモデルを動かせません（404）。",
        "cause": "extra_body の provider（only・order・ignore など）の指定が厳しすぎます。このモデルを扱っているプロバイダ: {available}。",
        "next": "provider の指定を外すか、上のプロバイダを許可に加えてから、セルを実行し直してください。",
    },
    "not_found": {
        "what": "指定した場所（URL）やデータが見つかりませんでした（404）。",
        "cause": "base_url の書き間違い（正しくは https://openrouter.ai/api/v1）か、存在しないID（生成IDなど）を指定した可能性があります。",
        "next": "OpenAI(base_url=...) の値と .env の OPENROUTER_BASE_URL を確かめてください。"
                "生成IDを使うセルなら、直前の応答からIDを取り直します。",
    },
    "request_timeout": {
        "what": "OpenRouter 側で処理が時間内に終わらず、打ち切られました（408）。",
        "cause": "モデルやプロバイダが混み合っているか、とても長い応答を求めました。",
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
        "what": "モデルのプロバイダ（{provider}）が混み合っていて、リクエストを受け付けられませんでした（429）。",
        "cause": "無料モデルは大勢で同じ枠を分け合っているため、プロバイダの側で回数制限がかかることがよくあります。あなたの1日の上限とは別です。",
        "next": "{wait}もう一度実行するか、別のモデルに切り替えてください。"
                f"{FALLBACK_MODELS} のように予備のモデルを並べておくと、自動で切り替わります。",
    },
    "rate_limited": {
        "what": "リクエストが多すぎるため、一時的に止められました（429）。",
        "cause": "短い時間に何度も実行したか、無料モデルの上限（1分20回、1日50回。10クレジット以上購入済みなら1日1000回）に達しました。"
                 "回数はアカウント全体で数えます。",
        "next": "{wait}もう一度実行してください。",
    },
    # -- provider and server ------------------------------------------------------------------------
    "provider_error": {
        "what": "モデルのプロバイダ（{provider}）でエラーが起き、応答を受け取れませんでした（502）。",
        "cause": "プロバイダのサーバーが一時的に不調か、モデルが止まっています。あなたのコードの誤りではないことがほとんどです。",
        "next": f"少し待ってから実行し直すか、別のモデルを試してください。{FALLBACK_MODELS} のように予備のモデルを並べておくと、自動で次のモデルが使われます。",
    },
    "no_provider": {
        "what": "今このモデルを動かせるプロバイダがありません（503）。",
        "cause": "プロバイダが混み合っているか一時的に止まっているか、provider の指定に合うプロバイダがありません。",
        "next": f"別のモデルを試すか、{FALLBACK_MODELS} で予備のモデルを指定してください。"
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
        "cause": "応答を作っている途中で、プロバイダに問題が起きたか、混雑のため制限がかかりました。それまでに届いた文章は、途中で切れています。",
        "next": "少し待ってからセルを実行し直してください。続くときは別のモデルを試すか、stream=False にして原因を確かめます。",
    },
    "stream_cut": {
        "what": "応答を受け取っている途中で接続が切れ、最後まで届きませんでした。",
        "cause": "ネットワークが不安定か、プロバイダが途中で接続を切りました。",
        "next": "セルをもう一度実行してください。たびたび起きるときは、stream=False で試すか、別のモデルを使います。",
    },
    "completion_error": {
        "what": "モデルの応答が途中でエラーになりました（finish_reason が \"error\"）。",
        "cause": "応答を作っている途中で、プロバイダとの接続が切れたかエラーが起きました。HTTP としては成功（200）なので、openai は例外を出しません。",
        "next": "届いた文章（message.content）は不完全です。セルを実行し直すか、別のモデルを試してください。",
    },
    # -- replay -------------------------------------------------------------------------------------------
    "not_recorded": {
        "what": "{message}",
        "cause": "再生モードで再生できるのは、プロンプト・モデル・設定（temperature など）が収録とすべて同じリクエストだけです。少しでも変えると、対応する収録がないため再生できません。",
        "next": "変えたところ（プロンプト・モデル・temperature など）を元に戻して実行し直してください。自分のプロンプトを試すには、.env に OPENROUTER_API_KEY を設定し、"
                f"セットアップのセルを実行してライブモードに切り替えます（{KEY_LESSON}）。",
    },
    "not_recorded_lookup": {
        "what": "{message}",
        "cause": "再生モードで調べられるのは、収録したときに受け取ったID（生成IDなど）だけです。IDを書き換えたり、別の応答のIDを使ったりすると見つかりません。",
        "next": "IDを元に戻すか、IDを受け取ったセル（応答を受け取ったセル）から順に実行し直してください。ほかのIDを調べるには、.env に OPENROUTER_API_KEY を設定して"
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
        "next": "「モデル」欄にモデルID（例: google/gemma-4-31b-it:free）を入れてから（再生モードでは「収録例」から選ぶこともできます）、もう一度「送信」を押してください。",
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

# Optional pieces inserted into the messages above.
FRAGMENTS: dict[str, str] = {
    "count": "（{n}回）",
    "suggestions": "近いIDの候補: {ids}。",
    "reset_at": "（次のリセットは {time}）",
    "rate_day_upgrade": f"それまでは再生モードで続けてください。10クレジット以上を購入すれば、上限が1日1000回になります（{PRICE_LESSON}）。",
    "rate_day_at_max": f"このアカウントはすでに1日1000回の上限です。リセットまでは再生モードで続けるか、"
                       f"名前に「:free」が付かない有料版のモデルに切り替えてください（{PRICE_LESSON}）。",
    "wait_until": "{time}（日本時間）ごろまで待ってから、",
    "wait_seconds": "{seconds}秒ほど待ってから、",
    "wait_minute": "1分ほど待ってから、",
    "wait_short": "少し待ってから、",
    "unknown_value": "不明",
    "list_separator": "、",
}

# Headings of the explanation box and labels of its details part.
HEADINGS: dict[str, str] = {
    "title": "エラーの説明",
    "what": "何が起きたか",
    "cause": "よくある原因",
    "next": "次にやること",
    "details": "詳細",
}
# The short error line under the explanation when a plain cell (no kindly()) raised the error.
UNCAUGHT_LINE = ("{name}: 上の説明のとおりに直してから、このセルをもう一度実行してください。"
                 "英語のエラー表示（トレースバック）全体は、次のセルで %tb を実行すると見られます。")
DETAIL_LABELS: dict[str, str] = {
    "type": "例外の種類",
    "status": "HTTPステータス",
    "code": "エラーコード",
    "message": "OpenRouter のメッセージ",
    "exception_message": "例外のメッセージ",
    "provider": "プロバイダ",
    "metadata": "metadata",
    "cause": "元の例外",
    "request": "リクエスト",
}
