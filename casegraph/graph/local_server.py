"""The local Neo4j Community server: fetched from Maven Central, run on Java 17, owned by casegraph.

Neo4j publishes no standalone server entry point on Maven Central for the 5.26 line, so the
server is the embedded database management service with its Bolt connector on (the documented
route), started by the small Java program beside this file. The jars are resolved once by Maven
into `$CASEGRAPH_HOME/neo4j/lib-<version>`; the program is compiled once; the server runs
detached with its pid and log beside its data.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from casegraph.errors import ConfigError, DatabaseUnavailable
from casegraph.graph.memory import MB, MemoryPlan, machine_memory, parse_size, plan_memory, store_size
from casegraph.i18n import gettext
from casegraph.settings import LOCAL_SETTINGS_FILE, Settings

# What Neo4j's own launcher passes to every server JVM: without the module openings the kernel
# silently falls back from off-heap transaction state and direct file I/O (the debug log says so).
NEO4J_JVM_FLAGS = (
    "-XX:+UnlockExperimentalVMOptions", "-XX:+TrustFinalNonStaticFields", "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024", "-Dio.netty.tryReflectionSetAccessible=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
)

NEO4J_VERSION = "5.26.30"
# LocalNeo4j.java prints it once the store is open, the password set and the shutdown hook installed.
READY_LINE = b"casegraph-neo4j ready"
# It prints this once a SIGHUP has closed its store (see `pause`).
PAUSED_LINE = b"casegraph-neo4j paused"
_LAUNCHER_DIR = Path(__file__).parent / "localserver"


_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    # Linux only; elsewhere the tool just finishes on its own.
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


# Bolt's opening: the magic preamble, then four protocol versions offered (a range of 5.x minors and
# 4.4), each as 00 <range> <minor> <major>; the server answers the one it chose, or zeros.
_BOLT_OFFER = bytes.fromhex("6060b017" "00080805" "00000404" "00000000" "00000000")


def bolt_handshake(host: str, port: int, timeout: float) -> str | None:
    """The Bolt version a server at host:port agrees to ("5.8"), or None when nothing answers so."""
    try:
        with socket.create_connection((host, port), timeout=timeout) as conn:
            conn.settimeout(timeout)
            conn.sendall(_BOLT_OFFER)
            answer = b""
            while len(answer) < 4:
                chunk = conn.recv(4 - len(answer))
                if not chunk:
                    return None
                answer += chunk
    except OSError:
        return None
    if answer == bytes(4):
        return None
    return f"{answer[3]}.{answer[2]}"


@dataclass(frozen=True)
class ServerStatus:
    running: bool
    pid: int | None
    answers: bool
    uri: str
    detail: str


class LocalServer:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.root = settings.home / "neo4j"
        self.lib_dir = self.root / f"lib-{NEO4J_VERSION}"
        # One folder per launcher source: worktrees and branches that share a CASEGRAPH_HOME (the
        # tests' jar cache) then never run each other's compiled launcher.
        source_hash = hashlib.sha256((_LAUNCHER_DIR / "LocalNeo4j.java").read_bytes()).hexdigest()[:12]
        self.classes_dir = self.root / f"classes-{source_hash}"
        # Beside the data, so that servers over different data folders (a developer's, a test run's)
        # never mistake each other's pid.
        self.pid_file = settings.data_dir / "casegraph-server.pid"
        self.log_file = settings.data_dir / "casegraph-server.log"
        self.memory_file = settings.data_dir / "casegraph-server-memory.json"

    # --- setup -----------------------------------------------------------------------------
    def check_tools(self) -> None:
        java = shutil.which("java")
        if java is None:
            raise ConfigError("Java 17 or newer is needed to run the local Neo4j: install a JDK "
                              "(apt-get install openjdk-17-jdk-headless) or set NEO4J_URI to an existing server.")
        version = subprocess.run([java, "-version"], capture_output=True, text=True).stderr
        match = re.search(r'version "(\d+)', version)
        if match is None or int(match.group(1)) < 17:
            raise ConfigError(f"Java 17 or newer is needed for Neo4j {NEO4J_VERSION}; found: "
                              f"{version.splitlines()[0] if version else 'unknown'}")
        if not self.lib_dir.exists() and shutil.which("mvn") is None:
            raise ConfigError("Maven is needed once to fetch Neo4j from Maven Central: install it "
                              "(apt-get install maven) or set NEO4J_URI to an existing server.")

    def ensure_jars(self) -> None:
        if self.lib_dir.exists():
            return
        self.root.mkdir(parents=True, exist_ok=True)
        # Resolve into a scratch folder and rename, so an interrupted fetch never looks complete.
        scratch = Path(tempfile.mkdtemp(prefix="lib-", dir=self.root))
        result = subprocess.run(
            ["mvn", "-q", "-B", "-f", str(_LAUNCHER_DIR / "pom.xml"), "dependency:copy-dependencies",
             f"-DoutputDirectory={scratch}", f"-Dneo4j.version={NEO4J_VERSION}"],
            capture_output=True, text=True,
        )
        if result.returncode != 0:
            shutil.rmtree(scratch, ignore_errors=True)
            output = (result.stdout + result.stderr)[-3000:]
            raise ConfigError(f"Maven could not fetch Neo4j {NEO4J_VERSION}:\n{output}")
        scratch.rename(self.lib_dir)

    def ensure_compiled(self) -> None:
        source = _LAUNCHER_DIR / "LocalNeo4j.java"
        if (self.classes_dir / "LocalNeo4j.class").exists():
            return
        javac = shutil.which("javac")
        if javac is None:
            raise ConfigError("javac (a JDK, not only a JRE) is needed to build the local Neo4j launcher.")
        self.root.mkdir(parents=True, exist_ok=True)
        # Compiled into a scratch folder and renamed, so that a concurrent or interrupted compile
        # never leaves a folder that looks complete.
        scratch = Path(tempfile.mkdtemp(prefix="classes-", dir=self.root))
        result = subprocess.run([javac, "-cp", f"{self.lib_dir}/*", "-d", str(scratch), str(source)],
                                capture_output=True, text=True)
        if result.returncode != 0:
            shutil.rmtree(scratch, ignore_errors=True)
            raise ConfigError(f"Could not compile the local Neo4j launcher:\n{result.stderr[-2000:]}")
        try:
            scratch.rename(self.classes_dir)
        except OSError:  # another process compiled the same source first
            shutil.rmtree(scratch, ignore_errors=True)

    def ensure_password(self) -> str:
        """The password from the environment, else the local settings file, else a new one saved there."""
        if self.settings.neo4j_password:
            return self.settings.neo4j_password
        env_file = self.settings.home / LOCAL_SETTINGS_FILE
        password = secrets.token_urlsafe(24)
        env_file.parent.mkdir(parents=True, exist_ok=True)
        with env_file.open("a", encoding="utf-8") as out:
            out.write(f"NEO4J_PASSWORD={password}\n")
        env_file.chmod(0o600)
        self.settings.neo4j_password = password
        return password

    # --- lifecycle ---------------------------------------------------------------------------
    def _pid(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        # When this process started the server, its exit leaves a zombie until reaped: reap it.
        with contextlib.suppress(ChildProcessError):
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass
        return pid

    def answers(self, timeout: float = 3.0) -> tuple[bool, str]:
        from casegraph.graph.connection import probe

        return probe(self.settings, timeout=timeout)

    def status(self) -> ServerStatus:
        pid = self._pid()
        ok, detail = self.answers()
        return ServerStatus(pid is not None, pid, ok, self.settings.uri, detail)

    def quick_status(self, timeout: float = 3.0) -> ServerStatus:
        """Running, and whether its Bolt port completes a protocol handshake: what `db status` needs,
        without the driver (importing it costs more CPU than everything else the command does).
        Credentials and queries are what `doctor` and every real command check."""
        pid = self._pid()
        version = bolt_handshake("127.0.0.1", self.settings.local_port, timeout)
        detail = (f"Neo4j {NEO4J_VERSION}, Bolt {version}" if version
                  else gettext("no answer from {uri}").format(uri=self.settings.uri))
        return ServerStatus(pid is not None, pid, version is not None, self.settings.uri, detail)

    def start(self, timeout: float | None = None) -> ServerStatus:
        """Start and wait until Bolt answers (`timeout` seconds, else the setting); a second start finds
        the running server and returns."""
        if not self.settings.uses_local_server:
            raise ConfigError(f"NEO4J_URI is set ({self.settings.neo4j_uri}): casegraph uses that server "
                              "and does not start a local one.")
        current = self.status()
        if current.running and current.answers:
            return current
        if current.running:
            # Started by an earlier call that is still coming up: just wait for it.
            return self._wait(current.pid, timeout=timeout)
        self.check_tools()
        self.ensure_jars()
        self.ensure_compiled()
        password = self.ensure_password()
        ok, _ = self.answers(timeout=1.0)
        if ok:
            raise ConfigError(f"Another Neo4j already answers on {self.settings.uri} with this password, "
                              "but casegraph did not start it; stop it or set CASEGRAPH_NEO4J_PORT.")
        data_dir = self.settings.data_dir
        data_dir.mkdir(parents=True, exist_ok=True)
        plan = self.memory_plan()
        self.memory_file.write_text(json.dumps(plan.as_dict()))
        env = dict(os.environ, CASEGRAPH_NEO4J_PASSWORD=password,
                   CASEGRAPH_NEO4J_PAGECACHE_MB=str(plan.pagecache_mb), CASEGRAPH_NEO4J_TX_MAX_MB=str(plan.tx_max_mb),
                   CASEGRAPH_NEO4J_WARMUP="1" if self.settings.local_warmup else "0")
        ready_before = self._ready_lines()
        with self.log_file.open("ab") as log:
            process = subprocess.Popen(
                ["java", f"-Xmx{plan.heap_flag}", *shlex.split(self.settings.local_gc_options),
                 *NEO4J_JVM_FLAGS, "-cp", f"{self.classes_dir}{os.pathsep}{self.lib_dir}/*",
                 "LocalNeo4j", str(data_dir), str(self.settings.local_port)],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
                start_new_session=True,  # outlives the command that started it
            )
        self.pid_file.write_text(str(process.pid))
        return self._wait(process.pid, process, ready_before, timeout)

    def admin(self, *args: str, neo4j_home: Path, heap: str = "1g", timeout: float = 3600) -> str:
        """Run `neo4j-admin` (the AdminTool of the same jars as the server) over the store in
        `neo4j_home`; its output, or ConfigError with the tail of it when it fails. It dies with the
        calling process, so a killed backup or load leaves no tool writing into a folder a re-run clears."""
        self.check_tools()
        self.ensure_jars()
        conf = self.root / "admin-conf"
        conf.mkdir(parents=True, exist_ok=True)
        (conf / "neo4j.conf").touch()
        env = dict(os.environ, NEO4J_HOME=str(neo4j_home), NEO4J_CONF=str(conf))
        result = subprocess.run(["java", f"-Xmx{heap}", *NEO4J_JVM_FLAGS, "-cp", f"{self.lib_dir}/*",
                                 "org.neo4j.cli.AdminTool", *args],
                                capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=timeout,
                                preexec_fn=_die_with_parent)
        if result.returncode != 0:
            tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-8:])
            raise ConfigError(f"neo4j-admin {' '.join(args[:2])} failed:\n{tail}")
        return result.stdout

    def memory_plan(self) -> MemoryPlan:
        """Heap, page cache and transaction memory for this machine and store; settings override."""
        s = self.settings
        return plan_memory(
            machine_memory(), store_size(s.data_dir), share=s.local_memory_share,
            heap=parse_size(s.local_heap) if s.local_heap else None,
            pagecache=s.local_pagecache_mb * MB if s.local_pagecache_mb else None,
            tx_max=s.local_tx_max_mb * MB if s.local_tx_max_mb else None)

    def started_memory(self) -> dict[str, object] | None:
        """The plan the running server was started with (written at its start)."""
        try:
            return dict(json.loads(self.memory_file.read_text()))
        except (OSError, ValueError):
            return None

    def _ready_lines(self, line: bytes = READY_LINE) -> int:
        try:
            return self.log_file.read_bytes().count(line)
        except OSError:
            return 0

    def pause(self, timeout: float = 300.0) -> bool:
        """Close the running server's store but keep its JVM (SIGHUP to the launcher), so that the store
        folders can be swapped and `resume` opens them without a JVM start; False when no server
        is running or it exited instead (a launcher from before this), which then needs `start`."""
        pid = self._pid()
        if pid is None:
            return False
        paused_before = self._ready_lines(PAUSED_LINE)
        os.kill(pid, signal.SIGHUP)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._ready_lines(PAUSED_LINE) > paused_before:
                return True
            if self._pid() is None:
                self.pid_file.unlink(missing_ok=True)
                return False
            time.sleep(0.1)
        raise DatabaseUnavailable(f"The local Neo4j did not close its store within {timeout:.0f} s; "
                                  f"see {self.log_file}:\n" + self._log_tail())

    def resume(self, timeout: float | None = None) -> ServerStatus:
        """Open the store again in the JVM `pause` left running, and wait until it answers."""
        pid = self._pid()
        if pid is None:
            raise DatabaseUnavailable("The local Neo4j exited while paused; start it with `casegraph db start`.")
        ready_before = self._ready_lines()
        os.kill(pid, signal.SIGHUP)
        return self._wait(pid, None, ready_before, timeout)

    def _wait(self, pid: int | None, process: subprocess.Popen[bytes] | None = None,
              ready_before: int | None = None, timeout: float | None = None) -> ServerStatus:
        timeout = self.settings.start_timeout_s if timeout is None else timeout
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            # A child we started lingers as a zombie after it dies, so ask it rather than the pid.
            exited = process.poll() is not None if process is not None else self._pid() is None
            if pid is not None and exited:
                raise DatabaseUnavailable(f"The local Neo4j exited while starting. Last lines of {self.log_file}:\n"
                                          + self._log_tail())
            ok, detail = self.answers(timeout=2.0)
            # Bolt answers before the launcher has set the password and installed its shutdown
            # hook; a server this call started is up only once it prints its ready line, so that a
            # `db stop` straight after `db start` still closes the store cleanly.
            if ok and (ready_before is None or self._ready_lines() > ready_before):
                return ServerStatus(True, pid, True, self.settings.uri, detail)
            time.sleep(0.5)
        raise DatabaseUnavailable(f"The local Neo4j did not answer within {timeout:.0f} s; "
                                  f"see {self.log_file}:\n" + self._log_tail())

    def _log_tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self, timeout: float = 60.0) -> bool:
        """Stop the server; True when one was running."""
        pid = self._pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return False
        os.kill(pid, signal.SIGTERM)  # the launcher's shutdown hook closes the store cleanly
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self._pid() is not None:
            time.sleep(0.2)
        if self._pid() is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.pid_file.unlink(missing_ok=True)
        return True
