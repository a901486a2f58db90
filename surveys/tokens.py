"""Secret codes handed to people (invitation links, API tokens, follow-up receipts, resume
codes): only their SHA-256 is ever stored."""
import hashlib
import secrets


def new_token(nbytes: int = 24) -> str:
    return secrets.token_urlsafe(nbytes)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
