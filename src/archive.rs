//! ZIP archives of folders, with real file times and modes. The bytes go to disk only through
//! `store` (atomic, never replacing an existing archive).

use crate::error::{Error, IoContext, Result};
use crate::store;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use zip::write::SimpleFileOptions;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ArchiveStats {
    pub files: u64,
    pub bytes: u64,
}

/// Files below `root`, sorted, as (absolute, relative with `/`) pairs; symlinks and our lock
/// files are left out.
pub fn collect_files(root: &Path) -> Result<Vec<(PathBuf, String)>> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).at("list", &dir)? {
            let entry = entry.at("list", &dir)?;
            let kind = entry.file_type().at("inspect", entry.path())?;
            let path = entry.path();
            if kind.is_dir() {
                stack.push(path);
            } else if kind.is_file() && !is_lock_file(&path) {
                let relative = path
                    .strip_prefix(root)
                    .map(|p| p.to_string_lossy().replace('\\', "/"))
                    .unwrap_or_default();
                out.push((path, relative));
            }
        }
    }
    out.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(out)
}

fn is_lock_file(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "lock")
}

fn entry_options(path: &Path) -> Result<SimpleFileOptions> {
    let meta = std::fs::metadata(path).at("inspect", path)?;
    let mut options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(meta.len() >= u64::from(u32::MAX));
    if let Ok(modified) = meta.modified()
        && let Ok(ts) = jiff::Timestamp::try_from(modified)
    {
        let civil = ts.to_zoned(crate::clock::local_zone()).datetime();
        if let Ok(dos) = zip::DateTime::try_from(civil) {
            options = options.last_modified_time(dos);
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        options = options.unix_permissions(meta.permissions().mode() & 0o7777);
    }
    Ok(options)
}

/// Writes a ZIP of everything below `source` to `target` (entries relative to `source`).
/// Never replaces an existing file: `Ok(None)` then.
pub fn zip_dir(source: &Path, target: &Path) -> Result<Option<ArchiveStats>> {
    let files = collect_files(source)?;
    store::write_new_atomic_with(target, |file: &mut File| {
        let mut writer = zip::ZipWriter::new(&mut *file);
        let mut stats = ArchiveStats::default();
        for (absolute, relative) in &files {
            let options = entry_options(absolute)?;
            writer
                .start_file(relative.as_str(), options)
                .map_err(|e| zip_error(target, e))?;
            let mut input = File::open(absolute).at("read", absolute)?;
            stats.bytes += std::io::copy(&mut input, &mut writer).at("archive", absolute)?;
            stats.files += 1;
        }
        writer.finish().map_err(|e| zip_error(target, e))?;
        file.flush().at("write", target)?;
        Ok(stats)
    })
}

pub fn zip_error(place: &Path, e: zip::result::ZipError) -> Error {
    Error::invalid(format!("zip: {e}"), place.display())
}
