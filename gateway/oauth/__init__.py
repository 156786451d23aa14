"""OAuth 2.0 for the gateway: authorization server, signing keys, access-token verification.

authlib and joserfc are imported only inside this package (STYLE.md: one library, one home).
"""
