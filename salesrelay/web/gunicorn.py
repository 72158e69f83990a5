"""gunicorn run from ``salesrelay serve`` in the same process: no second command line to keep in
step, and the settings that ``salesrelay`` already read are the workers' settings.

Logs go to stderr (access lines and errors, with their tracebacks); SIGTERM or Ctrl-C stops the
workers gracefully. The same server can be started without the command as
``gunicorn salesrelay.wsgi`` (see the README).
"""

from __future__ import annotations

import os

from gunicorn.app.base import BaseApplication


class SalesRelayServer(BaseApplication):
    def __init__(self, options: dict[str, object]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)
        # gunicorn 24+ opens a control socket at one path per user: several servers on one
        # machine (one per port) would fight over it, and nothing here uses it.
        if "control_socket_disable" in self.cfg.settings:
            self.cfg.set("control_socket_disable", True)

    def load(self):
        from salesrelay.wsgi import application

        return application


def run(address: str, *, workers: int, timeout: int) -> None:
    SalesRelayServer({
        "bind": [address],
        "workers": workers,
        "timeout": timeout,
        "accesslog": "-",
        "errorlog": "-",
        # The proxy in front (nginx) is on this machine or named by FORWARDED_ALLOW_IPS.
        "forwarded_allow_ips": os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1"),
        "proc_name": "salesrelay",
    }).run()
