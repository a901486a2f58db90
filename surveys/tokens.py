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


# Codes a person writes down: Crockford's base 32 (no I, L, O or U), in groups of four.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CODE_READS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code(groups: int = 4) -> str:
    """A code to write down by hand, e.g. ``7KQ2-M9XD-3RTV-HB4N`` (5 bits a character: 80 bits for four groups)."""
    characters = "".join(secrets.choice(CODE_ALPHABET) for _ in range(4 * groups))
    return "-".join(characters[i : i + 4] for i in range(0, len(characters), 4))


def normalise_code(typed: str) -> str:
    """A code as typed (any case, spaces or dashes, O for 0, I or L for 1) in its written form."""
    characters = "".join(c for c in typed.upper().translate(_CODE_READS) if c in CODE_ALPHABET)
    return "-".join(characters[i : i + 4] for i in range(0, len(characters), 4))


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def keyed_hash(*parts: str) -> str:
    """HMAC-SHA-256 of ``parts`` under the server secret (64 hex characters)."""
    return hmac.new(_server_secret, "\x1f".join(parts).encode(), hashlib.sha256).hexdigest()
