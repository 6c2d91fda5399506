"""The load's stage clock: wall and CPU seconds, the CPU split between this process, its children and
the server (read from /proc by pid)."""

from __future__ import annotations

import os
import subprocess
import sys

from casegraph.ingest.stage_clock import StageClock, process_cpu

BURN = "import time\nend = time.process_time() + 0.1\nwhile time.process_time() < end: pass"


def test_a_stage_counts_its_own_its_childrens_and_the_servers_cpu() -> None:
    # Stands for the server: it burns its CPU once the stage has begun, and says when it is done.
    server = subprocess.Popen([sys.executable, "-c", BURN + "\nprint('done', flush=True)\ntime.sleep(30)"],
                              stdout=subprocess.PIPE, text=True)
    try:
        clock = StageClock(lambda: server.pid)
        with clock.stage("work"):
            assert server.stdout is not None and server.stdout.readline() == "done\n"
            subprocess.run([sys.executable, "-c", BURN], check=True)  # a reaped child, as the importer
            end = os.times().user + 0.1
            while os.times().user < end:
                pass
        cpu = clock.cpu["work"]
        assert cpu.own >= 0.08 and cpu.children >= 0.08 and cpu.server >= 0.08
        assert clock.seconds["work"] >= 0.1 and cpu.total == cpu.own + cpu.children + cpu.server
    finally:
        server.kill()
        server.wait()


def test_a_process_that_is_gone_has_no_cpu() -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    assert process_cpu(gone.pid) == 0.0 and process_cpu(None) == 0.0
    assert process_cpu(os.getpid()) > 0.0
