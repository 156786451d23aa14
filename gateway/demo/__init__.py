"""`tsunagu demo`: seeded providers and APIs served by real upstream HTTP servers."""
