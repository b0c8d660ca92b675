# Time from launch to the explorer's first frame, in a real pseudo-terminal
# (80x24): start the command, read until the stage bar appears, press q.
import fcntl, os, pty, select, struct, sys, termios, time

def first_frame(argv, cwd, marker=b"1 Corpus", timeout=10.0):
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(cwd)
        env = dict(os.environ, CI="false", TERM="xterm-256color")
        os.execvpe(argv[0], argv, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    start = time.monotonic()
    seen = b""
    elapsed = None
    while time.monotonic() - start < timeout:
        ready, _, _ = select.select([fd], [], [], 0.01)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            seen += chunk
            if marker in seen:
                elapsed = time.monotonic() - start
                break
    os.write(fd, b"q")
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        try:
            select.select([fd], [], [], 0.05)
            os.read(fd, 65536)
        except OSError:
            pass
    else:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
    os.close(fd)
    return elapsed

if __name__ == "__main__":
    cwd = sys.argv[1]
    argv = sys.argv[2:]
    t = first_frame(argv, cwd)
    print("nan" if t is None else f"{t:.4f}")
