"""The API stand-in on its own (no Claude Code needed): protocol and request sorting."""
import json
import os
import tempfile
import unittest
import urllib.request

import api_standin


def post(url, body, headers=None):
    req = urllib.request.Request(url + "/v1/messages?beta=true", data=json.dumps(body).encode(),
                                 headers=dict({"Content-Type": "application/json"}, **(headers or {})))
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, dict(r.headers), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode()


def sse(text):
    """[(event, data), ...] of a server-sent-events body."""
    out = []
    for chunk in text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in chunk.split("\n"))
        out.append((lines["event"], json.loads(lines["data"])))
    return out


MAIN_SYSTEM = [{"type": "text", "text": "x-anthropic-billing-header: cc_version=2.1.197; cc_entrypoint=sdk-cli;"},
               {"type": "text", "text": "You are an interactive agent that helps users."}]
TOOLS = [{"name": "Write"}, {"name": "Agent"}]


def body(text, **kw):
    return dict({"model": "claude-test", "stream": True, "system": MAIN_SYSTEM, "tools": TOOLS,
                 "messages": [{"role": "user", "content": [{"type": "text", "text": text}]},
                              {"role": "system", "content": "reminder"}]}, **kw)


class StandInProtocol(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.log = os.path.join(self.dir.name, "log.jsonl")

    def tearDown(self):
        self.dir.cleanup()

    def test_head_and_streamed_tool_use(self):
        script = [{"text": "Let me write.", "tool_use": {"name": "Write", "input": {"file_path": "/a", "content": "x"}}},
                  {"text": "done"}]
        with api_standin.StandIn(script, self.log) as s:
            with urllib.request.urlopen(urllib.request.Request(s.url + "/", method="HEAD")) as r:
                self.assertEqual(r.status, 200)
            status, headers, text = post(s.url, body("go"))
            self.assertEqual(status, 200)
            self.assertTrue(headers["request-id"].startswith("req_"))
            self.assertIn("text/event-stream", headers["Content-Type"])
            events = sse(text)
            self.assertEqual([e for e, _ in events],
                             ["message_start", "content_block_start", "content_block_delta",
                              "content_block_stop", "content_block_start", "content_block_delta",
                              "content_block_stop", "message_delta", "message_stop"])
            tool = events[4][1]["content_block"]
            self.assertEqual((tool["type"], tool["name"]), ("tool_use", "Write"))
            self.assertEqual(json.loads(events[5][1]["delta"]["partial_json"]),
                             {"file_path": "/a", "content": "x"})
            self.assertEqual(events[7][1]["delta"]["stop_reason"], "tool_use")
            _, _, text = post(s.url, body("go", stream=False))
            msg = json.loads(text)
            self.assertEqual((msg["content"][0]["text"], msg["stop_reason"]), ("done", "end_turn"))
            self.assertEqual(s.script.remaining()["main"], 0)
        self.assertEqual([r["kind"] for r in api_standin.read_log(self.log)], ["main", "main"])

    def test_side_requests_do_not_consume_script(self):
        with api_standin.StandIn([{"text": "main reply"}], self.log) as s:
            _, _, text = post(s.url, {"model": "claude-haiku", "stream": True, "messages": [
                {"role": "user", "content": "title please"}]})
            self.assertEqual(sse(text)[2][1]["delta"]["text"], "Side reply")
            _, _, text = post(s.url, body("Your task is to create a detailed summary of the conversation so far"))
            self.assertIn("<summary>", sse(text)[2][1]["delta"]["text"])
            schema = {"type": "object", "properties": {"title": {"type": "string"}}, "required": ["title"]}
            _, _, text = post(s.url, {"model": "m", "messages": [{"role": "user", "content": "t"}],
                                      "output_config": {"format": {"type": "json_schema", "schema": schema}}})
            self.assertEqual(json.loads(json.loads(text)["content"][0]["text"]), {"title": "side"})
            _, _, text = post(s.url, body("real prompt"))
            self.assertEqual(sse(text)[2][1]["delta"]["text"], "main reply")
        self.assertEqual([(r["kind"], r["detail"]) for r in api_standin.read_log(self.log)],
                         [("side", "no_tools"), ("side", "compact"), ("side", "no_tools"), ("main", None)])

    def test_subagents_bind_by_prompt_and_agent_id(self):
        script = {"main": [], "subagents": [
            {"match": "JOB", "turns": [{"text": "first JOB agent"}]},
            {"match": "JOB", "turns": [{"text": "second JOB agent"}, {"text": "second again"}]}]}
        with api_standin.StandIn(script, self.log) as s:
            def ask(agent):
                _, _, text = post(s.url, body("do JOB"), {"x-claude-code-agent-id": agent})
                return sse(text)[2][1]["delta"]["text"]
            self.assertEqual(ask("a1"), "first JOB agent")
            self.assertEqual(ask("a2"), "second JOB agent")
            self.assertEqual(ask("a2"), "second again")
            self.assertEqual(ask("a1"), "subagent finished")
            self.assertEqual(ask("a3"), "subagent finished")
        self.assertEqual([r["note"] for r in api_standin.read_log(self.log)],
                         ["scripted", "scripted", "scripted", "exhausted", "default"])

    def test_task_notifications_have_their_own_queue(self):
        """2.1.198+: a background subagent's result comes as a main turn of its own."""
        note = ("<system-reminder>[SYSTEM NOTIFICATION - NOT USER INPUT]\n<task-notification>\n"
                "<result>job done</result>\n</task-notification></system-reminder>")
        script = {"main": [{"text": "launched"}, {"text": "main again"}, {"text": "quoted"}],
                  "notifications": [{"text": "seen it", "expect": "job done"}]}
        with api_standin.StandIn(script, self.log) as s:
            def ask(b):
                return sse(post(s.url, b)[2])[2][1]["delta"]["text"]
            self.assertEqual(ask(body("go")), "launched")
            self.assertEqual(ask(body(note)), "seen it")
            self.assertEqual(ask(body(note)), "Noted.")  # unscripted: a default, not "main"
            # Beside a tool result (delivered mid-turn) it is an ordinary main turn.
            mixed = body("x")
            mixed["messages"][0]["content"] = [
                {"type": "tool_result", "tool_use_id": "t1", "content": "ok"},
                {"type": "text", "text": note}]
            self.assertEqual(ask(mixed), "main again")
            # Text quoting a notification (a command's output, say) is a main turn too.
            self.assertEqual(ask(body("Recent prompts:\n> <task-notification> <task-id>a1")), "quoted")
            self.assertEqual(s.script.remaining(), {"main": 0, "subagents": [], "notifications": 0})
            self.assertEqual(s.errors, [])
        self.assertEqual([(r["kind"], r["detail"], r["note"]) for r in api_standin.read_log(self.log)],
                         [("main", None, "scripted"), ("main", "task_notification", "scripted"),
                          ("main", "task_notification", "default"), ("main", None, "scripted"),
                          ("main", None, "scripted")])

    def test_expect_and_error(self):
        script = [{"text": "a", "expect": "MISSING-THING"},
                  {"error": {"status": 400, "message": "nope"}}]
        with api_standin.StandIn(script, self.log) as s:
            post(s.url, body("hi"))
            status, headers, text = post(s.url, body("hi"))
            self.assertEqual(status, 400)
            self.assertEqual(json.loads(text)["error"]["message"], "nope")
            self.assertEqual(len(s.errors), 1)
            self.assertIn("MISSING-THING", s.errors[0])


if __name__ == "__main__":
    unittest.main()
