"""The four slash commands (commands/*.md) run by the real Claude Code with claude-session.

Checks what only Claude Code can show: the `!` lines pass the permission check and exit 0,
their output and ${CLAUDE_SESSION_ID} reach the model, $ARGUMENTS is substituted, and the Bash
calls the files ask Claude to make (heredoc summaries included) are allowed by allowed-tools.
"""
import glob
import json
import os
import subprocess
import uuid

from harness import E2ETestCase

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

SUMMARY = "## Summary\nE2E pause summary.\n\n## Next steps\n- Resume and finish\n"


class ContinuityCommands(E2ETestCase):

    def setUp(self):
        super().setUp()
        self.require_claude_session()
        for path in glob.glob(os.path.join(ROOT, "commands", "*.md")):
            with open(path) as f:
                self.env.write(os.path.join("commands", os.path.basename(path)), f.read(),
                               base=self.env.config_dir)

    def cs(self, *args, stdin=None):
        """claude-session run directly in the project, with the same state root as Claude's."""
        env = dict(os.environ, HOME=self.env.home, CLAUDE_CONFIG_DIR=self.env.config_dir,
                   PATH=self.env.bin + os.pathsep + os.environ.get("PATH", ""))
        env.pop("CLAUDE_SESSION_HOME", None)
        proc = subprocess.run(["claude-session", *args], cwd=self.env.project, env=env,
                              input=stdin, capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return proc.stdout

    def pause_state(self):
        path = os.path.join(self.env.config_dir, "pause-state.json")
        if not os.path.exists(path):
            return {}
        with open(path) as f:
            return json.load(f).get("projects", {})

    def session_doc(self, session_id):
        return json.loads(self.cs("show", session_id, "--json"))

    def test_a_start_pause_resume_end(self):
        env = self.env
        # /start: the `!` preview reaches the model with the arguments; Claude starts the
        # session through Bash with a focus holding an apostrophe.
        # Claude writes the substituted id into its Bash call, as the command file shows it:
        # a fixed --session-id lets the scripted reply do the same.
        claude_id = str(uuid.uuid4())
        run = env.run("/start fix the user's login", args=("--session-id", claude_id), script=[
            {"tool_use": {"name": "Bash", "input": {
                "command": "claude-session start --claude-session=" + claude_id +
                           " -- 'fix the user'\\''s login'",
                "description": "Start the session"}},
             "expect": ["No session is paused or open", "fix the user's login",
                        "--claude-session=" + claude_id]},
            {"text": "Started.", "expect": "📁 Workspace: "},
        ])
        run.check()
        self.assertEqual(run.session_id, claude_id)
        sessions = json.loads(self.cs("list", "--json"))["sessions"]
        self.assertEqual(len(sessions), 1)
        session_id = sessions[0]["id"]
        self.assertEqual(sessions[0]["focus"], "fix the user's login")
        doc = self.session_doc(session_id)
        self.assertEqual([c["id"] for c in doc["claude_sessions"]], [claude_id])

        # /pause: preview by the `!` line, then Claude pipes its summary through a heredoc.
        env.write("app.py", "print('work in progress')\n")
        run = env.run("/pause lunch break", script=[
            {"tool_use": {"name": "Bash", "input": {
                "command": "claude-session pause --note 'lunch break' --summary-file - "
                           "<<'EOF'\n" + SUMMARY + "EOF",
                "description": "Pause the session"}},
             "expect": ["Session to pause: " + session_id, "lunch break"]},
            {"text": "Paused.", "expect": "Session paused: " + session_id},
        ])
        run.check()
        record = self.pause_state()[os.path.realpath(env.project)]
        self.assertEqual(record["session_id"], session_id)
        self.assertEqual(record["note"], "lunch break")
        self.assertEqual(record["dirty_files"], ["app.py"])
        with open(record["context_file"]) as f:
            self.assertIn("- Resume and finish", f.read())

        # /resume: the `!` line itself resumes and binds the new Claude session.
        run = env.run("/resume", script=[
            {"text": "Resumed.", "expect": ["Session resumed: " + session_id,
                                            "- Resume and finish"]},
        ])
        run.check()
        self.assertEqual(self.pause_state(), {})
        doc = self.session_doc(session_id)
        self.assertEqual(doc["session"]["status"], "active")
        self.assertIn(run.session_id, [c["id"] for c in doc["claude_sessions"]])

        # /end: the preview lists the uncommitted file; Claude commits, then ends with a summary.
        run = env.run("/end", script=[
            {"tool_use": {"name": "Bash", "input": {
                "command": "git add app.py && git commit -q -m 'Add the app entry point'",
                "description": "Commit"}},
             "expect": ["Session to end: " + session_id, "app.py"]},
            {"tool_use": {"name": "Bash", "input": {
                "command": "claude-session end --yes --summary-file - <<'EOF'\n## Summary\nDone.\nEOF",
                "description": "End the session"}}},
            {"text": "Ended.", "expect": "Session completed: " + session_id},
        ])
        run.check()
        doc = self.session_doc(session_id)
        self.assertEqual(doc["session"]["status"], "completed")
        self.assertEqual(doc["git"]["commits_count"], 1)
        self.assertNotIn("uncommitted_files", doc["git"])

    def test_b_bang_lines_soft_fail_outside_git_without_a_session(self):
        env = self.env
        # /end with no session: the `!` line exits 0 with a readable message, so the command
        # still reaches the model instead of being aborted.
        run = env.run("/end", script=[
            {"text": "Nothing to end.", "expect": "claude-session could not do this"},
        ])
        run.check()
        run = env.run("/resume", script=[
            {"text": "Nothing paused.", "expect": "No paused session"},
        ])
        run.check()
