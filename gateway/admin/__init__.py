"""The provider and operator API, mounted at `/admin/v1` (one service layer, two doors)."""

from gateway.admin.app import build_admin_app

__all__ = ["build_admin_app"]
