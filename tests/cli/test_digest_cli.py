"""`keepwarm digest`: printed, and sent to a real SMTP server (aiosmtpd) with STARTTLS and a login."""

from __future__ import annotations

import email
import shutil
import socket
import ssl
import subprocess
from collections.abc import Callable, Iterator
from email import policy
from pathlib import Path

import pytest
from tests.conftest import need

USER, PASSWORD = "alex@example.com", "s3cret pass"


class Sink:
    """An SMTP handler that keeps what it receives."""

    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.envelopes.append(envelope)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def cert(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, made here with openssl."""
    need(shutil.which("openssl") is not None, "openssl is not installed")
    d = tmp_path_factory.mktemp("tls")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-keyout", str(d / "key.pem"), "-out", str(d / "cert.pem"), "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                   check=True, capture_output=True)
    return d / "cert.pem", d / "key.pem"


@pytest.fixture
def smtp(cert: tuple[Path, Path]) -> Iterator[tuple[Sink, int]]:
    """A real SMTP server on loopback that requires STARTTLS and AUTH."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    def authenticator(server, session, envelope, mechanism, data):  # type: ignore[no-untyped-def]
        ok = (isinstance(data, LoginPassword) and data.login.decode() == USER
              and data.password.decode() == PASSWORD)
        return AuthResult(success=ok, handled=False)

    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(str(cert[0]), str(cert[1]))
    sink, port = Sink(), _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port, tls_context=tls, require_starttls=True,
                            authenticator=authenticator, auth_required=True, auth_require_tls=True,
                            auth_exclude_mechanism=["PLAIN"])  # AUTH LOGIN, as many providers use
    controller.start()
    yield sink, port
    controller.stop()


def _config(tmp_path: Path, port: int, cafile: Path, **extra: str) -> None:
    cfg = tmp_path / "config"
    cfg.mkdir(exist_ok=True)
    lines = ["[profile]", 'name = "Alex Doe"', "", "[smtp]", 'host = "127.0.0.1"', f"port = {port}",
             f'user = "{USER}"', f'password = "{PASSWORD}"', f'from = "{USER}"', f'cafile = "{cafile}"']
    lines += [f"{k} = {v}" for k, v in extra.items()]
    (cfg / "keepwarm.toml").write_text("\n".join(lines) + "\n")


def test_without_send_the_digest_prints_agenda_and_drafts(cli: Callable) -> None:
    cli("demo")
    r = cli("digest")
    assert r.code == 0, r.err
    assert r.out.startswith("keepwarm — today, 25 November\n")
    assert "Jonas Weber — Send a private birthday note" in r.out
    assert "Happy birthday, Jonas!" in r.out
    html = cli("digest", "--html").out
    assert html.startswith("<!doctype html>") and "<strong>Jonas Weber</strong>" in html


def test_user_text_is_escaped_in_the_html_part(cli: Callable) -> None:
    cli("add", "Eve <script>alert(1)</script>", "--birthday", "11-26")
    html = cli("digest", "--html").out
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_send_delivers_text_and_html_over_starttls_with_login(cli: Callable, smtp, cert,
                                                              tmp_path: Path) -> None:
    sink, port = smtp
    _config(tmp_path, port, cert[0])
    cli("demo")
    r = cli("digest", "--send", "--to", "me@example.org")
    assert r.code == 0, r.err
    assert "Sent today's digest to me@example.org" in r.out
    [env] = sink.envelopes
    assert env.mail_from == USER and env.rcpt_tos == ["me@example.org"]
    msg = email.message_from_bytes(env.content, policy=policy.default)
    assert msg["Subject"].startswith("keepwarm: ") and msg["Subject"].endswith(" for 25 November")
    text = msg.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html = msg.get_body(("html",)).get_content()
    assert "Happy birthday, Jonas!" in text and "\n      Alex Doe\n" in text  # drafts signed
    assert "<strong>Jonas Weber</strong>" in html and "Happy birthday, Jonas!" in html


def test_a_wrong_password_is_one_line_and_sends_nothing(cli: Callable, smtp, cert, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    sink, port = smtp
    _config(tmp_path, port, cert[0])
    monkeypatch.setenv("KEEPWARM_SMTP_PASSWORD", "wrong")  # the environment overrides the file
    r = cli("digest", "--send", "--to", "me@example.org")
    assert r.code == 7
    assert len(r.err.strip().splitlines()) == 1 and "refused the login" in r.err
    assert sink.envelopes == []


def test_a_server_that_wants_starttls_refuses_a_plain_session(cli: Callable, smtp, cert,
                                                              tmp_path: Path) -> None:
    sink, port = smtp
    _config(tmp_path, port, cert[0], starttls="false")
    r = cli("digest", "--send", "--to", "me@example.org")
    assert r.code == 7 and "STARTTLS" in r.err
    assert sink.envelopes == []


def test_an_untrusted_certificate_is_refused(cli: Callable, smtp, tmp_path: Path) -> None:
    sink, port = smtp
    other = tmp_path / "other-ca.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-keyout",
                    str(tmp_path / "k.pem"), "-out", str(other), "-subj", "/CN=other"],
                   check=True, capture_output=True)
    _config(tmp_path, port, other)
    r = cli("digest", "--send", "--to", "me@example.org")
    assert r.code == 7 and "CERTIFICATE_VERIFY_FAILED" in r.err
    assert sink.envelopes == []


def test_a_bad_recipient_is_refused_before_connecting(cli: Callable, smtp, cert, tmp_path: Path) -> None:
    sink, port = smtp
    _config(tmp_path, port, cert[0])
    r = cli("digest", "--send", "--to", "not an address")
    assert r.code == 2 and "not a valid email address" in r.err
    assert sink.envelopes == []


def test_sending_without_a_server_configured_says_how_to_set_one(cli: Callable) -> None:
    r = cli("digest", "--send", "--to", "me@example.org")
    assert r.code == 6 and "no SMTP server configured" in r.err and "KEEPWARM_SMTP_HOST" in r.err


def test_a_broken_config_file_is_named(cli: Callable, tmp_path: Path) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "keepwarm.toml").write_text("[smtp\nhost = 1\n")
    r = cli("digest")
    assert r.code == 6 and "keepwarm.toml" in r.err
