"""The example server, driven through the real `openai` client as the course's code drives OpenRouter."""
from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import httpx2
import openai
import pytest
import yaml
from openai import OpenAI
from werkzeug.http import http_date

from fake_openrouter import REVOKED_KEY, FakeOpenRouter
from fake_openrouter.answers import ANSWERS_DIR, AnswerBook
from fake_openrouter.catalogue import Catalogue
from fake_openrouter.ids import RECORDED_DAY_START, SECONDS_PER_DAY, iso_timestamp
from fake_openrouter.tokens import count_tokens

FREE = "google/gemma-4-31b-it:free"
SMALL_FREE = "liquid/lfm-2.5-2.6b:free"
LARGE_FREE = "nvidia/nemotron-3-super-120b-a12b:free"
PAID = "google/gemma-3-27b-it"
OPEN_MODEL = "meta-llama/llama-3.3-70b-instruct"
CLAUDE = "anthropic/claude-haiku-4.5"
DOCUMENT_MODEL = "google/gemma-3-27b-it:free"
SYSTEM = "あなたは親切で優秀なアシスタントです。"
QUESTION = "日本で一番高い山について、その標高と名前を教えてください。"
MESSAGES = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": QUESTION}]
GEN_ID = re.compile(r"gen-(\d+)-[A-Za-z0-9]{20}")


def ask(client: OpenAI, model: str = FREE, **kwargs):
    return client.chat.completions.create(model=model, messages=MESSAGES, **kwargs)


# --- catalogue and account -------------------------------------------------------------------------

def test_models_list_is_the_catalogue_without_a_key(srv):
    keyless = OpenAI(base_url=srv.base_url, api_key="not-a-key", max_retries=0)
    models = {m.id: m for m in keyless.models.list().data}
    assert len(models) == 98 and DOCUMENT_MODEL not in models
    assert models[PAID].pricing["prompt"] == "0.00000008"


def test_endpoints_of_the_open_model_list_several_providers_no_cheaper_than_the_catalogue(client):
    data = client.get(f"/models/{OPEN_MODEL}/endpoints", cast_to=object)["data"]
    endpoints = data["endpoints"]
    assert 5 <= len(endpoints) <= 7 and data["id"] == OPEN_MODEL
    assert min(float(e["pricing"]["prompt"]) for e in endpoints) == 0.0000001
    assert {"DeepInfra", "Groq", "Together"} <= {e["provider_name"] for e in endpoints}
    single = client.get(f"/models/{FREE}/endpoints", cast_to=object)["data"]["endpoints"]
    assert [e["name"] for e in single] == ["Google AI Studio | google/gemma-4-31b-it-20260402"]
    with pytest.raises(openai.NotFoundError):
        client.get("/models/nobody/nothing/endpoints", cast_to=object)


def test_key_reports_the_key_state_with_a_masked_label(srv, client, fake_key):
    srv.ledger.update_key(limit=5, is_free_tier=True)
    try:
        data = client.get("/key", cast_to=object)["data"]
    finally:
        srv.ledger.update_key(limit=1, is_free_tier=False)
    assert data["label"] == f"{fake_key[:12]}...{fake_key[-3:]}" and fake_key not in json.dumps(data)
    assert data["limit"] == 5 and data["limit_remaining"] == pytest.approx(5 - data["usage"])
    assert data["free_model_daily_requests"]["limit"] == 50
    assert client.get("/credits", cast_to=object)["data"]["total_credits"] == 100.5


def test_key_and_credits_count_the_successful_completions_served(fake_key):
    with FakeOpenRouter() as own:
        local = OpenAI(base_url=own.base_url, api_key=fake_key, max_retries=0)
        before = local.get("/key", cast_to=object)["data"]
        with ThreadPoolExecutor(4) as pool:  # concurrent requests, as the comparison widget sends them
            paid = list(pool.map(lambda model: ask(local, model), [PAID, OPEN_MODEL] * 3))
        ask(local)  # a free model: costs 0, counts as a free request
        own.inject("429-free-per-day")  # another account's limit: counts nothing here
        with pytest.raises(openai.RateLimitError):
            ask(local)
        own.inject("stream-cut")  # no complete answer: not a successful completion
        list(ask(local, stream=True))
        after = local.get("/key", cast_to=object)["data"]
        total_usage = local.get("/credits", cast_to=object)["data"]["total_usage"]
    cost = sum(Decimal(str(reply.usage.cost)) for reply in paid)
    assert (before["usage"], before["limit_remaining"]) == (0, 1)
    assert before["free_model_daily_requests"] == {"used": 2, "limit": 1000, "remaining": 998}
    assert [after[name] for name in ("usage", "usage_daily", "usage_weekly", "usage_monthly")] == [float(cost)] * 4
    assert after["byok_usage"] == 0 and after["limit_remaining"] == float(1 - cost)
    assert after["free_model_daily_requests"] == {"used": 3, "limit": 1000, "remaining": 997}
    assert total_usage == float(Decimal("25.75") + cost)


def test_generation_details_describe_a_served_request(client):
    reply = ask(client, PAID)
    data = client.get("/generation", cast_to=object, options={"params": {"id": reply.id}})["data"]
    assert data["id"] == reply.id and data["model"] == "google/gemma-3-27b-it"
    assert data["tokens_completion"] == reply.usage.completion_tokens
    assert data["total_cost"] == reply.usage.cost and data["provider_name"] == reply.provider
    with pytest.raises(openai.NotFoundError, match="Generation gen-0-x not found"):
        client.get("/generation", cast_to=object, options={"params": {"id": "gen-0-x"}})


# --- completions -----------------------------------------------------------------------------------

def test_completion_answers_the_document_question_in_the_real_shape(srv, client):
    raw = client.chat.completions.with_raw_response.create(model=FREE, messages=MESSAGES)
    reply = raw.parse()
    assert "富士山" in reply.choices[0].message.content and "3,776" in reply.choices[0].message.content
    assert reply.provider == "Google AI Studio" and reply.model == FREE
    assert reply.choices[0].finish_reason == "stop" and reply.usage.cost == 0
    created = int(GEN_ID.fullmatch(reply.id).group(1))
    assert created == reply.created and RECORDED_DAY_START <= created < RECORDED_DAY_START + SECONDS_PER_DAY
    assert raw.headers["x-generation-id"] == reply.id
    assert (raw.headers["server"], raw.headers["date"]) == ("cloudflare", http_date(reply.created))
    assert list(json.loads(raw.http_response.text)) == ["id", "object", "created", "model", "provider",
                                                        "system_fingerprint", "service_tier", "choices", "usage"]
    assert srv.requests[-1].json["messages"] == MESSAGES


def test_time_moves_forward_in_serve_order_and_the_same_requests_give_the_same_ids(fake_key):
    """Re-recording gives identical files; identical requests still get their own ids and later times."""
    def run() -> tuple[list, dict]:
        with FakeOpenRouter() as server:
            local = OpenAI(base_url=server.base_url, api_key=fake_key, max_retries=0)
            replies = [ask(local) for _ in range(3)] + [ask(local, PAID)]
            record = local.get("/generation", cast_to=object, options={"params": {"id": replies[-1].id}})["data"]
            return replies, record

    (replies, record), (again, _) = run(), run()
    assert [r.id for r in replies] == [r.id for r in again]
    created = [r.created for r in replies]
    assert created[0] == RECORDED_DAY_START + 30 * 60  # 00:30 UTC, 09:30 in Japan
    assert all(40 <= later - earlier <= 90 for earlier, later in zip(created, created[1:], strict=False))
    assert len({r.id.rsplit("-", 1)[1] for r in replies}) == 4
    assert record["created_at"].startswith(iso_timestamp(created[-1] * 1000)[:20])  # same second


def test_paid_cost_is_tokens_times_the_endpoint_price(client):
    usage = ask(client, PAID).usage
    expected = usage.prompt_tokens * 0.00000008 + usage.completion_tokens * 0.00000045
    assert usage.cost == pytest.approx(expected) and usage.cost_details["upstream_inference_cost"] == usage.cost


def test_unknown_prompt_gets_the_stock_answer(client):
    reply = client.chat.completions.create(model=FREE, messages=[{"role": "user", "content": "こんにちは"}])
    assert "例示用サーバー" in reply.choices[0].message.content


def test_reasoning_model_returns_reasoning_and_counts_its_tokens(client):
    reply = ask(client, SMALL_FREE)
    assert reply.choices[0].message.reasoning and reply.usage.completion_tokens_details.reasoning_tokens > 0


def test_small_max_tokens_truncates_with_finish_reason_length(client):
    reply = ask(client, PAID, max_tokens=5)
    assert reply.choices[0].finish_reason == "length" and reply.usage.completion_tokens == 5
    cut = reply.choices[0].message.content
    assert cut and cut in ask(client, PAID).choices[0].message.content


def test_native_finish_reason_is_the_providers_own_word(client):
    def native(model: str, **kwargs) -> tuple[str, str]:
        choice = ask(client, model, **kwargs).choices[0]
        return choice.finish_reason, choice.model_extra["native_finish_reason"]

    assert native(FREE) == ("stop", "STOP") and native(PAID, max_tokens=5) == ("length", "MAX_TOKENS")
    assert native(CLAUDE) == ("stop", "end_turn") and native(CLAUDE, max_tokens=5) == ("length", "max_tokens")
    assert native(OPEN_MODEL) == ("stop", "stop")
    chunks = list(ask(client, FREE, stream=True))
    assert chunks[-1].choices[0].model_extra["native_finish_reason"] == "STOP"
    record = client.get("/generation", cast_to=object, options={"params": {"id": chunks[-1].id}})["data"]
    assert (record["finish_reason"], record["native_finish_reason"]) == ("stop", "STOP")


def test_japanese_costs_more_tokens_than_english_and_tokenizers_differ():
    japanese, english = "日本で一番高い山は富士山です。", "Mount Fuji is Japan's highest."
    assert count_tokens(japanese, "Llama3") > count_tokens(english, "Llama3")
    assert count_tokens(QUESTION, "Gemini") != count_tokens(QUESTION, "Mistral")


def test_stream_matches_the_real_framing(srv, fake_key):
    with httpx2.stream("POST", srv.base_url + "/chat/completions", json={"model": SMALL_FREE, "messages": MESSAGES,
                       "stream": True}, headers={"Authorization": f"Bearer {fake_key}"}) as response:
        assert response.headers["content-type"] == "text/event-stream"
        text = response.read().decode()
    events = text.split("\n\n")
    assert events[-2:] == ["data: [DONE]", ""] and "\r" not in text
    chunks = [json.loads(e.removeprefix("data: ")) for e in events[:-2]]
    assert all(c["choices"][0]["delta"]["role"] == "assistant" and "content" in c["choices"][0]["delta"]
               for c in chunks)
    finish, usage = chunks[-2:]
    assert finish["choices"][0]["finish_reason"] == "stop" and "usage" not in finish
    assert len(usage["choices"]) == 1 and usage["usage"]["cost"] == 0
    assert response.headers["x-generation-id"] == usage["id"]


def test_stream_through_the_client_gives_the_same_text_and_usage(client):
    chunks = list(ask(client, PAID, stream=True))
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    whole = ask(client, PAID)
    assert text == whole.choices[0].message.content and chunks[-1].usage.cost == whole.usage.cost
    assert chunks[0].provider == whole.provider and len(chunks) > 10


def test_slow_start_sends_keepalive_comments_first(srv, fake_key):
    srv.answers.add(model="*", prompt="ゆっくり考えてください。", answer="考えました。", slow_start=0.1)
    body = {"model": FREE, "messages": [{"role": "user", "content": "ゆっくり考えてください。"}], "stream": True}
    response = httpx2.post(srv.base_url + "/chat/completions", json=body,
                           headers={"Authorization": f"Bearer {fake_key}"})
    assert response.text.startswith(": OPENROUTER PROCESSING\n\ndata: {")


# --- routing ---------------------------------------------------------------------------------------

def test_models_fallback_reports_the_model_that_served(srv, client):
    srv.answers.add(model=SMALL_FREE, prompt="混雑していますか？", error="429-free-per-minute")
    reply = client.chat.completions.create(model=SMALL_FREE,
                                           messages=[{"role": "user", "content": "混雑していますか？"}],
                                           extra_body={"models": [SMALL_FREE, FREE]})
    assert reply.model == FREE
    attempts = client.get("/generation", cast_to=object, options={"params": {"id": reply.id}})["data"]
    assert [p["status"] for p in attempts["provider_responses"]] == [429, 200]


def test_provider_preferences_choose_the_endpoint_and_its_price(client):
    groq = ask(client, OPEN_MODEL, extra_body={"provider": {"order": ["groq"]}})
    cheapest = ask(client, OPEN_MODEL, extra_body={"provider": {"sort": "price"}})
    fastest = ask(client, OPEN_MODEL, extra_body={"provider": {"sort": "throughput"}})
    assert (groq.provider, cheapest.provider, fastest.provider) == ("Groq", "DeepInfra", "Cerebras")
    assert groq.usage.cost > cheapest.usage.cost
    ignored = ask(client, OPEN_MODEL, extra_body={"provider": {"ignore": ["deepinfra"], "sort": "price"}})
    assert ignored.provider == "Nebius"
    with pytest.raises(openai.NotFoundError, match="No allowed providers"):
        ask(client, OPEN_MODEL, extra_body={"provider": {"only": ["anthropic"]}})


def test_removed_model_and_changed_price(client):
    with FakeOpenRouter() as own:
        local = OpenAI(base_url=own.base_url, api_key=client.api_key, max_retries=0)
        own.set_price(PAID, prompt="0.000001", completion="0.000002")
        usage = ask(local, PAID).usage
        assert usage.cost == pytest.approx(usage.prompt_tokens * 0.000001 + usage.completion_tokens * 0.000002)
        own.remove_model(PAID)
        assert PAID not in {m.id for m in local.models.list().data}
        with pytest.raises(openai.BadRequestError, match="is not a valid model ID"):
            ask(local, PAID)


# --- errors and faults -----------------------------------------------------------------------------

def test_request_errors_map_to_openai_exceptions(srv, fake_key):
    keyless = httpx2.post(srv.base_url + "/chat/completions", json={"model": FREE, "messages": MESSAGES})
    assert (keyless.status_code, keyless.json()["error"]["message"]) == (401, "No cookie auth credentials found")
    with pytest.raises(openai.AuthenticationError, match="User not found."):
        ask(OpenAI(base_url=srv.base_url, api_key=REVOKED_KEY, max_retries=0))
    client = OpenAI(base_url=srv.base_url, api_key=fake_key, max_retries=0)
    with pytest.raises(openai.BadRequestError, match="nobody/nothing:free is not a valid model ID"):
        ask(client, "nobody/nothing:free")
    with pytest.raises(openai.BadRequestError, match="Input required"):
        client.chat.completions.create(model=FREE, messages=[])


def test_a_delisted_free_variant_finds_no_endpoints(client):
    """The document's model: its `:free` variant is gone, its paid model is listed (as on OpenRouter: 404)."""
    with pytest.raises(openai.NotFoundError) as caught:
        ask(client, DOCUMENT_MODEL)
    assert caught.value.response.json() == {
        "error": {"message": f"No endpoints found for {DOCUMENT_MODEL}.", "code": 404,
                  "availability": {"code": "free_variant_ended", "retryable": False, "retry_after": None,
                                   "requested_models": [DOCUMENT_MODEL],
                                   "fallback_models": [DOCUMENT_MODEL.removesuffix(":free")],
                                   "docs_url": "https://openrouter.ai/docs/errors#free_variant_ended"}},
        "user_id": "user_REDACTED"}
    assert ask(client, DOCUMENT_MODEL, extra_body={"models": [DOCUMENT_MODEL, FREE]}).model == FREE


@pytest.mark.parametrize(("kind", "exception"), [
    ("401-invalid-key", openai.AuthenticationError),
    ("402-insufficient-credits", openai.APIStatusError),
    ("403-moderation", openai.PermissionDeniedError),
    ("404-no-endpoints", openai.NotFoundError),
    ("408-timeout", openai.APIStatusError),
    ("429-free-per-minute", openai.RateLimitError),
    ("502-provider-error", openai.InternalServerError),
    ("503-service-unavailable", openai.InternalServerError),
])
def test_injected_error_samples_raise_the_matching_exception(srv, client, kind, exception):
    srv.inject(kind)
    with pytest.raises(exception) as caught:
        ask(client)
    assert caught.value.status_code == int(kind[:3])
    assert ask(client).choices[0].finish_reason == "stop"  # only the next request was affected


def test_free_per_day_429_is_the_real_one_of_an_account_without_credits(srv, client):
    srv.inject("429-free-per-day")
    with pytest.raises(openai.RateLimitError) as caught:
        ask(client)
    headers, error = caught.value.response.headers, caught.value.response.json()["error"]
    assert error["message"] == ("Rate limit exceeded: free-models-per-day. "
                                "Add 10 credits to unlock 1000 free model requests per day")
    assert (headers["x-ratelimit-limit"], headers["x-ratelimit-remaining"]) == ("50", "0")
    assert int(headers["x-ratelimit-reset"]) == (RECORDED_DAY_START + SECONDS_PER_DAY) * 1000
    assert error["metadata"]["headers"] == {name: headers[name] for name in error["metadata"]["headers"]}
    srv.inject("404-no-endpoints")
    with pytest.raises(openai.NotFoundError, match=f"No endpoints found for {FREE}"):
        ask(client)


def test_status_lines_carry_the_standard_reason_phrases(srv, client):
    """vcrpy records the reason phrase; werkzeug's own would be upper-case ("TOO MANY REQUESTS")."""
    srv.inject("429-free-per-minute")
    with pytest.raises(openai.RateLimitError) as caught:
        ask(client)
    assert caught.value.response.reason_phrase == "Too Many Requests"
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(model=FREE, messages=[])
    assert caught.value.response.reason_phrase == "Bad Request"


def test_error_in_a_200_body(srv, client):
    srv.inject("200-error-in-body")
    choice = ask(client).choices[0]
    assert choice.finish_reason == "error" and choice.model_extra["error"]["code"] == 502


def test_transport_faults(srv, client):
    srv.inject("slow", seconds=0.5)
    with pytest.raises(openai.APITimeoutError):
        ask(client.with_options(timeout=0.2))
    srv.inject("reset")
    with pytest.raises(openai.APIConnectionError):
        ask(client)
    srv.inject("malformed-json")
    with pytest.raises(json.JSONDecodeError):
        ask(client)


def test_stream_faults(srv, client):
    srv.inject("stream-cut")
    chunks = list(ask(client, stream=True))
    assert chunks and all(c.choices[0].finish_reason is None for c in chunks) and chunks[-1].usage is None
    srv.inject("stream-error")
    with pytest.raises(openai.APIError, match="Rate limit exceeded"):
        list(ask(client, stream=True))


def test_usage_chunk_without_choices(srv, client):
    srv.inject("usage-no-choices")
    chunks = list(ask(client, stream=True))
    finish, usage = chunks[-2:]
    assert finish.choices[0].finish_reason == "stop" and usage.choices == [] and usage.usage.total_tokens
    assert "".join(c.choices[0].delta.content for c in chunks[:-1]) == ask(client).choices[0].message.content
    assert len(list(ask(client, stream=True))[-1].choices) == 1  # only the next request was affected


def test_unknown_fault_is_refused(srv):
    with pytest.raises(ValueError, match="unknown fault"):
        srv.inject("500-everything")


def test_models_that_reason_by_default_show_reasoning_in_every_authored_answer():
    catalogue = Catalogue()
    entries = [entry for path in sorted(ANSWERS_DIR.glob("*.yaml"))
               for entry in yaml.safe_load(path.read_text(encoding="utf-8")) if "answer" in entry]

    def reasons_by_default(model_id: str) -> bool:
        reasoning = (catalogue.get(model_id) or {}).get("reasoning") or {}
        return bool(reasoning.get("default_enabled") or reasoning.get("mandatory"))

    reasoners = [entry for entry in entries if reasons_by_default(entry["model"])]
    assert {e["model"] for e in reasoners} == {SMALL_FREE, LARGE_FREE, "google/gemini-3.1-flash-lite-image"}
    assert [e["prompt"][:12] for e in reasoners if not e.get("reasoning")] == []


@pytest.mark.parametrize("question", [
    "日本の首都はどこですか？その都市の人口と、観光客に人気の場所を3つ教えてください。",
    "What is the capital of Japan? Please tell me its population and three places that are popular with tourists.",
], ids=["japanese", "english"])
def test_the_compared_models_answer_the_token_question_each_in_its_own_words(question):
    book = AnswerBook()
    texts = [book.find(model, question).text for model in (FREE, OPEN_MODEL, CLAUDE)]
    assert len(set(texts)) == 3 and not any("例示用サーバー" in text for text in texts)
    japanese = bool(re.search("[ぁ-ん]", question))
    assert all(bool(re.search("[ぁ-ん]", text)) == japanese for text in texts)
    assert max(map(len, texts)) < 1.3 * min(map(len, texts))


def test_the_proverb_answer_reads_naturally():
    prompt = "「情けは人のためならず」ということわざの意味を、よくある誤解にもふれて2〜3文で説明してください。"
    answer = AnswerBook().find(LARGE_FREE, prompt)
    assert "正しい意味の人とほぼ同じ割合でいる" in answer.text


def test_answer_files_merge_and_reject_duplicates(tmp_path):
    (tmp_path / "a.yaml").write_text(f"- model: '*'\n  prompt: {QUESTION}\n  answer: A\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text(f"- model: {FREE}\n  prompt: {QUESTION}\n  answer: B\n", encoding="utf-8")
    book = AnswerBook(tmp_path)
    assert (book.find(FREE, QUESTION).text, book.find(PAID, QUESTION).text) == ("B", "A")
    with pytest.raises(ValueError, match="two answers"):
        book.add(model=FREE, prompt=QUESTION, answer="C")


def test_an_answer_can_depend_on_the_system_prompt(tmp_path, fake_key):
    """An entry with `system:` answers only under that system prompt; others get the general entry."""
    (tmp_path / "a.yaml").write_text(
        f"- model: {FREE}\n  prompt: {QUESTION}\n  answer: 富士山です。\n"
        f"- model: {FREE}\n  prompt: {QUESTION}\n  system: 物理の先生として答えてください。\n  answer: 散乱です。\n",
        encoding="utf-8")
    with FakeOpenRouter(answers_dir=tmp_path) as server:
        client = OpenAI(base_url=server.base_url, api_key=fake_key, max_retries=0)

        def reply(system: str | None) -> str:
            messages = [{"role": "system", "content": system}] if system else []
            messages.append({"role": "user", "content": QUESTION})
            return client.chat.completions.create(model=FREE, messages=messages).choices[0].message.content

        assert reply(" 物理の先生として答えてください。") == "散乱です。"
        assert reply("短く答えてください。") == reply(None) == "富士山です。"


def test_command_line_faults_fail_the_next_chat_requests_in_order(fake_key):
    import subprocess
    import sys

    process = subprocess.Popen([sys.executable, "-m", "fake_openrouter", "--port", "0", "--fault",
                                "429-free-per-minute", "--fault", "503-service-unavailable"],
                               stdout=subprocess.PIPE, text=True)
    try:
        base_url = process.stdout.readline().strip()
        client = OpenAI(base_url=base_url, api_key=fake_key, max_retries=0)

        def ask():
            return client.chat.completions.create(
                model="liquid/lfm-2.5-2.6b:free", messages=[{"role": "user", "content": "Reply with exactly: pong"}])

        with pytest.raises(openai.RateLimitError):
            ask()
        with pytest.raises(openai.InternalServerError):
            ask()
        assert ask().choices[0].message.content
    finally:
        process.terminate()
        process.wait(timeout=10)
