"""Helpers for end-to-end scenarios that run the real Claude Code CLI against api_standin.

Typical scenario (see test_harness.py):

    class MyTest(harness.E2ETestCase):
        def test_something(self):
            env = self.env                                  # fresh HOME, git project, PATH dir
            env.add_hook("SessionStart", env.fake_hook_command(context="hello"))
            run = env.run("do it", script=[
                {"tool_use": {"name": "Write", "input": {"file_path": env.path("a.txt"),
                                                         "content": "x\\n"}}},
                {"text": "done"},
            ])
            run.check()                                     # exit 0, JSON result, no stand-in errors
            self.assertEqual(env.read("a.txt"), "x\\n")
            self.assertIn("hello", run.request_text(kind="main", index=0))

Which Claude Code runs: claude_version() -> (2, 1, 332), at_least("2.1.198"), and named
behaviour changes such as background_agents(); scenarios assert each version's behaviour.

Environment variables read:
    CLAUDE_BIN               the `claude` executable (scripts/e2e.sh sets it)
    CLAUDE_SESSION_BIN       the claude-session binary under test ("" or "none": absent)
    CLAUDE_SESSION_E2E_KEEP  1 = keep every temp folder (paths are printed); failed tests
                             always keep theirs
    CLAUDE_SESSION_E2E_TIMEOUT  seconds one `claude -p` may take (default 90)
"""
import contextlib
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import api_standin  # noqa: E402

FAKE_HOOK = os.path.join(HERE, "fake_hook.py")
DEFAULT_TIMEOUT = float(os.environ.get("CLAUDE_SESSION_E2E_TIMEOUT", "90"))
# Variables passed through from the caller's environment; everything else is dropped so that
# nothing of the machine's own Claude Code set-up (keys, CLAUDECODE=1, proxies) leaks in.
PASS_ENV = ("LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR", "USER", "LOGNAME", "SHELL", "TERM")


def claude_bin():
    path = os.environ.get("CLAUDE_BIN") or shutil.which("claude")
    if not path or not os.access(path, os.X_OK):
        raise unittest.SkipTest("claude not found: set CLAUDE_BIN (scripts/e2e.sh does)")
    return path


def parse_version(text):
    """(2, 1, 332) from "2.1.332" or "2.1.332 (Claude Code)"."""
    m = re.match(r"\s*(\d+)\.(\d+)\.(\d+)", text or "")
    if not m:
        raise ValueError(f"not a Claude Code version: {text!r}")
    return tuple(int(x) for x in m.groups())


_version = None


def claude_version():
    """The version of the Claude Code under test, as a tuple such as (2, 1, 332). Asked once
    (`claude --version`, in a throw-away HOME), then cached for the whole run."""
    global _version
    if _version is None:
        home = tempfile.mkdtemp(prefix="cs-e2e-version-")
        try:
            env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home,
                   "CLAUDE_CONFIG_DIR": os.path.join(home, ".claude"), "DISABLE_AUTOUPDATER": "1",
                   "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1"}
            out = subprocess.run([claude_bin(), "--version"], env=env, capture_output=True,
                                 text=True, timeout=60, stdin=subprocess.DEVNULL)
            _version = parse_version(out.stdout)
        finally:
            shutil.rmtree(home, ignore_errors=True)
    return _version


def version_text():
    return ".".join(map(str, claude_version()))


def at_least(version):
    """True when the Claude Code under test is `version` or newer."""
    return claude_version() >= parse_version(version)


# Behaviour that differs between the pinned versions (tests/e2e/versions), keyed on the first
# version known to have it. Only the pinned versions are run: a threshold marked "not bisected"
# is the first pinned version seen with it, the change may be older.
#
# Subagents run in the background: PostToolUse(Agent) answers at once with
# {"isAsync": true, "status": "async_launched", ...}; the result comes later as a main turn whose
# prompt is a <task-notification> (UserPromptSubmit fires for it). 2.1.198 per the changelog.
BACKGROUND_AGENTS = "2.1.198"
# A `!` line of a command that fails or lacks permission still drops the command (no request),
# but `-p`'s result is the error text ("Shell command failed for pattern ...") instead of "".
# Seen in 2.1.332; not bisected.
BANG_ERROR_AS_RESULT = "2.1.332"
# `claude plugin validate --json`, and validating a plugin's hooks/ and commands/ (the report's
# "provides"); 2.1.197 checks the manifest alone. Seen in 2.1.332; not bisected.
VALIDATE_JSON = "2.1.332"
# Plugin names starting with "claude-" (and a few others) are reserved: validation fails.
# Seen in 2.1.332; not bisected.
RESERVED_PLUGIN_NAMES = "2.1.332"


def background_agents():
    return at_least(BACKGROUND_AGENTS)


def agents_script(main, then, subagents=(), launched="Started it; waiting for the result."):
    """A script whose main turns end by launching subagents (the last turn of `main` holds the
    Agent calls) and whose turn `then` is the one that sees their results.

    Up to 2.1.197 the Agent call blocks, so `then` answers its tool result. From 2.1.198 it
    returns at once ("Async agent launched"): the model ends its turn with `launched`, and
    `then` answers the first <task-notification> turn (later ones get the stand-in's
    notification_reply). There, each subagent's first reply waits 0.5 s so that the launching
    turn has ended before any result exists, as with a real model; otherwise a notification
    could ride along with the launching turn's tool result and the script would not fit."""
    if background_agents():
        slowed = []
        for sub in subagents:
            turns = [dict(t) for t in sub.get("turns") or [{"text": "subagent finished"}]]
            turns[0].setdefault("delay", 0.5)
            slowed.append(dict(sub, turns=turns))
        return {"main": list(main) + [{"text": launched, "expect": "Async agent launched"}],
                "notifications": [then], "subagents": slowed}
    return {"main": list(main) + [then], "subagents": list(subagents)}


def claude_session_bin():
    """Path of the claude-session binary under test, or None."""
    path = os.environ.get("CLAUDE_SESSION_BIN", "")
    if path in ("", "none") or not os.access(path, os.X_OK):
        return None
    return os.path.abspath(path)


def read_jsonl(path):
    out = []
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line:
                    try:
                        out.append(json.loads(line))
                    except ValueError:
                        out.append({"_unparsed": line})
    return out


def _run_bounded(cmd, cwd, env, timeout):
    """subprocess.run in its own process group; on timeout the whole group (hooks, Bash
    children) is killed and returncode is None."""
    p = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = p.communicate(timeout=timeout)
        return subprocess.CompletedProcess(cmd, p.returncode, out, err)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            out, err = p.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            out, err = "", ""
        return subprocess.CompletedProcess(cmd, None, out or "", err or "")


class Run:
    """The outcome of one `claude -p`: exit code, output, and the stand-in's request log."""

    def __init__(self, env, args, proc, duration, log_path, standin, timed_out):
        self.env = env
        self.args = args
        self.returncode = proc.returncode if proc else None
        self.stdout = proc.stdout if proc else ""
        self.stderr = proc.stderr if proc else ""
        self.duration = duration
        self.log_path = log_path
        self.timed_out = timed_out
        self.standin_errors = list(standin.errors)
        self.remaining = standin.script.remaining()
        self.result = None
        for line in reversed(self.stdout.splitlines()):
            if line.strip().startswith("{"):
                try:
                    self.result = json.loads(line)
                    break
                except ValueError:
                    pass

    # ---- claude's side ----
    @property
    def session_id(self):
        return (self.result or {}).get("session_id")

    @property
    def text(self):
        """The final result text of the run."""
        return (self.result or {}).get("result")

    def describe(self):
        kinds = [f"#{r['n']}:{r['kind']}/{r.get('note')}" for r in self.requests()]
        return (f"claude {' '.join(shlex.quote(a) for a in self.args)}\n"
                f"  exit={self.returncode} timed_out={self.timed_out} {self.duration:.1f}s\n"
                f"  requests: {' '.join(kinds) or '(none)'}\n"
                f"  standin errors: {self.standin_errors}\n"
                f"  stdout: {self.stdout[-2000:]}\n  stderr: {self.stderr[-2000:]}\n"
                f"  temp folder: {self.env.root}")

    def check(self, allow_unused_turns=False):
        """Assert a clean run: exit 0, a JSON result that is no error, all expectations met,
        and (unless allowed) every scripted main/subagent turn consumed."""
        problems = []
        if self.timed_out:
            problems.append("timed out")
        if self.returncode != 0:
            problems.append(f"exit code {self.returncode}")
        if not self.result:
            problems.append("no JSON result on stdout")
        elif self.result.get("is_error"):
            problems.append(f"result is an error: {self.result.get('subtype')}")
        problems.extend(self.standin_errors)
        if not allow_unused_turns and (self.remaining["main"] or any(self.remaining["subagents"])
                                       or self.remaining.get("notifications")):
            problems.append(f"scripted turns left unused: {self.remaining}")
        if problems:
            raise AssertionError("; ".join(problems) + "\n" + self.describe())
        return self

    # ---- the model's side (request log) ----
    def requests(self, kind=None):
        """Logged /v1/messages requests of this run; kind = main | subagent | side."""
        return api_standin.read_log(self.log_path, kind)

    def bodies(self, kind=None):
        return [r["body"] for r in self.requests(kind)]

    def request_text(self, kind=None, index=None):
        """JSON text of the request bodies (all of the kind, or the index-th) to search in."""
        bodies = self.bodies(kind)
        if index is not None:
            bodies = [bodies[index]] if -len(bodies) <= index < len(bodies) else []
        return "\n".join(json.dumps(b, ensure_ascii=False) for b in bodies)

    def model_saw(self, text, kind="main"):
        """True when some request of the kind carried text (in messages, system or tools)."""
        return text in self.request_text(kind)

    def notification_requests(self):
        """Main-loop requests answering a background task's <task-notification> (2.1.198+)."""
        return [r for r in self.requests("main") if r.get("detail") == "task_notification"]

    def messages_text(self, kind="main", index=-1):
        """All text in the messages of one request, tool results included, one string."""
        bodies = self.bodies(kind)
        if not bodies:
            return ""
        out = []
        for m in bodies[index].get("messages") or []:
            content = m.get("content")
            if isinstance(content, str):
                out.append(content)
            else:
                out.extend(api_standin._texts(content))
        return "\n".join(out)


class Env:
    """A throw-away world for Claude Code: HOME, config dir, a git project, a PATH dir."""

    def __init__(self, root=None):
        self.root = root or tempfile.mkdtemp(prefix="cs-e2e-")
        self.home = os.path.join(self.root, "home")
        self.config_dir = os.path.join(self.home, ".claude")
        self.project = os.path.join(self.root, "project")
        self.bin = os.path.join(self.root, "bin")
        self.logs = os.path.join(self.root, "logs")
        self.hook_log = os.path.join(self.logs, "hooks.jsonl")
        # Claude Code's per-user temp dir (background tasks' output files, ...): inside the
        # test's folder rather than a shared /tmp/claude-<uid>. Private, as it requires.
        self.tmp = os.path.join(self.root, "tmp")
        self.runs = []
        self.extra_env = {}
        for d in (self.config_dir, self.project, self.bin, self.logs):
            os.makedirs(d, exist_ok=True)
        os.makedirs(self.tmp, mode=0o700, exist_ok=True)
        self.git("init", "-q", "-b", "main")
        self.write(".gitignore", "")
        self.git("add", "-A")
        self.git("commit", "-q", "-m", "initial")

    # ---- files ----
    def path(self, *parts):
        """Absolute path inside the project."""
        return os.path.join(self.project, *parts)

    def write(self, rel, content, base=None):
        p = os.path.join(base or self.project, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(content)
        return p

    def read(self, rel, base=None):
        with open(os.path.join(base or self.project, rel)) as f:
            return f.read()

    def exists(self, rel, base=None):
        return os.path.exists(os.path.join(base or self.project, rel))

    def git(self, *args):
        env = dict(os.environ, GIT_AUTHOR_NAME="e2e", GIT_AUTHOR_EMAIL="e2e@example.invalid",
                   GIT_COMMITTER_NAME="e2e", GIT_COMMITTER_EMAIL="e2e@example.invalid",
                   HOME=self.home, GIT_CONFIG_NOSYSTEM="1")
        return subprocess.run(["git", *args], cwd=self.project, env=env, check=True,
                              capture_output=True, text=True).stdout

    # ---- Claude Code configuration ----
    def settings_path(self, scope="user"):
        if scope == "user":
            return os.path.join(self.config_dir, "settings.json")
        if scope == "project":
            return self.path(".claude", "settings.json")
        if scope == "local":
            return self.path(".claude", "settings.local.json")
        raise ValueError(scope)

    def settings(self, scope="user"):
        p = self.settings_path(scope)
        if not os.path.exists(p):
            return {}
        with open(p) as f:
            return json.load(f)

    def update_settings(self, patch, scope="user"):
        s = self.settings(scope)
        s.update(patch)
        p = self.settings_path(scope)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            json.dump(s, f, indent=2)
        return s

    def add_hook(self, event, command, matcher="", timeout=None, scope="user"):
        """Register a command hook (appended to the event's list)."""
        s = self.settings(scope)
        hook = {"type": "command", "command": command}
        if timeout is not None:
            hook["timeout"] = timeout
        s.setdefault("hooks", {}).setdefault(event, []).append({"matcher": matcher, "hooks": [hook]})
        return self.update_settings(s, scope)

    def allow(self, *rules, scope="user"):
        """Add permission rules to permissions.allow, e.g. allow("Bash(claude-session:*)")."""
        s = self.settings(scope)
        allow = s.setdefault("permissions", {}).setdefault("allow", [])
        allow.extend(r for r in rules if r not in allow)
        return self.update_settings(s, scope)

    def trust_project(self, path=None):
        """Mark the project as trusted (as the interactive trust dialog would). Without it,
        Claude Code ignores permissions.allow from the project's .claude/settings*.json
        (hooks from there still run)."""
        p = os.path.join(self.config_dir, ".claude.json")
        data = {}
        if os.path.exists(p):
            with open(p) as f:
                data = json.load(f)
        proj = data.setdefault("projects", {}).setdefault(os.path.realpath(path or self.project), {})
        proj["hasTrustDialogAccepted"] = True
        with open(p, "w") as f:
            json.dump(data, f, indent=2)

    def add_command(self, name, body, description=None, allowed_tools=None, scope="user"):
        """Write a custom slash command /name (user: ~/.claude/commands, project: .claude/...)."""
        base = self.config_dir if scope == "user" else self.path(".claude")
        front = []
        if description:
            front.append(f"description: {description}")
        if allowed_tools:
            front.append(f"allowed-tools: {allowed_tools}")
        text = ("---\n" + "\n".join(front) + "\n---\n" if front else "") + body
        return self.write(os.path.join("commands", name + ".md"), text, base=base)

    def fake_hook_command(self, context=None, log=None, *args, system_message=None):
        """A hook command line running fake_hook.py (logs stdin JSON to hook_log); it answers
        with additionalContext and/or a systemMessage when given."""
        cmd = [FAKE_HOOK, log or self.hook_log, *args]
        if context is not None:
            cmd += ["--context", context]
        if system_message is not None:
            cmd += ["--system-message", system_message]
        return " ".join(shlex.quote(c) for c in cmd)

    def hook_all_events(self, context_for=None, events=None):
        """Register the fake hook for every common event (context_for: {event: text})."""
        events = events or ["SessionStart", "SessionEnd", "UserPromptSubmit", "PreToolUse",
                            "PostToolUse", "Stop", "SubagentStart", "SubagentStop",
                            "PreCompact", "Notification"]
        for ev in events:
            self.add_hook(ev, self.fake_hook_command(context=(context_for or {}).get(ev)))

    def install_bin(self, name, target):
        """Put `name` on the PATH of Claude Code (and so of hooks, Bash and `!` lines)."""
        link = os.path.join(self.bin, name)
        if os.path.lexists(link):
            os.remove(link)
        os.symlink(os.path.abspath(target), link)
        return link

    def install_script(self, name, text):
        """Write an executable script `name` into the PATH dir."""
        p = os.path.join(self.bin, name)
        with open(p, "w") as f:
            f.write(text)
        os.chmod(p, 0o755)
        return p

    # ---- logs ----
    def hooks(self, event=None, tool=None):
        """Payloads logged by fake_hook.py, in firing order (optionally filtered)."""
        out = []
        for e in read_jsonl(self.hook_log):
            p = e.get("payload") or {}
            if event and p.get("hook_event_name") != event:
                continue
            if tool and p.get("tool_name") != tool:
                continue
            out.append(p)
        return out

    def hook_events(self):
        """[(event, tool_name or source or reason or ''), ...] in firing order."""
        out = []
        for e in read_jsonl(self.hook_log):
            p = e.get("payload") or {}
            if p:
                out.append((p.get("hook_event_name"),
                            p.get("tool_name") or p.get("source") or p.get("reason") or ""))
        return out

    def transcript(self, session_id):
        """Lines of the session's transcript JSONL (main file)."""
        slug = "".join(c if c.isalnum() else "-" for c in os.path.realpath(self.project))
        return read_jsonl(os.path.join(self.config_dir, "projects", slug, session_id + ".jsonl"))

    # ---- running Claude Code ----
    def claude_env(self, base_url):
        env = {k: os.environ[k] for k in PASS_ENV if k in os.environ}
        env.update({
            "PATH": self.bin + os.pathsep + os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": self.home,
            "CLAUDE_CONFIG_DIR": self.config_dir,
            "ANTHROPIC_BASE_URL": base_url,
            "ANTHROPIC_API_KEY": "any",
            "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
            "DISABLE_AUTOUPDATER": "1",
            "CLAUDE_CODE_TMPDIR": self.tmp,
            "GIT_AUTHOR_NAME": "e2e", "GIT_AUTHOR_EMAIL": "e2e@example.invalid",
            "GIT_COMMITTER_NAME": "e2e", "GIT_COMMITTER_EMAIL": "e2e@example.invalid",
        })
        env.update(self.extra_env)
        return env

    def run(self, prompt, script=None, args=(), allowed_tools=(), permission_mode="acceptEdits",
            resume=None, cwd=None, timeout=None, max_turns=30):
        """Run `claude -p PROMPT --output-format json` against a fresh stand-in with `script`.

        Returns a Run. Does not assert anything: call run.check() for the usual checks."""
        n = len(self.runs) + 1
        log_path = os.path.join(self.logs, f"requests-{n}.jsonl")
        cmd = [claude_bin(), "-p", prompt, "--output-format", "json",
               "--permission-mode", permission_mode, "--max-turns", str(max_turns)]
        if allowed_tools:
            cmd += ["--allowedTools", *allowed_tools]
        if resume:
            cmd += ["--resume", resume]
        cmd += list(args)
        timeout = timeout or DEFAULT_TIMEOUT
        standin = api_standin.StandIn(script if script is not None else [], log_path)
        with standin:
            start = time.monotonic()
            proc = _run_bounded(cmd, cwd or self.project, self.claude_env(standin.url), timeout)
            timed_out = proc.returncode is None
            duration = time.monotonic() - start
        run = Run(self, cmd[1:], proc, duration, log_path, standin, timed_out)
        self.runs.append(run)
        return run

    def interactive(self, script=None, args=(), permission_mode="acceptEdits", cols=160, rows=48):
        """Start the interactive TUI in a private tmux server (see Interactive); needs tmux."""
        if not shutil.which("tmux"):
            raise unittest.SkipTest("tmux not installed (apt-get install tmux)")
        return Interactive(self, script, args, permission_mode, cols, rows)

    def prepare_interactive(self):
        """Pre-answer the first-start dialogs of the TUI: onboarding/theme, 'use this API key?',
        and the workspace trust dialog."""
        self.trust_project()
        p = os.path.join(self.config_dir, ".claude.json")
        with open(p) as f:
            data = json.load(f)
        data.update({"hasCompletedOnboarding": True, "theme": "dark",
                     "customApiKeyResponses": {"approved": ["any"], "rejected": []}})
        with open(p, "w") as f:
            json.dump(data, f, indent=2)

    def cleanup(self):
        shutil.rmtree(self.root, ignore_errors=True)


class Interactive:
    """Claude Code's interactive TUI driven through tmux (for what -p cannot do: /clear,
    several prompts in one session, SessionEnd reason prompt_input_exit).

        with env.interactive(script=[...]) as tui:
            tui.send("write the file"); tui.wait_for("wrote it")
            tui.send("/clear"); tui.send("/exit")
        tui.run.requests("main")   # after the with-block: a Run (no JSON result)
    """
    _count = 0

    def __init__(self, env, script, args, permission_mode, cols, rows):
        self.env = env
        Interactive._count += 1
        self.n = len(env.runs) + 1
        self.socket = f"cs-e2e-{os.getpid()}-{Interactive._count}"
        self.log_path = os.path.join(env.logs, f"requests-{self.n}.jsonl")
        self.standin = api_standin.StandIn(script if script is not None else [], self.log_path)
        self.cmd = [claude_bin(), "--permission-mode", permission_mode, *args]
        self.size = (cols, rows)
        self.run = None

    def _tmux(self, *args, check=True):
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True,
                              check=check)

    def __enter__(self):
        self.env.prepare_interactive()
        self.standin.start()
        env = self.env.claude_env(self.standin.url)
        env["TERM"] = "xterm-256color"
        inner = "cd {} && exec env -i {} {}".format(
            shlex.quote(self.env.project),
            " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items()),
            " ".join(shlex.quote(c) for c in self.cmd))
        self._t0 = time.monotonic()
        self._tmux("-f", "/dev/null", "new-session", "-d", "-s", "claude", "-x", str(self.size[0]),
                   "-y", str(self.size[1]), inner)
        self.wait_for("accept edits", timeout=30)
        return self

    def screen(self, history=False):
        """The visible screen as text; with history, everything scrolled off it too."""
        extra = ("-S", "-") if history else ()
        return self._tmux("capture-pane", "-p", *extra, "-t", "claude", check=False).stdout

    def alive(self):
        return self._tmux("has-session", "-t", "claude", check=False).returncode == 0

    def wait_for(self, text, timeout=30):
        """Wait until the screen shows text (str, or a predicate on the screen)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            screen = self.screen()
            if (text(screen) if callable(text) else text in screen):
                return screen
            if not self.alive():
                break
            time.sleep(0.2)
        raise AssertionError(f"screen never showed {text!r}:\n{self.screen()}")

    def send(self, text, settle=1.0):
        """Type a line and press Enter (then give the TUI a moment)."""
        self._tmux("send-keys", "-t", "claude", "-l", text)
        time.sleep(0.3)
        self._tmux("send-keys", "-t", "claude", "Enter")
        time.sleep(settle)

    def wait_exit(self, timeout=15):
        end = time.monotonic() + timeout
        while self.alive() and time.monotonic() < end:
            time.sleep(0.2)
        return not self.alive()

    def __exit__(self, *exc):
        exited = self.wait_exit(timeout=15 if exc[0] is None else 0)
        self._tmux("kill-server", check=False)
        self.standin.stop()
        proc = subprocess.CompletedProcess(self.cmd, 0 if exited else None, "", "")
        self.run = Run(self.env, self.cmd[1:], proc, time.monotonic() - self._t0, self.log_path,
                       self.standin, timed_out=not exited)
        self.env.runs.append(self.run)


class E2ETestCase(unittest.TestCase):
    """Gives each test a fresh Env as self.env; keeps its folder when the test fails."""

    def setUp(self):
        claude_bin()  # skip early when absent
        self.env = Env()
        self._started = time.monotonic()

    def tearDown(self):
        elapsed = time.monotonic() - self._started
        failed = self._failed()
        keep = failed or os.environ.get("CLAUDE_SESSION_E2E_KEEP") == "1"
        runs = ", ".join(f"{r.duration:.1f}s" for r in self.env.runs)
        if keep or os.environ.get("CLAUDE_SESSION_E2E_VERBOSE") == "1":
            sys.stderr.write(f"  [{self.id().split('.')[-1]}: {elapsed:.1f}s; claude runs: "
                             f"{runs or '-'}{'; kept ' + self.env.root if keep else ''}]\n")
        if not keep:
            self.env.cleanup()

    def _failed(self):
        outcome = getattr(self, "_outcome", None)
        if outcome is None:
            return False
        result = getattr(outcome, "result", None)
        if result is not None:  # Python 3.11+
            for test, _ in list(result.failures) + list(result.errors):
                if test is self:
                    return True
            return False
        return any(exc for _, exc in getattr(outcome, "errors", []))

    @contextlib.contextmanager
    def product_fix_pending(self, what):
        """Wraps an assertion that fails until a product fix lands. It still counts as a
        failure (run_tests.py lists it under "pending product fixes"), but the scenario goes
        on past it. Put `# product fix pending: WHAT` on the line above."""
        with self.subTest(product_fix_pending=what):
            yield

    def cs(self, *args, check=True):
        """Runs the claude-session under test in the project, with the test's HOME and state root
        (the environment Claude Code gives it); its stdout. `check`: exit 0 is asserted."""
        path = claude_session_bin()
        if not path:
            self.skipTest("CLAUDE_SESSION_BIN not set (no claude-session binary to test)")
        proc = subprocess.run([path, *args], cwd=self.env.project,
                              env=self.env.claude_env("http://127.0.0.1:9"),
                              capture_output=True, text=True, timeout=120)
        if check:
            self.assertEqual(proc.returncode, 0, proc.stderr + proc.stdout)
        return proc.stdout

    def require_claude_session(self):
        """The claude-session binary under test (on PATH as `claude-session`), or skip."""
        path = claude_session_bin()
        if not path:
            self.skipTest("CLAUDE_SESSION_BIN not set (no claude-session binary to test)")
        self.env.install_bin("claude-session", path)
        return path
