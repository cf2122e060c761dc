"""Plans, tasks and memory, end to end on each pinned version: a session whose model uses Claude
Code's task tools ends (after the user's yes) with tasks.json, completed.md, review.md and the
JSON backup; the next session starts with the project memory relevant to its focus.

Runs in installed mode (`claude-session install` into the test's HOME). The task tools are on by
default in 2.1.197 and need `CLAUDE_CODE_ENABLE_TODO_TOOLS=1` from 2.1.233, which the scenario
sets for both.
"""
import json
import os
import uuid

from harness import E2ETestCase

SUMMARY = ("## Summary\nLexer tests written; the parser bug is still open.\n\n"
           "## Decisions\n- Keep the lexer hand-written: the grammar is small\n\n"
           "## Next steps\n- Fix the parser bug\n")


class TasksAndMemory(E2ETestCase):

    def setUp(self):
        super().setUp()
        self.require_claude_session()
        self.env.extra_env["CLAUDE_CODE_ENABLE_TODO_TOOLS"] = "1"
        self.cs("install")

    def doc(self, session_id):
        return json.loads(self.cs("show", session_id, "--json"))

    def only_session(self):
        [session] = json.loads(self.cs("list", "--all", "--json"))["sessions"]
        return session["id"]

    def read(self, *parts):
        with open(os.path.join(*parts)) as f:
            return f.read()

    def start(self, focus, objectives=()):
        claude_id = str(uuid.uuid4())
        plans = " ".join(f"--plan '{o}'" for o in objectives)
        run = self.env.run(f"/start {focus}", args=("--session-id", claude_id), script=[
            {"tool_use": {"name": "Bash", "input": {
                "command": f"claude-session start --claude-session={claude_id} {plans} -- '{focus}'",
                "description": "Start the session"}}},
            {"text": "Started.", "expect": "Session started: "},
        ])
        run.check()
        return claude_id, run

    def test_a_session_with_task_tools_ends_with_its_documents_after_the_users_yes(self):
        env = self.env
        self.cs("memory", "add", "decision", "Use a hand-written lexer for the parser",
                "--tags", "lexer,parser")
        claude_id, run = self.start("lexer", ["Write lexer tests", "Fix the parser bug"])
        sid = self.only_session()
        # /start showed the memory relevant to the focus.
        self.assertTrue(run.model_saw("hand-written lexer"), run.describe())
        ws = self.doc(sid)["workspace"]
        self.assertIn("Write lexer tests", self.read(ws, "plan.md"))
        self.assertIn("## System state", self.read(ws, "context.md"))

        # The model plans with the task tools and works through the first task.
        run = env.run("go", resume=claude_id, script=[
            {"tool_use": {"name": "TaskCreate", "input": {
                "subject": "Write lexer tests", "description": "unit tests for the lexer",
                "activeForm": "Writing lexer tests", "metadata": {"estimatedMinutes": 10}}}},
            {"tool_use": {"name": "TaskCreate", "input": {
                "subject": "Fix the parser bug", "description": "off by one",
                "activeForm": "Fixing the parser bug", "metadata": {"estimatedMinutes": 20}}}},
            {"tool_use": {"name": "TaskUpdate", "input": {"taskId": "1", "status": "in_progress"}}},
            {"tool_use": {"name": "Write", "input": {
                "file_path": env.path("tests", "lexer_test.py"), "content": "def test(): pass\n"}}},
            {"tool_use": {"name": "TaskUpdate", "input": {"taskId": "1", "status": "completed"}}},
            {"tool_use": {"name": "Bash", "input": {
                "command": "claude-session memory add pattern 'Table-driven lexer tests' "
                           "--tags lexer,tests --approach 'one table of input and tokens' "
                           "--outcome 'all cases in one test' --lesson 'add a row per bug'",
                "description": "Remember the pattern"}}},
            {"text": "First task done.", "expect": "Remembered pattern"},
        ], allowed_tools=("Bash(claude-session:*)",))
        run.check()
        self.assertTrue(os.path.isdir(os.path.join(env.config_dir, "tasks", claude_id)))
        listed = json.loads(self.cs("tasks", sid, "--json"))
        self.assertEqual([t["status"] for t in listed["tasks"]], ["completed", "pending"])

        # /end, first turn: the model shows the summary and the numbers and asks; nothing ends.
        run = env.run("/end", resume=claude_id, script=[
            {"text": "Summary: lexer tests written.\n\nArchive this session? (yes/no)",
             "expect": ["Session to end: " + sid, "Archive this session"]},
        ])
        run.check()
        # (Each `claude -p` exit pauses the session by itself: not completed is what counts.)
        self.assertNotEqual(self.doc(sid)["session"]["status"], "completed")
        self.assertFalse(self.doc(sid)["archived"])
        # ...the user says yes: only now `end --yes` runs. The /end command's allowed-tools
        # covered its own turn only; in this one the Bash call needs the user's permission
        # (here given up front, as a user who allows claude-session's commands would).
        run = env.run("yes", resume=claude_id, allowed_tools=("Bash(claude-session:*)",), script=[
            {"tool_use": {"name": "Bash", "input": {
                "command": f"claude-session end --yes --claude-session={claude_id} "
                           f"--summary-file - <<'EOF'\n{SUMMARY}EOF",
                "description": "End the session"}}},
            {"text": "Ended.", "expect": ["Session completed: " + sid, "Proposed patterns",
                                          "Keep the lexer hand-written"]},
        ])
        run.check()
        doc = self.doc(sid)
        self.assertEqual(doc["session"]["status"], "completed")
        ws = doc["workspace"]

        tasks = json.loads(self.read(ws, "tasks.json"))
        self.assertEqual(tasks["sessionId"], sid)
        first, second = tasks["tasks"]
        self.assertEqual((first["id"], first["title"], first["status"]),
                         ("1", "Write lexer tests", "completed"))
        self.assertEqual(first["estimatedMinutes"], 10)
        self.assertGreaterEqual(first["actualMinutes"], 1)
        self.assertIn("tests/lexer_test.py", first["files"])
        self.assertEqual((second["title"], second["status"]), ("Fix the parser bug", "pending"))
        self.assertEqual(tasks["metrics"]["totalTasks"], 2)
        self.assertEqual(tasks["metrics"]["completed"], 1)
        self.assertEqual(tasks["metrics"]["timeEstimated"], 30)

        completed = self.read(ws, "completed.md")
        self.assertIn("Write lexer tests", completed)
        self.assertIn("Fix the parser bug", completed)
        review = self.read(ws, "review.md")
        self.assertIn("50%", review)  # completion rate: 1 of 2 tasks
        self.assertIn("Lexer tests written", self.read(ws, "summary.md"))

        project_dir = os.path.dirname(os.path.dirname(os.path.dirname(ws)))
        backup = json.loads(self.read(project_dir, "backups", "sessions", sid + ".json"))
        self.assertEqual(backup["session_id"], sid)
        self.assertEqual(backup["topic"], "lexer")
        self.assertIn("tests/lexer_test.py", backup["artifacts"]["tests"])
        self.assertEqual(backup["metrics"]["agents_spawned"], 0)
        [pattern] = backup["learned_patterns"]
        self.assertEqual(pattern["text"].splitlines()[0], "Table-driven lexer tests")
        self.assertEqual(pattern["pattern"]["lessons"], ["add a row per bug"])
        self.assertEqual([e["id"] for e in backup["memory_snapshot"]], [pattern["id"]])
        self.assertIn("Time efficiency", review)

        # The next conversation in the project, no session open: SessionStart hands the model
        # the memory (the pattern just learned) and the summary of the session that ended.
        run = env.run("hello", script=[{"text": "Hi.", "expect": [
            "no session is open in this project", "Table-driven lexer tests",
            "Lexer tests written"]}])
        run.check()

    def test_the_next_session_starts_with_the_relevant_memory(self):
        env = self.env
        self.cs("memory", "add", "error", "Tokenizer drops the last byte on CRLF input",
                "--tags", "tokenizer")
        self.cs("memory", "add", "architecture", "Deploys go through the staging cluster",
                "--tags", "deploy")
        claude_id, _ = self.start("tokenizer CRLF handling")
        sid = self.only_session()
        # A new conversation in the project: SessionStart hands the model the session and the
        # memory that matches its focus.
        run = env.run("hello", script=[{"text": "Hi."}])
        run.check()
        injected = run.request_text("main", 0)
        self.assertIn(sid, injected)
        self.assertIn("Tokenizer drops the last byte", injected)
        memory = json.loads(self.cs("memory", "search", "tokenizer", "--json"))
        self.assertEqual(memory["hits"][0]["kind"], "error")
