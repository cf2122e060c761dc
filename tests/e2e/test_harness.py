"""Scenarios proving the harness: the real Claude Code, offline, with fake_hook.py as hook.

They need no claude-session binary. Each test gets a fresh HOME, config dir and git project.
"""
import json
import os

import harness
from harness import E2ETestCase, FAKE_HOOK


class HarnessScenarios(E2ETestCase):

    def test_a_session_start_context_reaches_model(self):
        env = self.env
        env.add_hook("SessionStart", env.fake_hook_command(context="CTX-FROM-SESSIONSTART-4711"))
        run = env.run("hello", script=[{"text": "hi", "expect": "CTX-FROM-SESSIONSTART-4711"}])
        run.check()
        self.assertEqual(run.text, "hi")
        starts = env.hooks("SessionStart")
        self.assertEqual(len(starts), 1)
        self.assertEqual(starts[0]["source"], "startup")
        self.assertEqual(starts[0]["session_id"], run.session_id)
        # Claude Code 2.1.197 passes it as a role "system" item of `messages`.
        self.assertIn("SessionStart hook additional context: CTX-FROM-SESSIONSTART-4711",
                      run.messages_text(index=0))

    def test_b_write_then_edit_fires_post_tool_use(self):
        env = self.env
        env.add_hook("PostToolUse", env.fake_hook_command(), matcher="Write|Edit|NotebookEdit")
        env.add_hook("PreToolUse", env.fake_hook_command())
        notes = env.path("notes.md")
        run = env.run("write notes", script=[
            {"text": "Writing.", "tool_use": {"name": "Write",
                                              "input": {"file_path": notes, "content": "hello world\n"}}},
            {"tool_use": {"name": "Edit", "input": {"file_path": notes, "old_string": "hello",
                                                    "new_string": "goodbye"}},
             "expect": "File created successfully"},
            {"text": "All done.", "expect": "has been updated"},
        ])
        run.check()
        self.assertEqual(env.read("notes.md"), "goodbye world\n")
        post = env.hooks("PostToolUse")
        self.assertEqual([p["tool_name"] for p in post], ["Write", "Edit"])
        self.assertEqual(post[0]["tool_input"]["file_path"], notes)
        self.assertEqual(post[0]["tool_response"]["type"], "create")
        self.assertEqual(post[1]["tool_response"]["originalFile"], "hello world\n")
        self.assertEqual({p["session_id"] for p in post}, {run.session_id})
        self.assertEqual([p["tool_name"] for p in env.hooks("PreToolUse")], ["Write", "Edit"])

    def test_c_agent_subagent(self):
        """An Agent call runs a subagent whose requests carry its agent id. Up to 2.1.197 the
        call blocks until the subagent is done; from 2.1.198 it runs in the background and its
        result comes back as a <task-notification> turn of the main loop."""
        env = self.env
        env.hook_all_events()
        run = env.run("delegate", script=harness.agents_script(
            main=[{"tool_use": {"name": "Agent", "input": {
                "description": "Explore files", "prompt": "SUB-7 write sub.txt",
                "subagent_type": "general-purpose"}}}],
            then={"text": "All done.", "expect": "sub finished its job"},
            subagents=[{"match": "SUB-7", "turns": [
                {"tool_use": {"name": "Write", "input": {"file_path": env.path("sub.txt"),
                                                         "content": "from subagent\n"}}},
                {"text": "sub finished its job"},
            ]}]))
        run.check()
        self.assertEqual(env.read("sub.txt"), "from subagent\n")
        self.assertEqual(run.text, "All done.")
        subs = run.requests("subagent")
        self.assertEqual(len(subs), 2)
        self.assertEqual(len({r["detail"] for r in subs}), 1)  # one agent id
        agent_id = subs[0]["detail"]
        self.assertIn("SUB-7 write sub.txt", run.messages_text("subagent", 0))
        pre = env.hooks("PreToolUse", "Agent")
        post = env.hooks("PostToolUse", "Agent")
        self.assertEqual(len(pre), 1)
        self.assertEqual(len(post), 1)
        self.assertEqual(pre[0]["tool_input"]["prompt"], "SUB-7 write sub.txt")
        self.assertEqual(post[0]["tool_response"]["agentId"], agent_id)
        # The subagent's own Write fires hooks carrying its agent id; SubagentStop too.
        sub_write = env.hooks("PostToolUse", "Write")
        self.assertEqual(len(sub_write), 1)
        self.assertEqual(sub_write[0].get("agent_id"), agent_id)
        stops = env.hooks("SubagentStop")
        self.assertEqual([s["agent_id"] for s in stops], [agent_id])
        self.assertEqual(stops[0]["last_assistant_message"], "sub finished its job")
        events = env.hook_events()
        prompts = [p["prompt"] for p in env.hooks("UserPromptSubmit")]
        if harness.background_agents():
            # PostToolUse(Agent) comes at once; the result arrives as a prompt of its own.
            self.assertEqual(post[0]["tool_response"]["status"], "async_launched")
            self.assertIs(post[0]["tool_response"]["isAsync"], True)
            self.assertLess(events.index(("PostToolUse", "Agent")), events.index(("SubagentStop", "")))
            self.assertEqual(prompts[0], "delegate")
            [note] = prompts[1:]
            self.assertTrue(note.startswith("<task-notification>"), note)
            self.assertIn(f"<task-id>{agent_id}</task-id>", note)
            self.assertIn("<result>sub finished its job</result>", note)
            last_prompt = max(i for i, e in enumerate(events) if e == ("UserPromptSubmit", ""))
            self.assertLess(events.index(("SubagentStop", "")), last_prompt)
            self.assertEqual(len(run.requests("main")), 3)
            self.assertEqual(len(run.notification_requests()), 1)
            self.assertEqual(events.count(("Stop", "")), 2)  # the launching turn, then the notification's
        else:
            self.assertEqual(post[0]["tool_response"]["status"], "completed")
            self.assertNotIn("isAsync", post[0]["tool_response"])
            self.assertLess(events.index(("PreToolUse", "Agent")), events.index(("SubagentStop", "")))
            self.assertLess(events.index(("SubagentStop", "")), events.index(("PostToolUse", "Agent")))
            self.assertEqual(prompts, ["delegate"])
            self.assertEqual(len(run.requests("main")), 2)
            self.assertEqual(run.notification_requests(), [])
            self.assertEqual(events.count(("Stop", "")), 1)

    def test_d_custom_command_bang_line_and_session_id(self):
        env = self.env
        env.add_command("hello", "Greeting:\n!`echo hi $ARGUMENTS`\nSession ${CLAUDE_SESSION_ID} end.\n",
                        description="say hello")
        env.add_hook("UserPromptSubmit", env.fake_hook_command())
        run = env.run("/hello world", script=[{"text": "hello back", "expect": "hi world"}])
        run.check()
        text = run.messages_text(index=0)
        self.assertIn("Greeting:\nhi world\n", text)
        self.assertIn(f"Session {run.session_id} end.", text)
        self.assertIn("<command-name>/hello</command-name>", text)
        self.assertEqual(env.hooks("UserPromptSubmit")[0]["prompt"], "/hello world")

    def test_d2_bang_line_needs_permission(self):
        """A `!` line running a non-read-only program needs allowed-tools; without it the
        whole command is dropped (exit 0, no request): silently up to 2.1.197 (empty result),
        with the permission error as `-p`'s result in 2.1.332."""
        env = self.env
        env.install_script("claude-session", f"#!/bin/sh\nexec {FAKE_HOOK} {env.logs}/calls.jsonl \"$@\"\n")
        env.add_command("pause", "!`claude-session pause $ARGUMENTS`\n",
                        allowed_tools="Bash(claude-session:*)")
        env.add_command("nopause", "!`claude-session pause $ARGUMENTS`\n")
        run = env.run("/pause lunch", script=[{"text": "ok", "expect": "fake_hook ran: pause lunch"}])
        run.check()
        denied = env.run("/nopause lunch", script=[])
        denied.check()
        self.assertEqual((denied.result["num_turns"], denied.requests()), (0, []))
        if harness.at_least(harness.BANG_ERROR_AS_RESULT):
            self.assertEqual(denied.text, 'Shell command permission check failed for pattern '
                                          '"!`claude-session pause lunch`": This command requires approval')
        else:
            self.assertEqual(denied.text, "")
        calls = [e["argv"] for e in map(json.loads, open(os.path.join(env.logs, "calls.jsonl")))]
        self.assertEqual(calls, [["pause", "lunch"]])
        # --allowedTools on the command line allows it as well.
        allowed = env.run("/nopause dinner", script=[{"text": "ok", "expect": "pause dinner"}],
                          allowed_tools=["Bash(claude-session:*)"])
        allowed.check()

    def test_d3_bang_line_failing_drops_command(self):
        """A `!` line whose program exits non-zero drops the whole command: silently up to
        2.1.197, with the line's error (its output) as `-p`'s result in 2.1.332."""
        env = self.env
        env.install_script("cs-fail", "#!/bin/sh\necho 'some trouble'; exit 3\n")
        env.add_command("failing", "before\n!`cs-fail now`\nafter\n", allowed_tools="Bash(cs-fail:*)")
        run = env.run("/failing", script=[]).check()
        self.assertEqual((run.result["num_turns"], run.requests()), (0, []))
        if harness.at_least(harness.BANG_ERROR_AS_RESULT):
            # The program's stdout, although labelled [stderr].
            self.assertEqual(run.text, 'Shell command failed for pattern "!`cs-fail now`": '
                                       '[stderr]\nsome trouble')
        else:
            self.assertEqual(run.text, "")

    def test_e_bash_tool_runs_allowed_command(self):
        env = self.env
        env.add_hook("PostToolUse", env.fake_hook_command(), matcher="Bash")
        env.install_script("claude-session",
                           f"#!/bin/sh\necho \"bash ran: $*\"; echo made > {env.path('bash.txt')}\n")
        run = env.run("run it", allowed_tools=["Bash(claude-session:*)"], script=[
            {"tool_use": {"name": "Bash", "input": {"command": "claude-session status --x",
                                                    "description": "show status"}}},
            {"text": "done", "expect": "bash ran: status --x"},
        ])
        run.check()
        self.assertEqual(env.read("bash.txt"), "made\n")
        post = env.hooks("PostToolUse", "Bash")
        self.assertEqual(post[0]["tool_input"]["command"], "claude-session status --x")
        self.assertIn("bash ran: status --x", post[0]["tool_response"]["stdout"])
        self.assertEqual(run.result["permission_denials"], [])

    def test_e2_bash_tool_not_allowed_is_denied(self):
        env = self.env
        env.install_script("claude-session", f"#!/bin/sh\necho made > {env.path('bash.txt')}\n")
        run = env.run("run it", script=[
            {"tool_use": {"name": "Bash", "input": {"command": "claude-session status",
                                                    "description": "show status"}}},
            {"text": "could not"},
        ])
        run.check()
        self.assertFalse(env.exists("bash.txt"))
        self.assertEqual([d["tool_name"] for d in run.result["permission_denials"]], ["Bash"])
        # permissions.allow in the user's settings.json allows it (no trust needed there).
        env.allow("Bash(claude-session:*)")
        run = env.run("run it", script=[
            {"tool_use": {"name": "Bash", "input": {"command": "claude-session status",
                                                    "description": "show status"}}},
            {"text": "ok"},
        ]).check()
        self.assertEqual(run.result["permission_denials"], [])
        self.assertTrue(env.exists("bash.txt"))

    def test_f_session_end_fires_on_exit(self):
        env = self.env
        env.hook_all_events()
        run = env.run("hi", script=[{"text": "bye"}])
        run.check()
        events = env.hook_events()
        self.assertEqual(events[0], ("SessionStart", "startup"))
        self.assertEqual(events[-1], ("SessionEnd", "other"))
        self.assertIn(("Stop", ""), events)
        self.assertEqual(env.hooks("SessionEnd")[0]["session_id"], run.session_id)

    def test_g_second_run_starts_fresh_session(self):
        env = self.env
        env.add_hook("SessionStart", env.fake_hook_command())
        first = env.run("one", script=[{"text": "1"}]).check()
        second = env.run("two", script=[{"text": "2"}]).check()
        starts = env.hooks("SessionStart")
        self.assertEqual([s["source"] for s in starts], ["startup", "startup"])
        self.assertEqual([s["session_id"] for s in starts], [first.session_id, second.session_id])
        self.assertNotEqual(first.session_id, second.session_id)
        self.assertTrue(env.transcript(first.session_id))

    def test_h_resume_and_compact(self):
        """--resume gives SessionStart resume; `/compact` is answered as a side request."""
        env = self.env
        env.hook_all_events()
        # With a single exchange, /compact says "Not enough messages to compact." (after
        # PreCompact fired) and makes no request: give it a few turns first.
        first = env.run("one", script=[
            {"tool_use": {"name": "Write", "input": {"file_path": env.path("a.txt"),
                                                     "content": "a\n"}}},
            {"tool_use": {"name": "Write", "input": {"file_path": env.path("b.txt"),
                                                     "content": "b\n"}}},
            {"text": "1"},
        ]).check()
        compact = env.run("/compact", resume=first.session_id, script=[]).check()
        self.assertEqual(compact.session_id, first.session_id)
        self.assertEqual([r["detail"] for r in compact.requests()], ["compact"])
        sources = [p["source"] for p in env.hooks("SessionStart")]
        self.assertEqual(sources, ["startup", "resume", "compact"])
        self.assertEqual(env.hooks("PreCompact")[0]["trigger"], "manual")

    def test_i_transcript_written(self):
        env = self.env
        run = env.run("hi", script=[{"text": "hello there"}]).check()
        lines = env.transcript(run.session_id)
        assistant = [l for l in lines if l.get("type") == "assistant"]
        self.assertEqual(assistant[0]["message"]["content"][0]["text"], "hello there")
        self.assertEqual(assistant[0]["requestId"], run.requests("main")[0]["request_id"])
        self.assertEqual(assistant[0]["message"]["id"], run.requests("main")[0]["message_id"])

    def test_j_parallel_subagents(self):
        """Two Agent calls in one reply run concurrently; each binds to its own script."""
        env = self.env
        env.add_hook("SubagentStop", env.fake_hook_command())
        env.add_hook("PostToolUse", env.fake_hook_command(), matcher="Agent|Write")

        def agent(tag):
            return {"name": "Agent", "input": {"description": f"job {tag}", "prompt": f"JOB-{tag}",
                                               "subagent_type": "general-purpose"}}

        def sub(tag):
            return {"match": f"JOB-{tag}", "turns": [
                {"tool_use": {"name": "Write", "input": {"file_path": env.path(f"{tag}.txt"),
                                                         "content": tag + "\n"}}},
                {"text": f"finished {tag}"}]}

        if harness.background_agents():
            # Both run in the background; their notifications come in one turn or in two.
            script = harness.agents_script(main=[{"tool_uses": [agent("A"), agent("B")]}],
                                           then={"text": "both done"},
                                           subagents=[sub("A"), sub("B")])
        else:
            script = {"main": [{"tool_uses": [agent("A"), agent("B")]},
                               {"text": "both done", "expect": ["finished A", "finished B"]}],
                      "subagents": [sub("A"), sub("B")]}
        run = env.run("fan out", script=script)
        run.check()
        self.assertEqual((env.read("A.txt"), env.read("B.txt")), ("A\n", "B\n"))
        self.assertEqual(len({r["detail"] for r in run.requests("subagent")}), 2)
        self.assertEqual(len(env.hooks("SubagentStop")), 2)
        post = env.hooks("PostToolUse", "Agent")
        self.assertEqual(len(post), 2)
        notes = run.notification_requests()
        if harness.background_agents():
            self.assertEqual({p["tool_response"]["status"] for p in post}, {"async_launched"})
            self.assertIn(len(notes), (1, 2))
            seen = "\n".join(json.dumps(n["body"]) for n in notes)
            self.assertIn("<result>finished A</result>", seen)
            self.assertIn("<result>finished B</result>", seen)
        else:
            self.assertEqual({p["tool_response"]["status"] for p in post}, {"completed"})
            self.assertEqual(notes, [])

    def test_k_project_settings_hooks_and_permissions(self):
        """Project .claude/settings.json: hooks run in -p; permissions.allow only counts once
        the workspace is trusted (projects[path].hasTrustDialogAccepted in .claude.json)."""
        env = self.env
        env.add_hook("SessionStart", env.fake_hook_command(context="PROJECT-CTX"), scope="project")
        env.allow("Bash(claude-session:*)", scope="project")
        env.install_script("claude-session", "#!/bin/sh\necho \"project allowed: $*\"\n")

        def script():
            return [{"tool_use": {"name": "Bash", "input": {"command": "claude-session pause x",
                                                            "description": "pause"}},
                     "expect": "PROJECT-CTX"},
                    {"text": "ok"}]

        untrusted = env.run("go", script=script()).check()
        self.assertEqual([d["tool_name"] for d in untrusted.result["permission_denials"]], ["Bash"])
        self.assertIn("has not been trusted", untrusted.stderr)
        env.trust_project()
        trusted = env.run("go", script=script()).check()
        self.assertEqual(trusted.result["permission_denials"], [])
        self.assertIn("project allowed: pause x", trusted.messages_text())
        self.assertEqual(env.hooks("SessionStart")[0]["cwd"], env.project)

    def test_l_interactive_clear_and_exit(self):
        """The TUI in tmux: /clear ends one session and starts another; /exit ends with
        reason prompt_input_exit. The TUI's title request is a side request. A SessionStart
        hook's systemMessage shows as "SessionStart:startup says: TEXT" (both versions)."""
        env = self.env
        env.hook_all_events()
        # A SessionStart hook's systemMessage is shown on the screen (own log: the counts of
        # SessionStart payloads below stay one per session).
        env.add_hook("SessionStart", env.fake_hook_command(
            log=os.path.join(env.logs, "sysmsg.jsonl"), system_message="E2E-SYSMSG: hello user"))
        with env.interactive(script=[{"text": "first answer"}, {"text": "second answer"}]) as tui:
            tui.wait_for("SessionStart:startup says: E2E-SYSMSG: hello user")
            tui.send("first question")
            tui.wait_for("first answer")
            tui.send("/clear")
            tui.wait_for(lambda s: len(env.hooks("SessionStart")) == 2)
            tui.send("second question")
            tui.wait_for("second answer")
            tui.send("/exit")
        run = tui.run
        self.assertFalse(run.timed_out, run.describe())
        self.assertEqual(run.standin_errors, [])
        self.assertEqual(run.remaining["main"], 0)
        self.assertEqual([(p["hook_event_name"], p.get("source") or p.get("reason"))
                          for p in env.hooks() if p["hook_event_name"].startswith("Session")],
                         [("SessionStart", "startup"), ("SessionEnd", "clear"),
                          ("SessionStart", "clear"), ("SessionEnd", "prompt_input_exit")])
        starts = env.hooks("SessionStart")
        self.assertNotEqual(starts[0]["session_id"], starts[1]["session_id"])

    def test_m_hanging_api_is_bounded(self):
        """A run that outlives its timeout is killed (whole process group) and reported."""
        run = self.env.run("hi", script=[{"text": "late", "delay": 30}], timeout=3)
        self.assertTrue(run.timed_out)
        self.assertIsNone(run.returncode)
        self.assertLess(run.duration, 10)
        with self.assertRaises(AssertionError):
            run.check()
