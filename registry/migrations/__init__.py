"""Alembic migrations of the registry store (env.py, versions/); applied by `open_store`."""
