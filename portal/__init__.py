"""Tsunagu developer portal: a MkDocs Material site generated from the registry."""
