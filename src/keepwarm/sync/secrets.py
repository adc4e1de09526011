"""Source passwords, encrypted at rest with Fernet.

The key comes from ``KEEPWARM_SECRET_KEY`` (any text: it is stretched to a Fernet key, so one secret serves
the web sessions and the sources) or else from ``sources.key`` in the config dir, made on first use with
owner-only permissions. A database copied without its key holds no usable password.
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

from keepwarm.config import key_file
from keepwarm.errors import ConfigError

KEY_FILE = "sources.key"


def _key(config_dir: Path) -> bytes:
    env = os.environ.get("KEEPWARM_SECRET_KEY")
    if env:
        return base64.urlsafe_b64encode(hashlib.sha256(env.encode()).digest())
    from cryptography.fernet import Fernet

    return key_file(config_dir / KEY_FILE, Fernet.generate_key)


def encrypt(password: str, config_dir: Path) -> bytes:
    """The password as stored."""
    from cryptography.fernet import Fernet

    return Fernet(_key(config_dir)).encrypt(password.encode())


def decrypt(token: bytes, config_dir: Path) -> str:
    """The stored password; a key that changed is a configuration error, not a traceback."""
    from cryptography.fernet import Fernet, InvalidToken

    try:
        return Fernet(_key(config_dir)).decrypt(bytes(token)).decode()
    except InvalidToken:
        raise ConfigError("the stored source password cannot be decrypted with this key",
                          hint="set the same KEEPWARM_SECRET_KEY as when the source was added, or "
                               "remove and add the source again") from None
