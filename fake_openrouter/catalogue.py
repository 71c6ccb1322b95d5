"""The model catalogue (`data/models.json`) and each model's provider endpoints.

Models with an authored endpoint list (`data/endpoints/<author>--<slug>.json`) have several providers;
every other model has one endpoint derived from its catalogue entry and `data/providers.json`.
"""
from __future__ import annotations

import copy
import json

from .wire import DATA_DIR, load_data

ENDPOINTS_DIR = DATA_DIR / "endpoints"


class Catalogue:
    """The models the server knows, changeable at run time (`remove`, `set_price`)."""

    def __init__(self) -> None:
        listing = load_data("models.json")
        self._links = listing["links"]
        self._models = {model["id"]: model for model in listing["data"]}
        providers = load_data("providers.json")
        self._default_provider = providers["default"]
        self._providers = providers["authors"]
        self._authored = {path.stem.replace("--", "/", 1): json.loads(path.read_text("utf-8"))["endpoints"]
                          for path in ENDPOINTS_DIR.glob("*.json")}

    def listing(self) -> dict:
        """The `GET /models` body."""
        return {"data": list(self._models.values()), "total_count": len(self._models), "links": self._links}

    def get(self, model_id: str) -> dict | None:
        """The catalogue entry of `model_id`, or None."""
        return self._models.get(model_id)

    def retired_free(self, model_id: str) -> bool:
        """Whether `model_id` is a delisted `:free` variant of a model still listed (paid).

        OpenRouter answers those with 404 "No endpoints found", not the 400 of an unknown id.
        """
        base, _, variant = model_id.rpartition(":")
        return variant == "free" and model_id not in self._models and base in self._models

    def find(self, slug: str) -> dict | None:
        """The entry whose id or dated `canonical_slug` is `slug` (as the endpoints URL accepts)."""
        return self.get(slug) or next((m for m in self._models.values() if m["canonical_slug"] == slug), None)

    def remove(self, model_id: str) -> None:
        """Retire a model: it leaves the listing and requests for it fail as for an unknown (or retired free) id."""
        del self._models[model_id]

    def set_price(self, model_id: str, prompt: str, completion: str) -> None:
        """Change a model's catalogue price (USD per token, as strings like the real catalogue)."""
        self._models[model_id]["pricing"].update(prompt=prompt, completion=completion)

    def endpoints(self, model: dict) -> list[dict]:
        """The model's provider endpoints in the `GET /models/{author}/{slug}/endpoints` shape."""
        specs = self._authored.get(model["id"])
        if specs is None:
            author = model["id"].split("/", 1)[0]
            provider = self._providers.get(author, self._default_provider)
            specs = [{**provider, "context_length": model["top_provider"]["context_length"] or model["context_length"],
                      "max_completion_tokens": model["top_provider"]["max_completion_tokens"],
                      "pricing": {**model["pricing"], "discount": 0}}]
        return [_endpoint(model, spec) for spec in specs]

    def endpoints_body(self, model: dict) -> dict:
        """The whole `GET /models/{author}/{slug}/endpoints` body."""
        architecture = model["architecture"]
        return {"data": {
            "id": model["id"], "name": model["name"], "created": model["created"],
            "description": model["description"],
            "architecture": {"tokenizer": architecture["tokenizer"], "instruct_type": architecture["instruct_type"],
                             "modality": architecture["modality"],
                             "input_modalities": architecture["input_modalities"],
                             "output_modalities": architecture["output_modalities"]},
            "endpoints": self.endpoints(model),
        }}


def _endpoint(model: dict, spec: dict) -> dict:
    """One endpoint with the real field order; values not in `spec` are the common defaults."""
    return {
        "name": f"{spec['provider_name']} | {model['canonical_slug']}",
        "model_id": model["id"],
        "model_name": model["name"],
        "context_length": spec["context_length"],
        "pricing": copy.deepcopy(spec["pricing"]),
        "provider_name": spec["provider_name"],
        "tag": spec["tag"],
        "quantization": spec["quantization"],
        "max_completion_tokens": spec["max_completion_tokens"],
        "max_prompt_tokens": None,
        "supported_parameters": list(model["supported_parameters"]),
        "status": 0,
        "uptime_last_30m": spec.get("uptime_last_30m", 99.8),
        "uptime_last_5m": spec.get("uptime_last_5m", 100),
        "uptime_last_1d": spec.get("uptime_last_1d", 99.6),
        "supports_implicit_caching": False,
        "latency_last_30m": spec.get("latency_last_30m"),
        "throughput_last_30m": spec.get("throughput_last_30m"),
    }
