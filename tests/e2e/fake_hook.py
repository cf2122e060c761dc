#!/usr/bin/env python3
"""Stand-in hook command: appends each hook's stdin payload as one JSON line to a log.

Usage (as a hook "command"):  fake_hook.py LOGFILE [--context TEXT] [--system-message TEXT]

With --context, it answers on stdout with
  {"hookSpecificOutput": {"hookEventName": <event>, "additionalContext": TEXT}}
(meaningful for SessionStart / UserPromptSubmit); with --system-message, with
{"systemMessage": TEXT} (a line shown to the user), both in one object when both are given. Also usable as a Bash-tool / `!` command:
with no stdin payload it logs {"argv": [...]} and prints a line.
"""
import json
import os
import sys
import time


def main():
    args = sys.argv[1:]
    if not args:
        print("fake_hook: no log file given")
        return 0
    log, rest = args[0], args[1:]
    def option(name):
        nonlocal rest
        if name not in rest:
            return None
        i = rest.index(name)
        value = rest[i + 1] if i + 1 < len(rest) else ""
        rest = rest[:i] + rest[i + 2:]
        return value

    context = option("--context")
    system_message = option("--system-message")
    raw = "" if sys.stdin.isatty() else sys.stdin.read()
    try:
        payload = json.loads(raw) if raw.strip() else None
    except ValueError:
        payload = {"_raw": raw}
    entry = {"time": time.time(), "pid": os.getpid(), "argv": rest, "cwd": os.getcwd(),
             "env": {k: v for k, v in os.environ.items()
                     if k.startswith("CLAUDE") and "KEY" not in k and "TOKEN" not in k},
             "payload": payload}
    with open(log, "a") as f:
        f.write(json.dumps(entry) + "\n")
    event = (payload or {}).get("hook_event_name") if isinstance(payload, dict) else None
    if (context is not None or system_message is not None) and event:
        out = {}
        if context is not None:
            out["hookSpecificOutput"] = {"hookEventName": event, "additionalContext": context}
        if system_message is not None:
            out["systemMessage"] = system_message
        print(json.dumps(out))
    elif payload is None:
        print("fake_hook ran: " + " ".join(rest))
    return 0


if __name__ == "__main__":
    sys.exit(main())
