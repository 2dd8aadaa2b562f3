"""Issue 6: the console's drawing cost, measured on the real binary.

Runs `pollen backfill --ui tui` in a detached tmux session (132x43, TERM=xterm-256color,
UTF-8) against the local DynamoDB with 50 assets in flight (`--concurrency 50`; the server's
latency makes the run last), and reads the CPU time of the console's own thread
(`pollen.console`, the only thread that draws, at its fixed 10 frames per second) from /proc
over a steady-state window.
"""
import os
import subprocess
import time
import uuid

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def thread_cpu_seconds(pid, name):
    """utime + stime of the thread of `pid` called `name`, in seconds (None if not found)."""
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as comm:
                if comm.read().strip() != name:
                    continue
            with open(f"/proc/{pid}/task/{tid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
        except FileNotFoundError:
            continue
    return None


def process_cpu_seconds(pid):
    """utime + stime of the whole process, in seconds."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def measure(pollen, env, source, run_dir, in_flight=50, window=20.0):
    """Starts the console in tmux, waits 5 s into the run, then measures `window` seconds of it."""
    socket = f"pollen-bench-{uuid.uuid4().hex[:8]}"
    exports = " ".join(f"{key}='{value}'" for key, value in env.items() if key.startswith(("AWS_", "POLLEN_")))
    command = (f"export {exports} LANG=C.UTF-8 TERM=xterm-256color; exec '{pollen}' backfill --source '{source}' "
               f"--run-dir '{run_dir}' --concurrency {in_flight} --ui tui")
    subprocess.run(["tmux", "-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", "bench", "-x", "132", "-y", "43",
                    "bash", "-c", command], check=True)
    try:
        pid = None
        deadline = time.monotonic() + 30
        while pid is None and time.monotonic() < deadline:
            out = subprocess.run(["tmux", "-L", socket, "display-message", "-p", "-t", "bench", "#{pane_pid}"],
                                 capture_output=True, text=True).stdout.strip()
            if out and thread_cpu_seconds(int(out), "pollen.console") is not None:
                pid = int(out)
            time.sleep(0.2)
        if pid is None:
            raise RuntimeError("the console did not start")
        time.sleep(5)
        screen = subprocess.run(["tmux", "-L", socket, "capture-pane", "-p", "-t", "bench"], capture_output=True,
                                text=True).stdout
        in_flight = "RUNNING" in screen
        console_before, process_before, started = thread_cpu_seconds(pid, "pollen.console"), process_cpu_seconds(pid), time.monotonic()
        time.sleep(window)
        console_after, process_after, ended = thread_cpu_seconds(pid, "pollen.console"), process_cpu_seconds(pid), time.monotonic()
        still_running = "RUNNING" in subprocess.run(["tmux", "-L", socket, "capture-pane", "-p", "-t", "bench"],
                                                    capture_output=True, text=True).stdout
        elapsed = ended - started
        return {
            "console_percent": 100 * (console_after - console_before) / elapsed,
            "process_percent": 100 * (process_after - process_before) / elapsed,
            "window": elapsed,
            "steady": in_flight and still_running,
        }
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)
