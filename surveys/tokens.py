"""Secret codes handed to people (invitation links, API tokens, follow-up receipts, resume
codes): only their SHA-256 is ever stored. Values that must not be recomputable from the
database alone (a person's scope beside an anonymous answer) are keyed with the server secret."""

import hashlib
import hmac
import secrets

# Replaced by the deployment's SECRET_KEY at start-up (webapp.create_app); random until then, so
# nothing is ever keyed with a guessable default.
_server_secret = secrets.token_bytes(32)


def configure_server_secret(secret: str | bytes) -> None:
    global _server_secret
    _server_secret = secret.encode() if isinstance(secret, str) else secret


def new_token(nbytes: int = 24) -> str:
    return secrets.token_urlsafe(nbytes)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def keyed_hash(*parts: str) -> str:
    """HMAC-SHA-256 of ``parts`` under the server secret (64 hex characters)."""
    return hmac.new(_server_secret, "\x1f".join(parts).encode(), hashlib.sha256).hexdigest()
