"""Rate-limit machinery behind the policies: quotas, window counters, header formatting."""
