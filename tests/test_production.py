"""Running it for real: settings from the environment, the secret key, the server, login lockout
and password length (README, "Running it for real")."""

import os
import socket
import stat
import subprocess
import sys
import time
import urllib.request
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

import salesrelay
from salesrelay.people.models import Employee
from salesrelay.secret_key import KEY_FILE, secret_key
from salesrelay.web.management.commands import serve
from salesrelay.web.management.commands.serve import bind_address
from tests.conftest import PASSWORD

# The processes started here run this code, wherever the package is installed from.
SOURCE = str(Path(salesrelay.__file__).resolve().parents[1])
PRODUCTION = {
    "SALESRELAY_SECRET_KEY": "q3V8-zLr0m2T9xKc7fYw1pHs5aN4bJd6gE0uR8iO2vC7tQ9lZ3yX5kW1nM6sA4e",
    "SALESRELAY_ALLOWED_HOSTS": "sales.example.com",
    "SALESRELAY_HTTPS": "1",
}


def salesrelay(*args: str, tmp_path, **variables: str) -> subprocess.CompletedProcess:
    """The ``salesrelay`` command in a fresh process, on a SQLite file in ``tmp_path``, with only
    the given SALESRELAY_* variables set."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SALESRELAY_")}
    env["SALESRELAY_DATABASE_URL"] = f"sqlite:///{tmp_path}/data/salesrelay.sqlite3"
    env["PYTHONPATH"] = SOURCE
    env.update(variables)
    return subprocess.run([sys.executable, "-m", "salesrelay.cli", *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60, check=False)


def test_check_deploy_is_clean_with_the_production_variables(tmp_path):
    (tmp_path / "data").mkdir()
    done = salesrelay("check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path,
                      **PRODUCTION)
    assert (done.returncode, done.stdout, done.stderr) == (
        0, "System check identified no issues (0 silenced).\n", "")
    # Without them the same check names what is missing (and so the test above can fail).
    done = salesrelay("check", "--deploy", tmp_path=tmp_path)
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in done.stderr


def test_without_a_variable_the_secret_key_is_generated_once_and_kept_private(tmp_path):
    first = secret_key(tmp_path)
    assert secret_key(tmp_path) == first
    assert len(first) >= 50
    key_file = tmp_path / KEY_FILE
    assert key_file.read_text(encoding="ascii") == first + "\n"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert secret_key(tmp_path / "elsewhere") != first
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    with pytest.raises(ImproperlyConfigured) as refused:
        secret_key(tmp_path / "a-file" / "data")
    assert str(refused.value) == (
        f"cannot keep the secret key in {tmp_path}/a-file/data/{KEY_FILE}: Not a directory; "
        "set SALESRELAY_SECRET_KEY or make the folder writable")


def test_the_installation_keeps_its_key_beside_the_sqlite_file(tmp_path):
    show = ("shell", "--no-imports", "-c",
            "from django.conf import settings; print(settings.SECRET_KEY)")
    first = salesrelay(*show, tmp_path=tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout == (tmp_path / "data" / KEY_FILE).read_text(encoding="ascii")
    assert salesrelay(*show, tmp_path=tmp_path).stdout == first.stdout
    given = salesrelay(*show, tmp_path=tmp_path, SALESRELAY_SECRET_KEY="from-the-environment")
    assert given.stdout == "from-the-environment\n"
    # A data folder that cannot be: one line, exit status 1, no traceback.
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    broken = salesrelay("check", tmp_path=tmp_path,
                        SALESRELAY_DATABASE_URL=f"sqlite:///{tmp_path}/a-file/db.sqlite3")
    assert (broken.returncode, broken.stdout, broken.stderr) == (
        1, "", f"salesrelay: cannot keep the secret key in {tmp_path}/a-file/{KEY_FILE}: Not a "
               "directory; set SALESRELAY_SECRET_KEY or make the folder writable\n")


def test_errors_are_logged_with_their_traceback_to_stderr(tmp_path):
    code = ("import logging\ntry:\n    1 / 0\nexcept ZeroDivisionError:\n"
            "    logging.getLogger('django.request').exception('Internal Server Error: /pay/')")
    done = salesrelay("shell", "--no-imports", "-c", code, tmp_path=tmp_path, **PRODUCTION)
    assert " ERROR django.request: Internal Server Error: /pay/\nTraceback (most recent call last):" \
        in done.stderr
    assert done.stderr.endswith("ZeroDivisionError: division by zero\n")


def test_every_page_carries_the_content_security_policy(client):
    header = client.get("/login/")["Content-Security-Policy"]
    policy = dict(part.strip().split(" ", 1) for part in header.split(";"))
    assert (policy["default-src"], policy["script-src"], policy["style-src"]) == (
        "'self'", "'self'", "'self'")
    assert (policy["object-src"], policy["frame-ancestors"]) == ("'none'", "'none'")
    assert "unsafe-inline" not in header and "unsafe-eval" not in header


def login(client, password, language="en"):
    return client.post("/login/", {"username": "anna", "password": password},
                       HTTP_ACCEPT_LANGUAGE=language)


def test_five_failed_logins_lock_the_login_until_it_is_reset(client, company, settings):
    """With axes on (the other tests turn it off): the fifth wrong password locks the login from
    that address, the right one is refused too, the page says so in the reader's language, and
    ``salesrelay axes_reset`` lifts it."""
    settings.AXES_ENABLED = True
    company.hunter("Anna", username="anna", password=PASSWORD)
    for _ in range(4):
        assert "Wrong login or password." in login(client, "wrong-password").content.decode()
    locked = login(client, "wrong-password")
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "<h1>Login locked</h1>" in text
    assert "This login failed 5 times in a row, so it is locked for now" in text
    assert "Try again in 30 minutes." in text
    assert login(client, PASSWORD).status_code == 429
    russian = login(client, PASSWORD, "ru").content.decode()
    assert "<h1>Вход заблокирован</h1>" in russian
    assert "Попробуйте снова через 30 минут." in russian
    out = StringIO()
    call_command("axes_reset", stdout=out)
    assert out.getvalue() == "1 attempts removed.\n"
    assert login(client, PASSWORD).status_code == 302


def test_createuser_wants_a_password_of_twelve_characters(db):
    hire = ("createuser", "anna", "--name", "Anna Hunter", "--role", "hunter",
            "--department", "acquisition", "--password")
    with translation.override("en"), pytest.raises(CommandError) as refused:
        call_command(*hire, "short-pass1")
    assert str(refused.value) == "This password is too short. It must contain at least 12 characters."
    assert (User.objects.count(), Employee.objects.count()) == (0, 0)
    out = StringIO()
    call_command(*hire, "twelve-chars", stdout=out)
    assert out.getvalue() == "login anna ready\n"


def test_bind_addresses():
    assert bind_address("127.0.0.1", None) == "127.0.0.1:8000"
    assert bind_address("0.0.0.0", 8080) == "0.0.0.0:8080"
    assert bind_address("0.0.0.0:8080", None) == "0.0.0.0:8080"
    assert bind_address("::1", 80) == "[::1]:80"
    assert bind_address("[::1]:80", None) == "[::1]:80"
    assert bind_address("unix:/run/salesrelay.sock", None) == "unix:/run/salesrelay.sock"


@pytest.mark.parametrize(("args", "reason"), [
    (["--workers", "0"], "--workers 0: at least 1"),
    (["--port", "70000"], "--port 70000 is not a port (1 to 65535)"),
    (["--bind", "0.0.0.0:web"], "--bind 0.0.0.0:web: 'web' is not a port (1 to 65535)"),
    (["--bind", "0.0.0.0:80", "--port", "81"], "--bind 0.0.0.0:80 has a port already; drop --port"),
    (["--bind", "unix:/run/s.sock", "--dev"], "--dev listens on HOST:PORT, not on a unix socket"),
    (["--dev", "--workers", "2"], "--workers does not go with --dev (one process)"),
])
def test_serve_refuses_bad_arguments_with_one_reason(args, reason):
    with pytest.raises(CommandError) as refused:
        call_command("serve", *args, stdout=StringIO())
    assert str(refused.value) == reason


def test_serve_refuses_an_address_in_use():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(CommandError) as refused:
            call_command("serve", "--port", str(port), stdout=StringIO())
    assert str(refused.value) == f"cannot listen on 127.0.0.1:{port}: Address already in use"


def test_serve_dev_is_djangos_development_server(monkeypatch):
    calls = []
    monkeypatch.setattr(serve, "call_command", lambda *a, **k: calls.append((a, k)))
    port = free_port()
    out = StringIO()
    call_command("serve", "--dev", "--port", str(port), stdout=out)
    assert out.getvalue() == (
        f"SalesRelay at http://127.0.0.1:{port}/ (Django's development server)\n")
    assert calls == [(("runserver", f"127.0.0.1:{port}"), {"use_reloader": False})]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_runs_gunicorn_with_static_files_and_stops_on_sigterm(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SALESRELAY_")}
    env["SALESRELAY_DATABASE_URL"] = f"sqlite:///{tmp_path}/salesrelay.sqlite3"
    env["PYTHONPATH"] = SOURCE
    server = subprocess.Popen(
        [sys.executable, "-m", "salesrelay.cli", "serve", "--port", str(port), "--workers", "2"],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert server.stdout.readline() == (
            f"SalesRelay at http://127.0.0.1:{port}/ (gunicorn, 2 worker(s))\n")
        deadline = time.monotonic() + 20
        while True:
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        assert (page.status, page.headers["Server"]) == (200, "gunicorn")
        assert "script-src 'self'" in page.headers["Content-Security-Policy"]
        script = urllib.request.urlopen(f"http://127.0.0.1:{port}/static/js/app.js", timeout=5)
        assert script.status == 200 and b"data-submit-on-change" in script.read()
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=30)
    assert server.returncode == 0, errors
    assert "Booting worker" in errors and "Shutting down: Master" in errors
