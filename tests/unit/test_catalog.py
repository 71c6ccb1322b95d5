"""catalog and charts: the real `openai` client against a loopback server that serves OpenRouter's wire format."""
from __future__ import annotations

import json
import time
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

import course_utils
from course_utils import catalog, charts, config, replay
from course_utils.course_errors import KeyProblem

DATA = Path(__file__).resolve().parents[2] / "fake_openrouter" / "data"
MODELS = json.loads((DATA / "models.json").read_text(encoding="utf-8"))
KEY = json.loads((DATA / "key.json").read_text(encoding="utf-8"))
ENDPOINTS = json.loads((DATA / "model-endpoints-multi.json").read_text(encoding="utf-8"))
GENERATION = json.loads((DATA / "generation.json").read_text(encoding="utf-8"))
API = "/api/v1"


@pytest.fixture
def fresh_catalogue():
    """An empty catalogue cache, emptied again afterwards so that no later test sees this test's catalogue."""
    catalog.clear_cache()
    yield
    catalog.clear_cache()


@pytest.fixture
def server(httpserver, clean_env, fake_key, monkeypatch, fresh_catalogue):
    """The loopback server as OPENROUTER_BASE_URL, a fake key in the environment, an empty catalogue cache."""
    monkeypatch.setenv(config.BASE_URL_VAR, httpserver.url_for(API))
    monkeypatch.setenv(config.KEY_VAR, fake_key)
    return httpserver


@pytest.fixture
def models(server) -> list[dict]:
    server.expect_request(f"{API}/models").respond_with_json(MODELS)
    return catalog.list_models()


def by_id(model_id: str) -> dict:
    return next(m for m in MODELS["data"] if m["id"] == model_id)


# -- prices and free models ---------------------------------------------------------------------------

@pytest.mark.parametrize("price, per_million", [("0.00000045", 0.45), ("0.000002", 2.0), ("0.0000032", 3.2),
                                                ("0", 0.0), ("-1", None), (None, None), ("n/a", None)])
def test_price_per_million_is_what_the_website_shows(price, per_million):
    assert catalog.price_per_million(price) == per_million


def test_free_means_free_suffix_or_zero_prices():
    assert catalog.is_free(by_id("google/gemma-4-31b-it:free"))
    assert catalog.is_free({"id": "openrouter/free", "pricing": {"prompt": "0", "completion": "0"}})
    assert not catalog.is_free(by_id("google/gemma-3-27b-it"))
    assert not catalog.is_free(by_id("openrouter/auto-beta"))  # "-1": the price varies, it is not free


# -- the catalogue over HTTP --------------------------------------------------------------------------

def test_list_models_fetches_once_per_session(server, fake_key):
    server.expect_oneshot_request(f"{API}/models").respond_with_json(MODELS)
    first = catalog.list_models()
    second = catalog.list_models()
    assert len(server.log) == 1
    assert first is second and len(first) == len(MODELS["data"])
    request = server.log[0][0]
    assert request.headers["Authorization"] == "Bearer " + fake_key


def test_refresh_fetches_again(models, server):
    catalog.list_models(refresh=True)
    assert len(server.log) == 2


def test_get_model_and_context_length_come_from_the_catalogue(models):
    assert catalog.get_model("google/gemma-4-31b-it:free")["name"] == by_id("google/gemma-4-31b-it:free")["name"]
    assert catalog.get_model("google/gemma-3-27b-it:free") is None  # the document's model has been retired
    assert catalog.context_length("qwen/qwen3.8-27b") == 262144
    assert catalog.known_model_ids() == [m["id"] for m in MODELS["data"]]


def test_known_model_ids_read_the_recordings_without_network(clean_env, monkeypatch, tmp_path, fresh_catalogue):
    interaction = {
        "request": {"method": "GET", "uri": "https://openrouter.ai/api/v1/models", "body": None, "headers": {}},
        "response": {"status": {"code": 200, "message": "OK"}, "headers": {"content-type": ["application/json"]},
                     "body": {"string": json.dumps(MODELS)}},
    }
    (tmp_path / "01_catalog.yaml").write_text(yaml.safe_dump({"version": 1, "interactions": [interaction]}),
                                              encoding="utf-8")
    monkeypatch.setenv(config.RECORDINGS_DIR_VAR, str(tmp_path))
    assert catalog.known_model_ids() == [m["id"] for m in MODELS["data"]]
    assert catalog.context_length("google/gemma-4-31b-it:free") == 262144
    assert catalog.context_length("nonexistent/model") is None


def test_no_key_gives_the_japanese_message_instead_of_another_services_key(clean_env, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "not-for-openrouter")
    with pytest.raises(KeyProblem) as err:
        catalog.key_info()
    assert "APIキーが設定されていません" in err.value.message


# -- filtering, sorting, counting ---------------------------------------------------------------------

def test_models_table_rows_show_prices_per_million(models):
    row = next(r for r in catalog.models_table(models) if r.id == "qwen/qwen3.8-27b")
    assert (row.maker, row.free, row.input_per_m, row.output_per_m, row.context_length) == \
        ("qwen", False, 0.45, 3.2, 262144)


def test_free_only_lists_exactly_the_free_models(models):
    expected = {m["id"] for m in MODELS["data"]
                if m["id"].endswith(":free") or (m["pricing"]["prompt"], m["pricing"]["completion"]) == ("0", "0")}
    rows = catalog.models_table(models, free_only=True)
    assert {r.id for r in rows} == expected
    assert all(r.free and r.input_per_m == 0 for r in rows)


def test_filters_combine(models):
    rows = catalog.models_table(models, maker="Google", search="GEMMA", max_price=1.0)
    assert rows and all(r.id.startswith("google/") and "gemma" in r.id and r.input_per_m <= 1.0 for r in rows)
    long = catalog.models_table(models, min_context=1_000_000)
    assert long and all(r.context_length >= 1_000_000 for r in long)
    assert catalog.models_table(models, search="no-such-model") == []


def test_sorting(models):
    prices = [r.input_per_m for r in catalog.models_table(models)]
    known = [p for p in prices if p is not None]
    assert known == sorted(known) and prices[len(known):] == [None] * (len(prices) - len(known))
    contexts = [r.context_length for r in catalog.models_table(models, sort="context")]
    assert contexts == sorted(contexts, reverse=True)
    with pytest.raises(ValueError, match="sort には"):
        catalog.models_table(models, sort="値段")


def test_filtering_400_models_is_fast(models):
    many = [dict(m, id=f"{m['id']}-{i}") for i in range(4) for m in models]
    assert len(many) >= 390
    best = min(_timed(lambda: catalog.models_table(many, search="a", max_price=5, min_context=8000))
               for _ in range(5))
    assert best < 0.020


def _timed(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def test_makers_count_most_first(models):
    expected = Counter(m["id"].split("/")[0] for m in MODELS["data"])
    counts = catalog.makers_count(models)
    assert dict(counts) == expected
    assert counts == sorted(expected.items(), key=lambda item: (-item[1], item[0]))


# -- cost ----------------------------------------------------------------------------------------------

def test_estimate_cost_in_usd_and_yen(models):
    cost = catalog.estimate_cost("qwen/qwen3.8-27b", prompt_tokens=1000, completion_tokens=500)
    assert cost == pytest.approx(1000 * 0.45 / 1e6 + 500 * 3.2 / 1e6)
    assert catalog.estimate_cost(by_id("google/gemma-4-31b-it:free"), 1000, 500) == 0.0
    assert catalog.usd_to_jpy(cost, rate=150.0) == pytest.approx(cost * 150.0)


def test_estimate_cost_explains_what_it_cannot_price(models):
    with pytest.raises(ValueError, match="カタログにありません"):
        catalog.estimate_cost("google/gemma-3-27b-it:free", 10, 10)
    with pytest.raises(ValueError, match="見積もれません"):
        catalog.estimate_cost("openrouter/auto-beta", 10, 10)
    with pytest.raises(ValueError, match="為替レート"):
        catalog.usd_to_jpy(1.0, rate=0)


# -- providers, key, generation ------------------------------------------------------------------------

def test_endpoints_cheapest_first(server):
    server.expect_request(f"{API}/models/deepseek/deepseek-chat/endpoints").respond_with_json(ENDPOINTS)
    rows = catalog.endpoints("deepseek/deepseek-chat")
    assert [r.provider_name for r in rows] == ["StreamLake", "DeepInfra", "Novita"]
    assert (rows[0].tag, rows[0].input_per_m, rows[0].output_per_m, rows[0].uptime) == \
        ("streamlake", 0.2574, 1.0287, 99.2)
    text = repr(catalog.show_endpoints(rows))
    assert text.splitlines()[0].split() == ["プロバイダー", "タグ（指定用）", "量子化", "入力", "$/1M", "出力", "$/1M",
                                            "コンテキスト長", "稼働率", "%（直近30分）"]
    assert "deepinfra/fp4" in text and "163,840" in text
    with pytest.raises(ValueError, match="開発元/モデル名"):
        catalog.endpoints("deepseek-chat")


def test_endpoints_of_an_unknown_model_name_the_model_not_the_base_url(server, capsys):
    body = {"error": {"message": "Model deepseek/deepseek-chta not found", "code": 404}}
    server.expect_request(f"{API}/models/deepseek/deepseek-chta/endpoints").respond_with_json(body, status=404)
    with course_utils.kindly():
        catalog.endpoints("deepseek/deepseek-chta")
    out = capsys.readouterr().out
    assert "モデル「deepseek/deepseek-chta」は、モデル一覧（カタログ）にありません（404）。" in out
    assert "base_url" not in out and "生成ID" not in out


def test_a_wrong_argument_is_explained_in_japanese(capsys):
    from course_utils import kindly

    with kindly():
        catalog.endpoints("deepseek-chat")
    out = capsys.readouterr().out
    assert ("何が起きたか: モデルIDは「開発元/モデル名」の形で指定してください"
            "（指定された値: 'deepseek-chat'）。") in out
    assert "次にやること: 上のメッセージのとおりに値を直して" in out and "予期しない" not in out


def test_key_table_explains_fields_and_never_shows_the_label(server):
    server.expect_request(f"{API}/key").respond_with_json(KEY)
    info = catalog.key_info()
    assert (info.limit, info.limit_remaining, info.usage, info.is_free_tier) == (1, 1, 0, False)
    assert info.free_model_daily_requests == {"used": 2, "limit": 1000, "remaining": 998}
    table = catalog.show_key_info(info)
    label = KEY["data"]["label"]
    for shown in (repr(info), repr(table), table._repr_html_()):
        assert label not in shown and "sk-or" not in shown
    rows = {row[0]: row[1:] for row in table.rows}
    assert rows["label"][0] == "（表示しません）"
    assert rows["free_model_daily_requests"][0] == "2 回使用 / 上限 1,000 回（残り 998 回）"
    assert rows["is_free_tier"][0] == "いいえ"
    assert "無視" in rows["rate_limit"][1]


def test_unlimited_key_says_so(server):
    server.expect_request(f"{API}/key").respond_with_json(
        {"data": dict(KEY["data"], limit=None, limit_remaining=None)})
    rows = {row[0]: row[1] for row in catalog.show_key_info(catalog.key_info()).rows}
    assert rows["limit"] == rows["limit_remaining"] == "上限なし"


def test_generation_by_id(server):
    gen_id = GENERATION["data"]["id"]
    server.expect_request(f"{API}/generation", query_string={"id": gen_id}).respond_with_json(GENERATION)
    data = catalog.generation(gen_id)
    assert (data["total_cost"], data["tokens_prompt"], data["provider_name"]) == (0.04, 49, "Google AI Studio")


# -- what a notebook shows ---------------------------------------------------------------------------

def test_models_table_display(models):
    rows = catalog.models_table(models, search="qwen3.8-27b")
    table = catalog.show_models(rows)
    lines = repr(table).splitlines()
    assert lines[0].split() == ["モデルID", "名前", "無料", "入力", "$/1M", "出力", "$/1M", "コンテキスト長"]
    assert lines[2].split()[0] == "qwen/qwen3.8-27b" and "0.45" in lines[2] and "262,144" in lines[2]
    html = table._repr_html_()
    assert "<th>入力 $/1M</th>" in html and "<td>3.2</td>" in html


def test_long_tables_are_cut_with_a_note(models):
    table = catalog.show_models(catalog.models_table(models), limit=5)
    assert len(table.rows) == 5
    assert table.note == f"（全{len(models)}件のうち5件を表示）"
    assert catalog.show_models([]).note == "（該当するものはありません）"


def test_free_marker_column(models):
    rows = catalog.show_models(catalog.models_table(models, free_only=True), limit=None).rows
    assert all(row[2] == "○" and row[3] == "0" for row in rows)


# -- charts --------------------------------------------------------------------------------------------

class _Drawn(HTMLParser):
    """What a browser draws from a chart's HTML: `texts` above the bars (title, legend, the bar column's heading),
    then `bars`: for each label, top to bottom, its bars as (width in px, colour, the value written after it)."""

    def __init__(self, chart: charts.BarChart):
        super().__init__()
        self.texts: list[str] = []
        self.bars: list[tuple[str, list[tuple[int, str, str]]]] = []
        self._where = "above"  # "above" the table body, a row's "label" cell, or its "bars" cell
        self.feed(chart._repr_html_())

    def handle_starttag(self, tag, attrs):
        style = dict(p.split(": ") for p in (dict(attrs).get("style") or "").split("; ") if p)
        if tag in ("th", "td") and self._where != "above":
            self._where = "label" if tag == "th" else "bars"
        elif tag == "tbody":
            self._where = "label"
        elif tag == "span" and self._where == "bars":
            self.bars[-1][1].append((int(style["width"].removesuffix("px")), style["background-color"], ""))

    def handle_data(self, data):
        if not data.strip():
            return
        if self._where == "above":
            self.texts.append(data.strip())
        elif self._where == "label":
            self.bars.append((data, []))
        else:
            width, color, _ = self.bars[-1][1][-1]
            self.bars[-1][1][-1] = (width, color, data.strip())


def test_plot_makers_draws_the_top_makers_as_bars_with_japanese_labels(models):
    counts = catalog.makers_count(models)
    chart = charts.plot_makers(counts, top=5)
    drawn = _Drawn(chart)
    assert drawn.texts[:2] == [f"開発元別のモデル数（上位5社 / 全{len(counts)}社）", "モデル数"]
    # Largest at the top; each bar as long as its count (the largest 320 px) and the count written after it.
    assert [label for label, _ in drawn.bars] == [name for name, _ in counts[:5]]
    largest = counts[0][1]
    assert [bars for _, bars in drawn.bars] == [[(round(320 * n / largest), "#1f77b4", str(n))] for _, n in counts[:5]]
    # print() and nbval see the same chart as text.
    lines = str(chart).splitlines()
    assert lines[0] == drawn.texts[0] and lines[-1] == "（棒の長さ: モデル数）"
    assert lines[1].split() == [counts[0][0], "|" + "█" * 30, str(largest)]


def test_plot_endpoint_prices(server):
    server.expect_request(f"{API}/models/deepseek/deepseek-chat/endpoints").respond_with_json(ENDPOINTS)
    rows = catalog.endpoints("deepseek/deepseek-chat")
    drawn = _Drawn(charts.plot_endpoint_prices(rows))
    assert drawn.texts[:4] == ["プロバイダー別の料金（100万トークンあたりのドル）", "入力", "出力",
                               "USD / 100万トークン"]
    assert [label for label, _ in drawn.bars] == [r.provider_name for r in rows]
    # Two bars per provider, input (blue) then output (orange), on one scale: the dearest price is 320 px.
    dearest = max(p for r in rows for p in (r.input_per_m, r.output_per_m) if p)
    for row, (_, bars) in zip(rows, drawn.bars, strict=True):
        assert bars == [(round(320 * row.input_per_m / dearest), "#1f77b4", f"{row.input_per_m:g}"),
                        (round(320 * row.output_per_m / dearest), "#ff7f0e", f"{row.output_per_m:g}")]


# -- replay ----------------------------------------------------------------------------------------------

def test_a_recorded_catalogue_replays_and_answers_offline(server, monkeypatch, tmp_path):
    monkeypatch.setenv(config.RECORDINGS_DIR_VAR, str(tmp_path))
    server.expect_request(f"{API}/models").respond_with_json(MODELS)
    replay.start("record", "03_models")
    recorded = catalog.list_models()
    replay.stop()
    replay.recording_path("03_models", in_progress=True).rename(replay.recording_path("03_models"))

    monkeypatch.delenv(config.BASE_URL_VAR)
    catalog.clear_cache()
    assert catalog.known_model_ids() == [m["id"] for m in recorded]
    replay.start("replay")
    assert catalog.list_models() == recorded
    assert len(server.log) == 1
