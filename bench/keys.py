# How fast the explorer answers keys, in a real pseudo-terminal (80x24):
# the time from a key press to the end of the first frame that shows its
# effect (Ink wraps each frame in synchronized-output marks; the frame's end
# is the closing mark).
#
#   keys.py CWD train  ARGV...  while a run trains: stage 2, back to stage 4, ...
#   keys.py CWD prompt ARGV...  in stage 5, typing a prompt a character at a time
#
# Prints the latencies in milliseconds, one line of JSON.
import fcntl, json, os, pty, re, select, struct, sys, termios, time

SGR = re.compile(rb"\x1b\[[0-9;]*m")  # colour and style changes
FRAME_END = b"\x1b[?2026l"


class Terminal:
    def __init__(self, argv, cwd):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.chdir(cwd)
            os.execvpe(argv[0], argv, dict(os.environ, CI="false", TERM="xterm-256color"))
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.seen = b""

    def wait_for(self, marker, timeout=30.0):
        """Read until `marker` and then the end of its frame; the time it took."""
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            # The marker as text: colour and style changes may fall inside it.
            plain = SGR.sub(b"", self.seen)
            at = plain.find(marker)
            if at >= 0:
                end = plain.find(FRAME_END, at)
                if end >= 0:
                    self.seen = plain[end + len(FRAME_END):]
                    return time.monotonic() - start
            ready, _, _ = select.select([self.fd], [], [], 0.005)
            if ready:
                self.seen += os.read(self.fd, 1 << 20)
        raise SystemExit(f"timed out waiting for {marker!r}; last output: {self.seen[-600:]!r}")

    def press(self, key, marker):
        """Press `key`; seconds until a frame shows `marker`."""
        self.seen = b""
        start = time.monotonic()
        os.write(self.fd, key)
        self.wait_for(marker)
        return time.monotonic() - start

    def close(self):
        os.write(self.fd, b"\x1b")
        time.sleep(0.1)
        os.write(self.fd, b"q")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            done, _ = os.waitpid(self.pid, os.WNOHANG)
            if done:
                break
            try:
                select.select([self.fd], [], [], 0.05)
                os.read(self.fd, 1 << 20)
            except OSError:
                pass
        else:
            os.kill(self.pid, 9)
            os.waitpid(self.pid, 0)
        os.close(self.fd)


def main():
    cwd, mode, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
    term = Terminal(argv, cwd)
    term.wait_for(b"1 Corpus")
    times = []
    if mode == "train":
        term.press(b"4", b"[4 Train]")
        term.press(b" ", b"pairs/s")  # the run has started and reports inside its epoch
        for _ in range(10):
            times.append(term.press(b"2", b"[2 Vocabulary]"))
            time.sleep(0.2)
            times.append(term.press(b"4", b"[4 Train]"))
            time.sleep(0.2)
        term.press(b" ", b"paused")
    elif mode == "prompt":
        term.press(b"5", b"[5 Prompt]")
        term.wait_for("· artifacts/".encode(), timeout=60)  # the model has loaded (its folder named)
        term.press(b"i", b"typing")  # the stage opens not typing
        typed = b""
        for ch in b"the jury said that":
            typed += bytes([ch])
            if ch == ord(" "):
                # A trailing space draws the same frame: no frame to wait for.
                os.write(term.fd, b" ")
            else:
                # The typed text, then the cursor glyph (colour codes may come between).
                times.append(term.press(bytes([ch]), b"Prompt \xe2\x80\xba " + typed))
            time.sleep(0.1)
    else:
        raise SystemExit(f"unknown mode {mode}")
    term.close()
    print(json.dumps([round(t * 1000, 1) for t in times]))


if __name__ == "__main__":
    main()
