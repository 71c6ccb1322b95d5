"""Japanese error explanations, driven through the real `openai` client against a loopback server.

Bodies come from `fake_openrouter/data/errors/*.json` (the file name starts with the HTTP status) and
`fake_openrouter/data/chat-stream*.sse.txt`; the few cases without a sample file use bodies built from
the fields the reference notes document (README §9), marked "built" below.

Retries: every client here is `OpenAI(..., max_retries=0)`. By default `openai` retries 408, 429 and 5xx
twice with back-off (about 1.5 s per error) and would request each served error three times; with no
retries each test sends exactly one request and stays fast.
"""
from __future__ import annotations

import json
import re
import socket
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx2
import openai
import pytest
from openai import OpenAI
from werkzeug import Response

from course_utils import catalog, error_box
from course_utils.course_errors import (
    CompletionFailed,
    InputProblem,
    KeyProblem,
    NotRecordedError,
    RecordWithoutKeyError,
    StreamIncomplete,
)
from course_utils.error_box import Explanation, explain, kindly
from course_utils.guards import check_completion, check_prompt, finish_stream
from course_utils.keys import validate_key
from course_utils.replay import NOT_RECORDED_MESSAGE
from course_utils.text import DOCUMENT_PLACEHOLDER, ERRORS
from fake_openrouter import FakeOpenRouter
from fake_openrouter.errors import error_body, status_of

DATA = Path(__file__).resolve().parents[2] / "fake_openrouter" / "data"
CHAT = "/api/v1/chat/completions"
MODEL = "google/gemma-3-27b-it:free"
MESSAGES_HI = [{"role": "user", "content": "こんにちは"}]


@dataclass
class Served:
    """One HTTP error response: a sample file from data/errors, or a body built from documented fields."""

    status: int
    body: dict
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def sample(cls, name: str, prose_only: bool = False, model: str | None = MODEL, **headers: str) -> Served:
        """The example server's sample naming `model` (None: the captured one); `prose_only`: the body as it
        was before OpenRouter added `availability`."""
        body = error_body(name.removesuffix(".json"), model)
        if prose_only:
            del body["error"]["availability"]
        return cls(status_of(name), body, headers)

    @classmethod
    def built(cls, status: int, message: str, headers: dict[str, str] | None = None,
              **metadata: object) -> Served:
        error: dict = {"message": message, "code": status}
        if metadata:
            error["metadata"] = metadata
        return cls(status, {"error": error}, headers or {})


def serve(httpserver, served: Served) -> None:
    httpserver.expect_request(CHAT, method="POST").respond_with_json(
        served.body, status=served.status, headers=served.headers)


@pytest.fixture
def client(httpserver, fake_key) -> OpenAI:
    return OpenAI(base_url=httpserver.url_for("/api/v1"), api_key=fake_key, max_retries=0)


def unreadable(*args):
    raise OSError("the catalogue cannot be read")


def catalogue_lists(monkeypatch, ids: list[str] | None) -> None:
    """The offline catalogue lists `ids` (None: it cannot be read)."""
    monkeypatch.setattr(catalog, "known_model_ids", unreadable if ids is None else lambda: ids)


def failed_call(client: OpenAI, **kwargs) -> Explanation:
    """Send one chat request that must fail, and explain the exception openai raised."""
    with pytest.raises((openai.OpenAIError, httpx2.TransportError)) as info:
        client.chat.completions.create(**{"model": MODEL, "messages": MESSAGES_HI, **kwargs})
    return explain(info.value)


def assert_kind(exp: Explanation, case: str, *needles: str) -> None:
    """The explanation is the expected case (never the fallback), complete, and names cause and next step."""
    assert exp.case == case != "unknown"
    assert exp.what and exp.cause and exp.next_step
    text = exp.to_text()
    for needle in needles:
        assert needle in text, needle
    assert not re.search(r"\{\w+\}", text), "a placeholder was left unfilled"
    text.encode("cp932")  # prints on a Japanese Windows console: no emoji
    html = exp._repr_html_()
    assert "<details><summary>詳細</summary>" in html and "何が起きたか" in html


# Rate-limit headers on the response itself (not in metadata.headers); a limit of 20 marks a per-minute cap.
RATE_HEADERS = {"X-RateLimit-Limit": "20", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1783519380000"}

# (served response, expected case, text the explanation must contain)
STATUS_CASES = [
    pytest.param(Served.sample("401-no-key.json"), "no_key", ["OPENROUTER_API_KEY", "02_account_and_key.ipynb"],
                 id="401-no-cookie-auth"),
    pytest.param(Served.built(401, "Missing Authentication header"), "no_key", ["setup()"],
                 id="401-missing-header-built"),
    pytest.param(Served.sample("401-invalid-key.json"), "key_invalid",
                 ["401", "https://openrouter.ai/settings/keys", "02_account_and_key.ipynb", "User not found."],
                 id="401-invalid-key"),
    pytest.param(Served.sample("402-insufficient-credits.json"), "credits_max_tokens",
                 ["32768", "8246", "max_tokens=7400", "https://openrouter.ai/settings/credits",
                  "03_models_and_prices.ipynb"], id="402-max-tokens"),
    pytest.param(Served.sample("402-never-purchased-credits.json"), "credits_never_purchased",
                 ["購入していない", "max_tokens を小さくしても通りません", ":free", "https://openrouter.ai/settings/credits"],
                 id="402-never-purchased"),
    pytest.param(Served.built(402, "Insufficient credits. Add more using https://openrouter.ai/credits"),
                 "credits_insufficient", ["max_tokens=300", ":free", "https://openrouter.ai/settings/credits"],
                 id="402-credits-built"),
    pytest.param(Served.built(402, "This request requires more credits, or fewer max_tokens. You requested up to "
                                   "4096 tokens, but can only afford 3."),
                 "credits_insufficient", ["残高", "max_tokens を指定しないと", "max_tokens=300"],
                 id="402-affords-almost-nothing-built"),
    pytest.param(Served.built(402, "Key limit exceeded (total limit). Manage it using https://openrouter.ai/settings/keys",
                              limit_source="openrouter_key_limit",
                              remedy_hint="Raise the key's credit limit in settings"),
                 "key_limit", ["上限", "https://openrouter.ai/settings/keys"], id="402-key-limit-built"),
    pytest.param(Served.sample("403-moderation.json"), "moderation", ["理由: misc", "言い回し", "flagged_input"],
                 id="403-moderation"),
    pytest.param(Served.sample("403-guardrail.json"), "guardrail", ["ガードレール", "講師"], id="403-guardrail"),
    pytest.param(Served.built(403, "Only management keys can perform this operation"), "forbidden",
                 ["管理用キー"], id="403-management-built"),
    pytest.param(Served.sample("400-invalid-model.json", model=None), "model_invalid",
                 ["nonexistent/not-a-model:free", "https://openrouter.ai/models", "model_name"],
                 id="400-invalid-model"),
    pytest.param(Served.sample("400-missing-messages.json"), "bad_request", ["messages=", "Input required"],
                 id="400-missing-messages"),
    pytest.param(Served.built(400, "This endpoint's maximum context length is 8192 tokens. However, you requested "
                                   "about 12000 tokens (4000 of text input, 8000 in the output)."),
                 "context_exceeded", [MODEL, "コンテキスト長：8192 トークン", "max_tokens"], id="400-context-built"),
    pytest.param(Served.built(400, "Provider returned error", provider_name="DeepInfra", raw=json.dumps(
        {"error": {"message": "This model's maximum context length is 131,072 tokens. However, your messages "
                              "resulted in 140,211 tokens. Please reduce the length of the messages.",
                   "type": "invalid_request_error", "param": "messages", "code": "context_length_exceeded"}})),
                 "context_exceeded", [MODEL, "プロンプトが長すぎて", "コンテキスト長：131072 トークン", "DeepInfra"],
                 id="400-provider-context-in-metadata-raw-built"),
    pytest.param(Served.built(400, "Provider returned error", provider_name="Anthropic",
                              raw="prompt is too long: 210000 tokens > 200000 maximum"),
                 "context_exceeded", ["コンテキスト長：200000 トークン"], id="400-provider-context-anthropic-built"),
    # The shipped catalogue lists google/gemma-3-27b-it but not its :free variant (see the tests below).
    pytest.param(Served.sample("404-no-endpoints.json"), "free_retired",
                 [MODEL, "もう提供されていません", "有料版の google/gemma-3-27b-it",
                  "OpenRouter がすすめる代わりのモデル: google/gemma-3-27b-it。", "free_variant_ended",
                  "https://openrouter.ai/models"], id="404-no-endpoints-free-variant-ended"),
    pytest.param(Served.sample("404-no-endpoints.json", prose_only=True), "free_retired",
                 [MODEL, "有料版の google/gemma-3-27b-it", "近いIDの候補: google/gemma-3-27b-it"],
                 id="404-no-endpoints-prose-only-free-retired"),
    pytest.param(Served.sample("404-no-allowed-providers.json"), "no_allowed_providers",
                 ["provider", "amazon-bedrock"], id="404-no-allowed-providers"),
    pytest.param(Served.built(404, "No endpoints found matching your data policy (Free model publication). "
                                   "Configure: https://openrouter.ai/settings/privacy"),
                 "data_policy", ["https://openrouter.ai/settings/privacy"], id="404-data-policy-built"),
    pytest.param(Served.sample("404-not-found.json"), "not_found", ["base_url", "OPENROUTER_BASE_URL"],
                 id="404-not-found"),
    pytest.param(Served.sample("404-generation-not-found.json"), "not_found", ["生成ID"],
                 id="404-generation-not-found"),
    pytest.param(Served.sample("408-timeout.json"), "request_timeout", ["408", "max_tokens"], id="408-timeout"),
    pytest.param(Served.sample("429-free-per-day.json"), "rate_day",
                 ["（50回）", "1日50回", "1000回", "アカウント全体", "9月8日 9:00", "0:00 UTC",
                  "10クレジット以上を購入すれば"],
                 id="429-free-per-day"),
    pytest.param(Served.built(429, "Rate limit exceeded: free-models-per-day. Add 10 credits to unlock 1000 free "
                                   "model requests per day", headers={"X-RateLimit-Limit": "1000",
                                                                      "X-RateLimit-Remaining": "0"}),
                 "rate_day", ["（1000回）", "すでに1日1000回の上限", "有料版のモデル"], id="429-per-day-at-1000-built"),
    pytest.param(Served.sample("429-free-per-minute.json"), "rate_minute",
                 ["1分あたりの上限（8回）", "1分に20回", "アカウント全体", "7月8日 23:03（日本時間）ごろまで待って"],
                 id="429-free-per-minute"),
    pytest.param(Served.built(429, "Rate limit exceeded", headers=RATE_HEADERS), "rate_minute",
                 ["（20回）", "7月8日 23:03（日本時間）"], id="429-minute-from-response-headers-built"),
    pytest.param(Served.built(429, "Provider returned error",
                              raw="google/gemma-3-27b-it:free is temporarily rate-limited upstream. "
                                  "Please retry shortly.",
                              provider_name="Google AI Studio", limit_source="upstream_provider_shared_pool",
                              retry_after_seconds=30),
                 "rate_upstream", ["Google AI Studio", "30秒ほど待って", "1日の上限とは別", 'extra_body={"models"'],
                 id="429-upstream-built"),
    pytest.param(Served.built(429, "Rate limit exceeded"), "rate_limited", ["1分20回", "1日50回"],
                 id="429-generic-built"),
    pytest.param(Served.sample("502-provider-error.json"), "provider_error",
                 ["Google AI Studio", "別のモデル", 'extra_body={"models"'], id="502-provider-error"),
    pytest.param(Served.sample("503-service-unavailable.json"), "temporarily_unavailable",
                 [MODEL, "30秒ほど待ってから", "別のモデル", "https://status.openrouter.ai"], id="503-unavailable"),
    pytest.param(Served.sample("503-service-unavailable.json", prose_only=True), "no_provider",
                 ["別のモデル", "https://status.openrouter.ai"], id="503-unavailable-prose-only"),
    pytest.param(Served.sample("429-capacity-exhausted.json"), "capacity_exhausted",
                 [MODEL, "満員", "40秒ほど待ってから",
                  "OpenRouter がすすめる代わりのモデル: anthropic/claude-haiku-4.5。"],
                 id="429-capacity-exhausted"),
    pytest.param(Served.built(500, "Internal Server Error"), "server_error", ["500", "数分待って"],
                 id="500-built"),
]


@pytest.mark.parametrize("served, case, needles", STATUS_CASES)
def test_http_error_is_explained(httpserver, client, fake_key, served, case, needles):
    serve(httpserver, served)
    exp = failed_call(client)
    assert_kind(exp, case, *needles)
    assert exp.details["HTTPステータス"] == str(served.status)
    assert exp.details["OpenRouter のメッセージ"] == served.body["error"]["message"]
    assert fake_key not in exp.to_text()


def availability(status: int, code: str, message: str = "Model unavailable", **fields: object) -> Served:
    """A model-availability error as OpenRouter's errors page documents it (since 2026-08-19)."""
    body = {"message": message, "code": status,
            "availability": {"code": code, "requested_models": [MODEL],
                             "docs_url": f"https://openrouter.ai/docs/errors#{code}", **fields}}
    return Served(status, {"error": body})


FALLBACK = "OpenRouter がすすめる代わりのモデル: google/gemma-4-31b-it:free。"
# (served, expected case, text the explanation must contain, text it must not contain)
AVAILABILITY_CASES = [
    pytest.param(availability(400, "model_not_found", retryable=False), "model_invalid", [MODEL], [],
                 id="model_not_found"),
    pytest.param(availability(400, "wrong_endpoint", retryable=False), "wrong_endpoint", ["この種類のリクエスト"], [],
                 id="wrong_endpoint"),
    pytest.param(availability(404, "no_endpoints", retryable=False), "no_endpoints", [MODEL], [], id="no_endpoints"),
    pytest.param(availability(404, "model_deprecated", retryable=False,
                              fallback_models=["google/gemma-4-31b-it:free"]),
                 "model_retired", ["提供が終わりました（404）", FALLBACK], ["近いIDの候補"], id="model_deprecated"),
    pytest.param(availability(404, "model_unavailable_upstream", retryable=False), "no_endpoints", [MODEL], [],
                 id="model_unavailable_upstream"),
    pytest.param(availability(403, "region_restricted", retryable=False, excluded_by=["region"]),
                 "region_restricted", ["国や地域", "外れた理由（OpenRouter の答え）: region。"], [],
                 id="region_restricted"),
    pytest.param(availability(404, "privacy_restricted", retryable=False,
                              fallback_models=["google/gemma-4-31b-it:free"]),
                 "data_policy", ["https://openrouter.ai/settings/privacy", FALLBACK], [], id="privacy_restricted"),
    pytest.param(availability(404, "constraint_filtered", retryable=False,
                              excluded_by=["provider.max_price", "provider.quantizations"]),
                 "constraint_filtered", ["max_price", "provider.max_price、provider.quantizations"], [],
                 id="constraint_filtered"),
    pytest.param(availability(404, "free_variant_ended", retryable=False), "free_retired",
                 ["もう提供されていません", "有料版の google/gemma-3-27b-it"], [], id="free_variant_ended"),
    pytest.param(availability(429, "capacity_exhausted", retryable=True, retry_after=40,
                              fallback_models=["google/gemma-4-31b-it:free"]),
                 "capacity_exhausted", ["40秒ほど待ってから", FALLBACK], ["1日の上限に達し"], id="capacity_exhausted"),
    pytest.param(availability(503, "temporarily_unavailable", retryable=True), "temporarily_unavailable",
                 ["少し待ってから", "https://status.openrouter.ai"], [], id="temporarily_unavailable"),
    # Codes OpenRouter may add later: a generic availability box that names the code and follows `retryable`.
    pytest.param(availability(404, "model_on_vacation", retryable=False), "availability_other",
                 ["理由コード: model_on_vacation", "同じリクエストを送り直しても通りません", "https://openrouter.ai/models"],
                 ["待ってから"], id="unknown-code-not-retryable"),
    pytest.param(availability(429, "model_on_vacation", retryable=True, retry_after=5), "availability_other",
                 ["（429、理由コード: model_on_vacation）", "5秒ほど待ってから、もう一度実行すると通ることがあります"],
                 ["送り直しても通りません"], id="unknown-code-retryable"),
    pytest.param(availability(404, "model_on_vacation"), "availability_other", ["model_on_vacation"],
                 ["送り直しても通りません", "通ることがあります"], id="unknown-code-without-retryable"),
    # The code decides, not the prose or the status: these messages would match other cases.
    pytest.param(availability(404, "capacity_exhausted", "No endpoints found for google/gemma-3-27b-it:free.",
                              retryable=True), "capacity_exhausted", ["満員"], ["もう提供されていません"],
                 id="code-wins-over-no-endpoints-prose"),
    pytest.param(availability(429, "model_deprecated", "Rate limit exceeded: free-models-per-day", retryable=False),
                 "model_retired", ["提供が終わりました（429）"], ["1日の利用回数"], id="code-wins-over-per-day-prose"),
]


@pytest.mark.parametrize("served, case, needles, absent", AVAILABILITY_CASES)
def test_availability_errors_are_explained_by_their_code(httpserver, client, served, case, needles, absent):
    serve(httpserver, served)
    exp = failed_call(client)
    assert_kind(exp, case, *needles)
    for text in absent:
        assert text not in exp.to_text(), text
    code = served.body["error"]["availability"]["code"]
    assert code in exp.details["availability（モデルを使えない理由）"]  # the instructor sees OpenRouter's code


def test_fallback_models_replace_close_ids(httpserver, client):
    serve(httpserver, availability(400, "model_not_found", fallback_models=["a/one:free", "b/two", "c/three", "d/x"]))
    exp = failed_call(client)
    assert "OpenRouter がすすめる代わりのモデル: a/one:free, b/two, c/three。" in exp.next_step
    assert "近いIDの候補" not in exp.next_step and "d/x" not in exp.next_step


def test_context_length_from_the_catalogue_when_the_provider_does_not_say(httpserver, client, monkeypatch):
    monkeypatch.setattr(catalog, "context_length", lambda model: 32768 if model == MODEL else None)
    serve(httpserver, Served.built(400, "Provider returned error", error_type="context_length_exceeded",
                                   raw='{"error": {"message": "Input is too long for requested model."}}'))
    assert_kind(failed_call(client), "context_exceeded", MODEL, "コンテキスト長：32768 トークン")


LOGIN_PAGE = ("<!DOCTYPE html>\n<html><head><title>Campus Wi-Fi</title></head>"
              "<body><form action='/login'>利用規約に同意する</form></body></html>")


def test_wifi_login_page_instead_of_an_answer(httpserver, client):
    """A captive portal answers 200 with HTML; openai returns it as a str and lesson code reads .choices."""
    httpserver.expect_request(CHAT).respond_with_data(LOGIN_PAGE, content_type="text/html")
    with kindly():
        completion = client.chat.completions.create(model=MODEL, messages=MESSAGES_HI)
        print(completion.choices[0].message.content)
    exp = error_box.last_explanation()
    assert_kind(exp, "captive_portal", "Wi-Fi のログイン画面", "https://openrouter.ai", "再生モード")
    assert "Campus Wi-Fi" in exp.details["届いた内容（最初の部分）"]


def test_text_that_is_no_web_page_is_a_malformed_response(httpserver, client):
    httpserver.expect_request(CHAT).respond_with_data("Service Unavailable", content_type="text/plain")
    with kindly():
        answer = client.chat.completions.create(model=MODEL, messages=MESSAGES_HI)
        print(answer.choices)
    assert_kind(error_box.last_explanation(), "malformed_response", "OPENROUTER_BASE_URL")


def test_learners_own_attribute_errors_are_not_explained():
    with pytest.raises(AttributeError), kindly():
        answer = "AIの答え"  # message.content is already the text: .text is the learner's own mistake
        print(answer.text)


def test_lone_surrogate_in_a_direct_call(httpserver, client):
    """openai cannot encode the request at all: a raw UnicodeEncodeError from inside the client."""
    with kindly():
        client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "絵文字 \ud83d です"}])
    assert_kind(error_box.last_explanation(), "prompt_surrogate", "壊れた文字", "絵文字")


@pytest.mark.parametrize("key, needle", [
    pytest.param(DOCUMENT_PLACEHOLDER, "教材の見本の文字", id="the-documents-placeholder"),
    pytest.param("sk-or-v1-" + "０１２３" * 16, "全角文字", id="full-width-digits"),
])
def test_a_key_the_client_cannot_send(httpserver, key, needle):
    """A non-ASCII key cannot go into the Authorization header: httpx2 raises UnicodeEncodeError before sending."""
    client = OpenAI(base_url=httpserver.url_for("/api/v1"), api_key=key, max_retries=0)
    with kindly():
        client.chat.completions.create(model=MODEL, messages=MESSAGES_HI)
    exp = error_box.last_explanation()
    assert_kind(exp, "key_malformed", needle)
    assert key not in exp.to_text() and "０１２３" not in exp.to_text()


# Cases whose tests are below rather than in STATUS_CASES or AVAILABILITY_CASES.
OTHER_CASES = {"no_endpoints", "value_invalid", "model_unknown", "no_key", "not_recorded_lookup", "model_empty",
               "compare_count", "key_malformed", "record_without_key", "recordings_missing", "prompt_empty",
               "prompt_too_long", "connection", "client_timeout", "stream_error", "stream_cut", "completion_error",
               "not_recorded", "malformed_response", "captive_portal", "prompt_surrogate", "messages_shape",
               "no_tool_support", "unsupported_parameters", "no_image_input", "no_output_modality", "image_too_large",
               "no_images_returned"}


def test_every_case_has_a_test():
    tested = {p.values[1] for p in STATUS_CASES + AVAILABILITY_CASES} | OTHER_CASES
    assert tested == set(ERRORS) - {"unknown"}


GUIDE = Path(__file__).resolve().parents[2] / "docs" / "instructor_guide.md"


def guide_error_rows() -> list[tuple[str, list[str]]]:
    """(what the learner sees, case codes) of each row of the instructor guide's error table (section 7)."""
    section = GUIDE.read_text(encoding="utf-8").split("## 7. ", 1)[1].split("\n## 8. ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip("|").split(" | ")]
        if line.startswith("| ") and len(cells) == 3 and cells[1].startswith("`"):
            rows.append((cells[0], re.findall(r"`(\w+)`", cells[1])))
    return rows


def test_the_guides_error_table_quotes_the_real_cases():
    rows = guide_error_rows()
    assert len(rows) >= 15
    for shown, cases in rows:
        for case in cases:
            assert case in ERRORS, case
        what = ERRORS[cases[0]]["what"]
        start = re.split(r"…|／|\{", shown)[0]
        if not what.startswith("{"):  # "{message}": the text is the exception's own
            assert what.startswith(start), (cases[0], start, what)


def test_invalid_model_suggests_close_ids(httpserver, client, monkeypatch):
    catalogue_lists(monkeypatch, ["google/gemma-3-27b-it:free", "openai/gpt-4o-mini"])
    serve(httpserver, Served.built(400, "google/gemma-3-27b:free is not a valid model ID"))
    exp = failed_call(client, model="google/gemma-3-27b:free")
    assert_kind(exp, "model_invalid", "近いIDの候補: google/gemma-3-27b-it:free")


def test_invalid_model_without_catalogue(httpserver, client, monkeypatch):
    catalogue_lists(monkeypatch, None)  # the catalogue fails: no suggestions, no crash
    serve(httpserver, Served.sample("400-invalid-model.json", model=None))
    exp = failed_call(client)
    assert_kind(exp, "model_invalid", "nonexistent/not-a-model:free")
    assert "近いIDの候補" not in exp.next_step


@pytest.mark.parametrize("listed", [
    pytest.param(["google/gemma-3-27b-it:free", "google/gemma-3-27b-it"], id="free-variant-listed"),
    pytest.param(["openai/gpt-4o-mini"], id="paid-version-not-listed-either"),
    pytest.param(None, id="no-catalogue"),
])
def test_no_endpoints_is_not_called_retired_unless_the_catalogue_says_so(httpserver, client, monkeypatch, listed):
    catalogue_lists(monkeypatch, listed)
    serve(httpserver, Served.sample("404-no-endpoints.json", prose_only=True))  # the code would say it
    exp = failed_call(client)
    assert_kind(exp, "no_endpoints", MODEL, "https://openrouter.ai/models", 'extra_body={"models"')


def test_no_key_at_client_construction(clean_env, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(openai.OpenAIError) as info:
        OpenAI(base_url="http://127.0.0.1:9/api/v1", api_key=None)
    assert_kind(explain(info.value), "no_key", "setup()", "02_account_and_key.ipynb", "再生モード")


def test_malformed_key_shows_its_message(fake_key):
    with pytest.raises(KeyProblem) as info:
        validate_key(fake_key[:20])
    exp = explain(info.value)
    assert_kind(exp, "key_malformed", info.value.message, "02_account_and_key.ipynb")


def test_record_without_key():
    assert_kind(explain(RecordWithoutKeyError("no key")), "record_without_key", "COURSE_MODE", "OPENROUTER_API_KEY")


def test_not_recorded_shows_replay_message():
    message = NOT_RECORDED_MESSAGE.format(model=MODEL, recorded="  ・x: 「こんにちは」")
    exc = NotRecordedError(message, "POST", CHAT, MODEL, "別の質問", [(MODEL, "こんにちは")])
    exp = explain(exc)
    assert_kind(exp, "not_recorded", "収録されていません", "元に戻して", "ライブモード")
    assert exp.what == message


def test_missing_recordings_are_not_the_learners_edits():
    exc = NotRecordedError("収録データが見つかりません。", "POST", CHAT, None, None, [], recordings_problem="missing")
    exp = explain(exc)
    assert_kind(exp, "recordings_missing", "収録データが見つかりません。", "丸ごと取得し直して", "ライブモード")
    assert "元に戻して" not in exp.to_text()


def test_network_unreachable(fake_key):
    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens there
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = OpenAI(base_url=f"http://127.0.0.1:{port}/api/v1", api_key=fake_key, max_retries=0)
    exp = failed_call(client)
    assert_kind(exp, "connection", f"127.0.0.1:{port}", "OPENROUTER_BASE_URL", "https://openrouter.ai")


def test_client_timeout(httpserver, fake_key):
    def slow(request):
        time.sleep(0.5)
        return Response("{}", content_type="application/json")

    httpserver.expect_request(CHAT).respond_with_handler(slow)
    client = OpenAI(base_url=httpserver.url_for("/api/v1"), api_key=fake_key, max_retries=0, timeout=0.2)
    assert_kind(failed_call(client), "client_timeout", "timeout=60")


def sse(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def test_error_inside_stream(httpserver, client):
    httpserver.expect_request(CHAT).respond_with_data(sse("chat-stream-midstream-error.sse.txt"),
                                                      content_type="text/event-stream")
    stream = client.chat.completions.create(model=MODEL, messages=MESSAGES_HI, stream=True)
    with pytest.raises(openai.APIError) as info:
        finish_stream(stream)
    exp = explain(info.value)
    assert_kind(exp, "stream_error", "エラーコード 429", "Rate limit exceeded")


def test_stream_cut_by_the_connection(httpserver, client):
    body = sse("chat-stream.sse.txt").encode()

    def cut(request):  # promises the whole body, sends half, closes: the client sees a protocol error
        response = Response(body[: len(body) // 2], content_type="text/event-stream")
        response.headers["Content-Length"] = str(len(body))
        return response

    httpserver.expect_request(CHAT).respond_with_handler(cut)
    stream = client.chat.completions.create(model=MODEL, messages=MESSAGES_HI, stream=True)
    with pytest.raises(openai.APIConnectionError) as info:
        finish_stream(stream)
    assert_kind(explain(info.value), "stream_cut", "stream=False", "RemoteProtocolError")


def test_stream_ending_without_finish_reason(httpserver, client):
    events = sse("chat-stream.sse.txt").split("\n\n")
    httpserver.expect_request(CHAT).respond_with_data("\n\n".join(events[:22]) + "\n\n",
                                                      content_type="text/event-stream")
    stream = client.chat.completions.create(model=MODEL, messages=MESSAGES_HI, stream=True)
    with pytest.raises(StreamIncomplete) as info:
        finish_stream(stream)
    assert info.value.partial_text == "Hello there"
    assert_kind(explain(info.value), "stream_cut", "もう一度実行")


def test_raw_httpx2_read_error_is_a_stream_cut():
    exp = explain(httpx2.RemoteProtocolError("peer closed connection without sending complete message body"))
    assert_kind(exp, "stream_cut", "httpx2.RemoteProtocolError")


def test_complete_stream_is_returned(httpserver, client):
    httpserver.expect_request(CHAT).respond_with_data(sse("chat-stream-keepalive.sse.txt"),
                                                      content_type="text/event-stream")
    stream = client.chat.completions.create(model=MODEL, messages=MESSAGES_HI, stream=True)
    assert finish_stream(stream) == "Hello there, friend."


def test_finish_reason_error_in_a_200_response(httpserver, client):
    httpserver.expect_request(CHAT).respond_with_json(json.loads(sse("errors/200-error-in-body.json")))
    completion = client.chat.completions.create(model=MODEL, messages=MESSAGES_HI)
    with pytest.raises(CompletionFailed) as info:
        check_completion(completion)
    exp = explain(info.value)
    assert_kind(exp, "completion_error", 'finish_reason が "error"', "Provider disconnected mid-stream")
    assert exp.details["エラーコード"] == "502"


def test_good_completion_passes_check(httpserver, client):
    httpserver.expect_request(CHAT).respond_with_data(sse("chat-completion.json"), content_type="application/json")
    completion = client.chat.completions.create(model=MODEL, messages=MESSAGES_HI)
    assert check_completion(completion) is completion


@pytest.mark.parametrize("prompt", ["", "  \n\t", None, [{"role": "user", "content": "   "}], []])
def test_empty_prompt(prompt):
    with pytest.raises(InputProblem) as info:
        check_prompt(prompt)
    assert_kind(explain(info.value), "prompt_empty", "入れてから")


def test_prompt_too_long_for_the_model(monkeypatch):
    monkeypatch.setattr(catalog, "context_length", lambda model: 100 if model == MODEL else None)
    with pytest.raises(InputProblem) as info:
        check_prompt([{"role": "user", "content": "あ" * 1000}], model=MODEL)
    assert_kind(explain(info.value), "prompt_too_long", MODEL, "100 トークン", "約 500 トークン", "目安",
                "03_models_and_prices.ipynb")
    check_prompt("あ" * 1000, model="other/model")  # context unknown: no check
    check_prompt("短い質問", model=MODEL)


def test_prompt_check_without_catalogue(monkeypatch):
    monkeypatch.setattr(catalog, "context_length", unreadable)
    check_prompt("あ" * 100_000, model=MODEL)


def test_kindly_swallows_and_prints_in_a_terminal(httpserver, client, capsys):
    serve(httpserver, Served.sample("401-invalid-key.json"))
    with kindly():
        client.chat.completions.create(model=MODEL, messages=MESSAGES_HI)
    out = capsys.readouterr().out
    assert "何が起きたか: OpenRouter がこのAPIキーを受け付けませんでした" in out
    assert "次にやること:" in out and "<details>" not in out
    assert error_box.last_explanation().case == "key_invalid"


def test_kindly_displays_html_in_a_notebook(monkeypatch, capsys):
    shown = []
    monkeypatch.setattr(error_box, "_in_notebook", lambda: True)
    monkeypatch.setattr("IPython.display.display", shown.append)
    with kindly():
        raise RecordWithoutKeyError("no key")
    assert capsys.readouterr().out == ""
    html = shown[0]._repr_html_()
    assert "<details><summary>詳細</summary>" in html and "RecordWithoutKeyError" in html


def test_kindly_lets_other_exceptions_through():
    with pytest.raises(ZeroDivisionError), kindly():
        print(1 / 0)


def test_unknown_errors_use_the_fallback():
    exp = explain(ValueError("boom"))
    assert exp.case == "unknown" and "ValueError" in exp.what and "boom" in exp.to_text()


def test_no_key_material_in_explanations(httpserver, client, fake_key, monkeypatch):
    monkeypatch.setenv("OPENROUTER_API_KEY", fake_key)
    serve(httpserver, Served.built(401, f"Invalid key {fake_key} for user"))
    exp = failed_call(client)
    for shown in (exp.to_text(), exp._repr_html_(), str(exp)):
        assert fake_key not in shown and not re.search(r"sk-or-v1-[0-9a-f]{6}", shown)


def test_malformed_json_body_is_explained_but_learners_json_errors_are_not(httpserver, client):
    httpserver.expect_request(CHAT, method="POST").respond_with_data("{not json", content_type="application/json")
    with kindly():
        client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "hi"}])
    assert_kind(error_box.last_explanation(), "malformed_response", "OPENROUTER_BASE_URL")
    with pytest.raises(json.JSONDecodeError), kindly():
        json.loads("{not json")


def test_redact_exception_scrubs_the_chain_in_place(httpserver, client, fake_key, monkeypatch):
    monkeypatch.setenv("OPENROUTER_API_KEY", fake_key)
    serve(httpserver, Served.built(401, f"Invalid key {fake_key}", echoed=[fake_key]))
    with pytest.raises(openai.AuthenticationError) as info:
        client.chat.completions.create(model=MODEL, messages=MESSAGES_HI)
    try:
        raise RuntimeError(f"while sending with {fake_key}", b"raw bytes") from info.value
    except RuntimeError as outer:
        outer.body = {"when": object()}  # not JSON: still checked, left as it is
        error_box.redact_exception(outer)
        for exc in (outer, info.value):
            assert fake_key not in str(exc) and fake_key not in repr(exc.args)
        assert outer.args[1] == b"raw bytes"
        assert fake_key not in json.dumps(info.value.body) and fake_key not in info.value.message
        assert "[REDACTED]" in info.value.body["metadata"]["echoed"][0]


# Feature refusals, served by the example server as OpenRouter words them (see test_fake_openrouter_features.py).
FEATURE_FREE = "google/gemma-4-31b-it:free"
FEATURE_TOOLS = [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}]
FEATURE_SCHEMA = {"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "object"}}}
REQUIRE_PARAMETERS = {"provider": {"require_parameters": True}}


def image_message(data: str) -> list[dict]:
    return [{"role": "user", "content": [{"type": "text", "text": "これは何？"},
                                         {"type": "image_url", "image_url": {"url": "data:image/png;base64," + data}}]}]


@pytest.mark.parametrize(("kwargs", "case", "needles"), [
    ({"model": "google/gemma-3-4b-it", "tools": FEATURE_TOOLS}, "no_tool_support",
     ["google/gemma-3-4b-it", "tools", "course_utils.MODELS.free"]),
    ({"model": FEATURE_FREE, "response_format": FEATURE_SCHEMA, "extra_body": REQUIRE_PARAMETERS},
     "unsupported_parameters", [FEATURE_FREE, "require_parameters", "structured_outputs"]),
    ({"model": "liquid/lfm-2.5-2.6b:free", "messages": image_message("aGk=")}, "no_image_input",
     ["liquid/lfm-2.5-2.6b:free", "input_modalities"]),
    ({"model": FEATURE_FREE, "extra_body": {"modalities": ["image", "text"]}}, "no_output_modality",
     [FEATURE_FREE, "modalities: image, text", "output_modalities"]),
    ({"model": FEATURE_FREE, "messages": image_message("A" * (31 * 1024 * 1024 * 4 // 3))}, "image_too_large",
     ["413", "30MB"]),
], ids=["no-tools", "required-parameters", "no-image-input", "no-image-output", "image-too-large"])
def test_a_feature_the_model_lacks_is_named_not_called_retired(fake_key, kwargs, case, needles):
    with FakeOpenRouter() as srv:
        exp = failed_call(OpenAI(base_url=srv.base_url, api_key=fake_key, max_retries=0), **kwargs)
    assert_kind(exp, case, *needles)
    assert ":free）の提供が終わった" not in exp.to_text()


IMAGE_MODEL = "google/gemini-3.1-flash-lite-image"
DRAW = [{"role": "user", "content": "朝日と富士山の、シンプルなイラストを描いてください。"}]


def test_an_image_model_called_without_modalities_is_told_to_add_them(srv, fake_key):
    """Without `modalities` an image model answers 200 with text alone; reading `message.images` then is explained
    (cause and the extra_body to add), while the same call with modalities does return an image."""
    client = OpenAI(base_url=srv.base_url, api_key=fake_key, max_retries=0)
    message = client.chat.completions.create(model=IMAGE_MODEL, messages=DRAW).choices[0].message
    assert message.content
    with kindly():
        print(message.images[0]["image_url"]["url"])
    assert_kind(error_box.last_explanation(), "no_images_returned", "modalities を付けずに",
                'extra_body={"modalities": ["image", "text"]}', "output_modalities")
    drawn = client.chat.completions.create(model=IMAGE_MODEL, messages=DRAW,
                                           extra_body={"modalities": ["image", "text"]}).choices[0].message
    assert drawn.images[0]["image_url"]["url"].startswith("data:image/png;base64,")


def test_a_misspelt_images_attribute_is_the_learners_own_error(srv, fake_key):
    client = OpenAI(base_url=srv.base_url, api_key=fake_key, max_retries=0)
    message = client.chat.completions.create(model=IMAGE_MODEL, messages=DRAW,
                                             extra_body={"modalities": ["image", "text"]}).choices[0].message
    with pytest.raises(AttributeError), kindly():
        print(message.image)
