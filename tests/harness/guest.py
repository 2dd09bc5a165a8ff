"""The guest API: boot Cellblock in QEMU and talk to its serial console.

A test gets a Session (`g`).  `g.boot(...)` starts one QEMU and returns a
Guest; a test may boot several.  The Session kills every QEMU it started when
the test ends, whatever happened.

Console output is read by a thread per guest into a growing text buffer
(carriage returns dropped).  Each Guest has a cursor, `pos`: expect() and
wait_prompt() search from it and move it past what they matched, so a test
reads the console in order like a person would.

COM2 can be attached to a file (guest -> host only) or to a unix socket the
harness listens on (both ways), for moving binary checkpoint images.
"""
import codecs
import os
import re
import shlex
import shutil
import socket
import subprocess
import threading
import time

from . import qemu

DEFAULT_PROMPT = r"\$ $"
DEFAULT_FORBID = (r"panic", r"page fault in kernel")
DEFAULT_TIMEOUT = 30.0
# What the harness types for Enter, as a terminal in raw mode would.
NEWLINE = os.environ.get("CELLBLOCK_NEWLINE", "\r")


class TestFailure(Exception):
    """A test's expectation was not met; the message says what and why."""


def _compile(pattern):
    """Compiles a pattern with MULTILINE, so ^ and $ work per line."""
    if isinstance(pattern, re.Pattern):
        return pattern
    return re.compile(pattern, re.MULTILINE)


def _show(pattern):
    return "/%s/" % (pattern.pattern if isinstance(pattern, re.Pattern) else pattern)


class Guest:
    """One running QEMU with Cellblock's console on a pipe."""

    def __init__(self, session, index, argv, forbid, prompt, com2):
        self.session = session
        self.index = index
        self.argv = argv
        self.forbid = [_compile(p) for p in forbid]
        self.prompt = _compile(prompt)
        self.newline = NEWLINE
        self.pos = 0
        self.status = None          # mapped exit status once QEMU has exited
        self.returncode = None      # raw QEMU exit status
        self.stderr = ""
        self.started = time.monotonic()
        self._text = ""
        self._raw = bytearray()
        self._cond = threading.Condition()
        self._eof = False
        self._killed = False
        self._com2_mode, self.com2_path = com2
        self._com2_sock = None
        self._com2_buf = bytearray()
        self._com2_listener = None
        self._start()

    # ---- process plumbing ----------------------------------------------

    def _start(self):
        """Starts QEMU and the reader threads; connects COM2 if a socket."""
        listener = None
        if self._com2_mode == "socket":
            listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            listener.bind(self.com2_path)
            listener.listen(1)
            listener.settimeout(10)
            self._com2_listener = listener
        try:
            self.proc = subprocess.Popen(
                self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, bufsize=0, start_new_session=True)
        except OSError as e:
            if listener is not None:
                listener.close()
            raise TestFailure("cannot start %s: %s (run tools/install-deps)"
                              % (self.argv[0], e))
        self._stderr_thread = threading.Thread(target=self._read_stderr, daemon=True)
        self._stderr_thread.start()
        threading.Thread(target=self._read_console, daemon=True).start()
        if listener is not None:
            threading.Thread(target=self._accept_com2, daemon=True).start()

    def _read_console(self):
        """Reader thread: appends console bytes to the buffer until EOF."""
        dec = codecs.getincrementaldecoder("utf-8")(errors="replace")
        fd = self.proc.stdout.fileno()
        while True:
            try:
                data = os.read(fd, 65536)
            except OSError:
                data = b""
            text = dec.decode(data, final=not data).replace("\r", "")
            with self._cond:
                self._raw += data
                self._text += text
                if not data:
                    break
                self._cond.notify_all()
        rc = self.proc.wait()
        self._stderr_thread.join(5)
        with self._cond:
            self._eof = True
            self.returncode = rc
            self._cond.notify_all()

    def _read_stderr(self):
        data = self.proc.stderr.read()
        with self._cond:
            self.stderr = data.decode("utf-8", "replace")

    def _accept_com2(self):
        """Accepts QEMU's connection to the COM2 socket and reads from it."""
        try:
            conn, _ = self._com2_listener.accept()
        except OSError:
            return
        conn.settimeout(None)
        with self._cond:
            self._com2_sock = conn
            self._cond.notify_all()
        while True:
            try:
                data = conn.recv(65536)
            except OSError:
                data = b""
            with self._cond:
                if not data:
                    break
                self._com2_buf += data
                self._cond.notify_all()

    # ---- state ---------------------------------------------------------

    @property
    def output(self):
        """All console text so far, without carriage returns."""
        with self._cond:
            return self._text

    @property
    def raw_output(self):
        """All console bytes so far, exactly as QEMU wrote them."""
        with self._cond:
            return bytes(self._raw)

    @property
    def alive(self):
        with self._cond:
            return not self._eof

    def _finished(self):
        """Sets status once QEMU has exited and stderr is in (lock held)."""
        if self._eof and self.status is None:
            self.status = "killed" if self._killed else qemu.map_status(
                self.returncode, self.stderr)
        return self._eof

    def _deadline(self, timeout):
        return time.monotonic() + (DEFAULT_TIMEOUT if timeout is None else timeout)

    def _check_forbidden_locked(self):
        for pat in self.forbid:
            m = pat.search(self._text)
            if m:
                line_start = self._text.rfind("\n", 0, m.start()) + 1
                line_end = self._text.find("\n", m.end())
                line = self._text[line_start:line_end if line_end >= 0 else None]
                raise TestFailure("guest %d: forbidden %s appeared: %r"
                                  % (self.index, pat.pattern, line.strip()))

    def check_forbidden(self):
        """Raises TestFailure if a forbidden pattern is anywhere in the output."""
        with self._cond:
            self._check_forbidden_locked()

    # ---- console -------------------------------------------------------

    def expect(self, pattern, timeout=None, pos=None):
        """Waits for pattern in the output from the cursor (or pos).

        Returns the re.Match (against .output) and moves the cursor past it.
        Raises TestFailure on timeout, when QEMU exits first, or when a
        forbidden pattern shows up meanwhile.
        """
        pat = _compile(pattern)
        start = self.pos if pos is None else pos
        deadline = self._deadline(timeout)
        with self._cond:
            while True:
                m = pat.search(self._text, start)
                if m:
                    self.pos = m.end()
                    return m
                self._check_forbidden_locked()
                if self._finished():
                    raise TestFailure("guest %d exited (status %s) while waiting for %s"
                                      % (self.index, self.status, _show(pattern)))
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TestFailure("guest %d: timed out after %.1fs waiting for %s"
                                      % (self.index, DEFAULT_TIMEOUT if timeout is None
                                         else timeout, _show(pattern)))
                self._cond.wait(min(left, 0.5))

    def wait_prompt(self, timeout=None, prompt=None):
        """Waits for the shell prompt after the cursor; returns the match."""
        return self.expect(prompt or self.prompt, timeout)

    def sendraw(self, data):
        """Writes bytes (or text) to the console exactly as given."""
        if isinstance(data, str):
            data = data.encode()
        try:
            self.proc.stdin.write(data)
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError, ValueError):
            raise TestFailure("guest %d: console closed (QEMU exited, status %s)"
                              % (self.index, self.wait_exit(1)))

    def send(self, line):
        """Types line and Enter.  Call wait_prompt() first to be safe."""
        with self._cond:
            self.pos = max(self.pos, len(self._text))
        self.sendraw(line + self.newline)

    def run(self, cmd, timeout=None, prompt=None):
        """Runs a shell command; returns its output (without the echo).

        Waits for a prompt first unless the cursor is right after one.
        """
        pat = _compile(prompt or self.prompt)
        with self._cond:
            here = self._text[:self.pos]
        tail = here[-256:]
        if not any(m.end() == len(tail) for m in pat.finditer(tail)):
            self.wait_prompt(timeout, prompt)
        self.send(cmd)
        begin = self.pos
        m = self.wait_prompt(timeout, prompt)
        out = self.output[begin:m.start()]
        first, nl, rest = out.partition("\n")
        if nl and first.strip() == cmd.strip():
            out = rest
        return out.rstrip("\n") if out.endswith("\n") else out

    # ---- exit ----------------------------------------------------------

    def wait_exit(self, timeout=None):
        """Waits for QEMU to exit; returns the mapped status.

        The status is the poweroff code (int), "panic", "abnormal",
        "qemu-error", or "timeout" (QEMU was still running: it is killed).
        """
        deadline = self._deadline(timeout)
        with self._cond:
            while not self._eof:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(min(left, 0.5))
            if self._finished():
                return self.status
        self.kill()
        return "timeout"

    def expect_exit(self, status=0, timeout=None):
        """Waits for QEMU to exit and raises TestFailure unless status matches."""
        got = self.wait_exit(timeout)
        if got != status:
            raise TestFailure("guest %d: exit status %s, expected %s"
                              % (self.index, got, status))
        return got

    def interrupt(self, cmd, settle, timeout=None):
        """Types cmd, waits for its echo and `settle` seconds (for the shell
        to start it in the foreground), types ^C and waits for the prompt."""
        self.send(cmd)
        self.expect(re.escape(cmd) + r"\n")
        time.sleep(settle)
        self.sendraw("\x03")
        return self.wait_prompt(timeout=timeout)

    def poweroff(self, timeout=None):
        """Types "poweroff 0" at the shell and waits for QEMU to exit with 0."""
        self.send("poweroff 0")
        return self.expect_exit(0, timeout)

    def kill(self):
        """Kills QEMU (no-op if it has exited) and waits for the reader."""
        with self._cond:
            if self._eof:
                return
            self._killed = True
        try:
            os.killpg(self.proc.pid, 9)
        except (ProcessLookupError, PermissionError):
            pass
        with self._cond:
            self._cond.wait_for(lambda: self._eof, timeout=5)

    def _close_com2(self):
        for s in (self._com2_sock, self._com2_listener):
            if s is not None:
                try:
                    s.close()
                except OSError:
                    pass

    # ---- COM2 ----------------------------------------------------------

    def _com2_connected(self, timeout):
        if self._com2_mode != "socket":
            raise TestFailure("guest %d: COM2 is not a socket (boot with com2='socket')"
                              % self.index)
        with self._cond:
            if not self._cond.wait_for(lambda: self._com2_sock is not None or self._eof,
                                       timeout=timeout) or self._com2_sock is None:
                raise TestFailure("guest %d: QEMU never connected COM2" % self.index)
            return self._com2_sock

    def com2_write(self, data, timeout=10):
        """Sends bytes to the guest's COM2 (socket mode)."""
        sock = self._com2_connected(timeout)
        sock.sendall(data if isinstance(data, bytes) else data.encode())

    def com2_read(self, n=None, timeout=10, idle=0.5):
        """Reads bytes the guest wrote to COM2.

        Socket mode: n bytes exactly (consumed), or with n=None everything
        until the line has been quiet for `idle` seconds after the first byte.
        File mode: the whole file (n bytes from the start if n is given).
        Raises TestFailure if n bytes do not arrive within timeout.
        """
        if self._com2_mode == "file":
            with open(self.com2_path, "rb") as f:
                return f.read() if n is None else f.read(n)
        self._com2_connected(timeout)
        deadline = time.monotonic() + timeout
        with self._cond:
            if n is not None:
                ok = self._cond.wait_for(lambda: len(self._com2_buf) >= n,
                                         timeout=max(0, deadline - time.monotonic()))
                if not ok:
                    raise TestFailure("guest %d: COM2 gave %d of %d bytes in %ss"
                                      % (self.index, len(self._com2_buf), n, timeout))
                data = bytes(self._com2_buf[:n])
                del self._com2_buf[:n]
                return data
            self._cond.wait_for(lambda: self._com2_buf, timeout=timeout)
            seen = -1
            while len(self._com2_buf) != seen and time.monotonic() < deadline:
                seen = len(self._com2_buf)
                self._cond.wait(idle)
            data = bytes(self._com2_buf)
            self._com2_buf.clear()
            return data

    # ---- log -----------------------------------------------------------

    def transcript(self):
        """The guest's part of the test log: command, console, exit status."""
        with self._cond:
            text = self._text
        lines = ["=== guest %d: %s\n" % (self.index, shlex.join(self.argv)), text]
        if not text.endswith("\n"):
            lines.append("\n")
        lines.append("=== guest %d: exit status %s (raw %s)\n"
                     % (self.index, self.status if self.status is not None else "running",
                        self.returncode))
        if self.stderr.strip():
            lines.append("=== guest %d: QEMU stderr:\n%s\n" % (self.index, self.stderr.rstrip()))
        return "".join(lines)


class Session:
    """What a scripted test receives as `g`: boots guests, cleans up after.

    Attributes: name (the test's name), tmpdir (an empty scratch directory
    for this test, e.g. for COM2 files), guests (every Guest booted so far).
    """

    def __init__(self, name, tmpdir):
        self.name = name
        self.tmpdir = tmpdir
        self.guests = []
        self.notes = []
        self._lock = threading.Lock()
        self._closed = False
        shutil.rmtree(tmpdir, ignore_errors=True)
        os.makedirs(tmpdir, exist_ok=True)

    def shell(self, **kw):
        """Boots a guest (g.boot's arguments) and waits for its first prompt."""
        guest = self.boot(**kw)
        guest.wait_prompt()
        return guest

    def boot(self, append="", boot="kernel", com2=None, extra_args=(),
             forbid=DEFAULT_FORBID, prompt=DEFAULT_PROMPT, kernel=None,
             initrd=None, iso=None, net=None):
        """Starts a QEMU and returns its Guest.

        append: kernel command line (boot="kernel" only).  com2: None (no
        COM2), "socket" (two-way, via com2_read/com2_write), or a file path
        the guest's COM2 output is written to.  extra_args: more QEMU args.
        net: None (no network card), or "listen:PORT" / "connect:PORT" for
        an e1000 card cabled to another guest on 127.0.0.1 (boot the
        listening one first; g.free_port() picks a port).
        forbid: patterns that fail the test whenever they appear.
        """
        missing = qemu.missing_images(boot, kernel, initrd, iso)
        if missing:
            raise TestFailure("missing %s (run make first)" % ", ".join(missing))
        try:
            argv = qemu.qemu_binary() + qemu.MACHINE_ARGS + [
                "-display", "none", "-monitor", "none", "-serial", "stdio"]
            argv += qemu.boot_args(boot, append, kernel, initrd, iso)
        except ValueError as e:
            raise TestFailure(str(e))
        with self._lock:
            if self._closed:
                raise TestFailure("test is over (timed out?)")
            index = len(self.guests) + 1
            com2_spec = (None, None)
            if com2 == "socket":
                # Unix socket paths are short (108 bytes): keep it in /tmp.
                path = os.path.join(self._sockdir(), "com2-%d.sock" % index)
                argv += ["-chardev", "socket,id=com2,path=%s" % path,
                         "-serial", "chardev:com2"]
                com2_spec = ("socket", path)
            elif com2:
                path = os.path.abspath(com2 if os.path.isabs(com2)
                                       else os.path.join(self.tmpdir, com2))
                argv += ["-serial", "file:%s" % path]
                com2_spec = ("file", path)
            if net:
                try:
                    argv += qemu.net_args(net, index)
                except ValueError as e:
                    raise TestFailure(str(e))
            argv += list(extra_args)
            guest = Guest(self, index, argv, forbid, prompt, com2_spec)
            self.guests.append(guest)
        return guest

    def _sockdir(self):
        if not hasattr(self, "_sock_tmp"):
            import tempfile
            self._sock_tmp = tempfile.mkdtemp(prefix="cb-")
        return self._sock_tmp

    def free_port(self):
        """A free TCP port on 127.0.0.1, for boot(net=...)."""
        return qemu.free_port()

    def note(self, msg):
        """Adds a line to the test's log."""
        self.notes.append(msg)

    def fail(self, msg):
        """Fails the test with msg."""
        raise TestFailure(msg)

    def check(self, cond, msg):
        """Fails the test with msg unless cond holds."""
        if not cond:
            raise TestFailure(msg)

    def close(self):
        """Kills every guest still running.  Safe to call twice."""
        with self._lock:
            self._closed = True
            guests = list(self.guests)
        for guest in guests:
            guest.kill()
            guest.wait_exit(2)
            guest._close_com2()
        if hasattr(self, "_sock_tmp"):
            shutil.rmtree(self._sock_tmp, ignore_errors=True)

    def check_forbidden(self):
        for guest in self.guests:
            guest.check_forbidden()

    def transcript(self):
        parts = [g.transcript() for g in self.guests]
        if self.notes:
            parts.append("=== notes\n" + "\n".join(self.notes) + "\n")
        return "".join(parts)

    def tail(self, n=30):
        """The last n console lines of the last guest booted."""
        if not self.guests:
            return ""
        return "\n".join(self.guests[-1].output.rstrip("\n").split("\n")[-n:])
