"""`claude plugin validate` on the repository's plugin, `plugin/` (its .claude-plugin/plugin.json,
commands/ and hooks/), and on the repository root's .claude-plugin/marketplace.json that lists it.

Validates whatever the repository holds; needs no claude-session binary.
"""
import glob
import json
import os
import re
import subprocess

import harness
from harness import E2ETestCase

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLUGIN_DIR = os.path.join(ROOT, "plugin")
PLUGIN = os.path.join(PLUGIN_DIR, ".claude-plugin", "plugin.json")
MARKETPLACE = os.path.join(ROOT, ".claude-plugin", "marketplace.json")
# 2.1.332 refuses third-party plugin names that pass as Anthropic's own.
RESERVED = re.compile(r"^(claude|anthropic|anthropics|cc-plugin)-|^(claude|anthropic|anthropics)$")


class PluginValidate(E2ETestCase):

    def validate(self, target, *args):
        proc = subprocess.run([harness.claude_bin(), "plugin", "validate", *args, target],
                              cwd=self.env.project, env=self.env.claude_env("http://127.0.0.1:9"),
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
        self.assertEqual(proc.returncode, 0, f"claude plugin validate {target}:\n"
                                             f"{proc.stdout}{proc.stderr}")
        return proc.stdout

    def test_repository_plugin_validates(self):
        with open(PLUGIN) as f:
            name = json.load(f)["name"]
        self.assertIsNone(RESERVED.search(name), f"{name} is a reserved plugin name")
        with open(MARKETPLACE) as f:
            listed = json.load(f)["plugins"]
        self.assertEqual([(p["name"], p["source"]) for p in listed], [(name, "./plugin")])
        # The repository root, as a user adds it: the marketplace (2.1.332 then checks the
        # plugin it lists as well).
        out = self.validate(ROOT)
        self.assertIn("✔ Validation passed", out)
        self.assertIn("Validating marketplace manifest", out)
        self.assertIn("✔ Validation passed", self.validate(MARKETPLACE))
        out = self.validate(PLUGIN_DIR)
        self.assertIn("✔ Validation passed", out)
        self.assertIn("Validating plugin manifest", out)
        if harness.at_least(harness.VALIDATE_JSON):
            # The report lists what the plugin provides: all our commands and hooks were read.
            report = json.loads(self.validate(PLUGIN_DIR, "--json"))
            self.assertIs(report["success"], True)
            self.assertEqual(report["manifest"]["errors"], [])
            commands = sorted(f"{name}:{os.path.basename(p)[:-3]}"
                              for p in glob.glob(os.path.join(PLUGIN_DIR, "commands", "*.md")))
            self.assertEqual(len(commands), 4)
            self.assertEqual(sorted(report["provides"]["commands"]), commands)
            with open(os.path.join(PLUGIN_DIR, "hooks", "hooks.json")) as f:
                hooks = json.load(f)["hooks"]
            expected = sorted((event, group.get("matcher"), h["command"])
                              for event, groups in hooks.items() for group in groups
                              for h in group["hooks"])
            self.assertEqual(sorted((h["event"], h.get("matcher"), h["command"])
                                    for h in report["provides"]["hooks"]), expected)
            self.assertTrue(all(c.endswith(" --plugin") for _, _, c in expected), expected)
            # The skill and the MCP server ship with it.
            self.assertEqual(report["provides"]["skills"], [f"{name}:session-manager"])
            self.assertEqual([(m["name"], m["args"]) for m in report["provides"]["mcpServers"]],
                             [("claude-session", ["mcp", "--plugin"])])
        else:
            # 2.1.197 checks the manifest only (no commands or hooks listed).
            self.assertNotIn("Provides:", out)
