"""Start ektp services as real processes on free loopback ports (e2e tests, benchmarks)."""
from __future__ import annotations

import os
import pathlib
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

ROOT = pathlib.Path(__file__).resolve().parents[1]
# "  kapuas.operator   <password>   Operator Dinas · 62.03", as `enrolment demo` prints them once.
_DEMO_ACCOUNT = re.compile(r"^\s+([a-z0-9._-]+)\s+(\S{16})\s+.+ · [\d.]+$", re.MULTILINE)
SESSION_COOKIE = "ektp_session"
GRPC_SERVICE = {
    "enrolment": "ektp.enrolment.v1.EnrolmentService",
    "inventory": "ektp.inventory.v1.InventoryService",
    "documents": "ektp.documents.v1.DocumentsService",
    "reporting": "ektp.reporting.v1.ReportingService",
}


def health_status(target: str, service: str) -> str:
    """The gRPC health of one service ("SERVING", "NOT_SERVING", or the failing call's code)."""
    with grpc.insecure_channel(target) as channel:
        try:
            response = health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest(service=service), timeout=1)
            return health_pb2.HealthCheckResponse.ServingStatus.Name(response.status)
        except grpc.RpcError as err:
            return err.code().name


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _cookies(headers) -> dict[str, str]:
    return dict(c.split(";", 1)[0].split("=", 1) for c in headers.get_all("Set-Cookie") or ())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class ServiceSet:
    """The services share one var dir and find each other through *_GRPC_TARGET."""

    var_dir: pathlib.Path
    names: tuple[str, ...] = tuple(GRPC_SERVICE)
    extra_env: dict[str, str] = field(default_factory=dict)
    service_env: dict[str, dict[str, str]] = field(default_factory=dict)   # one service's own (its keys)
    grpc_ports: dict[str, int] = field(default_factory=dict)
    http_ports: dict[str, int] = field(default_factory=dict)
    health_ports: dict[str, int] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    accounts: dict[str, str] = field(default_factory=dict)   # demo accounts: username -> password

    def __post_init__(self) -> None:
        for name in GRPC_SERVICE:
            self.grpc_ports[name] = free_port()
            self.http_ports[name] = free_port()
            self.health_ports[name] = free_port()

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.endswith("_DATABASE_URL")}
        env.update({"EKTP_MODE": "demo", "EKTP_VAR_DIR": str(self.var_dir), "EKTP_HOST": "127.0.0.1",
                    "PYTHONUNBUFFERED": "1"})
        for name in GRPC_SERVICE:
            env[f"{name.upper()}_GRPC_PORT"] = str(self.grpc_ports[name])
            env[f"{name.upper()}_HTTP_PORT"] = str(self.http_ports[name])
            env[f"{name.upper()}_GRPC_TARGET"] = self.target(name)
            env[f"{name.upper()}_PUBLIC_URL"] = self.http(name) + "/"
            env[f"{name.upper()}_HEALTH_PORT"] = str(self.health_ports[name])
        env.update(self.extra_env)
        return env

    def env_for(self, name: str) -> dict[str, str]:
        return {**self.env, **self.service_env.get(name, {})}

    def target(self, name: str) -> str:
        return f"127.0.0.1:{self.grpc_ports[name]}"

    def http(self, name: str) -> str:
        return f"http://127.0.0.1:{self.http_ports[name]}"

    def log_path(self, name: str) -> pathlib.Path:
        return self.var_dir / f"{name}.log"

    def command(self, name: str, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", name, *args], env=self.env_for(name), cwd=ROOT,
                              check=True, capture_output=True, text=True)

    def load_demo(self, *args: str) -> None:
        """`enrolment demo` (and its demo accounts, whose passwords it prints only now)."""
        self.accounts.update(_DEMO_ACCOUNT.findall(self.command("enrolment", "demo", *args).stdout))

    def login(self, username: str) -> str:
        """Log in through the enrolment login page like a browser; the session token it sets.

        Cookies are carried by hand: in production mode they are Secure, which a cookie jar
        would keep off this plain-HTTP loopback connection (an ingress terminates TLS there).
        """
        url = f"{self.http('enrolment')}/masuk"
        with urllib.request.urlopen(url, timeout=10) as page:
            form_cookies = _cookies(page.headers)
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.read().decode()).group(1)
        body = urllib.parse.urlencode({"csrf_token": csrf, "username": username,
                                       "password": self.accounts[username]}).encode()
        request = urllib.request.Request(url, data=body, headers={
            "Cookie": "; ".join(f"{k}={v}" for k, v in form_cookies.items())})
        try:
            answer = urllib.request.build_opener(_NoRedirect).open(request, timeout=10)
        except urllib.error.HTTPError as redirect:   # the 302 back to the page asked for
            answer = redirect
        with answer:
            cookies = _cookies(answer.headers)
        if SESSION_COOKIE not in cookies:
            raise RuntimeError(f"login of {username} refused (HTTP {answer.status})")
        return cookies[SESSION_COOKIE]

    def start(self, *names: str) -> None:
        self.var_dir.mkdir(parents=True, exist_ok=True)
        for name in names or self.names:
            log = open(self.log_path(name), "ab")  # noqa: SIM115 - closed with the process
            self.processes[name] = subprocess.Popen(
                [sys.executable, "-m", name, "serve"], env=self.env_for(name), cwd=ROOT, stdout=log,
                stderr=subprocess.STDOUT)
            log.close()

    def status(self, name: str) -> str:
        """gRPC health, asked on the plaintext health port as the kubelet does (TLS or not)."""
        return health_status(f"127.0.0.1:{self.health_ports[name]}", GRPC_SERVICE[name])

    def wait_serving(self, *names: str, timeout: float = 60.0) -> float:
        """Seconds until every named service reports SERVING; raises with the logs otherwise."""
        started = time.monotonic()
        names = names or tuple(self.processes)
        while True:
            pending = [n for n in names if self.status(n) != "SERVING"]
            if not pending:
                return time.monotonic() - started
            dead = [n for n in pending if self.processes[n].poll() is not None]
            if dead or time.monotonic() - started > timeout:
                logs = "\n".join(f"--- {n}\n{self.log_path(n).read_text()[-3000:]}" for n in pending)
                raise RuntimeError(f"not serving: {pending} (exited: {dead})\n{logs}")
            time.sleep(0.2)

    def stop(self, *names: str, timeout: float = 15.0) -> dict[str, int]:
        """SIGTERM, wait for a graceful exit; returns the exit codes (kill -9 after timeout)."""
        codes = {}
        for name in names or list(self.processes):
            process = self.processes.pop(name)
            process.send_signal(signal.SIGTERM)
            try:
                codes[name] = process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                codes[name] = process.wait()
        return codes
