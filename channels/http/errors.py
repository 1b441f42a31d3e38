"""One place that turns errors into HTTP answers (CONTRACT §4 shapes)."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from pydantic import ValidationError as PydanticError

from domain.accounting.model import RefundTooLarge
from domain.errors import (
    DomainError,
    InsufficientStock,
    InvalidInput,
    InvalidTransition,
    NotAuthorised,
    NotFound,
    ValidationError,
)
from domain.input_policy import refuse, text_problems
from domain.money import quantize
from domain.orders.idempotency import DuplicateExternalId, IdempotencyMismatch

log = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def error(http_status: int, code: str, message: str, **extra: Any) -> web.Response:
    return web.json_response({"error": code, "message": message, **extra}, status=http_status)


def pydantic_fields(exc: PydanticError) -> list[dict[str, str]]:
    fields = []
    for err in exc.errors():
        path = ".".join(str(p) for p in err["loc"]) or "body"
        fields.append({"path": path, "message": str(err["msg"]).removeprefix("Value error, ")})
    return fields


def to_response(exc: Exception) -> web.Response:
    match exc:
        case PydanticError():
            fields = pydantic_fields(exc)
            return error(422, "validation_error", "; ".join(
                f"{f['path']}: {f['message']}" for f in fields), fields=fields)
        case InvalidInput():
            fields = [{"path": p, "message": m} for p, m in exc.problems]
            return error(422, "validation_error", exc.message, fields=fields)
        case ValidationError():
            return error(422, "validation_error", exc.message,
                         fields=[{"path": exc.field, "message": exc.reason}])
        case InsufficientStock():
            return error(409, "insufficient_stock", exc.message, lines=[
                {"sku": s.sku, "requested": s.requested, "available": s.available}
                for s in exc.shortages])
        case InvalidTransition():
            return error(409, "invalid_transition", exc.message, status=exc.status,
                         allowed=exc.allowed)
        case IdempotencyMismatch():
            return error(422, exc.code, exc.message, order=exc.order_number)
        case DuplicateExternalId():
            return error(409, exc.code, exc.message, order=exc.order_number)
        case NotFound():
            return error(404, "not_found", exc.message)
        case RefundTooLarge():
            return error(422, exc.code, exc.message,
                         refundable=str(quantize(exc.left, exc.currency)))
        case MalformedJson():
            return error(400, exc.code, exc.message)
        case NotAuthorised():
            return error(403, "forbidden", exc.message)
        case DomainError():
            return error(409, exc.code if exc.code != "domain_error" else "conflict",
                         exc.message)
    raise exc


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        check_request_text(request)
        return await handler(request)
    except web.HTTPRequestEntityTooLarge:
        return error(413, "payload_too_large", f"the body is larger than the "
                     f"{request.client_max_size:,} bytes a request may carry")
    except web.HTTPException:
        raise
    except (DomainError, PydanticError) as exc:
        return to_response(exc)


def check_request_text(request: web.Request) -> None:
    """The input policy's text rule over the path parameters and the query string (a NUL
    in `/inventory/MUG%00-01` or `?warehouse=M%00IL` is a 422 naming the parameter, never
    a query that the database refuses)."""
    problems = text_problems(dict(request.match_info))
    for name, value in request.query.items():
        problems += text_problems(name, "query") + text_problems(value, name)
    if problems:
        refuse(problems)


async def read_json(request: web.Request) -> Any:
    if not request.can_read_body:
        raise MalformedJson("there is none; send a JSON object")
    return json_body(await request.read())


def json_body(raw: bytes) -> Any:
    """Parse a JSON body; MalformedJson (400) when it is not JSON."""
    too_deep = MalformedJson(f"it is nested more than {MAX_DEPTH} levels deep")
    try:
        value = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise MalformedJson(str(exc)) from None
    except RecursionError:  # the decoder recurses per level: `[[[[…` 100,000 deep
        raise too_deep from None
    if _deeper_than(value, MAX_DEPTH):
        raise too_deep
    return value


MAX_DEPTH = 32  # our deepest body is 4 levels; validators walk bodies recursively


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether `value` nests lists and objects more than `limit` levels (iteratively)."""
    level: list[Any] = [value]
    for _ in range(limit):
        level = [inner for v in level if isinstance(v, (list, dict))
                 for inner in (v.values() if isinstance(v, dict) else v)]
        if not level:
            return False
    return True


class MalformedJson(DomainError):
    code = "malformed_json"

    def __init__(self, detail: str) -> None:
        super().__init__(f"the body is not valid JSON: {detail}")
