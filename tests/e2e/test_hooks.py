"""Scenarios of claude-session's hooks inside the real Claude Code: hooks/hooks.json registered
as-is, the binary on PATH, state under the run's CLAUDE_CONFIG_DIR.

Needs CLAUDE_SESSION_BIN (scripts/e2e.sh builds it).
"""
import json
import os
import time

import harness
from harness import E2ETestCase

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORKER_LIMIT = 60.0


class HookScenarios(E2ETestCase):

    def setUp(self):
        super().setUp()
        self.bin = self.require_claude_session()
        with open(os.path.join(ROOT, "hooks", "hooks.json")) as f:
            self.env.update_settings({"hooks": json.load(f)["hooks"]})


    def state(self, *parts):
        return os.path.join(self.env.config_dir, *parts)

    def wait_for(self, what, done):
        deadline = time.monotonic() + WORKER_LIMIT
        while not done():
            if time.monotonic() > deadline:
                self.fail(f"timed out waiting for {what}")
            time.sleep(0.05)

    def pause_record(self):
        path = self.state("pause-state.json")
        if not os.path.exists(path):
            return None
        with open(path) as f:
            return json.load(f)["projects"].get(os.path.realpath(self.env.project))

    def tokens_of(self, session, claude_id):
        doc = json.loads(self.cs("show", session, "--json"))
        for c in doc["claude_sessions"]:
            if c["id"] == claude_id:
                return c.get("tokens")
        return None

    def counted_ends(self, session):
        """How many claude_ended events with tokens the session's journal holds."""
        projects = self.state("claude-session", "projects")
        count = 0
        for slug in os.listdir(projects):
            journal = os.path.join(projects, slug, "sessions", "active", session, "events.jsonl")
            if os.path.exists(journal):
                with open(journal) as f:
                    for line in f:
                        event = json.loads(line)
                        if event["event"] == "claude_ended" and event.get("tokens"):
                            count += 1
        return count

    def test_a_conversation_is_tracked_paused_at_exit_and_resumed(self):
        env = self.env
        started = self.cs("start", "e2e hooks")
        session = started.splitlines()[0].split(": ", 1)[1]
        notes = env.path("notes.md")
        # From 2.1.198 the Agent call returns at once and its result comes as an extra turn.
        run = env.run("do the work", script=harness.agents_script(
            main=[
                {"text": "Writing.", "expect": f"records into session {session}",
                 "tool_use": {"name": "Write", "input": {"file_path": notes, "content": "hello\n"}}},
                {"tool_use": {"name": "Edit", "input": {"file_path": notes, "old_string": "hello",
                                                        "new_string": "goodbye"}}},
                {"tool_use": {"name": "Agent", "input": {
                    "description": "Write a helper", "prompt": "SUB-1 write sub.txt",
                    "subagent_type": "general-purpose"}}},
            ],
            then={"text": "All done.", "expect": "helper written"},
            subagents=[{"match": "SUB-1", "turns": [
                {"tool_use": {"name": "Write", "input": {"file_path": env.path("sub.txt"),
                                                         "content": "from the subagent\n"}}},
                {"text": "helper written"},
            ]}]))
        run.check()
        claude_id = run.session_id
        # Claude Code exited without /pause: the detached worker pauses the session.
        self.wait_for("the token count", lambda: self.tokens_of(session, claude_id))
        record = self.pause_record()
        self.assertIsNotNone(record)
        self.assertEqual(record["session_id"], session)
        self.assertTrue(record["auto"])
        self.assertTrue(os.path.exists(record["context_file"]))
        doc = json.loads(self.cs("show", session, "--json"))
        self.assertEqual(doc["session"]["status"], "paused")
        self.assertEqual(sorted(doc["artifacts"]["created"]), ["notes.md", "sub.txt"])
        self.assertEqual(doc["artifacts"]["modified"], [])
        # The <task-notification> that brings a background agent's result is no prompt.
        self.assertEqual(doc["prompts"]["recent"], ["do the work"])
        [task] = doc["agents"]
        self.assertEqual(task["status"], "completed")
        self.assertEqual(task["description"], "Write a helper")
        # SubagentStop gave its last message; a background agent's duration is measured.
        self.assertTrue(task.get("result"), task)
        self.assertEqual(task.get("background", False), harness.background_agents())
        self.assertIsInstance(task.get("duration_ms"), int)
        # Main-loop responses: Write, Edit, Agent, the final text; from 2.1.198 one more, the
        # launching turn's text before the notification's answer.
        responses = 5 if harness.background_agents() else 4
        self.assertEqual(self.tokens_of(session, claude_id)["responses"], responses)

        # The next conversation resumes it by itself, and the model is told.
        resumed = env.run("go on", resume=claude_id, script=[
            {"text": "Resumed.", "expect": "was paused automatically"},
        ])
        resumed.check()
        # Its exit pauses it again; the token event is the worker's last write.
        self.wait_for("the second worker", lambda: self.counted_ends(session) == 2)
        second = self.pause_record()
        self.assertTrue(second["auto"])
        self.assertNotEqual(second["context_file"], record["context_file"])
        self.assertEqual(json.loads(self.cs("show", session, "--json"))["session"]["status"],
                         "paused")
        self.assertFalse(os.path.exists(self.state("claude-session", "logs", "hooks.log")),
                         "no hook failed")

    def test_b_records_wait_in_the_inbox_until_start_claims_them(self):
        env = self.env
        # Two active sessions and no binding: the conversation's records wait.
        self.cs("start", "one")
        self.cs("start", "two")
        run = env.run("write", script=[
            {"tool_use": {"name": "Write", "input": {"file_path": env.path("early.md"),
                                                     "content": "x\n"}},
             "expect": "records into none of them"},
            {"text": "ok"},
        ])
        run.check()
        started = self.cs("start", "three", "--claude-session", run.session_id)
        third = started.splitlines()[0].split(": ", 1)[1]
        doc = json.loads(self.cs("show", third, "--json"))
        self.assertEqual(doc["artifacts"]["created"], ["early.md"])
        # The detached worker's token count follows the binding made meanwhile.
        self.wait_for("the token count", lambda: self.tokens_of(third, run.session_id))
