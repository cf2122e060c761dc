"""What the Claude Code people run today changes, end to end on each pinned version: `claude
--resume` of a conversation paused with /pause, a forked conversation, the plugin's command names,
and /end and /pause kept out of the model's reach.

Runs in installed mode (`claude-session install` into the test's HOME), except the plugin
scenario, which loads `plugin/` with `--plugin-dir`.
"""
import json
import os
import uuid

import harness
from harness import E2ETestCase

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SUMMARY = "## Summary\\nParser half done.\\n\\n## Next steps\\n- Finish the lexer\\n"


class CurrentClaudeCode(E2ETestCase):

    def setUp(self):
        super().setUp()
        self.bin = self.require_claude_session()


    def journal(self, session_id):
        return harness.read_jsonl(os.path.join(self.doc(session_id)["workspace"], "events.jsonl"))

    def pause_record(self):
        with open(os.path.join(self.env.config_dir, "pause-state.json")) as f:
            return json.load(f)["projects"].get(os.path.realpath(self.env.project))

    def doc(self, session_id):
        return json.loads(self.cs("show", session_id, "--json"))

    def only_session(self):
        [session] = json.loads(self.cs("list", "--all", "--json"))["sessions"]
        return session["id"]

    def start(self, focus, plugin=False, args=()):
        claude_id = str(uuid.uuid4())
        prefix = "claude-session --plugin" if plugin else "claude-session"
        command = "/session-keeper:start " if plugin else "/start "
        run = self.env.run(command + focus, args=("--session-id", claude_id, *args), script=[
            {"tool_use": {"name": "Bash", "input": {
                "command": f"{prefix} start --claude-session={claude_id} -- '{focus}'",
                "description": "Start the session"}}},
            {"text": "Started.", "expect": "Session started: "},
        ])
        run.check()
        return claude_id

    def pause(self, claude_id, plugin=False, args=()):
        prefix = "claude-session --plugin" if plugin else "claude-session"
        command = "/session-keeper:pause" if plugin else "/pause"
        run = self.env.run(command + " lunch", resume=claude_id, args=args, script=[
            {"tool_use": {"name": "Bash", "input": {
                "command": f"{prefix} pause --claude-session={claude_id} --note 'lunch' "
                           f"--summary-file - <<'EOF'\n{SUMMARY}EOF",
                "description": "Pause"}}},
            {"text": "Paused.", "expect": "Session paused: "},
        ])
        run.check()
        return run

    def test_a_claude_resume_after_pause_resumes_the_session(self):
        self.cs("install")
        claude_id = self.start("parser")
        sid = self.only_session()
        self.pause(claude_id)
        self.assertEqual(self.doc(sid)["session"]["status"], "paused")
        # The user comes back to that very conversation, not through /resume.
        run = self.env.run("where were we?", resume=claude_id, script=[
            {"text": "Back.", "expect": ["was paused with /pause", "Finish the lexer"]},
        ])
        run.check()
        # Resumed at start-up: the /pause record is gone, and only this run's exit paused the
        # session again (SessionEnd's automatic pause, which the next start undoes by itself).
        changes = [e["status"] for e in self.journal(sid) if e.get("event") == "status_changed"]
        self.assertIn("paused", changes)
        self.assertIn("active", changes[changes.index("paused"):], changes)
        record = self.pause_record()
        self.assertTrue(record is None or record["auto"], record)

    def test_b_a_fork_joins_its_parents_session(self):
        self.cs("install")
        claude_id = self.start("forking")
        sid = self.only_session()
        run = self.env.run("try another way", resume=claude_id, args=("--fork-session",),
                           script=[{"text": "Forked.",
                                    "expect": [sid, "this conversation records into"]}])
        run.check()
        fork = run.session_id
        self.assertNotEqual(fork, claude_id)
        sources = [c for c in self.doc(sid)["claude_sessions"]]
        self.assertIn(fork, [c["id"] for c in sources], sources)
        # The fork's prompt went to the same session.
        self.assertIn("try another way", self.doc(sid)["prompts"]["recent"])
        hooks_log = os.path.join(self.env.config_dir, "claude-session", "logs", "hooks.log")
        self.assertFalse(os.path.exists(hooks_log) and open(hooks_log).read().strip(),
                         "no hook failed")

    def test_c_the_plugin_names_its_own_commands(self):
        plugin = ("--plugin-dir", os.path.join(ROOT, "plugin"))
        claude_id = self.start("plugin names", plugin=True, args=plugin)
        sid = self.only_session()
        run = self.pause(claude_id, plugin=True, args=plugin)
        self.assertTrue(run.model_saw("Resume with /session-keeper:resume"))
        self.assertFalse(run.model_saw("Resume with /resume "))
        # A new conversation: the notice names the plugin's command, for the model and the user.
        run = self.env.run("hello", args=plugin, script=[
            {"text": "Hi.", "expect": "Offer the user `/session-keeper:resume`"}])
        run.check()
        self.assertFalse(run.model_saw("Offer the user `/resume`"))
        self.assertEqual(self.doc(sid)["session"]["status"], "paused")

    def test_d_end_and_pause_are_for_the_user_only(self):
        self.cs("install")
        run = self.env.run("hello", script=[{"text": "Hi."}])
        run.check()
        listed = run.request_text("main", 0)
        # The model is offered /start and /resume, not the two that commit, archive or stop work.
        self.assertIn("Start a claude-session session", listed)
        self.assertIn("Resume the paused session", listed)
        self.assertNotIn("Pause this session - save summary", listed)
        self.assertNotIn("End this session - commit the work", listed)

    def test_e_a_denied_bang_line_still_leads_to_a_pause(self):
        if not harness.at_least("2.1.332"):
            # No PreSkillShellCommand event before it (and an older client drops a whole
            # settings file that names an event it does not know).
            self.skipTest("PreSkillShellCommand arrived after 2.1.197")
        self.cs("install")
        claude_id = self.start("denied")
        sid = self.only_session()
        # A user's own hook that refuses every `!` line of a command.
        self.env.install_script("deny-bang", "#!/bin/sh\ncat >/dev/null\n"
                                "echo 'no shell lines in commands' >&2\nexit 2\n")
        self.env.add_hook("PreSkillShellCommand", "deny-bang")
        run = self.pause(claude_id)
        # The model got the refusal in place of the dry run, and the file's way on.
        self.assertTrue(run.model_saw("[not run: blocked by hook: no shell lines in commands]"))
        self.assertTrue(run.model_saw("If the line above did not run"))
        self.assertEqual(self.doc(sid)["session"]["status"], "paused")
