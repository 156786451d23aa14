"""Tsunagu registry: the control plane (providers, APIs, versions, lint, lifecycle, apps)."""
