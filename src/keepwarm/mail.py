"""The daily digest by email: settings from ``keepwarm.toml`` and the environment, composing, sending.

``<config dir>/keepwarm.toml``::

    [profile]
    name = "Alex Doe"            # signs your drafts

    [smtp]
    host = "smtp.example.com"
    port = 587
    user = "alex@example.com"
    password = "app-password"
    from = "alex@example.com"
    to = "alex@example.com"      # the digest's default recipient
    starttls = true              # upgrade the connection before logging in (default true)
    ssl = false                  # or connect with TLS from the start (port 465)
    cafile = "/path/to/ca.pem"   # trust a private certificate authority

Each ``[smtp]`` key can be overridden by ``KEEPWARM_SMTP_<KEY>`` (e.g. ``KEEPWARM_SMTP_PASSWORD``).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any

from keepwarm.errors import ConfigError, DeliveryError

CONFIG_FILE = "keepwarm.toml"
_TRUE = ("1", "true", "yes", "on")


def load_config(config_dir: Path) -> dict[str, Any]:
    """The parsed ``keepwarm.toml`` (empty when there is none); a broken file is a one-line error."""
    path = config_dir / CONFIG_FILE
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from None


def my_name(config: dict[str, Any]) -> str | None:
    """Your name from ``[profile] name``, for signing drafts."""
    name = config.get("profile", {}).get("name")
    return str(name) if name else None


@dataclass
class SmtpSettings:
    """Where and how to send mail."""

    host: str | None = None
    port: int = 587
    user: str | None = None
    password: str | None = None
    sender: str | None = None
    to: str | None = None
    starttls: bool = True
    ssl: bool = False
    cafile: str | None = None
    timeout: float = 30.0


def smtp_settings(config: dict[str, Any], env: dict[str, str] | None = None) -> SmtpSettings:
    """The ``[smtp]`` table with ``KEEPWARM_SMTP_*`` overrides."""
    env = dict(os.environ) if env is None else env
    raw = dict(config.get("smtp", {}))
    for key in ("host", "port", "user", "password", "from", "to", "starttls", "ssl", "cafile"):
        value = env.get(f"KEEPWARM_SMTP_{key.upper()}")
        if value is not None:
            raw[key] = value
    try:
        port = int(raw.get("port", 465 if _flag(raw.get("ssl", False)) else 587))
    except (TypeError, ValueError):
        raise ConfigError(f"smtp port must be a number, not {raw.get('port')!r}") from None
    return SmtpSettings(host=raw.get("host") or None, port=port, user=raw.get("user") or None,
                        password=raw.get("password") or None, sender=raw.get("from") or raw.get("user"),
                        to=raw.get("to") or None, starttls=_flag(raw.get("starttls", True)),
                        ssl=_flag(raw.get("ssl", False)), cafile=raw.get("cafile") or None)


def _flag(value: Any) -> bool:
    return value if isinstance(value, bool) else str(value).strip().lower() in _TRUE


def compose(subject: str, text: str, html: str, sender: str, to: str) -> EmailMessage:
    """A multipart/alternative message with a text and an HTML part."""
    msg = EmailMessage()
    msg["Subject"], msg["From"], msg["To"] = subject, sender, to
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "keepwarm.local")
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    return msg


def check_server(cfg: SmtpSettings) -> None:
    """An error that says how to configure mail when no server is set."""
    if not cfg.host:
        raise ConfigError("no SMTP server configured",
                          hint=f"set [smtp] host in {CONFIG_FILE} in your config dir, or KEEPWARM_SMTP_HOST")


def send(msg: EmailMessage, cfg: SmtpSettings) -> None:
    """Deliver over SMTP: STARTTLS (or implicit TLS) and login as configured; failures are one line."""
    import smtplib
    import ssl

    check_server(cfg)
    assert cfg.host is not None
    try:
        context = ssl.create_default_context(cafile=cfg.cafile)
    except (OSError, ssl.SSLError) as exc:
        raise ConfigError(f"smtp cafile {cfg.cafile}: {exc}") from None
    try:
        if cfg.ssl:
            client: smtplib.SMTP = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=cfg.timeout, context=context)
        else:
            client = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout)
        with client:
            client.ehlo()
            if cfg.starttls and not cfg.ssl:
                client.starttls(context=context)
                client.ehlo()
            if cfg.user and cfg.password:
                if not client.has_extn("auth"):
                    hint = "" if cfg.starttls or cfg.ssl else " (turn on STARTTLS: [smtp] starttls = true)"
                    raise DeliveryError(f"the SMTP server {cfg.host} offers no login on this "
                                        f"connection{hint}")
                client.login(cfg.user, cfg.password)
            client.send_message(msg)
    except smtplib.SMTPAuthenticationError as exc:
        raise DeliveryError(f"the SMTP server {cfg.host} refused the login for {cfg.user}: "
                            f"{exc.smtp_code} {_text(exc.smtp_error)}") from None
    except smtplib.SMTPResponseException as exc:
        raise DeliveryError(f"the SMTP server {cfg.host} said {exc.smtp_code} "
                            f"{_text(exc.smtp_error)}") from None
    except (smtplib.SMTPException, ssl.SSLError, OSError) as exc:
        raise DeliveryError(f"could not send through {cfg.host}:{cfg.port}: {exc}") from None


def _text(value: bytes | str) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)
