"""Service codes (售后码): short, unguessable, read aloud or typed by a consumer without confusion.

Ten Crockford base32 characters carry 50 random bits. Crockford's alphabet leaves out I, L, O and
U, and reads them back as 1, 1, 0 (and U as nothing valid), so a code typed in any case, with the
usual look-alike slips and separators, still finds its product.
"""

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 10
_LOOKALIKES = str.maketrans({"I": "1", "L": "1", "O": "0"})
_VALID = re.compile(f"^[{ALPHABET}]{{{LENGTH}}}$")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(raw: str) -> str | None:
    """The stored form of a typed code, or None when it cannot be one (so lookups never hit the database)."""
    if len(raw) > 3 * LENGTH:
        return None
    code = re.sub(r"[\s\-_.]", "", raw).upper().translate(_LOOKALIKES)
    return code if _VALID.match(code) else None
