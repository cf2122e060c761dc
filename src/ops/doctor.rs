//! `doctor`: a checklist of what makes the integration work — hooks registered once each and
//! runnable, command files present and current, state folder writable, the `claude` version,
//! and one timed `hook post-edit` round.
//!
//! Not a hook: running child processes here is fine.

use super::install::{
    binary_path, claude_config_dir, path_problem, read_optional, read_settings, same_dir,
    write_target,
};
use crate::embedded;
use crate::env::Env;
use crate::error::{Error, Result};
use crate::leftovers::{self, Leftover};
use crate::process::{Finished, Run, find_on_path, is_executable};
use crate::settings::{self, HookSpec, Registered};
use crate::store;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a child process (`claude --version`, the hook round) may take.
const CHILD_TIMEOUT: Duration = Duration::from_secs(10);
/// A hook round slower than this is worth a warning: Claude Code waits for it on every edit.
const SLOW_HOOK: Duration = Duration::from_millis(500);

/// Things found in settings files, each with the file it is in.
type Located<T> = Vec<(PathBuf, T)>;

#[derive(Debug, Clone, Default)]
pub struct DoctorRequest {
    /// Remove the leftovers of interrupted operations it finds.
    pub repair: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    Ok,
    /// Worth knowing, not a problem.
    Warn,
    /// A problem: the integration does not work as it should.
    Fail,
}

/// What a check is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckTopic {
    Binary,
    Settings,
    Hooks,
    Commands,
    Path,
    StateFolder,
    Claude,
    HookRound,
    Leftovers,
    Mcp,
    StatusLine,
}

/// One line of the checklist; the message is free-form text naming what was found and where.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub status: CheckStatus,
    pub topic: CheckTopic,
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DoctorOutcome {
    /// This binary and its version.
    pub binary: String,
    pub version: String,
    pub checks: Vec<Check>,
    /// How many checks failed.
    pub problems: usize,
    /// How many checks warned.
    pub warnings: usize,
    /// `claude --version`'s answer, when it gave one.
    pub claude_version: Option<String>,
    /// How long the test `hook post-edit` took, when it worked.
    pub hook_round_ms: Option<u64>,
    /// What interrupted operations left behind (older than a minute).
    pub leftovers: Vec<Leftover>,
    /// With `--repair`: how many were removed.
    pub repaired: Option<usize>,
}

struct Checklist {
    checks: Vec<Check>,
    topic: CheckTopic,
}

impl Checklist {
    /// The topic of the checks that follow.
    fn topic(&mut self, topic: CheckTopic) {
        self.topic = topic;
    }
    fn ok(&mut self, line: impl AsRef<str>) {
        self.push(CheckStatus::Ok, line.as_ref());
    }
    fn warn(&mut self, line: impl AsRef<str>) {
        self.push(CheckStatus::Warn, line.as_ref());
    }
    fn fail(&mut self, line: impl AsRef<str>) {
        self.push(CheckStatus::Fail, line.as_ref());
    }
    fn push(&mut self, status: CheckStatus, line: &str) {
        self.checks.push(Check {
            status,
            topic: self.topic,
            message: line.to_string(),
        });
    }
    fn count(&self, status: CheckStatus) -> usize {
        self.checks.iter().filter(|c| c.status == status).count()
    }
    fn problems(&self) -> usize {
        self.count(CheckStatus::Fail)
    }
}

/// Which settings file of a scope a path is, for the fix to name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileScope {
    User,
    Project,
    /// `settings.local.json`: the user's own, install never writes it.
    Local,
}

/// The settings files Claude Code reads here, with their scope.
fn settings_files(claude_dir: &Path, project_dir: &Path) -> Vec<(PathBuf, FileScope)> {
    let mut files = vec![(claude_dir.join("settings.json"), FileScope::User)];
    if !same_dir(project_dir, claude_dir) {
        files.push((project_dir.join("settings.json"), FileScope::Project));
        files.push((project_dir.join("settings.local.json"), FileScope::Local));
    }
    files
}

/// The fix for claude-session installed in several of `scopes` at once.
fn keep_one(scopes: &[FileScope], files: &[(PathBuf, FileScope)]) -> String {
    let mut fixes = Vec::new();
    if scopes.contains(&FileScope::User) && scopes.contains(&FileScope::Project) {
        fixes.push(
            "keep one scope: `claude-session uninstall --scope project` (or \
             `claude-session uninstall` to keep the project's)"
                .to_string(),
        );
    }
    if scopes.contains(&FileScope::Local) {
        let local = files
            .iter()
            .find(|(_, s)| *s == FileScope::Local)
            .map(|(p, _)| p.display().to_string())
            .unwrap_or_default();
        fixes.push(format!(
            "remove ours from {local} by hand (install never writes that file)"
        ));
    }
    fixes.join("; ")
}

pub fn doctor(env: &Env, request: &DoctorRequest) -> Result<DoctorOutcome> {
    let mut list = Checklist {
        checks: Vec::new(),
        topic: CheckTopic::Binary,
    };
    let binary = binary_path()?;
    let version = env!("CARGO_PKG_VERSION").to_string();
    list.ok(format!("binary: {binary} (version {version})"));
    let claude_dir = claude_config_dir()?;
    let project = env.project()?;
    let project_dir = project.path.join(".claude");
    let files = settings_files(&claude_dir, &project_dir);
    let (registered, plugins) = check_settings(&mut list, &files);
    let desired = settings::desired_hooks(embedded::HOOKS_JSON, &binary)
        .map_err(|e| Error::invalid(e.to_string(), "embedded hooks.json"))?;
    check_hooks(&mut list, &desired, &registered, &plugins, &binary, &files);
    check_commands(&mut list, &claude_dir, &project_dir, &plugins)?;
    check_mcp(&mut list, &binary);
    check_statusline(&mut list, env, &claude_dir.join("settings.json"));
    check_on_path(&mut list, &binary);
    check_state_dir(&mut list, &env.layout.app_dir());
    let (leftovers, repaired) = check_leftovers(&mut list, env, &project.path, request.repair)?;
    let claude_version = check_claude(&mut list);
    let hook_binary = registered
        .iter()
        .filter(|(_, r)| r.name == "post-edit")
        .filter_map(|(_, r)| resolve_program(&r.program))
        .find(|p| is_executable(p))
        .unwrap_or_else(|| PathBuf::from(&binary));
    let hook_round = check_hook_round(&mut list, &hook_binary);
    Ok(DoctorOutcome {
        binary,
        version,
        problems: list.problems(),
        warnings: list.count(CheckStatus::Warn),
        checks: list.checks,
        claude_version,
        hook_round_ms: hook_round.map(|d| d.as_millis() as u64),
        leftovers,
        repaired,
    })
}

/// The MCP server entry in `~/.claude.json` (optional: `install --mcp`).
fn check_mcp(list: &mut Checklist, binary: &str) {
    use super::register::{MCP_NAME, claude_json_path, is_our_mcp_entry};
    list.topic(CheckTopic::Mcp);
    let Ok(path) = claude_json_path() else {
        return;
    };
    let text = match write_target(&path).and_then(|real| read_optional(&real)) {
        Ok(Some(bytes)) => String::from_utf8_lossy(&bytes).into_owned(),
        Ok(None) => String::new(),
        Err(e) => {
            list.warn(format!("mcp: {e}"));
            return;
        }
    };
    let entry = match settings::member(&text, &["mcpServers", MCP_NAME], ".claude.json") {
        Ok(entry) => entry,
        Err(e) => {
            list.warn(format!("mcp: {e} ({})", path.display()));
            return;
        }
    };
    let Some(entry) = entry else {
        list.ok(format!(
            "mcp: no server `{MCP_NAME}` in {} (optional: `claude-session install --mcp` gives \
             Claude the session tools)",
            path.display()
        ));
        return;
    };
    if !is_our_mcp_entry(&entry) {
        list.warn(format!(
            "mcp: the server `{MCP_NAME}` in {} runs something else, not `claude-session mcp`",
            path.display()
        ));
        return;
    }
    let program = entry["command"].as_str().unwrap_or_default();
    match resolve_program(program).filter(|p| is_executable(p)) {
        None => list.fail(format!(
            "mcp: the server `{MCP_NAME}` in {} runs {program}, which is not there; \
             `claude-session install --mcp` points it at this binary",
            path.display()
        )),
        Some(found) if found.canonicalize().unwrap_or(found.clone()) != Path::new(binary) => list
            .warn(format!(
                "mcp: the server `{MCP_NAME}` in {} runs {program}, not this binary ({binary})",
                path.display()
            )),
        Some(_) => list.ok(format!(
            "mcp: server `{MCP_NAME}` registered in {}, runs this binary",
            path.display()
        )),
    }
}

/// The status line in the user's settings.json (optional: `install --statusline`).
fn check_statusline(list: &mut Checklist, env: &Env, settings_path: &Path) {
    list.topic(CheckTopic::StatusLine);
    let text = write_target(settings_path)
        .and_then(|real| read_settings(&real))
        .ok()
        .flatten()
        .unwrap_or_default();
    let command = settings::member(&text, &["statusLine", "command"], "settings.json")
        .ok()
        .flatten()
        .and_then(|v| v.as_str().map(str::to_string));
    let Some(command) = command else {
        list.ok("status line: not set (optional: `claude-session install --statusline` shows the session in it)");
        return;
    };
    match settings::parse_statusline_command(&command) {
        None => list.ok(format!(
            "status line: yours (`{command}`); `claude-session install --statusline=wrap` adds the session to it"
        )),
        Some(false) => list.ok("status line: shows the session"),
        Some(true) => match super::statusline::read_wrapped(&env.layout) {
            Some(wrapped) => list.ok(format!(
                "status line: shows yours (`{}`) with the session appended",
                wrapped.command
            )),
            None => list.warn(format!(
                "status line: wraps a command that is not on record ({}); it shows the session alone",
                super::statusline::wrapped_path(&env.layout).display()
            )),
        },
    }
}

/// What killed operations left behind (older than a minute); removed with `--repair`.
fn check_leftovers(
    list: &mut Checklist,
    env: &Env,
    project: &Path,
    repair: bool,
) -> Result<(Vec<Leftover>, Option<usize>)> {
    list.topic(CheckTopic::Leftovers);
    let found = leftovers::find(&env.layout, &[project.to_path_buf()], leftovers::MIN_AGE);
    if found.is_empty() {
        list.ok("leftovers: none from interrupted operations");
        return Ok((found, repair.then_some(0)));
    }
    let bytes: u64 = found.iter().map(|l| l.bytes).sum();
    let pending = found.iter().filter(|l| !l.kind.removable()).count();
    if repair {
        let removed = leftovers::remove(&found)?;
        list.ok(format!(
            "leftovers: removed {removed} of interrupted operations ({bytes} bytes){}",
            if pending > 0 {
                format!("; {pending} inbox adoption(s) kept: the next binding of that conversation adopts them")
            } else {
                String::new()
            }
        ));
        return Ok((found, Some(removed)));
    }
    list.warn(format!(
        "leftovers: {} of interrupted operations ({bytes} bytes: {}); `claude-session doctor --repair` removes them",
        found.len(),
        found
            .iter()
            .take(5)
            .map(|l| l.path.clone())
            .collect::<Vec<_>>()
            .join(", ")
    ));
    Ok((found, None))
}

/// Our entries in every settings file Claude Code reads here (user, project, project-local), and
/// the claude-session plugins they enable.
fn check_settings(
    list: &mut Checklist,
    files: &[(PathBuf, FileScope)],
) -> (Located<Registered>, Located<String>) {
    list.topic(CheckTopic::Settings);
    let mut all = Vec::new();
    let mut plugins = Vec::new();
    for path in files.iter().map(|(p, _)| p) {
        let text = match write_target(path).and_then(|real| read_settings(&real)) {
            Ok(Some(text)) => text,
            Ok(None) => continue,
            Err(e) => {
                list.fail(format!("settings: {e}"));
                continue;
            }
        };
        match settings::registered(&text) {
            Ok(found) => {
                let disabled = serde_json::from_str::<serde_json::Value>(&text)
                    .ok()
                    .and_then(|v| v.get("disableAllHooks").and_then(|d| d.as_bool()))
                    .unwrap_or(false);
                if disabled {
                    list.fail(format!(
                        "settings: {} sets \"disableAllHooks\": true, so no hook runs",
                        path.display()
                    ));
                }
                all.extend(found.into_iter().map(|r| (path.clone(), r)));
                plugins.extend(
                    settings::enabled_plugins(&text)
                        .into_iter()
                        .map(|id| (path.clone(), id)),
                );
            }
            Err(e) => list.fail(format!("settings: {e} ({})", path.display())),
        }
    }
    (all, plugins)
}

/// A hook program as the shell would find it: a path, or a bare name looked up in PATH.
fn resolve_program(program: &str) -> Option<PathBuf> {
    if program.contains('/') {
        Some(PathBuf::from(program))
    } else {
        find_on_path(program)
    }
}

fn check_hooks(
    list: &mut Checklist,
    desired: &[HookSpec],
    registered: &[(PathBuf, Registered)],
    plugins: &[(PathBuf, String)],
    binary: &str,
    files: &[(PathBuf, FileScope)],
) {
    list.topic(CheckTopic::Hooks);
    let plugin_names = || {
        plugins
            .iter()
            .map(|(path, id)| format!("{id} in {}", path.display()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match (registered.is_empty(), plugins.is_empty()) {
        (true, false) => {
            list.ok(format!(
                "hooks: provided by the enabled plugin ({})",
                plugin_names()
            ));
            return;
        }
        (false, false) => list.fail(format!(
            "hooks: registered in settings and by the enabled plugin ({}), so each runs twice; \
             keep one way (`claude-session uninstall`, or disable the plugin)",
            plugin_names()
        )),
        _ => {}
    }
    if registered.is_empty() {
        list.fail(
            "hooks: none registered in the settings files; run `claude-session install` \
             (or load claude-session as a plugin)",
        );
        return;
    }
    let problems_before = list.problems();
    let mut duplicated = false;
    let mut in_files: Vec<&Path> = Vec::new();
    for (path, _) in registered {
        if !in_files.contains(&path.as_path()) {
            in_files.push(path);
        }
    }
    // Installed in more than one settings file: one line for all the hooks concerned, naming
    // the fix (Claude Code runs identical commands once, different ones each).
    if in_files.len() > 1 {
        duplicated = true;
        let twice: Vec<&HookSpec> = desired
            .iter()
            .filter(|spec| {
                let mut holders: Vec<&Path> = registered
                    .iter()
                    .filter(|(_, r)| r.event == spec.event && r.name == spec.name)
                    .map(|(p, _)| p.as_path())
                    .collect();
                holders.dedup();
                holders.len() > 1
            })
            .collect();
        let differ = twice.iter().any(|spec| {
            let mut commands: Vec<&str> = registered
                .iter()
                .filter(|(_, r)| r.event == spec.event && r.name == spec.name)
                .map(|(_, r)| r.command.as_str())
                .collect();
            commands.sort_unstable();
            commands.dedup();
            commands.len() > 1
        });
        let what = if twice.len() == desired.len() {
            format!("all {}", desired.len())
        } else if twice.is_empty() {
            "some".to_string()
        } else {
            twice
                .iter()
                .map(|spec| format!("{} ({})", spec.name, spec.event))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let scopes: Vec<FileScope> = files
            .iter()
            .filter(|(p, _)| in_files.contains(&p.as_path()))
            .map(|(_, s)| *s)
            .collect();
        let names: Vec<String> = in_files.iter().map(|p| p.display().to_string()).collect();
        list.fail(format!(
            "hooks: {what} registered in {} settings files ({}){}; {}",
            in_files.len(),
            names.join(", "),
            if differ {
                ", with different commands, so each runs twice"
            } else {
                ""
            },
            keep_one(&scopes, files)
        ));
    }
    for spec in desired {
        let label = format!("hook {} ({})", spec.name, spec.event);
        let entries: Vec<&(PathBuf, Registered)> = registered
            .iter()
            .filter(|(_, r)| r.event == spec.event && r.name == spec.name)
            .collect();
        if entries.is_empty() {
            list.fail(format!(
                "{label}: not registered; run `claude-session install`"
            ));
            continue;
        }
        // More than once in one file (across files is the line above).
        for path in &in_files {
            let here: Vec<&&(PathBuf, Registered)> =
                entries.iter().filter(|(p, _)| p == path).collect();
            if here.len() < 2 {
                continue;
            }
            duplicated = true;
            let mut commands: Vec<&str> = here.iter().map(|(_, r)| r.command.as_str()).collect();
            commands.sort_unstable();
            commands.dedup();
            if commands.len() > 1 {
                let places: Vec<String> = here
                    .iter()
                    .map(|(_, r)| format!("`{}`", r.command))
                    .collect();
                list.fail(format!(
                    "{label}: registered {} times, so it runs more than once: {} in {}; \
                     `claude-session install` keeps one",
                    here.len(),
                    places.join(", "),
                    path.display()
                ));
            } else {
                list.warn(format!(
                    "{label}: registered {} times with the same command (Claude Code runs it \
                     once) in {}; `claude-session install` keeps one",
                    here.len(),
                    path.display()
                ));
            }
        }
        for (path, entry) in &entries {
            let matcher = entry.matcher.as_deref().unwrap_or("");
            let wanted = spec.matcher.as_deref().unwrap_or("");
            let all = |m: &str| m.is_empty() || m == "*";
            if matcher != wanted && !(all(matcher) && all(wanted)) {
                list.fail(format!(
                    "{label}: matcher is \"{matcher}\" instead of \"{wanted}\" in {}; \
                     run `claude-session install`",
                    path.display()
                ));
            }
        }
    }
    for (path, entry) in registered {
        if !desired
            .iter()
            .any(|s| s.event == entry.event && s.name == entry.name)
        {
            list.fail(format!(
                "hook {} ({}): not one of ours any more, in {}; run `claude-session install`",
                entry.name,
                entry.event,
                path.display()
            ));
        }
    }
    let mut programs: Vec<&str> = registered.iter().map(|(_, r)| r.program.as_str()).collect();
    programs.sort_unstable();
    programs.dedup();
    for program in programs {
        match resolve_program(program) {
            None => list.fail(format!(
                "hooks run `{program}`, which is not on PATH; run `claude-session install`"
            )),
            Some(path) if !path.exists() => list.fail(format!(
                "hooks run {program}, which does not exist; run `claude-session install`"
            )),
            Some(path) if !is_executable(&path) => {
                list.fail(format!("hooks run {program}, which is not executable"))
            }
            Some(path) => {
                let resolved = path.canonicalize().unwrap_or(path);
                if resolved == Path::new(binary) {
                    list.ok(format!("hooks run {program}: exists, executable"));
                } else {
                    list.warn(format!(
                        "hooks run {program}, not this binary ({binary}); \
                         `claude-session install` points them here"
                    ));
                }
            }
        }
    }
    if list.problems() == problems_before && !duplicated {
        let names: Vec<String> = in_files.iter().map(|p| p.display().to_string()).collect();
        list.ok(format!(
            "hooks: all {} registered once ({})",
            desired.len(),
            names.join(", ")
        ));
    }
}

fn check_commands(
    list: &mut Checklist,
    claude_dir: &Path,
    project_dir: &Path,
    plugins: &[(PathBuf, String)],
) -> Result<()> {
    list.topic(CheckTopic::Commands);
    let mut dirs = vec![claude_dir.join("commands")];
    if !same_dir(project_dir, claude_dir) {
        dirs.push(project_dir.join("commands"));
    }
    let mut current: Vec<(&Path, Vec<&str>)> = Vec::new();
    let mut missing = Vec::new();
    // Each command file and the folders it is in.
    let mut found: Vec<(&str, Vec<&Path>)> = Vec::new();
    for file in embedded::COMMANDS {
        let mut seen = Vec::new();
        for dir in &dirs {
            let path = dir.join(file.file_name);
            let Some(bytes) = read_optional(&path)? else {
                continue;
            };
            seen.push(dir.as_path());
            if embedded::is_current(file.file_name, &bytes) {
                match current.iter_mut().find(|(d, _)| *d == dir.as_path()) {
                    Some((_, names)) => names.push(file.file_name),
                    None => current.push((dir, vec![file.file_name])),
                }
            } else if embedded::is_shipped(file.file_name, &bytes) {
                list.fail(format!(
                    "command {}: an earlier version; run `claude-session install`",
                    path.display()
                ));
            } else {
                list.warn(format!(
                    "command {}: yours (it differs from every version we shipped); \
                     `claude-session install --force` replaces it after a backup",
                    path.display()
                ));
            }
        }
        if seen.is_empty() {
            missing.push(file.file_name);
        } else {
            found.push((file.file_name, seen));
        }
    }
    for (dir, names) in current {
        list.ok(format!(
            "commands current: {} in {}",
            names.join(", "),
            dir.display()
        ));
    }
    // The same command in both scopes: Claude Code lists it twice, "(user)" and "(project)".
    let twice: Vec<&str> = found
        .iter()
        .filter(|(_, seen)| seen.len() > 1)
        .map(|(name, _)| *name)
        .collect();
    if !twice.is_empty() {
        list.fail(format!(
            "commands: {} in both {} and {}, so each slash command is listed twice; keep one \
             scope: `claude-session uninstall --scope project` (or `claude-session uninstall` \
             to keep the project's)",
            twice.join(", "),
            dirs[0].display(),
            dirs[1].display()
        ));
    }
    if !plugins.is_empty() && !found.is_empty() {
        let ids: Vec<&str> = plugins.iter().map(|(_, id)| id.as_str()).collect();
        let names: Vec<&str> = found.iter().map(|(name, _)| *name).collect();
        list.fail(format!(
            "commands: the enabled plugin {} provides {} ... and {} are \
             installed too, so each slash command exists twice; keep one way \
             (`claude-session uninstall`, or disable the plugin)",
            ids.join(", "),
            crate::surface::slash_for(crate::surface::Surface::Plugin, "start"),
            names.join(", ")
        ));
    }
    if !missing.is_empty() && !plugins.is_empty() {
        list.ok(format!(
            "commands: provided by the enabled plugin ({} ...)",
            crate::surface::slash_for(crate::surface::Surface::Plugin, "start")
        ));
    } else if !missing.is_empty() {
        let looked: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
        list.fail(format!(
            "commands missing: {} (looked in {}); run `claude-session install`",
            missing.join(", "),
            looked.join(" and ")
        ));
    }
    Ok(())
}

fn check_on_path(list: &mut Checklist, binary: &str) {
    list.topic(CheckTopic::Path);
    match path_problem(binary) {
        None => list.ok(format!(
            "`{}` on PATH is this binary (the slash commands run it by name)",
            settings::BINARY_NAME
        )),
        Some(problem) => list.fail(problem.message()),
    }
}

fn check_state_dir(list: &mut Checklist, dir: &Path) {
    list.topic(CheckTopic::StateFolder);
    let probe = dir.join(".doctor-probe");
    // Folders made only for the probe go again: doctor leaves no trace.
    let mut made = Vec::new();
    let mut at = Some(dir);
    while let Some(d) = at.filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
        made.push(d.to_path_buf());
        at = d.parent();
    }
    let result = store::ensure_dir(dir)
        .and_then(|()| store::write_atomic(&probe, b"probe\n"))
        .and_then(|()| store::remove_file(&probe));
    for d in &made {
        let _ = store::remove_empty_dir(d);
    }
    match result {
        Ok(()) => list.ok(format!("state folder writable: {}", dir.display())),
        Err(e) => list.fail(format!("state folder not writable: {e}")),
    }
}

fn first_line(text: &str) -> &str {
    text.lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim()
}

/// Runs a child with the doctor's time limit; `Err` when it cannot start or does not finish.
fn run_child(run: Run) -> std::result::Result<Finished, String> {
    let done = run
        .timeout(CHILD_TIMEOUT)
        .run()
        .map_err(|e| e.to_string())?;
    if done.timed_out {
        return Err(format!(
            "no answer within {} s (killed)",
            CHILD_TIMEOUT.as_secs()
        ));
    }
    Ok(done)
}

/// The `claude` on PATH and its version; the version, when it answered.
fn check_claude(list: &mut Checklist) -> Option<String> {
    list.topic(CheckTopic::Claude);
    let Some(claude) = find_on_path("claude") else {
        list.warn("claude: not on PATH (version not checked)");
        return None;
    };
    match run_child(Run::new(&claude).arg("--version")) {
        Ok(done) if done.success() => {
            let version = first_line(&done.stdout_text()).to_string();
            list.ok(format!("claude: {version} ({})", claude.display()));
            Some(version)
        }
        Ok(done) => {
            list.fail(format!(
                "claude --version failed: {} ({})",
                first_line(&done.stderr_text()),
                claude.display()
            ));
            None
        }
        Err(e) => {
            list.fail(format!("claude --version: {e} ({})", claude.display()));
            None
        }
    }
}

/// Runs one `hook post-edit` as Claude Code would after an Edit, in a throwaway project and state
/// folder (nothing lands in the real state), and times it; the time, when it worked.
fn check_hook_round(list: &mut Checklist, binary: &Path) -> Option<Duration> {
    list.topic(CheckTopic::HookRound);
    let outcome = (|| -> std::result::Result<Finished, String> {
        let temp = tempfile::tempdir().map_err(|e| format!("cannot make a temp folder: {e}"))?;
        let project = temp.path().join("project");
        let state = temp.path().join("state");
        let file = project.join("notes.md");
        store::write_atomic(&file, b"goodbye world\n").map_err(|e| e.to_string())?;
        store::ensure_dir(&state).map_err(|e| e.to_string())?;
        let payload = serde_json::json!({
            "session_id": "00000000-0000-4000-8000-00000000d0c7",
            "transcript_path": temp.path().join("transcript.jsonl"),
            "cwd": project,
            "permission_mode": "acceptEdits",
            "hook_event_name": "PostToolUse",
            "tool_name": "Edit",
            "tool_input": {
                "file_path": file,
                "old_string": "hello",
                "new_string": "goodbye",
                "replace_all": false
            },
            "tool_response": {
                "filePath": file,
                "oldString": "hello",
                "newString": "goodbye",
                "originalFile": "hello world\n",
                "userModified": false,
                "replaceAll": false
            },
            "tool_use_id": "toolu_doctor",
            "duration_ms": 1
        });
        run_child(
            Run::new(binary)
                .args(["hook", "post-edit"])
                .current_dir(&project)
                .env("CLAUDE_SESSION_HOME", &state)
                .env("CLAUDE_PROJECT_DIR", &project)
                .stdin(payload.to_string()),
        )
    })();
    match outcome {
        Ok(done) if done.success() => {
            let ms = done.elapsed.as_millis();
            if done.elapsed > SLOW_HOOK {
                list.warn(format!(
                    "hook post-edit round: {ms} ms, slow (Claude Code waits for it after every edit)"
                ));
            } else {
                list.ok(format!("hook post-edit round: {ms} ms"));
            }
            Some(done.elapsed)
        }
        Ok(done) => {
            list.fail(format!(
                "hook post-edit round failed ({}): {} ({})",
                done.status_text(),
                first_line(&done.stderr_text()),
                binary.display()
            ));
            None
        }
        Err(e) => {
            list.fail(format!("hook post-edit round: {e} ({})", binary.display()));
            None
        }
    }
}
