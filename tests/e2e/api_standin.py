#!/usr/bin/env python3
"""A scripted local stand-in for the Anthropic Messages API (Python 3 stdlib only).

Claude Code is pointed at it with ANTHROPIC_BASE_URL=http://127.0.0.1:PORT. It answers

  HEAD /                              200 (Claude Code's connectivity probe)
  POST /v1/messages[?beta=true]       a scripted reply, streamed as server-sent events
                                      (or as one JSON message when "stream" is false)
  POST /v1/messages/count_tokens      {"input_tokens": N}
  anything else                       200 with {} (never an error: we want runs to go on)

Every request is appended to a JSON-lines log, with the stand-in's verdict about it.

Scenario script (JSON file or dict), all keys optional:

  {
    "main": [TURN, ...],               # replies to main-loop requests, consumed in order
    "subagents": [                     # replies to subagent requests
      {"match": "text in the subagent's prompt", "turns": [TURN, ...]}
    ],
    "notifications": [TURN, ...],      # replies to task-notification turns (2.1.198+), in order
    "default_reply": "Done.",          # main loop, once "main" is used up
    "subagent_reply": "subagent finished",  # subagent with no (or no more) scripted turns
    "notification_reply": "Noted.",    # task-notification turn with no (or no more) scripted turns
    "side_reply": "Side reply",        # side requests (summaries, titles, ...)
    "compact_reply": "<summary>...</summary>"   # the compaction request
  }

A bare list is taken as {"main": [...]}. A TURN is one of

  {"text": "hello"}                                       text, stop_reason end_turn
  {"tool_use": {"name": "Write", "input": {...}}}         one tool call, stop_reason tool_use
  {"tool_uses": [{"name": ..., "input": ...}, ...]}       parallel tool calls in one reply
  {"content": [{"type": "text", "text": ...},
               {"type": "tool_use", "name": ..., "input": ...}]}   raw blocks
  {"error": {"status": 400, "message": "..."}}            an API error reply (5xx and 429 are
                                                          retried by Claude Code: slow)

and may also carry "text" next to tool calls (sent before them), "expect": "substring"
(or a list of them) that the request body must contain (a miss is logged as
"expect_missing" and kept in StandIn.errors), "delay": seconds before answering, and
"usage": token counts to report.

How requests are told apart (`classify()`; details in README.md):
  * side      -- no "tools" in the body (title generation, hook prompts, ...), or the last user
                 message carries one of the fixed instructions of Claude Code's forked side
                 queries (compaction, summaries, ...: SIDE_MARKERS). Side requests never consume
                 the script; one asking for JSON (output_config.format json_schema) gets a
                 minimal JSON value of that schema.
  * subagent  -- the request has the `x-claude-code-agent-id` header (also marked by
                 `cc_is_subagent` in the billing line of the system prompt). A subagent is bound
                 to the first unused "subagents" entry whose "match" occurs in its prompt.
  * main      -- everything else. A main request whose last user message is a background
                 task's `<task-notification>` (no tool results beside it) has detail
                 "task_notification" and takes its reply from "notifications", not "main": from
                 2.1.198 a subagent's result arrives that way, as an extra main turn after the
                 turn that launched it ended, and several may arrive in one turn or in several.
"""
import argparse
import http.server
import itertools
import json
import os
import socketserver
import sys
import threading
import uuid
import time

# Side requests that Claude Code 2.1.x makes as "forks" of the main conversation: they carry
# the main loop's system prompt and tools, and differ only by the instruction appended as the
# last user message. Matched against the text blocks of the last user message.
SIDE_MARKERS = {
    "compact": "create a detailed summary of the conversation",
    "compact_partial": "Your task is to create a detailed summary of",
    "away_summary": "The user stepped away and is coming back",
    "rename": "Generate a short kebab-case name",
    "agent_summary": "Describe your most recent action in 3-5 words",
    "prompt_suggestion": "[SUGGESTION MODE:",
    "extract_memories": "You are now acting as the memory extraction subagent",
}
SUBAGENT_HEADER = "x-claude-code-agent-id"
TASK_NOTIFICATION = "<task-notification>"
NOTIFICATION_PREAMBLE = "[SYSTEM NOTIFICATION"
SUBAGENT_BILLING_MARK = "cc_is_subagent"


def _texts(content):
    """All text of a message content (str or blocks), tool_result text included."""
    if isinstance(content, str):
        return [content]
    out = []
    for block in content or []:
        if not isinstance(block, dict):
            continue
        if block.get("type") == "text":
            out.append(block.get("text", ""))
        elif block.get("type") == "tool_result":
            out.extend(_texts(block.get("content")))
    return out


def system_text(body):
    system = body.get("system")
    if isinstance(system, str):
        return system
    return "\n".join(b.get("text", "") for b in system or [] if isinstance(b, dict))


def user_messages(body):
    """messages with role user (Claude Code also puts role 'system' items in messages)."""
    return [m for m in body.get("messages") or [] if m.get("role") == "user"]


def first_user_text(body):
    users = user_messages(body)
    return "\n".join(_texts(users[0].get("content"))) if users else ""


def last_user_text(body):
    users = user_messages(body)
    return "\n".join(_texts(users[-1].get("content"))) if users else ""


def tool_names(body):
    return [t.get("name") for t in body.get("tools") or [] if isinstance(t, dict)]


def last_user_own_text(body):
    """Text blocks of the last user message, tool results left out."""
    users = user_messages(body)
    if not users:
        return ""
    content = users[-1].get("content")
    if isinstance(content, str):
        return content
    return "\n".join(b.get("text", "") for b in content or []
                     if isinstance(b, dict) and b.get("type") == "text")


def is_task_notification(body):
    """The last user message is a background task's notification (2.1.198+): a text block that
    is one (2.1.332 wraps it as "<system-reminder>\n[SYSTEM NOTIFICATION - NOT USER INPUT] ...
    <task-notification>...") and no tool result beside it. Text that merely quotes a
    notification, such as a recorded prompt in a command's output, is no notification."""
    users = user_messages(body)
    if not users:
        return False
    content = users[-1].get("content")
    blocks = [{"type": "text", "text": content}] if isinstance(content, str) else content or []
    if any(isinstance(b, dict) and b.get("type") == "tool_result" for b in blocks):
        return False
    for b in blocks:
        text = (b.get("text") or "").lstrip() if isinstance(b, dict) else ""
        if text.startswith(TASK_NOTIFICATION) or (
                text.startswith("<system-reminder>") and NOTIFICATION_PREAMBLE in text
                and TASK_NOTIFICATION in text):
            return True
    return False


def classify(body, headers=None):
    """(kind, detail): kind is 'main', 'subagent' or 'side'.

    detail is the side request's name (e.g. 'compact', 'no_tools'), the subagent's id, or
    'task_notification' for a main turn answering a background task's notification."""
    headers = {k.lower(): v for k, v in (headers or {}).items()}
    if not tool_names(body):
        return "side", "no_tools"
    own = last_user_own_text(body)
    for name, marker in SIDE_MARKERS.items():
        if marker in own:
            return "side", name
    agent_id = headers.get(SUBAGENT_HEADER)
    if agent_id:
        return "subagent", agent_id
    if SUBAGENT_BILLING_MARK in system_text(body):
        return "subagent", None
    if is_task_notification(body):
        return "main", "task_notification"
    return "main", None


def schema_example(schema):
    """A small value that satisfies a JSON schema (for side requests asking for JSON)."""
    if not isinstance(schema, dict):
        return "side"
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    for key in ("anyOf", "oneOf"):
        if schema.get(key):
            return schema_example(schema[key][0])
    t = schema.get("type")
    if isinstance(t, list):
        t = t[0] if t else "string"
    if t == "object" or "properties" in schema:
        props = schema.get("properties") or {}
        required = schema.get("required") or list(props)
        return {k: schema_example(props.get(k, {})) for k in required}
    if t == "array":
        return []
    if t == "boolean":
        return True
    if t in ("integer", "number"):
        return 0
    if t == "null":
        return None
    return "side"


class Script:
    """The scenario: queues of turns, consumed under a lock (requests come concurrently)."""

    def __init__(self, spec):
        if isinstance(spec, list):
            spec = {"main": spec}
        self.spec = spec
        self.main = list(spec.get("main") or [])
        self.subagents = [
            {"match": s.get("match", ""), "turns": list(s.get("turns") or []), "agent": None}
            for s in spec.get("subagents") or []
        ]
        self.notifications = list(spec.get("notifications") or [])
        self.default_reply = spec.get("default_reply", "Done.")
        self.notification_reply = spec.get("notification_reply", "Noted.")
        self.subagent_reply = spec.get("subagent_reply", "subagent finished")
        self.side_reply = spec.get("side_reply", "Side reply")
        self.compact_reply = spec.get(
            "compact_reply",
            "<analysis>Scripted analysis.</analysis>\n<summary>Scripted summary of the "
            "conversation so far.</summary>")
        self.lock = threading.Lock()
        self._agents = {}  # agent id (or first prompt) -> bound subagent entry

    def _subagent_entry(self, agent_key, prompt):
        entry = self._agents.get(agent_key)
        if entry is None:
            for sub in self.subagents:
                if sub["agent"] is None and sub["match"] in prompt:
                    sub["agent"] = agent_key
                    entry = sub
                    break
            if entry is None:
                entry = {"match": None, "turns": [], "agent": agent_key}
            self._agents[agent_key] = entry
        return entry

    def next_turn(self, kind, detail, body):
        """(turn, note) for a request of the given kind."""
        with self.lock:
            if kind == "main" and detail == "task_notification":
                if self.notifications:
                    return self.notifications.pop(0), "scripted"
                return {"text": self.notification_reply}, "default"
            if kind == "main":
                if self.main:
                    return self.main.pop(0), "scripted"
                return {"text": self.default_reply}, "exhausted"
            if kind == "subagent":
                prompt = first_user_text(body)
                entry = self._subagent_entry(detail or prompt, prompt)
                if entry["turns"]:
                    return entry["turns"].pop(0), "scripted"
                return {"text": self.subagent_reply}, ("exhausted" if entry["match"] is not None
                                                       else "default")
            fmt = (body.get("output_config") or {}).get("format") or {}
            if fmt.get("type") == "json_schema":
                return {"text": json.dumps(schema_example(fmt.get("schema")))}, "side_json"
            if detail in ("compact", "compact_partial"):
                return {"text": self.compact_reply}, "side"
            return {"text": self.side_reply}, "side"

    def remaining(self):
        """Scripted turns not yet consumed: {"main": n, "subagents": [n, ...], "notifications": n}."""
        with self.lock:
            return {"main": len(self.main), "subagents": [len(s["turns"]) for s in self.subagents],
                    "notifications": len(self.notifications)}


def turn_blocks(turn, id_prefix):
    """Content blocks (text / tool_use with ids) and the stop_reason of a TURN."""
    if "content" in turn:
        raw = list(turn["content"])
    else:
        raw = []
        if turn.get("text") is not None:
            raw.append({"type": "text", "text": turn["text"]})
        calls = list(turn.get("tool_uses") or [])
        if turn.get("tool_use"):
            calls.insert(0, turn["tool_use"])
        raw.extend(dict(c, type="tool_use") for c in calls)
    blocks = []
    for i, b in enumerate(raw):
        if b.get("type") == "tool_use":
            blocks.append({"type": "tool_use", "id": b.get("id") or f"{id_prefix}_{i}",
                           "name": b["name"], "input": b.get("input") or {}})
        else:
            blocks.append({"type": "text", "text": b.get("text", "")})
    if not blocks:
        blocks = [{"type": "text", "text": ""}]
    stop = "tool_use" if any(b["type"] == "tool_use" for b in blocks) else "end_turn"
    return blocks, turn.get("stop_reason", stop)


USAGE = {"input_tokens": 100, "output_tokens": 20,
         "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}


def sse_events(msg_id, model, blocks, stop_reason, usage):
    def ev(name, data):
        return f"event: {name}\ndata: {json.dumps(data)}\n\n"

    start_usage = dict(usage, output_tokens=1)
    out = [ev("message_start", {"type": "message_start", "message": {
        "id": msg_id, "type": "message", "role": "assistant", "model": model, "content": [],
        "stop_reason": None, "stop_sequence": None, "usage": start_usage}})]
    for i, b in enumerate(blocks):
        if b["type"] == "text":
            out.append(ev("content_block_start", {"type": "content_block_start", "index": i,
                                                  "content_block": {"type": "text", "text": ""}}))
            out.append(ev("content_block_delta", {"type": "content_block_delta", "index": i,
                                                  "delta": {"type": "text_delta", "text": b["text"]}}))
        else:
            out.append(ev("content_block_start", {"type": "content_block_start", "index": i,
                                                  "content_block": {"type": "tool_use", "id": b["id"],
                                                                    "name": b["name"], "input": {}}}))
            out.append(ev("content_block_delta", {"type": "content_block_delta", "index": i,
                                                  "delta": {"type": "input_json_delta",
                                                            "partial_json": json.dumps(b["input"])}}))
        out.append(ev("content_block_stop", {"type": "content_block_stop", "index": i}))
    out.append(ev("message_delta", {"type": "message_delta",
                                    "delta": {"stop_reason": stop_reason, "stop_sequence": None},
                                    "usage": {"output_tokens": usage["output_tokens"]}}))
    out.append(ev("message_stop", {"type": "message_stop"}))
    return "".join(out).encode()


class StandIn:
    """The server. Use as a context manager, or start()/stop(); .port, .requests(), .errors."""

    def __init__(self, script, log_path, host="127.0.0.1", port=0, verbose=False):
        if isinstance(script, (str, os.PathLike)):
            with open(script) as f:
                script = json.load(f)
        self.script = Script(script)
        self.log_path = str(log_path)
        self.verbose = verbose
        self.errors = []
        self._log_lock = threading.Lock()
        self._counter = itertools.count(1)
        self.run_tag = uuid.uuid4().hex[:8]
        standin = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, fmt, *args):
                if standin.verbose:
                    sys.stderr.write("standin: " + fmt % args + "\n")

            def _body(self):
                if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                    data = b""
                    while True:
                        size = int(self.rfile.readline().strip().split(b";")[0], 16)
                        if size == 0:
                            self.rfile.readline()
                            break
                        data += self.rfile.read(size)
                        self.rfile.readline()
                    return data
                n = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(n) if n else b""

            def _send(self, status, data, ctype="application/json", extra=None):
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                for k, v in (extra or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            def do_HEAD(self):
                standin._log({"method": "HEAD", "path": self.path})
                self._send(200, b"")

            def do_GET(self):
                standin._log({"method": "GET", "path": self.path})
                self._send(200, b"{}")

            def do_POST(self):
                raw = self._body()
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    body = {"_unparsed": raw.decode("utf-8", "replace")}
                path = self.path.split("?")[0]
                if path.endswith("/count_tokens"):
                    standin._log({"method": "POST", "path": self.path, "kind": "count_tokens",
                                  "body": body})
                    self._send(200, json.dumps({"input_tokens": 100}).encode())
                    return
                if not path.endswith("/v1/messages"):
                    standin._log({"method": "POST", "path": self.path, "kind": "other", "body": body})
                    self._send(200, b"{}")
                    return
                status, data, ctype, headers = standin.answer(self, body)
                self._send(status, data, ctype, headers)

        class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server((host, port), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://{host}:{self.port}"
        self._thread = None

    # ---- answering -------------------------------------------------------------------------
    def answer(self, handler, body):
        n = next(self._counter)
        kind, detail = classify(body, dict(handler.headers.items()))
        turn, note = self.script.next_turn(kind, detail, body)
        entry = {"n": n, "method": "POST", "path": handler.path, "kind": kind, "detail": detail,
                 "note": note,
                 "session": handler.headers.get("X-Claude-Code-Session-Id"),
                 "headers": {k: v for k, v in handler.headers.items()
                             if k.lower().startswith(("x-", "anthropic-", "user-agent"))
                             and k.lower() != "x-api-key"},
                 "body": body}
        expects = turn.get("expect") or []
        if isinstance(expects, str):
            expects = [expects]
        dumped = json.dumps(body, ensure_ascii=False)
        missing = [e for e in expects if e not in dumped]
        if missing:
            entry["expect_missing"] = missing
            self.errors.append(f"request {n} ({kind}): expected {missing!r} in request")
        # Ids unique across stand-ins: a resumed conversation holds the earlier runs' tool uses.
        blocks, stop_reason = turn_blocks(turn, f"toolu_{self.run_tag}_{n:06d}")
        entry["reply"] = {"content": blocks, "stop_reason": stop_reason}
        entry["request_id"] = f"req_standin_{self.run_tag}_{n:06d}"
        entry["message_id"] = f"msg_standin_{self.run_tag}_{n:06d}"
        self._log(entry)
        if turn.get("delay"):
            time.sleep(float(turn["delay"]))
        if turn.get("error"):
            err = turn["error"]
            data = {"type": "error", "error": {"type": err.get("type", "invalid_request_error"),
                                               "message": err.get("message", "scripted error")}}
            return int(err.get("status", 400)), json.dumps(data).encode(), "application/json", \
                {"request-id": entry["request_id"]}
        msg_id = entry["message_id"]
        model = body.get("model") or "claude-standin"
        usage = dict(USAGE, **(turn.get("usage") or {}))
        headers = {"request-id": entry["request_id"]}
        if body.get("stream"):
            return 200, sse_events(msg_id, model, blocks, stop_reason, usage), \
                "text/event-stream; charset=utf-8", dict(headers, **{"Cache-Control": "no-cache"})
        msg = {"id": msg_id, "type": "message", "role": "assistant", "model": model,
               "content": blocks, "stop_reason": stop_reason, "stop_sequence": None, "usage": usage}
        return 200, json.dumps(msg).encode(), "application/json", headers

    def _log(self, entry):
        entry.setdefault("time", time.time())
        line = json.dumps(entry, ensure_ascii=False)
        with self._log_lock:
            with open(self.log_path, "a") as f:
                f.write(line + "\n")
        if self.verbose and entry.get("kind"):
            sys.stderr.write(f"standin: #{entry.get('n')} {entry['kind']} {entry.get('detail')} "
                             f"{entry.get('note')} -> {entry.get('reply', {}).get('stop_reason')}\n")

    # ---- lifecycle ------------------------------------------------------------------------
    def start(self):
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def requests(self, kind=None):
        """The logged /v1/messages requests (all, or of one kind)."""
        return read_log(self.log_path, kind)


def read_log(path, kind=None):
    out = []
    if not os.path.exists(path):
        return out
    with open(path) as f:
        for line in f:
            if not line.strip():
                continue
            e = json.loads(line)
            if "body" not in e or e.get("kind") in ("count_tokens", "other"):
                continue
            if kind is None or e.get("kind") == kind:
                out.append(e)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--script", required=True, help="scenario JSON file")
    ap.add_argument("--log", required=True, help="request log (JSON lines), appended to")
    ap.add_argument("--port", type=int, default=0, help="0 picks a free port")
    ap.add_argument("--port-file", help="write the chosen port here once listening")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args(argv)
    standin = StandIn(args.script, args.log, port=args.port, verbose=args.verbose)
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(f"{standin.port}\n")
        os.replace(tmp, args.port_file)
    print(standin.port, flush=True)
    try:
        standin.server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
