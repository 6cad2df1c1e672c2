//! Reading every file once, in parallel, and reusing the facts of files
//! whose bytes did not change since the last run.
//!
//! The cache is one pack file under the cache directory, named after ferry's
//! version and the query files' hash, holding one entry per file content hash.
//! Entries are decoded in parallel, only for files that are still there.
//! Deleting the directory is always safe.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::PythonIndexOptions;
use super::extract::{Extractor, new_parser};
use super::facts::{FACTS_FORMAT, FileFacts};
use super::files::SourcePath;
use super::program::SourceFile;
use super::progress::Progress;

const MAGIC: &[u8; 8] = b"FERRYPY1";
const PACK_PREFIX: &str = "python-facts-";
const HASH_LEN: usize = 32;

type ContentHash = [u8; HASH_LEN];

pub struct Scanned {
    pub files: Vec<SourceFile>,
    pub failed: Vec<(String, String)>,
}

struct ScannedFile {
    hash: ContentHash,
    facts: FileFacts,
    origin: Origin,
}

enum Origin {
    /// Found in the pack.
    Cached,
    /// Parsed now; the encoded entry when caching.
    Parsed(Option<Vec<u8>>),
}

pub fn scan(opts: &PythonIndexOptions, sources: Vec<SourcePath>) -> Scanned {
    let extractor = Extractor::new(opts.framework);
    let pack_name = pack_name(&extractor);
    let pack = opts
        .cache_dir
        .as_deref()
        .map(|dir| Pack::load(&dir.join(&pack_name)))
        .unwrap_or_default();
    let progress = Progress::new(opts.progress, sources.len());
    let caching = opts.cache_dir.is_some();

    let results: Vec<Result<ScannedFile, String>> = sources
        .par_iter()
        .map_init(new_parser, |parser, source| {
            let result = scan_file(&extractor, &pack, parser, &source.absolute, caching);
            progress.tick();
            result
        })
        .collect();
    progress.finish();

    let mut files = Vec::with_capacity(sources.len());
    let mut failed = Vec::new();
    let mut entries: Vec<(ContentHash, EntryBytes)> = Vec::new();
    let mut kept = HashSet::new();
    for (source, result) in sources.into_iter().zip(results) {
        match result {
            Ok(scanned) => {
                if kept.insert(scanned.hash) {
                    let bytes = match scanned.origin {
                        Origin::Parsed(Some(encoded)) => Some(EntryBytes::Owned(encoded)),
                        Origin::Parsed(None) => None,
                        Origin::Cached => {
                            Some(EntryBytes::Pack(pack.entries[&scanned.hash].clone()))
                        }
                    };
                    entries.extend(bytes.map(|bytes| (scanned.hash, bytes)));
                }
                files.push(SourceFile {
                    path: source.relative,
                    absolute: source.absolute,
                    modules: source.modules,
                    is_package: source.is_package,
                    facts: scanned.facts,
                });
            }
            Err(reason) => failed.push((source.relative, reason)),
        }
    }

    if let Some(dir) = &opts.cache_dir {
        let changed = entries
            .iter()
            .any(|(_, bytes)| matches!(bytes, EntryBytes::Owned(_)))
            || kept.len() != pack.entries.len();
        if changed {
            // A cache that cannot be written only costs the next run time.
            let _ = write_pack(dir, &pack_name, &pack, &entries);
        }
    }
    Scanned { files, failed }
}

fn scan_file(
    extractor: &Extractor,
    pack: &Pack,
    parser: &mut tree_sitter::Parser,
    path: &Path,
    caching: bool,
) -> Result<ScannedFile, String> {
    let source = std::fs::read(path).map_err(|error| error.to_string())?;
    let hash = *blake3::hash(&source).as_bytes();
    if let Some(facts) = pack.get(&hash) {
        return Ok(ScannedFile {
            hash,
            facts,
            origin: Origin::Cached,
        });
    }
    let facts = extractor
        .extract(parser, &source)
        .ok_or_else(|| "tree-sitter could not parse the file".to_string())?;
    let encoded = if caching {
        Some(serde_json::to_vec(&facts).map_err(|error| error.to_string())?)
    } else {
        None
    };
    Ok(ScannedFile {
        hash,
        facts,
        origin: Origin::Parsed(encoded),
    })
}

/// Cached facts are valid for one ferry version and one set of queries.
fn pack_name(extractor: &Extractor) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    hasher.update(&FACTS_FORMAT.to_le_bytes());
    hasher.update(extractor.fingerprint().as_bytes());
    let key = hasher.finalize().to_hex();
    format!("{PACK_PREFIX}{}.bin", &key[..16])
}

#[derive(Default)]
struct Pack {
    bytes: Vec<u8>,
    entries: HashMap<ContentHash, Range<usize>>,
}

enum EntryBytes {
    Pack(Range<usize>),
    Owned(Vec<u8>),
}

impl Pack {
    /// The pack at `path`; empty when it is missing or unreadable.
    fn load(path: &Path) -> Pack {
        let Ok(bytes) = std::fs::read(path) else {
            return Pack::default();
        };
        let mut entries = HashMap::new();
        let mut at = MAGIC.len();
        if !bytes.starts_with(MAGIC) {
            return Pack::default();
        }
        while at < bytes.len() {
            let Some(header) = bytes.get(at..at + HASH_LEN + 4) else {
                return Pack::default();
            };
            let hash: ContentHash = header[..HASH_LEN].try_into().expect("hash length");
            let len = u32::from_le_bytes(header[HASH_LEN..].try_into().expect("u32")) as usize;
            let start = at + HASH_LEN + 4;
            if start + len > bytes.len() {
                return Pack::default();
            }
            entries.insert(hash, start..start + len);
            at = start + len;
        }
        Pack { bytes, entries }
    }

    fn get(&self, hash: &ContentHash) -> Option<FileFacts> {
        let range = self.entries.get(hash)?;
        serde_json::from_slice(&self.bytes[range.clone()]).ok()
    }
}

fn write_pack(
    dir: &Path,
    name: &str,
    old: &Pack,
    entries: &[(ContentHash, EntryBytes)],
) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    write_gitignore(dir)?;
    let mut out = Vec::with_capacity(old.bytes.len());
    out.extend_from_slice(MAGIC);
    for (hash, bytes) in entries {
        let bytes = match bytes {
            EntryBytes::Pack(range) => &old.bytes[range.clone()],
            EntryBytes::Owned(bytes) => bytes.as_slice(),
        };
        out.extend_from_slice(hash);
        out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
        out.extend_from_slice(bytes);
    }
    let mut temporary = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut temporary, &out)?;
    temporary
        .persist(dir.join(name))
        .map_err(|error| error.error)?;
    // Packs of other ferry versions or queries are dead weight now.
    for entry in std::fs::read_dir(dir)?.flatten() {
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        if file_name.starts_with(PACK_PREFIX) && file_name != name {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    Ok(())
}

/// `.ferry/.gitignore` containing `*`, so the cache is never committed.
fn write_gitignore(cache_dir: &Path) -> std::io::Result<()> {
    let ferry_dir: PathBuf = match cache_dir.parent() {
        Some(parent) if parent.file_name().is_some_and(|name| name == ".ferry") => {
            parent.to_path_buf()
        }
        _ => cache_dir.to_path_buf(),
    };
    let gitignore = ferry_dir.join(".gitignore");
    if !gitignore.exists() {
        std::fs::write(gitignore, "*\n")?;
    }
    Ok(())
}
