"""A real server process for the sync's crash and concurrency tests: gunicorn on a free port, over a
file SQLite database (the default setup: WAL, IMMEDIATE transactions, busy timeout), not the test
client. The database is migrated once per test session and copied for each test."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent


def _env(database: Path, **extra) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DATABASE_URL", "PYTEST"))}
    env.update(
        DATABASE_URL=f"sqlite:///{database}", CONGDONGSO_TESTING="1", DJANGO_SETTINGS_MODULE="congdongso.settings",
        CONGDONGSO_VAR=str(database.parent), LOG_LEVEL="WARNING", ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    env.update(extra)
    return env


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("live-template") / "template.sqlite3"
    subprocess.run(
        [str(BIN / "congdongso"), "migrate", "--noinput", "-v", "0", "--skip-checks"], env=_env(path), check=True,
        timeout=300,
    )
    return path


@pytest.fixture
def live_database(migrated_database, tmp_path) -> Path:
    path = tmp_path / "db.sqlite3"
    shutil.copy(migrated_database, path)
    return path


SETUP = r"""
import json, sys, django
django.setup()
from congdongso.accounts.models import Role
from congdongso.accounts.services import device_token_issue
from congdongso.common.ids import new_id
from congdongso.households.services import household_create
from congdongso.testing import factories

members, households = int(sys.argv[1]), int(sys.argv[2])
province = factories.province()
commune = factories.commune(province)
out = []
for n in range(members):
    village = factories.village(commune)
    user = factories.user(Role.MEMBER, village, username=f"live{n}")
    device_id = new_id()
    _device, token = device_token_issue(user=user, device_id=device_id)
    ids = [str(household_create(village=village, actor_id=None).pk) for _ in range(households)]
    out.append({"user": user.pk, "device_id": str(device_id), "token": token, "households": ids, "village": village.pk})
print(json.dumps(out))
"""


def populate(database: Path, *, members: int, households: int) -> list[dict]:
    """Members (one village each) with a device token and some counts-only households."""
    done = subprocess.run(
        [str(BIN / "python"), "-c", SETUP, str(members), str(households)], env=_env(database), check=True,
        capture_output=True, text=True, timeout=300,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn in its own process group (so a kill takes the master and its workers at once)."""

    def __init__(self, database: Path, *, workers: int = 2, threads: int = 4, **env):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = database.parent / f"server-{self.port}.log"
        self._log_file = open(self.log, "w")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "congdongso.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(workers), "--threads", str(threads), "--worker-class", "gthread", "--timeout", "120"],
            env=_env(database, **env), stdout=self._log_file, stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(self.url + "/api/v1/openapi.json", timeout=2).read()
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the server did not start:\n" + self.log.read_text()) from None
                time.sleep(0.2)

    def kill(self) -> None:
        """SIGKILL: no clean shutdown, no rollback by the server; SQLite's journal is all that is left."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self._log_file.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
                return
        self._log_file.close()

    def output(self) -> str:
        return self.log.read_text()


def sync(url: str, token: str, body: dict, timeout: float = 120) -> tuple[int, dict]:
    request = urllib.request.Request(
        url + "/api/v1/sync", data=json.dumps(body).encode(), method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")
