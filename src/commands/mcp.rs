//! `claude-session mcp`: the MCP server on stdin/stdout (`crate::mcp` does the work).

use crate::cli::McpArgs;
use crate::error::Result;
use std::io::Write;
use std::path::Path;

pub fn run(project: Option<&Path>, _args: &McpArgs, out: &mut dyn Write) -> Result<()> {
    let stdin = std::io::stdin();
    crate::mcp::serve(&mut stdin.lock(), out, project)
}
