"""Live variation: an OpenRouter-compatible server that sends only the fields it must (or fewer).

The catalogue functions, tables and charts give 「不明」 / 「—」 for what is missing, never a raw KeyError or
TypeError; what cannot be computed at all is an explained course error.
"""
from __future__ import annotations

import pytest

import course_utils
from course_utils import catalog, charts, config
from course_utils.course_errors import InputProblem

API = "/api/v1"
# Catalogue entries with an id and little else: no pricing, context_length, supported_parameters or name.
MINIMAL_MODELS = {"data": [
    {"id": "acme/tiny"},
    {"id": "acme/small:free", "name": None, "pricing": {}},
    {"id": "other/half-priced", "pricing": {"prompt": "0.000001"}, "context_length": None},
    "not a model",
    {"name": "an entry without an id"},
]}


@pytest.fixture
def minimal(httpserver, clean_env, fake_key, monkeypatch):
    """A loopback server as OPENROUTER_BASE_URL with a fake key; the catalogue cache empty before and after."""
    monkeypatch.setenv(config.BASE_URL_VAR, httpserver.url_for(API))
    monkeypatch.setenv(config.KEY_VAR, fake_key)
    catalog.clear_cache()
    yield httpserver
    catalog.clear_cache()


def test_a_sparse_catalogue_lists_filters_and_shows(minimal):
    minimal.expect_request(f"{API}/models").respond_with_json(MINIMAL_MODELS)
    models = catalog.list_models()
    assert [m["id"] for m in models] == ["acme/tiny", "acme/small:free", "other/half-priced"]
    rows = catalog.models_table(models, sort="price")
    assert [(r.id, r.name, r.input_per_m, r.context_length) for r in rows] == [
        ("other/half-priced", "other/half-priced", 1.0, None),
        ("acme/small:free", "acme/small:free", None, None),
        ("acme/tiny", "acme/tiny", None, None)]
    for sort in ("context", "name", "id"):
        assert len(catalog.models_table(models, sort=sort)) == 3
    assert catalog.models_table(models, max_price=5, min_context=1000) == []
    assert [r.id for r in catalog.models_table(models, free_only=True)] == ["acme/small:free"]
    assert catalog.makers_count(models) == [("acme", 2), ("other", 1)]
    table = str(catalog.show_models(rows))
    assert table.splitlines()[2].split() == ["other/half-priced", "other/half-priced", "1", "—", "—"]
    assert catalog.known_model_ids() == ["acme/tiny", "acme/small:free", "other/half-priced"]
    assert catalog.context_length("acme/tiny") is None
    # get_model(...) of a model the catalogue lacks is None, and a table of it is just empty.
    assert str(catalog.show_models(catalog.models_table([catalog.get_model("gone/model")]))).endswith(
        "（該当するものはありません）")
    assert str(charts.plot_makers(catalog.makers_count(models))).splitlines()[1:3] == [
        "acme  |" + "█" * 30 + " 2", "other |" + "█" * 15 + " 1"]


@pytest.mark.parametrize("model, kind", [("acme/tiny", "入力"), ("other/half-priced", "出力")])
def test_an_estimate_without_catalogue_prices_is_explained(minimal, model, kind, capsys):
    minimal.expect_request(f"{API}/models").respond_with_json(MINIMAL_MODELS)
    with pytest.raises(InputProblem) as err:
        catalog.estimate_cost(model, 1000, 500)
    assert str(err.value) == (f"モデル '{model}' の料金（{kind}）がカタログに載っていないため、見積もれません。"
                              "料金は https://openrouter.ai/models のモデルのページで確かめてください。")
    with course_utils.kindly():
        catalog.estimate_cost(model, 1000, 500)
    out = capsys.readouterr().out
    assert "カタログに載っていない" in out and "Traceback" not in out


def test_a_key_answer_with_few_fields(minimal):
    minimal.expect_request(f"{API}/key").respond_with_json({"data": {"usage": 0.5, "limit": None}})
    info = catalog.key_info()
    assert info.usage == 0.5 and info.usage_daily is None
    # The lesson's `daily['used']` reads 「不明」 instead of failing on a missing counter.
    daily = info.free_model_daily_requests
    assert (daily["used"], daily["limit"], daily["remaining"]) == ("不明", "不明", "不明")
    assert not daily  # still empty: the exercise checker says the key info has no counter
    with pytest.raises(KeyError):
        daily["remainig"]  # a misspelt field is not hidden
    rows = {row[0]: row[1] for row in catalog.show_key_info(info).rows}
    assert rows == {"usage": "0.5", "limit": "上限なし"}


def test_a_partial_daily_counter(minimal):
    minimal.expect_request(f"{API}/key").respond_with_json({"data": {"free_model_daily_requests": {"used": 3}}})
    info = catalog.key_info()
    assert info.free_model_daily_requests["remaining"] == "不明"
    assert catalog.show_key_info(info).rows[0][1] == "3 回使用 / 上限 — 回（残り — 回）"


@pytest.mark.parametrize("data", [{"id": "gen-1"}, None, ["not", "an", "object"]], ids=["id-only", "null", "list"])
def test_a_generation_record_with_fields_left_out(minimal, data):
    minimal.expect_request(f"{API}/generation", query_string="id=gen-1").respond_with_json({"data": data})
    gen = catalog.generation("gen-1")
    for name in ("provider_name", "tokens_prompt", "tokens_completion", "total_cost", "generation_time",
                 "http_referer"):
        assert gen[name] == "不明"
    with pytest.raises(KeyError):
        gen["no_such_field"]


def test_sparse_endpoints_table_and_chart(minimal):
    minimal.expect_request(f"{API}/models/acme/tiny/endpoints").respond_with_json(
        {"data": {"endpoints": [{"pricing": {"prompt": "0.000002"}}, {"provider_name": "P", "uptime_last_30m": None},
                                "junk"]}})
    rows = catalog.endpoints("acme/tiny")
    assert [(r.provider_name, r.input_per_m, r.uptime) for r in rows] == [("不明", 2.0, None), ("P", None, None)]
    assert [row[0] for row in catalog.show_endpoints(rows).rows] == ["不明", "P"]
    # An unknown price is written as 「—」 with no bar; the other bars keep their scale.
    assert str(charts.plot_endpoint_prices(rows)).splitlines()[1:5] == [
        "不明 入力 |" + "█" * 30 + " 2", "     出力 | —", "P    入力 | —", "     出力 | —"]


def test_no_endpoints_object_at_all(minimal):
    minimal.expect_request(f"{API}/models/acme/tiny/endpoints").respond_with_json({"data": None})
    assert catalog.endpoints("acme/tiny") == []
    assert catalog.show_endpoints([]).note == "（該当するものはありません）"
