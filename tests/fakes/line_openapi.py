"""Load LINE's OpenAPI files once per process, with their discriminators made enforceable."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from openapi_core import Config, OpenAPI
from openapi_core.exceptions import OpenAPIError
from openapi_core.testing import MockRequest

SPEC_DIR = Path(__file__).resolve().parent.parent / "data" / "line-openapi"
SCHEMAS = "#/components/schemas/"
CORE_SUFFIX = "__core"
_REQUIRED = re.compile(r"^'(.+)' is a required property$")


@dataclass(frozen=True)
class SpecError:
    """One way a document breaks the spec: where (LINE's `messages[0].text` style) and why."""

    property: str
    message: str


def resolve_discriminators(spec: Mapping[str, Any]) -> dict[str, Any]:
    """Return a copy of spec whose discriminated base schemas validate their mapped subtype.

    openapi-core only honours `discriminator` beside a oneOf/anyOf/allOf, and LINE's bases
    (Message, Action, FlexComponent, Event, Source...) carry it on a plain object schema, so a
    text message without `text` would pass as a bare Message. Each base B becomes
    `{B's own keywords, type-enum, oneOf: [subtypes], discriminator}`; each subtype's
    `allOf: [B, own]` is pointed at `B__core` (B without the discriminator) to avoid recursion,
    and pinned to its own discriminator value so a direct reference (e.g. a carousel's bubbles)
    also checks `type`.
    """
    spec = copy.deepcopy(dict(spec))
    schemas: dict[str, Any] = spec["components"]["schemas"]
    bases = {name: s for name, s in schemas.items() if "discriminator" in s}
    for name, base in bases.items():
        if any(k in base for k in ("allOf", "oneOf", "anyOf")):
            # Not in LINE's files today; fail loudly so a spec update gets a look.
            raise ValueError(f"discriminated schema {name} already composes others")
        schemas[name + CORE_SUFFIX] = {k: v for k, v in base.items() if k != "discriminator"}
    for name, base in bases.items():
        disc = base["discriminator"]
        prop = disc["propertyName"]
        for key, ref in disc["mapping"].items():
            sub = schemas[_schema_name(ref)]
            parts = sub.get("allOf", [])
            inherit = [p for p in parts if p.get("$ref") == SCHEMAS + name]
            if not inherit:
                raise ValueError(f"{ref} is mapped from {name} but does not inherit it")
            for part in inherit:
                part["$ref"] = SCHEMAS + name + CORE_SUFFIX
            parts.append({"properties": {prop: {"type": "string", "enum": [key]}}})
        own = dict(schemas[name + CORE_SUFFIX])
        props = dict(own.get("properties", {}))
        props[prop] = {**props.get(prop, {"type": "string"}), "enum": sorted(disc["mapping"])}
        own["properties"] = props
        own["required"] = sorted(set(own.get("required", [])) | {prop})
        own["oneOf"] = [{"$ref": ref} for ref in disc["mapping"].values()]
        own["discriminator"] = disc
        schemas[name] = own
    return spec


def _schema_name(ref: str) -> str:
    if not ref.startswith(SCHEMAS):
        raise ValueError(f"unsupported discriminator mapping {ref}")
    return ref[len(SCHEMAS) :]


def _load(name: str) -> OpenAPI:
    with open(SPEC_DIR / name, encoding="utf-8") as f:
        raw = yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    # The files are LINE's and known to be valid; re-validating them costs seconds per process.
    return OpenAPI.from_dict(resolve_discriminators(raw), config=Config(spec_validator_cls=None))


@cache
def messaging_api() -> OpenAPI:
    """Return the resolved Messaging API spec (loaded once per process)."""
    return _load("messaging-api.yml")


@cache
def webhook_api() -> OpenAPI:
    """Return the resolved webhook spec (loaded once per process)."""
    return _load("webhook.yml")


def property_path(parts: Iterable[str | int]) -> str:
    """Render a JSON path the way LINE's error details name a property (`messages[0].text`)."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def schema_errors(exc: OpenAPIError) -> list[SpecError]:
    """Flatten an openapi-core validation error into LINE-style (property, message) details."""
    cause = exc.__cause__
    raw = list(getattr(cause, "schema_errors", ()) or ())
    if not raw:
        return [SpecError("", str(exc))]
    found: dict[str, SpecError] = {}
    for err in raw:
        path = list(err.absolute_path)
        if err.validator == "required":
            # jsonschema reports one error per missing name, as "'text' is a required property".
            missing = _REQUIRED.match(str(err.message))
            item = SpecError(
                property_path([*path, *(missing.groups() if missing else ())]), "must be specified"
            )
        elif err.validator in ("maxLength", "minLength"):
            item = SpecError(
                property_path(path), f"Length must be {_bound(err.validator, err.validator_value)}"
            )
        elif err.validator in ("maxItems", "minItems"):
            item = SpecError(
                property_path(path), f"Size must be {_bound(err.validator, err.validator_value)}"
            )
        else:
            item = SpecError(property_path(path), str(err.message)[:200])
        # The discriminator adds a "could not be resolved" twin to an unknown type: keep one per path.
        found.setdefault(item.property, item)
    return list(found.values())


def _bound(validator: str, value: int) -> str:
    return f"at most {value}" if validator.startswith("max") else f"at least {value}"


def validate_webhook_body(body: bytes) -> list[SpecError]:
    """Return how a webhook body breaks webhook.yml's CallbackRequest (empty when it is valid)."""
    request = MockRequest(
        "https://example.com",
        "post",
        "/callback",
        headers={"Content-Type": "application/json"},
        data=body,
    )
    try:
        webhook_api().validate_request(request)
    except OpenAPIError as exc:
        return schema_errors(exc)
    return []


def compact_json(value: Any) -> bytes:
    """Serialise as LINE does on the wire: compact, UTF-8, non-ASCII kept as is."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
