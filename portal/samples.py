"""Code samples per operation (curl, Python, JavaScript) that call the sandbox as pasted.

Each sample reads the sandbox access token from the `TSUNAGU_TOKEN` environment variable (the
getting-started guide shows how to get one), fills path and query parameters from the
document's examples, and sends the first request-body example. Python uses only the standard
library and JavaScript only `fetch` (Node.js 18+ or a browser), so nothing needs installing.
"""

from __future__ import annotations

import json
import shlex
from typing import Any
from urllib.parse import quote, urlencode

from portal.operations import Operation, Parameter

TOKEN_VARIABLE = "TSUNAGU_TOKEN"  # noqa: S105 - the name of a variable, not a secret


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _query_pairs(param: Parameter) -> list[tuple[str, str]]:
    value = param.example
    if isinstance(value, list):
        if param.explode:
            return [(param.name, _text(v)) for v in value]
        return [(param.name, ",".join(_text(v) for v in value))]
    return [(param.name, _text(value))]


def sample_url(base_url: str, op: Operation) -> str:
    """The sandbox URL with example path values and the query parameters that are required or
    have an example (the sandbox validates them against the same document)."""
    path = op.path
    query: list[tuple[str, str]] = []
    for param in op.parameters:
        if param.location == "path":
            value = _text(param.example) if param.has_example else f"{{{param.name}}}"
            path = path.replace(f"{{{param.name}}}", quote(value, safe=""))
        elif param.location == "query" and param.has_example:
            query.extend(_query_pairs(param))
    url = base_url.rstrip("/") + path
    return url + ("?" + urlencode(query) if query else "")


def _body(op: Operation) -> str | None:
    if op.request_examples and op.request_media_type and "json" in op.request_media_type:
        return json.dumps(op.request_examples[0].value, ensure_ascii=False, indent=2)
    return None


def curl(base_url: str, op: Operation) -> str:
    url = sample_url(base_url, op)
    lines = [f"curl -sS -X {op.method} {shlex.quote(url)}"]
    lines.append(f'  -H "Authorization: Bearer ${TOKEN_VARIABLE}"')
    body = _body(op)
    if body is not None:
        lines.append(f"  -H {shlex.quote('Content-Type: ' + str(op.request_media_type))}")
        lines.append(f"  --data {shlex.quote(body)}")
    return " \\\n".join(lines)


def python(base_url: str, op: Operation) -> str:
    url = sample_url(base_url, op)
    body = _body(op)
    lines = [
        "import json",
        "import os",
        "import urllib.request",
        "",
        f'token = os.environ["{TOKEN_VARIABLE}"]',
        "request = urllib.request.Request(",
        f"    {url!r},",
        f"    method={op.method!r},",
        '    headers={"Authorization": f"Bearer {token}"'
        + (f', "Content-Type": {op.request_media_type!r}' if body else "")
        + "},",
    ]
    if body is not None:
        lines.append(f"    data={body!r}.encode(),")
    lines += [
        ")",
        "with urllib.request.urlopen(request) as response:",
        "    print(response.status)",
        "    print(json.dumps(json.load(response), ensure_ascii=False, indent=2))",
    ]
    return "\n".join(lines)


def javascript(base_url: str, op: Operation) -> str:
    url = sample_url(base_url, op)
    body = _body(op)
    headers = "{ Authorization: `Bearer ${token}`" + (
        f", 'Content-Type': {json.dumps(op.request_media_type)} }}" if body else " }"
    )
    lines = [
        f"const token = process.env.{TOKEN_VARIABLE};",
        f"const response = await fetch({json.dumps(url, ensure_ascii=False)}, {{",
        f"  method: {json.dumps(op.method)},",
        f"  headers: {headers},",
    ]
    if body is not None:
        lines.append(f"  body: JSON.stringify({body}),")
    lines += [
        "});",
        "console.log(response.status);",
        "console.log(JSON.stringify(await response.json(), null, 2));",
    ]
    return "\n".join(lines)


SAMPLES = (("curl", "bash", curl), ("Python", "python", python), ("JavaScript", "js", javascript))
