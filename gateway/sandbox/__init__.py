"""The sandbox: answers API calls from the OpenAPI document, validating them against it."""

from gateway.sandbox.cache import SandboxIndexCache
from gateway.sandbox.handler import SandboxHandler
from gateway.sandbox.index import SandboxIndex

__all__ = ["SandboxHandler", "SandboxIndex", "SandboxIndexCache"]
