"""Fixtures: the library (UPTAKE_LIBRARY), a real collector on loopback (UPTAKE_COLLECTOR)."""
from __future__ import annotations

import json
import os
import re
import signal
import ssl
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Optional

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the package in python/

import uptake  # noqa: E402

WRITE_KEY = "wk"
ADMIN_KEY = "adm"


@pytest.fixture(scope="session", autouse=True)
def library():
    try:
        return uptake.library_path()
    except uptake.LibraryNotFoundError as e:
        if os.environ.get("UPTAKE_LIBRARY"):
            raise  # pointed at on purpose: a failure, not a skip
        pytest.skip(f"no libuptake.so.1: {e}")


class Collector:
    """uptake-collector on 127.0.0.1 with a SQLite file, app demo:wk:rk, admin key adm."""

    def __init__(self, binary: str, workdir: Path, tls: Optional["Certificate"] = None):
        self.binary = binary
        self.db = workdir / "collector.db"
        self.log = workdir / "collector.log"
        self.tls = tls
        self.process = None
        self.port = 0

    @property
    def endpoint(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def start(self) -> "Collector":
        with open(self.log, "ab") as log:
            start = log.tell()
            self.process = subprocess.Popen(
                [self.binary, "--listen", f"127.0.0.1:{self.port}", "--db", f"sqlite:{self.db}",
                 "--app", f"demo:{WRITE_KEY}:rk", "--admin-key", ADMIN_KEY]
                + (["--tls-cert", str(self.tls.cert), "--tls-key", str(self.tls.key)]
                   if self.tls else []),
                stdout=subprocess.DEVNULL, stderr=log)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            with open(self.log, "rb") as log:
                log.seek(start)
                for line in log:
                    if b'"msg":"listening"' in line:
                        address = json.loads(line)["address"]
                        self.port = int(re.search(r":(\d+)$", address).group(1))
                        return self
            if self.process.poll() is not None:
                raise RuntimeError(f"the collector exited: {self.log.read_text()}")
            time.sleep(0.02)
        raise RuntimeError("the collector did not say it was listening")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=15)
        self.process = None

    def put_config(self, config: dict) -> None:
        request = urllib.request.Request(
            f"{self.endpoint}/v1/config?app=demo", data=json.dumps(config).encode(),
            method="PUT", headers={"Authorization": f"Bearer {ADMIN_KEY}",
                                   "Content-Type": "application/json"})
        context = ssl.create_default_context(cafile=str(self.tls.cert)) if self.tls else None
        with urllib.request.urlopen(request, timeout=10, context=context) as answer:
            assert answer.status == 200

    def events(self) -> list:
        """Every stored event (uptake-collector export; works beside the running collector)."""
        out = subprocess.run([self.binary, "export", "--db", f"sqlite:{self.db}"],
                             check=True, capture_output=True, text=True).stdout
        return [json.loads(line) for line in out.splitlines() if line.strip()]

    def tracked(self, name: str) -> list:
        return [e for e in self.events() if e.get("type") == "track" and e.get("name") == name]


class Certificate:
    """A self-signed certificate for 127.0.0.1 (openssl req), as the C++ tests make them."""

    def __init__(self, directory: Path):
        directory.mkdir(parents=True, exist_ok=True)
        self.cert = directory / "cert.pem"
        self.key = directory / "key.pem"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                        "-subj", "/CN=uptake-test", "-addext",
                        "subjectAltName=IP:127.0.0.1,DNS:localhost",
                        "-keyout", str(self.key), "-out", str(self.cert)],
                       check=True, capture_output=True)


def _collector_binary() -> str:
    binary = os.environ.get("UPTAKE_COLLECTOR")
    if not binary:
        pytest.skip("UPTAKE_COLLECTOR (the uptake-collector binary) is not set")
    return binary


@pytest.fixture
def collector(tmp_path):
    c = Collector(_collector_binary(), tmp_path).start()
    yield c
    c.stop()


@pytest.fixture
def tls_collector(tmp_path):
    """The collector over HTTPS with a self-signed certificate (its file: .tls.cert)."""
    c = Collector(_collector_binary(), tmp_path, Certificate(tmp_path / "tls")).start()
    yield c
    c.stop()


@pytest.fixture
def make_client(tmp_path):
    """Client(...) with quick test timings; every client is shut down at the end."""
    clients = []

    def make(endpoint, data_dir=None, **options):
        settings = dict(flush_interval_ms=50, retry_base_ms=20, retry_cap_ms=200,
                        connect_timeout_ms=2000, request_timeout_ms=5000,
                        shutdown_timeout_ms=2000)
        settings.update(options)
        client = uptake.Client(endpoint, WRITE_KEY, data_dir or tmp_path / "data", **settings)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.shutdown(0.5)
