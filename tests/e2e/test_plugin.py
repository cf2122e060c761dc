"""`claude plugin validate` on the repository's plugin: .claude-plugin/plugin.json with
commands/ and hooks/, and .claude-plugin/marketplace.json when the repository has one.

Validates whatever the repository holds; needs no claude-session binary.
"""
import contextlib
import glob
import json
import os
import re
import subprocess

import harness
from harness import E2ETestCase

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLUGIN = os.path.join(ROOT, ".claude-plugin", "plugin.json")
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
        has_marketplace = os.path.exists(MARKETPLACE)
        # Pending only while the repository still has the reserved name; after the rename this
        # is an ordinary assertion again.
        pending = harness.at_least(harness.RESERVED_PLUGIN_NAMES) and RESERVED.search(name)
        # product fix pending: plugin name "claude-session" is reserved (renamed to session-keeper on main)
        with (self.product_fix_pending(f'plugin name "{name}" is reserved from 2.1.332')
              if pending else contextlib.nullcontext()):
            # The repository root, as a user would pass it: with a marketplace.json there, that
            # is what it checks (2.1.332 then checks the plugin in the folder as well).
            out = self.validate(ROOT)
            self.assertIn("✔ Validation passed", out)
            self.assertIn("Validating marketplace manifest" if has_marketplace
                          else "Validating plugin manifest", out)
            out = self.validate(PLUGIN)
            self.assertIn("✔ Validation passed", out)
            if has_marketplace:
                self.assertIn("✔ Validation passed", self.validate(MARKETPLACE))
            if harness.at_least(harness.VALIDATE_JSON):
                # The report lists what the plugin provides: all our commands and hooks were read.
                report = json.loads(self.validate(PLUGIN, "--json"))
                self.assertIs(report["success"], True)
                self.assertEqual(report["manifest"]["errors"], [])
                commands = sorted(f"{name}:{os.path.basename(p)[:-3]}"
                                  for p in glob.glob(os.path.join(ROOT, "commands", "*.md")))
                self.assertEqual(sorted(report["provides"]["commands"]), commands)
                with open(os.path.join(ROOT, "hooks", "hooks.json")) as f:
                    hooks = json.load(f)["hooks"]
                expected = sorted((event, group.get("matcher"), h["command"])
                                  for event, groups in hooks.items() for group in groups
                                  for h in group["hooks"])
                self.assertEqual(sorted((h["event"], h.get("matcher"), h["command"])
                                        for h in report["provides"]["hooks"]), expected)
            else:
                # 2.1.197 checks the manifest only (no commands or hooks listed).
                self.assertNotIn("Provides:", out)
