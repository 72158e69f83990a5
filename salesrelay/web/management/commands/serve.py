"""``salesrelay serve``: the production server (gunicorn, several worker processes, static files
by WhiteNoise); ``salesrelay serve --dev``: Django's development server, one process.

    salesrelay serve --port 8000 --workers 4          # http://127.0.0.1:8000/
    salesrelay serve --bind 0.0.0.0:8000              # every interface (behind a proxy, say)
    salesrelay serve --bind unix:/run/salesrelay.sock # for nginx on the same machine
"""

from __future__ import annotations

import os
import socket

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections


def default_workers() -> int:
    return 2 * (os.cpu_count() or 1) + 1


def bind_address(bind: str, port: int | None) -> str:
    """``HOST`` with ``--port``, ``HOST:PORT`` or ``unix:PATH``, as gunicorn takes it.

    >>> bind_address("127.0.0.1", None), bind_address("0.0.0.0:8080", None), bind_address("::1", 80)
    ('127.0.0.1:8000', '0.0.0.0:8080', '[::1]:80')
    """
    if bind.startswith("unix:"):
        if port is not None:
            raise CommandError("--port does not go with --bind unix:PATH")
        return bind
    if bind.count(":") == 1 or "]:" in bind:
        given = bind.rpartition(":")[2]
        if not given.isdigit() or not 0 < int(given) < 65536:
            raise CommandError(f"--bind {bind}: {given!r} is not a port (1 to 65535)")
        if port is not None:
            raise CommandError(f"--bind {bind} has a port already; drop --port")
        return bind
    host = f"[{bind}]" if ":" in bind and not bind.startswith("[") else bind
    return f"{host}:{8000 if port is None else port}"


def check_free(address: str) -> None:
    """Refuse, with one line, an address that is taken (another server) or not this machine's:
    gunicorn would otherwise retry for a while and end in a page of log lines."""
    if address.startswith("unix:"):
        return
    host, _, port = address.rpartition(":")
    host = host.strip("[]")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, int(port)))
        except OSError as error:
            raise CommandError(f"cannot listen on {address}: {error.strerror or error}") from None


class Command(BaseCommand):
    help = ("Serve SalesRelay with gunicorn (several workers, static files by WhiteNoise); "
            "--dev runs Django's development server instead.")

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, help="the port (default 8000)")
        parser.add_argument("--bind", default="127.0.0.1",
                            help="HOST, HOST:PORT or unix:PATH to listen on (default 127.0.0.1)")
        parser.add_argument("--host", dest="bind", help="the same as --bind")
        parser.add_argument("--workers", type=int, default=None,
                            help="worker processes (default: 2 × CPU cores + 1)")
        parser.add_argument("--timeout", type=int, default=120,
                            help="seconds a request may take before its worker is restarted")
        parser.add_argument("--dev", action="store_true",
                            help="Django's development server (one process, for a demo)")

    def handle(self, *args, port: int | None, bind: str, workers: int | None, timeout: int,
               dev: bool, **options):
        if port is not None and not 0 < port < 65536:
            raise CommandError(f"--port {port} is not a port (1 to 65535)")
        address = bind_address(bind, port)
        if dev and address.startswith("unix:"):
            raise CommandError("--dev listens on HOST:PORT, not on a unix socket")
        if dev and workers is not None:
            raise CommandError("--workers does not go with --dev (one process)")
        workers = default_workers() if workers is None else workers
        if workers < 1:
            raise CommandError(f"--workers {workers}: at least 1")
        if timeout < 1:
            raise CommandError(f"--timeout {timeout}: at least 1 second")
        check_free(address)
        if dev:
            self._announce(address, "Django's development server")
            call_command("runserver", address, use_reloader=False)
            return
        self._announce(address, f"gunicorn, {workers} worker(s)")
        connections.close_all()  # each worker opens its own
        from salesrelay.web.gunicorn import run

        run(address, workers=workers, timeout=timeout)

    def _announce(self, address: str, server: str) -> None:
        where = address if address.startswith("unix:") else f"http://{address}/"
        self.stdout.write(f"SalesRelay at {where} ({server})")
        self.stdout.flush()
