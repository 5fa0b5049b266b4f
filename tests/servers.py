"""Real servers for tests and benchmarks: a private Dovecot, an OAuth2 endpoint, a faulty proxy.

Nothing here touches the system Dovecot (/etc/dovecot, /run/dovecot): each instance lives in
its own short temporary directory (Dovecot's unix sockets need paths under ~108 bytes) and
listens on 127.0.0.1 only.  As root, Dovecot keeps its privilege separation (login as
``dovenull``, auth as ``dovecot``) and mail belongs to ``nobody``; as any other user every
process runs as that user.
"""

from __future__ import annotations

import contextlib
import grp
import json
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Literal

MAIL_USER_AS_ROOT = "nobody"


def dovecot_binary() -> str | None:
    """``$DOVECOT`` if set (only that), else /usr/sbin/dovecot or PATH; None if absent."""
    explicit = os.environ.get("DOVECOT")
    candidates = [explicit] if explicit else ["/usr/sbin/dovecot", shutil.which("dovecot")]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def free_port() -> int:
    """A port free right now on 127.0.0.1 (a race is possible; callers retry)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def make_message(n: int, *, body_bytes: int = 0, subject: str | None = None) -> bytes:
    """A small RFC 5322 message with CRLF line ends (IMAP servers hand back CRLF)."""
    lines = [
        "From: Công đoàn cơ sở <cdcs@example.org>".encode(),
        b"To: ldl@example.org",
        f"Subject: {subject or f'Báo cáo {n}'}".encode(),
        f"Message-ID: <msg-{n}-{time.time_ns()}@example.org>".encode(),
        f"Date: {format_datetime(datetime(2026, 11, 2, 8, 0, n % 60, tzinfo=UTC))}".encode(),
        b"MIME-Version: 1.0",
        b"Content-Type: text/plain; charset=utf-8",
        b"Content-Transfer-Encoding: 8bit",
        b"",
        f"Nội dung báo cáo số {n}.".encode(),
    ]
    filler = b"x" * 76
    lines += [filler] * (body_bytes // 78)
    return b"\r\n".join(lines) + b"\r\n"


# -- Dovecot -------------------------------------------------------------------------------
@dataclass
class DovecotServer:
    """A running private Dovecot; ``stop()`` it (or use it as a context manager)."""

    dir: Path
    port: int  # plain IMAP (STARTTLS offered when a certificate exists)
    imaps_port: int | None  # implicit TLS
    users: dict[str, str]
    cert: Path | None  # the self-signed certificate, to build a client ssl_context
    process: subprocess.Popen[bytes]
    keep_dir: bool = False

    @property
    def config(self) -> Path:
        return self.dir / "dovecot.conf"

    def log_tail(self, lines: int = 30) -> str:
        parts = []
        for name in ("dovecot.log", "stdout.log"):
            path = self.dir / "log" / name
            if path.exists():
                parts += path.read_text("utf-8", "replace").splitlines()[-lines:]
        return "\n".join(parts)

    def doveadm(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run ``doveadm -c <this config> ARGS`` (e.g. ``kick ldl``) against this instance."""
        binary = shutil.which("doveadm") or "/usr/bin/doveadm"
        return subprocess.run(
            [binary, "-c", str(self.config), *args],
            capture_output=True, text=True, timeout=30, check=False,
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if not self.keep_dir:
            shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> DovecotServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_dovecot(
    *,
    users: dict[str, str] | None = None,
    tls: bool = True,
    oauth2_introspection_url: str | None = None,
    binary: str | None = None,
    attempts: int = 3,
) -> DovecotServer:
    """Start a private Dovecot on free 127.0.0.1 ports; retries if a port was taken."""
    binary = binary or dovecot_binary()
    if binary is None:
        raise FileNotFoundError("dovecot not found (apt-get install dovecot-imapd)")
    users = users or {"ldl": "secret"}
    last_error: RuntimeError | None = None
    for _ in range(attempts):
        workdir = Path(tempfile.mkdtemp(prefix="ldl-dc-", dir="/tmp"))
        try:
            return _start_in(workdir, binary, users, tls, oauth2_introspection_url)
        except RuntimeError as exc:
            shutil.rmtree(workdir, ignore_errors=True)
            last_error = exc
    assert last_error is not None
    raise last_error


def _start_in(
    workdir: Path, binary: str, users: dict[str, str], tls: bool, oauth2_url: str | None
) -> DovecotServer:
    if len(str(workdir)) >= 70:
        raise ValueError(f"{workdir}: too long for Dovecot's unix sockets")
    workdir.chmod(0o755)  # unprivileged Dovecot processes must walk into it
    for sub in ("run", "state", "log", "mail"):
        (workdir / sub).mkdir(mode=0o755)
    uid, gid = _mail_ids()
    _write_users(workdir, users, uid, gid)
    cert = _make_cert(workdir) if tls else None
    if oauth2_url:
        _write_oauth2_conf(workdir, oauth2_url)
    port, imaps_port = free_port(), (free_port() if cert else None)
    conf = _dovecot_conf(workdir, port, imaps_port, cert, bool(oauth2_url))
    (workdir / "dovecot.conf").write_text(conf, "utf-8")
    log = (workdir / "log" / "stdout.log").open("wb")
    process = subprocess.Popen(
        [binary, "-F", "-c", str(workdir / "dovecot.conf")],
        stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    log.close()
    server = DovecotServer(workdir, port, imaps_port, dict(users), cert, process)
    try:
        _wait_for_greeting(server)
    except RuntimeError:
        server.keep_dir = True
        server.stop()
        raise RuntimeError(f"dovecot did not start:\n{server.log_tail()}") from None
    return server


def _mail_ids() -> tuple[int, int]:
    """Owner of the mail files: ``nobody`` when root (Dovecot refuses uid 0), else us."""
    if os.geteuid() == 0:
        entry = pwd.getpwnam(MAIL_USER_AS_ROOT)
        return entry.pw_uid, entry.pw_gid
    return os.getuid(), os.getgid()


def _write_users(workdir: Path, users: dict[str, str], uid: int, gid: int) -> None:
    """passwd-file ``user:{PLAIN}pass:uid:gid::home::``, readable by the auth process."""
    lines = []
    for user, password in users.items():
        home = workdir / "mail" / user
        home.mkdir()
        if os.geteuid() == 0:
            os.chown(home, uid, gid)
        lines.append(f"{user}:{{PLAIN}}{password}:{uid}:{gid}::{home}::\n")
    path = workdir / "users"
    path.write_text("".join(lines), "utf-8")
    if os.geteuid() == 0:  # auth runs as "dovecot"
        os.chown(path, 0, grp.getgrnam("dovecot").gr_gid)
        path.chmod(0o640)
    else:
        path.chmod(0o600)


def _make_cert(workdir: Path) -> Path | None:
    """A self-signed cert for localhost/127.0.0.1 (None if openssl is missing)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        return None
    ssl_dir = workdir / "ssl"
    ssl_dir.mkdir()
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "3650",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
         "-keyout", str(ssl_dir / "key.pem"), "-out", str(ssl_dir / "cert.pem")],
        capture_output=True, check=True, timeout=60,
    )
    (ssl_dir / "key.pem").chmod(0o600)
    return ssl_dir / "cert.pem"


def _write_oauth2_conf(workdir: Path, url: str) -> None:
    """Dovecot's oauth2 passdb: RFC 7662 introspection, the token sent as a POST form."""
    (workdir / "oauth2.conf").write_text(
        f"introspection_url = {url}\n"
        "introspection_mode = post\n"
        "username_attribute = username\n"
        "active_attribute = active\n"
        "active_value = true\n"
        "timeout_msecs = 10000\n",
        "utf-8",
    )
    (workdir / "oauth2.conf").chmod(0o644)  # holds no secret; the auth process reads it


def _dovecot_conf(
    workdir: Path, port: int, imaps_port: int | None, cert: Path | None, oauth2: bool
) -> str:
    ssl_part = "ssl = no"
    if cert is not None:
        ssl_part = f"ssl = yes\nssl_cert = <{cert}\nssl_key = <{cert.parent / 'key.pem'}"
        if Path("/usr/share/dovecot/dh.pem").exists():
            ssl_part += "\nssl_dh = </usr/share/dovecot/dh.pem"
    mechs = "plain login" + (" xoauth2 oauthbearer" if oauth2 else "")
    # keep tokens away from the passwd-file passdb (a token equal to a password must fail)
    password_mechs = "  mechanisms = plain login\n" if oauth2 else ""
    oauth2_passdb = (
        f"passdb {{\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n"
        f"  args = {workdir / 'oauth2.conf'}\n}}\n" if oauth2 else ""
    )
    if os.geteuid() == 0:
        users_part = "# root: stock privilege separation (dovecot / dovenull)\n"
    else:
        me, group = pwd.getpwuid(os.getuid()).pw_name, grp.getgrgid(os.getgid()).gr_name
        users_part = (
            f"default_internal_user = {me}\ndefault_internal_group = {group}\n"
            f"default_login_user = {me}\n"
            "service anvil {\n  chroot =\n}\nservice imap-login {\n  chroot =\n}\n"
        )
    imaps = (
        f"  inet_listener imaps {{\n    address = 127.0.0.1\n    port = {imaps_port}\n"
        "    ssl = yes\n  }\n" if imaps_port else
        "  inet_listener imaps {\n    port = 0\n  }\n"
    )
    return f"""# private test instance (tests/servers.py), not the system Dovecot
instance_name = ldl-test-{port}
base_dir = {workdir / 'run'}
state_dir = {workdir / 'state'}
protocols = imap
listen = 127.0.0.1
log_path = {workdir / 'log' / 'dovecot.log'}
{ssl_part}
disable_plaintext_auth = no
auth_mechanisms = {mechs}
auth_failure_delay = 0
first_valid_uid = 1
first_valid_gid = 1
mail_location = maildir:~/Maildir
mail_fsync = never
{users_part}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {workdir / 'users'}
{password_mechs}}}
{oauth2_passdb}
userdb {{
  driver = passwd-file
  args = username_format=%u {workdir / 'users'}
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
{imaps}}}
protocol imap {{
  mail_max_userip_connections = 1000
}}
# no auth penalty: failed logins in tests must not slow down the next ones
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
"""


def _wait_for_greeting(server: DovecotServer, timeout_s: float = 15.0) -> None:
    """Until the plain port sends its ``* OK`` greeting (imap-login is really up)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError("dovecot exited")
        with (
            contextlib.suppress(OSError),
            socket.create_connection(("127.0.0.1", server.port), timeout=2) as s,
        ):
            if s.recv(64).startswith(b"* OK"):
                return
        time.sleep(0.05)
    raise RuntimeError("dovecot did not answer in time")


# -- OAuth2: token introspection (for Dovecot) and the refresh-token grant (for us) ---------
@dataclass
class OAuth2Server:
    """A tiny OAuth2 authority on 127.0.0.1.

    ``POST /introspect`` (RFC 7662, what Dovecot's oauth2 passdb asks) answers
    ``{"active": true, "username": U}`` only for a token in ``access_tokens``;
    ``POST /token`` runs the refresh-token grant for ``client_id``/``client_secret``.
    """

    access_tokens: dict[str, str] = field(default_factory=dict)  # token -> user
    refresh_tokens: dict[str, str] = field(default_factory=dict)  # refresh -> access token
    client_id: str = "ldl-client"
    client_secret: str = "client-secret"
    expires_in: int = 3600
    token_requests: int = 0
    introspections: int = 0
    _httpd: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        assert self._httpd is not None, "start() first"
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    @property
    def introspect_url(self) -> str:
        return f"{self.base_url}/introspect"

    @property
    def token_url(self) -> str:
        return f"{self.base_url}/token"

    def start(self) -> OAuth2Server:
        authority = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                form = urllib.parse.parse_qs(self.rfile.read(length).decode("utf-8"))
                status, payload = authority.answer(self.path, {k: v[0] for k, v in form.items()})
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                """Quiet: tests read state, not access logs."""

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def answer(self, path: str, form: dict[str, str]) -> tuple[int, dict[str, object]]:
        if path.startswith("/introspect"):
            self.introspections += 1
            user = self.access_tokens.get(form.get("token", ""))
            return 200, ({"active": True, "username": user} if user else {"active": False})
        if path.startswith("/token"):
            self.token_requests += 1
            return self._grant(form)
        return 404, {"error": "not_found"}

    def _grant(self, form: dict[str, str]) -> tuple[int, dict[str, object]]:
        if (form.get("client_id"), form.get("client_secret")) != (
            self.client_id, self.client_secret,
        ):
            return 401, {"error": "invalid_client"}
        access = self.refresh_tokens.get(form.get("refresh_token", ""))
        if form.get("grant_type") != "refresh_token" or access is None:
            return 400, {"error": "invalid_grant",
                         "error_description": "Token has been expired or revoked."}
        return 200, {"access_token": access, "expires_in": self.expires_in,
                     "token_type": "Bearer"}

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None


# -- a token endpoint that repeats the request in its error answers ---------------------------
EchoShape = Literal["description", "error", "text", "no-token", "token-as-code"]


class EchoingTokenEndpoint:
    """An OAuth2 token endpoint on 127.0.0.1 that answers every POST with an error that
    repeats the request body (client secret and refresh token included), as careless
    endpoints and proxies do.  ``shape`` says where the echo goes:

    - ``description``: 400, ``{"error": "invalid_grant", "error_description": <body>}``
    - ``error``: 401, ``{"error": <body>}``
    - ``text``: 502, the body as text/plain, and as the HTTP reason phrase
    - ``no-token``: 200, ``{"echo": <body>}`` without an access token
    - ``token-as-code``: 400, ``{"error": <the refresh token>}``
    """

    def __init__(self, shape: EchoShape) -> None:
        self.shape = shape
        self.requests: list[str] = []
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8")
                endpoint.requests.append(body)
                status, reason, content_type, payload = endpoint.answer(body)
                self.send_response(status, reason)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                """Quiet: tests read what the client made of the answer."""

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/token"

    def answer(self, body: str) -> tuple[int, str | None, str, bytes]:
        def as_json(value: object) -> bytes:
            return json.dumps(value).encode()
        if self.shape == "description":
            return 400, None, "application/json", as_json(
                {"error": "invalid_grant", "error_description": f"bad request: {body}"})
        if self.shape == "error":
            return 401, None, "application/json", as_json({"error": body})
        if self.shape == "token-as-code":
            refresh = urllib.parse.parse_qs(body).get("refresh_token", [""])[0]
            return 400, None, "application/json", as_json({"error": refresh})
        if self.shape == "text":
            return 502, f"Bad gateway for {body}", "text/plain", f"upstream said no to {body}"\
                .encode()
        return 200, None, "application/json", as_json({"echo": body})

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=10)

    def __enter__(self) -> EchoingTokenEndpoint:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


# -- a TCP proxy that breaks one connection on purpose -----------------------------------------
Fault = tuple[Literal["cut", "stall"], int]  # what to do after that many server->client bytes


class FaultyProxy:
    """Forwards 127.0.0.1:port to a target; connection *i* suffers ``faults[i]`` (if any).

    ``("cut", n)``: after n bytes from the server, both sides are closed (the client sees
    EOF mid-response).  ``("stall", n)``: after n bytes nothing more is forwarded (the client
    runs into its read time-out).  Deterministic: faults are counted in bytes, not time.
    """

    def __init__(self, target_port: int, faults: list[Fault | None]) -> None:
        self._target = ("127.0.0.1", target_port)
        self._faults = list(faults)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self.connections = 0
        self.faults_triggered = 0
        self._sockets: list[socket.socket] = []
        self._stopped = threading.Event()
        threading.Thread(target=self._accept_loop, daemon=True).start()

    def _accept_loop(self) -> None:
        while not self._stopped.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            index, self.connections = self.connections, self.connections + 1
            fault = self._faults[index] if index < len(self._faults) else None
            upstream = socket.create_connection(self._target)
            self._sockets += [client, upstream]
            threading.Thread(target=self._pump, args=(client, upstream, None), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, fault), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, fault: Fault | None) -> None:
        budget = fault[1] if fault else None
        with contextlib.suppress(OSError):
            while chunk := src.recv(65536):
                if budget is not None and len(chunk) >= budget:
                    dst.sendall(chunk[:budget])
                    self._trigger(fault, src, dst)
                    return
                if budget is not None:
                    budget -= len(chunk)
                dst.sendall(chunk)
        _close(src, dst)

    def _trigger(self, fault: Fault | None, src: socket.socket, dst: socket.socket) -> None:
        self.faults_triggered += 1
        if fault and fault[0] == "stall":
            self._stopped.wait()  # hold both sockets open, forward nothing
        _close(src, dst)

    def stop(self) -> None:
        self._stopped.set()
        self._listener.close()
        _close(*self._sockets)

    def __enter__(self) -> FaultyProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _close(*sockets: socket.socket) -> None:
    for s in sockets:
        with contextlib.suppress(OSError):
            s.shutdown(socket.SHUT_RDWR)
        s.close()
