"""claude-session as a user gets it: `claude-session install` into a temp HOME, then the real
Claude Code drives the slash commands and fires the hooks that install registered.

Scenarios (issue: install + e2e): 1 /start binds, 2 Write + Edit + Agent are tracked,
3 /pause with a piped summary, 4 a new process is told about the pause and /resume reactivates,
5 /end archives and backs up, 6 quitting without /pause saves the context, 7 another tool's
hooks keep firing beside ours, 8 the same life cycle typed into the interactive UI (tmux).
"""
import glob
import json
import os
import re
import time
import uuid
import zipfile

import harness
from harness import E2ETestCase

WAIT = 60.0
SUMMARY = ("## Summary\nAuth feature under way.\n\n## In progress\n- token refresh\n\n"
           "## Next steps\n- Finish the refresh endpoint\n")


class Installed(E2ETestCase):

    def setUp(self):
        super().setUp()
        self.bin = self.require_claude_session()

    # ---- helpers ----

    def install(self):
        out = self.cs("install")
        settings = self.env.settings()
        commands = [h["command"] for groups in settings["hooks"].values()
                    for g in groups for h in g["hooks"]]
        ours = [c for c in commands if " hook " in c and "claude-session" in c]
        self.assertEqual(len(ours), 12, commands)
        self.assertTrue(all(c.startswith('"/') for c in ours), ours)  # absolute, quoted path
        for name in ("start", "pause", "resume", "end"):
            self.assertTrue(os.path.exists(os.path.join(self.env.config_dir, "commands",
                                                        name + ".md")))
        return out

    def sessions(self):
        return json.loads(self.cs("list", "--all", "--json"))["sessions"]

    def doc(self, session_id):
        return json.loads(self.cs("show", session_id, "--json"))

    def pause_record(self):
        path = os.path.join(self.env.config_dir, "pause-state.json")
        if not os.path.exists(path):
            return None
        with open(path) as f:
            return json.load(f)["projects"].get(os.path.realpath(self.env.project))

    def wait_for(self, what, done):
        deadline = time.monotonic() + WAIT
        while not done():
            if time.monotonic() > deadline:
                self.fail("timed out waiting for " + what)
            time.sleep(0.1)

    def start(self, focus):
        claude_id = str(uuid.uuid4())
        run = self.env.run("/start " + focus, args=("--session-id", claude_id), script=[
            {"tool_use": {"name": "Bash", "input": {
                "command": "claude-session start --claude-session=" + claude_id + " -- '"
                           + focus + "'",
                "description": "Start the session"}},
             "expect": [focus, "--claude-session=" + claude_id]},
            {"text": "Session started.", "expect": "Session started: "},
        ])
        run.check()
        return run, claude_id

    # ---- scenarios ----
    def test_1_to_5_start_work_pause_resume_end(self):
        env = self.env
        self.install()

        # 1. /start auth feature: a session bound to the Claude session; its report reached the model.
        run, claude_id = self.start("auth feature")
        [session] = self.sessions()
        sid = session["id"]
        self.assertTrue(sid.endswith("-session-001-auth-feature"), sid)
        self.assertIn(claude_id, [c["id"] for c in self.doc(sid)["claude_sessions"]])
        self.assertTrue(run.model_saw("Session started: " + sid))

        # 2. Write + Edit + an Agent call in one conversation (resumed, so the binding holds).
        env.write("auth.py", "def login():\n    pass\n")
        env.git("add", "auth.py")
        env.git("commit", "-q", "-m", "auth stub")
        # From 2.1.198 the Agent call returns at once and its result comes as an extra turn.
        run = env.run("work on it", resume=claude_id, script=harness.agents_script(
            main=[
                {"tool_use": {"name": "Write", "input": {
                    "file_path": env.path("tokens.py"), "content": "TTL = 900\n"}}},
                {"tool_use": {"name": "Read", "input": {"file_path": env.path("auth.py")}}},
                {"tool_use": {"name": "Edit", "input": {
                    "file_path": env.path("auth.py"), "old_string": "pass",
                    "new_string": "return True"}}},
                {"tool_use": {"name": "Agent", "input": {
                    "description": "Review auth", "prompt": "SUB-AUTH review the code",
                    "subagent_type": "general-purpose"}}},
            ],
            then={"text": "Done.", "expect": "review finished"},
            subagents=[{"match": "SUB-AUTH", "turns": [{"text": "review finished"}]}]))
        run.check()
        doc = self.doc(sid)
        self.assertEqual(doc["artifacts"]["created"], ["tokens.py"])
        self.assertEqual(doc["artifacts"]["modified"], ["auth.py"])
        [task] = doc["agents"]
        self.assertEqual(task["subagent_type"], "general-purpose")
        self.assertEqual(task["description"], "Review auth")
        self.assertEqual(task["status"], "completed")
        self.assertEqual(task["result"], "review finished")
        # ...and session.yaml on disk says the same (the Stop hook folded the journal).
        ws = doc["workspace"]
        with open(os.path.join(ws, "session.yaml")) as f:
            text = f.read()
        self.assertIn("tokens.py", text)
        self.assertIn("Review auth", text)

        # 3. /pause: the model pipes its summary to claude-session through Bash.
        run = env.run("/pause lunch", resume=claude_id, script=[
            {"tool_use": {"name": "Bash", "input": {
                "command": "claude-session pause --claude-session=" + claude_id +
                           " --note 'lunch' --summary-file - <<'EOF'\n" + SUMMARY + "EOF",
                "description": "Pause the session"}},
             "expect": ["Session to pause: " + sid, "lunch"]},
            {"text": "Paused.", "expect": "Session paused: " + sid},
        ])
        run.check()
        record = self.pause_record()
        self.assertEqual(record["session_id"], sid)
        self.assertFalse(record["auto"])
        self.assertEqual(record["note"], "lunch")
        self.assertIn("tokens.py", record["dirty_files"])
        with open(record["context_file"]) as f:
            context = f.read()
        self.assertIn("- Finish the refresh endpoint", context)
        self.assertIn("tokens.py", context)
        self.assertEqual(self.doc(sid)["session"]["status"], "paused")

        # 4. A new process: SessionStart injected the paused context; /resume reactivates.
        run = env.run("hello", script=[{"text": "Hi."}])
        run.check()
        injected = run.request_text("main", 0)
        self.assertIn("SessionStart hook additional context", injected)
        self.assertIn(sid, injected)
        self.assertIn("/resume", injected)
        self.assertIn("Finish the refresh endpoint", injected)
        self.assertEqual(self.doc(sid)["session"]["status"], "paused")  # waits for /resume
        run = env.run("/resume", script=[
            {"text": "Resumed.", "expect": ["Session resumed: " + sid,
                                            "Finish the refresh endpoint"]},
        ])
        run.check()
        doc = self.doc(sid)
        self.assertIn(run.session_id, [c["id"] for c in doc["claude_sessions"]])
        # The /pause record is gone; this `claude -p` exiting then paused it again by itself
        # (SessionEnd), which the next conversation resumes without asking.
        self.wait_for("the exit's auto-pause",
                      lambda: (self.pause_record() or {}).get("claude_session") == run.session_id)
        self.assertTrue(self.pause_record()["auto"])

        # 5. /end: commit, then end with a summary: archived, backup ZIP, summaries log.
        run = env.run("/end", resume=run.session_id, script=[
            {"tool_use": {"name": "Bash", "input": {
                "command": "git add tokens.py auth.py && git commit -q -m 'Add token TTL'",
                "description": "Commit"}},
             "expect": ["Session to end: " + sid]},
            {"tool_use": {"name": "Bash", "input": {
                "command": "claude-session end --yes --score 8 --summary-file - <<'EOF'\n"
                           "## Summary\nAuth done.\nEOF",
                "description": "End the session"}}},
            {"text": "Ended.", "expect": "Session completed: " + sid},
        ])
        run.check()
        doc = self.doc(sid)
        self.assertEqual(doc["session"]["status"], "completed")
        self.assertTrue(doc["archived"])
        self.assertIn("/sessions/archive/", doc["workspace"])
        self.assertEqual(doc["rulemap_score"], 8.0)
        self.assertEqual(doc["git"]["commits_count"], 2)
        project_dir = os.path.dirname(os.path.dirname(os.path.dirname(doc["workspace"])))
        backup = os.path.join(project_dir, "backups", "sessions", sid + "-backup.zip")
        with zipfile.ZipFile(backup) as z:
            self.assertIn("session.yaml", z.namelist())
        [log] = glob.glob(os.path.join(project_dir, "session-summaries", "*.md"))
        with open(log) as f:
            self.assertIn("Auth done.", f.read())

    def test_6_quitting_without_pause_saves_the_context(self):
        env = self.env
        self.install()
        _, claude_id = self.start("quick fix")
        [session] = self.sessions()
        sid = session["id"]
        run = env.run("edit and quit", resume=claude_id, script=[
            {"tool_use": {"name": "Write", "input": {
                "file_path": env.path("fix.py"), "content": "FIXED = True\n"}}},
            {"text": "Done."},
        ])
        run.check()
        # SessionEnd fired when claude exited; its detached worker paused the session. It writes
        # the context file, the pause record, then the status: wait for the last.
        self.wait_for("the auto-pause", lambda: self.pause_record() is not None
                      and self.doc(sid)["session"]["status"] == "paused")
        record = self.pause_record()
        self.assertEqual(record["session_id"], sid)
        self.assertTrue(record["auto"])
        with open(record["context_file"]) as f:
            self.assertIn("fix.py", f.read())
        doc = self.doc(sid)
        self.assertEqual(doc["session"]["status"], "paused")
        # The hook's own part (recording the end, then handing the rest to the worker) finished
        # inside Claude Code's SessionEnd budget: a hook killed at its timeout leaves no end.
        ended = [c for c in doc["claude_sessions"] if c["id"] == claude_id]
        self.assertTrue(ended and ended[0].get("ended_at"), doc["claude_sessions"])
        # The worker pauses first and counts tokens last.
        self.wait_for("the worker's token count", lambda: any(
            c["id"] == claude_id and c.get("tokens") for c in self.doc(sid)["claude_sessions"]))
        # No hook failed or timed out on the way.
        log = os.path.join(env.config_dir, "claude-session", "logs", "hooks.log")
        if os.path.exists(log):
            with open(log) as f:
                failures = [line for line in f if "ignored:" not in line]
            self.assertEqual(failures, [])
        # The next conversation resumes it by itself and says so.
        run = env.run("continue", script=[{"text": "Continuing."}])
        run.check()
        self.assertIn("paused automatically", run.request_text("main", 0))
        # It was bound to the new conversation, whose own exit paused it again.
        self.assertIn(run.session_id, [c["id"] for c in self.doc(sid)["claude_sessions"]])
        self.wait_for("the second auto-pause",
                      lambda: (self.pause_record() or {}).get("claude_session") == run.session_id)

    def test_7_another_tools_hooks_keep_firing(self):
        env = self.env
        # Another tool registered first, on the same events and matcher we use.
        env.add_hook("PostToolUse", env.fake_hook_command(), matcher="Write|Edit")
        env.add_hook("SessionStart", env.fake_hook_command(context="OTHER-TOOL-CONTEXT"))
        before = env.settings()
        self.install()
        after = env.settings()
        self.assertEqual(after["hooks"]["PostToolUse"][0], before["hooks"]["PostToolUse"][0])
        self.assertEqual(after["hooks"]["SessionStart"][0], before["hooks"]["SessionStart"][0])
        # Installing again changes nothing.
        with open(env.settings_path()) as f:
            first = f.read()
        self.cs("install")
        with open(env.settings_path()) as f:
            self.assertEqual(f.read(), first)

        _, claude_id = self.start("both tools")
        [session] = self.sessions()
        run = env.run("write", resume=claude_id, script=[
            {"tool_use": {"name": "Write", "input": {
                "file_path": env.path("both.txt"), "content": "x\n"}}},
            {"text": "Done."},
        ])
        run.check()
        self.assertEqual([h["tool_input"]["file_path"] for h in env.hooks("PostToolUse", "Write")],
                         [env.path("both.txt")])
        self.assertTrue(run.model_saw("OTHER-TOOL-CONTEXT"))
        self.assertEqual(self.doc(session["id"])["artifacts"]["created"], ["both.txt"])
        # Uninstall leaves the other tool exactly as it was.
        self.cs("uninstall")
        self.assertEqual(env.settings()["hooks"], before["hooks"])

    def test_8_interactive_start_edit_pause_exit_resume_end(self):
        """The installed commands typed into the TUI: /start, an edit, /pause, /exit; a new TUI
        tells the user and the model about the pause; /resume, /end. Files checked each step."""
        env = self.env
        self.install()
        first, second = str(uuid.uuid4()), str(uuid.uuid4())
        pause_cmd = ("claude-session pause --claude-session=" + first +
                     " --note 'lunch' --summary-file - <<'EOF'\n" + SUMMARY + "EOF")
        script = [
            # /start auth feature
            {"tool_use": {"name": "Bash", "input": {
                "command": "claude-session start --claude-session=" + first + " -- 'auth feature'",
                "description": "Start the session"}},
             "expect": ["auth feature", "--claude-session=" + first]},
            {"text": "STARTED-OK", "expect": "Session started: "},
            # an edit
            {"tool_use": {"name": "Write", "input": {
                "file_path": env.path("tokens.py"), "content": "TTL = 900\n"}}},
            {"text": "WROTE-OK", "expect": "File created successfully"},
            # /pause lunch
            {"tool_use": {"name": "Bash", "input": {"command": pause_cmd,
                                                    "description": "Pause the session"}},
             "expect": ["Session to pause: ", "lunch"]},
            {"text": "PAUSED-OK", "expect": "Session paused: "},
        ]
        with env.interactive(script=script, args=("--session-id", first)) as tui:
            tui.send("/start auth feature", settle=0.2)
            tui.wait_for("STARTED-OK")
            [session] = self.sessions()
            sid = session["id"]
            doc = self.doc(sid)
            self.assertEqual(doc["session"]["status"], "active")
            self.assertEqual([c["id"] for c in doc["claude_sessions"]], [first])
            workspace = doc["workspace"]
            self.assertTrue(workspace.startswith(env.config_dir + os.sep), workspace)
            self.assertIn("/sessions/active/", workspace)
            self.assertTrue(os.path.exists(os.path.join(workspace, "session.yaml")))

            tui.send("write the token settings", settle=0.2)
            tui.wait_for("WROTE-OK")
            self.assertEqual(env.read("tokens.py"), "TTL = 900\n")
            self.assertEqual(self.doc(sid)["artifacts"]["created"], ["tokens.py"])

            tui.send("/pause lunch", settle=0.2)
            tui.wait_for("PAUSED-OK")
            record = self.pause_record()
            self.assertEqual((record["session_id"], record["auto"], record["note"]),
                             (sid, False, "lunch"))
            self.assertIn("tokens.py", record["dirty_files"])
            with open(record["context_file"]) as f:
                self.assertIn("- Finish the refresh endpoint", f.read())
            self.assertEqual(self.doc(sid)["session"]["status"], "paused")
            tui.send("/exit", settle=0.2)
        self.assertFalse(tui.run.timed_out, tui.run.describe())
        self.assertEqual((tui.run.standin_errors, tui.run.remaining["main"]), ([], 0),
                         tui.run.describe())
        # Quitting after /pause keeps the /pause record (no automatic pause over it).
        self.assertEqual(self.pause_record(), record)
        self.assertEqual(self.doc(sid)["session"]["status"], "paused")

        end_cmd = ("claude-session end --yes --claude-session=" + second + " --summary-file - <<'EOF'\n"
                   "## Summary\nAuth done.\nEOF")
        script = [
            # /resume: its `!` line resumes and binds this conversation.
            {"text": "RESUMED-OK", "expect": ["Session resumed: " + sid,
                                              "Finish the refresh endpoint"]},
            # /end: commit, then end.
            {"tool_use": {"name": "Bash", "input": {
                "command": "git add tokens.py && git commit -q -m 'Add token TTL'",
                "description": "Commit"}},
             "expect": "Session to end: " + sid},
            {"tool_use": {"name": "Bash", "input": {"command": end_cmd,
                                                    "description": "End the session"}}},
            {"text": "ENDED-OK", "expect": "Session completed: " + sid},
        ]
        with env.interactive(script=script, args=("--session-id", second)) as tui:
            tui.send("/resume", settle=0.2)
            tui.wait_for("RESUMED-OK")
            # What the user saw at start-up, above their first prompt.
            seen = tui.screen(history=True)
            startup = seen[:seen.find("/resume")]
            self.assertRegex(startup, r"SessionStart:startup says: claude-session: session "
                                      + re.escape(sid) + r"\s+is paused", seen)
            self.assertIsNone(self.pause_record())
            doc = self.doc(sid)
            self.assertEqual(doc["session"]["status"], "active")
            self.assertIn(second, [c["id"] for c in doc["claude_sessions"]])

            tui.send("/end", settle=0.2)
            tui.wait_for("ENDED-OK")
            doc = self.doc(sid)
            self.assertEqual(doc["session"]["status"], "completed")
            self.assertTrue(doc["archived"])
            self.assertIn("/sessions/archive/", doc["workspace"])
            self.assertFalse(os.path.exists(workspace))
            self.assertEqual(doc["git"]["commits_count"], 1)
            project_dir = os.path.dirname(os.path.dirname(os.path.dirname(doc["workspace"])))
            backup = os.path.join(project_dir, "backups", "sessions", sid + "-backup.zip")
            with zipfile.ZipFile(backup) as z:
                self.assertIn("session.yaml", z.namelist())
            tui.send("/exit", settle=0.2)
        run = tui.run
        self.assertFalse(run.timed_out, run.describe())
        self.assertEqual((run.standin_errors, run.remaining["main"]), ([], 0), run.describe())
        # The model was told about the pause with the first prompt (SessionStart context).
        first_request = run.request_text("main", 0)
        self.assertIn("claude-session: session " + sid + " is paused", first_request)
        self.assertIn("/resume", first_request)
        # An ended session is not paused again when Claude Code exits.
        self.assertIsNone(self.pause_record())
        self.assertEqual(self.doc(sid)["session"]["status"], "completed")
