"""The sandbox: answers API calls from the OpenAPI document, validating them against it.

`handler.SandboxHandler` is the terminal handler; `index.SandboxIndex` the per-document index
(built once per document, see `gateway.compiled_routes`).
"""
