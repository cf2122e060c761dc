"""API mode and auto mode in the real Claude Code, on each pinned version: the MCP server
(`claude-session mcp`) loaded with --mcp-config and from `install --mcp`, the session-manager skill
as the model sees it, and the marketplace: `claude plugin marketplace add` + `plugin install` of
session-keeper giving the commands, the skill, the hooks and the MCP server.
"""
import json
import os
import subprocess

import harness
from harness import E2ETestCase

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# From 2.1.332 MCP tools wait behind ToolSearch until the model loads them (not bisected).
DEFERRED_MCP = "2.1.332"


def mcp_turns(server, calls):
    """Scripted turns calling the server's tools in order (each `(tool, arguments, expect)`),
    preceded, where tools are deferred, by the ToolSearch that loads them."""
    prefix = f"mcp__{server}__"
    turns = []
    if harness.at_least(DEFERRED_MCP):
        names = ",".join(prefix + tool for tool, _, _ in calls)
        turns.append({"tool_use": {"name": "ToolSearch", "input": {"query": "select:" + names}},
                      "expect": prefix + calls[0][0]})
    expect = None
    for tool, arguments, result in calls:
        turn = {"tool_use": {"name": prefix + tool, "input": arguments}}
        if expect:
            turn["expect"] = expect
        turns.append(turn)
        expect = result
    turns.append({"text": "Done.", "expect": expect})
    return turns


class McpServer(E2ETestCase):

    def setUp(self):
        super().setUp()
        self.bin = self.require_claude_session()


    def sessions(self):
        return json.loads(self.cs("list", "--all", "--json"))["sessions"]

    def lifecycle(self, server, args=()):
        env = self.env
        env.write("parser.py", "def parse():\n    pass\n")
        env.add_hook("PostToolUse", env.fake_hook_command(), matcher="mcp__.*")
        # `claude mcp` servers ask before each tool, and -p cannot ask: allowed for the server.
        run = env.run("start a session for the parser, checkpoint, then end it", args=args,
                      allowed_tools=(f"mcp__{server}",),
                      script=mcp_turns(server, [
                          # Both versions hand the model the structured result (JSON).
                          ("session_start", {"focus": "parser work"}, "session-001-parser-work"),
                          ("session_checkpoint", {"description": "parser stub"},
                           "checkpoint-001"),
                          ("session_end", {"summary": "## Summary\nParser stub.\n",
                                           "rulemap_score": 7}, "completed"),
                      ]))
        run.check()
        [session] = self.sessions()
        doc = json.loads(self.cs("show", session["id"], "--json"))
        # The same state on disk as the CLI leaves: archived, scored, its checkpoint, a backup.
        self.assertEqual(doc["session"]["status"], "completed")
        self.assertTrue(doc["archived"])
        self.assertEqual(doc["rulemap_score"], 7.0)
        self.assertEqual([c["description"] for c in doc["checkpoints"]], ["parser stub"])
        self.assertEqual(doc["session"]["focus"], "parser work")
        # The conversation was bound by the server (CLAUDE_CODE_SESSION_ID in its environment).
        self.assertIn(run.session_id, [c["id"] for c in doc["claude_sessions"]])
        # A hook sees each MCP call under its full tool name.
        called = [p["tool_name"] for p in env.hooks("PostToolUse")]
        self.assertEqual(called, [f"mcp__{server}__session_start",
                                  f"mcp__{server}__session_checkpoint",
                                  f"mcp__{server}__session_end"])
        return run

    def test_a_mcp_config_drives_the_lifecycle(self):
        config = self.env.write("mcp.json", json.dumps({"mcpServers": {"claude-session": {
            "type": "stdio", "command": self.bin, "args": ["mcp"]}}}), base=self.env.root)
        self.lifecycle("claude-session", args=("--mcp-config", config))

    def test_b_install_mcp_registers_it_for_the_user(self):
        out = self.cs("install", "--mcp")
        self.assertIn("claude-session", out)
        with open(os.path.join(self.env.config_dir, ".claude.json")) as f:
            entry = json.load(f)["mcpServers"]["claude-session"]
        self.assertEqual(entry["args"], ["mcp"])
        run = self.lifecycle("claude-session")
        # Installed with the commands, the skill is offered to the model.
        self.assertTrue(run.model_saw("session-manager"))
        self.assertTrue(run.model_saw("Keeps a claude-session session running"))

    def test_c_the_marketplace_installs_commands_skill_hooks_and_server(self):
        env = self.env
        claude_env = env.claude_env("http://127.0.0.1:9")
        for args in (("marketplace", "add", ROOT), ("install", "session-keeper@session-keeper")):
            proc = subprocess.run([harness.claude_bin(), "plugin", *args], cwd=env.project,
                                  env=claude_env, capture_output=True, text=True, timeout=120,
                                  stdin=subprocess.DEVNULL)
            self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        # A session started from the terminal: the plugin's hooks record into it.
        self.cs("start", "--", "plugin hooks")
        [session] = self.sessions()
        run = env.run("write it", script=[
            {"tool_use": {"name": "Write", "input": {"file_path": env.path("notes.md"),
                                                      "content": "from the plugin\n"}}},
            {"text": "Written."},
        ])
        run.check()
        doc = json.loads(self.cs("show", session["id"], "--json"))
        self.assertEqual(doc["artifacts"]["created"], ["notes.md"])
        listed = run.request_text("main", 0)
        # The plugin's commands and skill, under its name, and its MCP server's tools.
        for command in ("session-keeper:start", "session-keeper:resume"):
            self.assertIn(command, listed)
        self.assertIn("session-keeper:session-manager", listed)
        self.assertIn("mcp__plugin_session-keeper_claude-session__session_start", listed)
        # /end and /pause stay out of the model's reach in plugin form too.
        self.assertNotIn("End this session - commit the work", listed)
