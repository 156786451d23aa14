"""The demo's upstream API servers: real aiohttp HTTP servers answering from synthetic data.

Each demo API gets one server; its versions live under `/v1`, `/v2` on that server, so the
registry's upstream URL is `http://127.0.0.1:<port>/v<major>`. Errors are problem+json, as the
API Technical Guidebook asks of the providers too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from aiohttp import web

from gateway.demo import data
from registry.demo_apis import corporate_number_check_digit

Record = dict[str, Any]


def _json(body: Any, status: int = 200) -> web.Response:
    return web.Response(body=orjson.dumps(body), status=status, content_type="application/json")


def _problem(status: int, title: str, detail: str) -> web.Response:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    return web.Response(
        body=orjson.dumps(body), status=status, content_type="application/problem+json"
    )


def _int_param(request: web.Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise web.HTTPBadRequest(
            body=orjson.dumps(
                {
                    "title": "不正なパラメータ",
                    "status": 400,
                    "detail": f"{name} must be an integer in {low}..{high}",
                }
            ),
            content_type="application/problem+json",
        )
    return int(raw)


def _page(request: web.Request, rows: Sequence[Record]) -> web.Response:
    limit = _int_param(request, "limit", 20, 1, 100)
    offset = _int_param(request, "offset", 0, 0, 1_000_000)
    fields = _fields(request)
    page = [_select(r, fields) for r in rows[offset : offset + limit]]
    return _json(
        {
            "metadata": {"resultset": {"count": len(rows), "offset": offset, "limit": limit}},
            "results": page,
        }
    )


def _fields(request: web.Request) -> list[str]:
    return [f for f in request.query.get("fields", "").split(",") if f]


def _select(record: Record, fields: Sequence[str]) -> Record:
    return {k: v for k, v in record.items() if k in fields} if fields else record


@dataclass
class DemoUpstream:
    """One API's upstream: its name and the aiohttp app factory."""

    slug: str
    build: Callable[[], web.Application]


def houjin_app() -> web.Application:
    """v1 and v2 share the data; v2 adds `closed_date` (null while the corporation exists)."""
    v1_rows = data.corporations()
    v2_rows = [{**r, "closed_date": None} for r in v1_rows]
    by_version = {
        "v1": (v1_rows, {r["corporate_number"]: r for r in v1_rows}),
        "v2": (v2_rows, {r["corporate_number"]: r for r in v2_rows}),
    }

    async def search(request: web.Request) -> web.Response:
        rows, _ = by_version[request.match_info["version"]]
        name = request.query.get("name", "")
        pref = request.query.get("prefecture_code")
        found = [r for r in rows if name in r["name"] and pref in (None, r["prefecture_code"])]
        return _page(request, found)

    async def one(request: web.Request) -> web.Response:
        _, by_number = by_version[request.match_info["version"]]
        number = request.match_info["corporate_number"]
        if len(number) != 13 or not number.isdigit():
            return _problem(400, "法人番号の形式が不正です", "corporate_number must be 13 digits")
        if corporate_number_check_digit(number[1:]) != int(number[0]):
            return _problem(400, "法人番号のチェックデジットが不正です", "check digit mismatch")
        record = by_number.get(number)
        if record is None:
            return _problem(404, "法人が見つかりません", f"no corporation {number}")
        return _json(_select(record, _fields(request)))

    app = web.Application()
    app.router.add_get("/{version:v[12]}/corporations", search)
    app.router.add_get("/{version:v[12]}/corporations/{corporate_number}", one)
    return app


def postal_app() -> web.Application:
    rows = data.postal_addresses()
    by_code = {r["postal_code"]: r for r in rows}

    async def lookup(request: web.Request) -> web.Response:
        code = request.match_info["postal_code"]
        if len(code) != 7 or not code.isdigit():
            return _problem(
                400, "郵便番号の形式が不正です", "postal_code must be 7 digits, no hyphen"
            )
        record = by_code.get(code)
        if record is None:
            return _problem(404, "郵便番号が見つかりません", f"no address for {code}")
        return _json(record)

    async def addresses(request: web.Request) -> web.Response:
        pref = request.query.get("prefecture_code")
        city = request.query.get("city", "")
        found = [r for r in rows if pref in (None, r["prefecture_code"]) and city in r["city"]]
        return _page(request, found)

    app = web.Application()
    app.router.add_get("/v1/postal_codes/{postal_code}", lookup)
    app.router.add_get("/v1/addresses", addresses)
    return app


def facilities_app() -> web.Application:
    rows = data.facilities()
    by_id = {r["facility_id"]: r for r in rows}

    async def search(request: web.Request) -> web.Response:
        pref = request.query.get("prefecture_code")
        categories = {c for c in request.query.get("category", "").split(",") if c}
        since = request.query.get("since", "")
        found = [
            r
            for r in rows
            if pref in (None, r["prefecture_code"])
            and (not categories or r["category"] in categories)
            and r["updated_on"] >= since
        ]
        sort = request.query.get("sort")
        if sort:
            key = sort.lstrip("-")
            if key not in ("name", "updated_on"):
                return _problem(400, "並び順が不正です", "sort must be name or updated_on")
            found.sort(key=lambda r: str(r[key]), reverse=sort.startswith("-"))
        return _page(request, found)

    async def one(request: web.Request) -> web.Response:
        record = by_id.get(request.match_info["facility_id"])
        if record is None:
            return _problem(404, "施設が見つかりません", "no such facility")
        return _json(record)

    app = web.Application()
    app.router.add_get("/v1/facilities", search)
    app.router.add_get("/v1/facilities/{facility_id}", one)
    return app


DEMO_UPSTREAMS: tuple[DemoUpstream, ...] = (
    DemoUpstream("houjin", houjin_app),
    DemoUpstream("postal", postal_app),
    DemoUpstream("facilities", facilities_app),
)


async def start_upstream(app: web.Application, host: str, port: int) -> web.AppRunner:
    """Start one upstream on host:port; the caller cleans up with `await runner.cleanup()`."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner
