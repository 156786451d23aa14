"""The upstream hop: the pooled aiohttp client, the SSRF guard and the streaming proxy handler."""
