"""Tsunagu gateway: the data plane and composition root (HTTP server and the `tsunagu` CLI)."""
