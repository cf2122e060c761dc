"""Scenarios for the real claude-session binary (CLAUDE_SESSION_BIN); skipped without one.

Template: self.require_claude_session() puts the binary on Claude Code's PATH as
`claude-session` (so hooks, the Bash tool and `!` lines of commands reach it by name).
Register it in settings with env.add_hook(...) or a command with env.add_command(...),
script the model's turns, then assert on files (env.read / env.exists), on the request log
(run.model_saw / run.messages_text) and on claude's result (run.result).
"""
from harness import E2ETestCase


class ClaudeSessionSmoke(E2ETestCase):

    def test_reachable_from_bash_tool(self):
        self.require_claude_session()
        env = self.env
        run = env.run("version?", allowed_tools=["Bash(claude-session:*)"], script=[
            {"tool_use": {"name": "Bash", "input": {"command": "claude-session --version",
                                                    "description": "Show version"}}},
            {"text": "ok", "expect": "claude-session "},
        ]).check()
        self.assertEqual(run.result["permission_denials"], [])
        self.assertRegex(run.messages_text(), r"claude-session \d+\.\d+")
