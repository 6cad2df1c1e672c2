//! Reading every file once, in parallel, and reusing the work of earlier runs.
//!
//! Two things live in the cache directory (deleting it is always safe):
//!
//! - the facts pack: each file's facts by content hash, valid for one ferry
//!   version and one set of queries, so only changed files are parsed again;
//! - the index memo: the last result with a hash of everything it was built
//!   from, returned as is when nothing changed.
//!
//! A repository can ship a `.ferry/cache/`, and its keys can be computed
//! from what the repository holds, so a matching key proves nothing. Both
//! files carry a checksum of their body (a flipped byte is a miss, not a
//! different answer), and a memo is used only when every path in it is
//! relative, inside the workspace, and names a file this run scanned (or
//! the SDL ariadne read); anything else is discarded and rebuilt.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::calls::facts::BodyFacts;
use super::encoding;
use super::extract::bodies::BodyQuery;
use super::extract::{self, Extractor, new_parser};
use super::facts::{FACTS_FORMAT, FileFacts};
use super::files::SourcePath;
use super::program::SourceFile;
use super::progress::Progress;
use super::{FieldResolution, PythonIndex, PythonIndexOptions};

const PACK_MAGIC: &[u8; 8] = b"FERRYPY3";
const MEMO_MAGIC: &[u8; 8] = b"FERRYIX1";
const PACK_PREFIX: &str = "python-facts-";
const MEMO_FILE: &str = "python-index.bin";
const HASH_LEN: usize = 32;

pub type ContentHash = [u8; HASH_LEN];

/// A file's text in UTF-8, read once.
pub struct ReadFile {
    bytes: Vec<u8>,
    pub hash: ContentHash,
    /// Why Python would refuse the file's bytes (PEP 263 decoding).
    pub problem: Option<String>,
}

/// Reads and hashes every file, in parallel.
pub fn read_all(sources: &[SourcePath]) -> Vec<Result<ReadFile, String>> {
    sources
        .par_iter()
        .map(|source| {
            if !source.regular {
                // A pipe would block the read; Python imports none of these.
                return Err("not a regular file (a pipe, socket or device)".to_string());
            }
            let bytes = std::fs::read(&source.absolute).map_err(|error| error.to_string())?;
            Ok(as_scanned(&bytes))
        })
        .collect()
}

/// A file's bytes as the index scans them: decoded, lines ended by `\n`,
/// hashed.
fn as_scanned(bytes: &[u8]) -> ReadFile {
    let decoded = encoding::decode(bytes);
    let problem = decoded.problem;
    let mut bytes = decoded.text.into_owned();
    python_line_ends(&mut bytes);
    let hash = *blake3::hash(&bytes).as_bytes();
    ReadFile {
        bytes,
        hash,
        problem,
    }
}

/// Whether every file still holds what the index scanned (`hashes` by path
/// relative to `root`).
pub fn all_unchanged(root: &Path, hashes: &BTreeMap<String, ContentHash>) -> bool {
    hashes.par_iter().all(|(file, hash)| {
        std::fs::read(root.join(file)).is_ok_and(|bytes| as_scanned(&bytes).hash == *hash)
    })
}

/// Python ends a line at `\r\n`, `\n` and a lone `\r`; tree-sitter counts
/// rows at `\n` only. A lone `\r` becomes `\n` (same length, same offsets),
/// so every line number is the one Python reports.
pub fn python_line_ends(bytes: &mut [u8]) {
    for i in 0..bytes.len() {
        if bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
            bytes[i] = b'\n';
        }
    }
}

/// Everything a run's index depends on besides the SDL files ariadne reads:
/// ferry, its queries, the framework, and each file's path, module names
/// and content.
pub fn inputs_key(
    opts: &PythonIndexOptions,
    sources: &[SourcePath],
    read: &[Result<ReadFile, String>],
) -> ContentHash {
    let mut hasher = blake3::Hasher::new();
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    hasher.update(&FACTS_FORMAT.to_le_bytes());
    hasher.update(extract::fingerprint(opts.framework).as_bytes());
    for (source, read) in sources.iter().zip(read) {
        hasher.update(source.relative.as_bytes());
        hasher.update(&[0, u8::from(source.is_package)]);
        for module in &source.modules {
            hasher.update(module.as_bytes());
            hasher.update(&[0]);
        }
        match read {
            Ok(file) => hasher.update(&file.hash),
            Err(reason) => hasher.update(reason.as_bytes()),
        };
    }
    *hasher.finalize().as_bytes()
}

#[derive(Serialize, Deserialize)]
struct IndexMemo {
    key: ContentHash,
    /// Other files the result was built from (SDL read by ariadne),
    /// relative to the workspace root, with their content hashes.
    other_inputs: Vec<(String, ContentHash)>,
    index: PythonIndex,
}

/// `magic`, the blake3 of the body, the body.
fn seal(magic: &[u8; 8], body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(magic.len() + HASH_LEN + body.len());
    out.extend_from_slice(magic);
    out.extend_from_slice(blake3::hash(body).as_bytes());
    out.extend_from_slice(body);
    out
}

/// The body of a sealed file, when its magic and checksum hold.
fn unseal<'b>(magic: &[u8; 8], bytes: &'b [u8]) -> Option<&'b [u8]> {
    let rest = bytes.strip_prefix(magic)?;
    let (sum, body) = rest.split_at_checked(HASH_LEN)?;
    (blake3::hash(body).as_bytes() == sum).then_some(body)
}

/// `rel` as a path under `root` that cannot leave it.
fn inside(root: &Path, rel: &str) -> Option<PathBuf> {
    let path = Path::new(rel);
    let plain = path.components().next().is_some()
        && path
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
    plain.then(|| root.join(path))
}

/// The memoized index, when it was built from exactly these inputs and
/// names only files this run scanned.
pub fn load_index(
    dir: &Path,
    key: &ContentHash,
    root: &Path,
    sources: &[SourcePath],
) -> Option<PythonIndex> {
    let bytes = std::fs::read(dir.join(MEMO_FILE)).ok()?;
    let memo: IndexMemo = postcard::from_bytes(unseal(MEMO_MAGIC, &bytes)?).ok()?;
    if memo.key != *key {
        return None;
    }
    let mut known: HashSet<&str> = sources.iter().map(|s| s.relative.as_str()).collect();
    for (rel, hash) in &memo.other_inputs {
        let path = inside(root, rel)?;
        let real = path.canonicalize().ok()?;
        if !real.starts_with(root) || blake3::hash(&std::fs::read(&real).ok()?).as_bytes() != hash {
            return None;
        }
        known.insert(rel);
    }
    let index = memo.index;
    let named = index
        .fields
        .values()
        .filter_map(|resolution| match resolution {
            FieldResolution::Function(resolver) => Some(resolver),
            FieldResolution::Default => None,
        })
        .flat_map(|resolver| std::iter::once(&resolver.function).chain(&resolver.logic))
        .map(|function| function.file.as_str())
        .chain(index.failed_files.iter().map(|(file, _)| file.as_str()))
        .chain(index.files_with_syntax_errors.iter().map(String::as_str));
    let mut all_known = true;
    for file in named {
        all_known &= known.contains(file);
    }
    (all_known && index.files_scanned <= sources.len()).then_some(index)
}

pub fn store_index(
    dir: &Path,
    key: ContentHash,
    root: &Path,
    other_inputs: &[PathBuf],
    index: &PythonIndex,
) {
    let mut relative = Vec::with_capacity(other_inputs.len());
    for path in other_inputs {
        // An input outside the workspace could not be checked on load.
        let (Ok(rel), Ok(bytes)) = (path.strip_prefix(root), std::fs::read(path)) else {
            return;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        relative.push((rel, *blake3::hash(&bytes).as_bytes()));
    }
    let memo = IndexMemo {
        key,
        other_inputs: relative,
        index: index.clone(),
    };
    // A cache that cannot be written only costs the next run time.
    if let Ok(body) = postcard::to_allocvec(&memo) {
        let _ = write_atomically(dir, MEMO_FILE, &seal(MEMO_MAGIC, &body));
    }
}

pub struct Scanned {
    pub files: Vec<SourceFile>,
    pub failed: Vec<(String, String)>,
    /// Per file of `files`, when bodies were asked for.
    pub bodies: Vec<BodyFacts>,
}

struct ScannedFile {
    facts: FileFacts,
    body: Option<BodyFacts>,
    /// The encoded pack entry, for a file parsed now while caching.
    encoded: Option<Vec<u8>>,
}

/// The facts of every file: from the pack when its content was seen before,
/// else parsed (the queries are compiled only if some file needs it). With
/// `bodies`, every file is parsed, for its bodies' facts too (those are not
/// cached); its facts still refresh the pack.
pub fn scan(
    opts: &PythonIndexOptions,
    sources: Vec<SourcePath>,
    read: Vec<Result<ReadFile, String>>,
    bodies: Option<&BodyQuery>,
) -> Scanned {
    let pack_name = pack_name(opts);
    let pack = opts
        .cache_dir
        .as_deref()
        .map(|dir| Pack::load(&dir.join(&pack_name)))
        .unwrap_or_default();
    let caching = opts.cache_dir.is_some();
    let extractor = OnceLock::new();
    let progress = Progress::new(opts.progress, sources.len());

    let results: Vec<Result<ScannedFile, String>> = read
        .par_iter()
        .map_init(new_parser, |parser, read| {
            let result = read.as_ref().map_err(String::clone).and_then(|file| {
                if bodies.is_none()
                    && let Some(facts) = pack.get(&file.hash)
                {
                    return Ok(ScannedFile {
                        facts,
                        body: None,
                        encoded: None,
                    });
                }
                let extractor = extractor.get_or_init(|| Extractor::new(opts.framework));
                let unparsed = || "tree-sitter could not parse the file".to_string();
                let (facts, body) = match bodies {
                    Some(query) => extractor
                        .extract_with_bodies(query, parser, &file.bytes)
                        .map(|(facts, body)| (facts, Some(body)))
                        .ok_or_else(unparsed)?,
                    None => (
                        extractor
                            .extract(parser, &file.bytes)
                            .ok_or_else(unparsed)?,
                        None,
                    ),
                };
                let encoded = caching
                    .then(|| postcard::to_allocvec(&facts))
                    .transpose()
                    .map_err(|error| error.to_string())?;
                Ok(ScannedFile {
                    facts,
                    body,
                    encoded,
                })
            });
            progress.tick();
            result
        })
        .collect();
    progress.finish();

    let mut files = Vec::with_capacity(sources.len());
    let mut body_facts = Vec::new();
    let mut failed = Vec::new();
    let mut entries: Vec<(ContentHash, EntryBytes)> = Vec::new();
    let mut kept = HashSet::new();
    let mut parsed_any = false;
    for ((source, read), result) in sources.into_iter().zip(&read).zip(results) {
        match (read, result) {
            (Ok(file), Ok(scanned)) => {
                parsed_any |= scanned.encoded.is_some();
                if caching && kept.insert(file.hash) {
                    let bytes = match scanned.encoded {
                        Some(encoded) => EntryBytes::Owned(encoded),
                        None => EntryBytes::Pack(pack.entries[&file.hash].clone()),
                    };
                    entries.push((file.hash, bytes));
                }
                body_facts.extend(scanned.body);
                files.push(SourceFile {
                    path: source.relative,
                    absolute: source.absolute,
                    modules: source.modules,
                    is_package: source.is_package,
                    facts: scanned.facts,
                });
            }
            (_, Err(reason)) => failed.push((source.relative, reason)),
            (Err(_), Ok(_)) => unreachable!("a file that could not be read has no facts"),
        }
    }

    if let Some(dir) = &opts.cache_dir
        && (parsed_any || kept.len() != pack.entries.len())
    {
        let _ = write_pack(dir, &pack_name, &pack, &entries);
    }
    Scanned {
        files,
        failed,
        bodies: body_facts,
    }
}

/// Cached facts are valid for one ferry version and one set of queries.
fn pack_name(opts: &PythonIndexOptions) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    hasher.update(&FACTS_FORMAT.to_le_bytes());
    hasher.update(extract::fingerprint(opts.framework).as_bytes());
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
        if unseal(PACK_MAGIC, &bytes).is_none() {
            return Pack::default();
        }
        let mut entries = HashMap::new();
        let mut at = PACK_MAGIC.len() + HASH_LEN;
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
        let mut facts: FileFacts = postcard::from_bytes(&self.bytes[range.clone()]).ok()?;
        facts.derive_qualnames();
        Some(facts)
    }
}

fn write_pack(
    dir: &Path,
    name: &str,
    old: &Pack,
    entries: &[(ContentHash, EntryBytes)],
) -> std::io::Result<()> {
    let mut out = Vec::with_capacity(old.bytes.len());
    for (hash, bytes) in entries {
        let bytes = match bytes {
            EntryBytes::Pack(range) => &old.bytes[range.clone()],
            EntryBytes::Owned(bytes) => bytes.as_slice(),
        };
        out.extend_from_slice(hash);
        out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
        out.extend_from_slice(bytes);
    }
    write_atomically(dir, name, &seal(PACK_MAGIC, &out))?;
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

/// Writes `dir/name` through a temporary file, so that a concurrent run
/// never reads half a file; creates the directory and its `.gitignore`.
/// A cache folder that became a link is not written through.
fn write_atomically(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let real = |d: &Path| crate::workspace::ferry_dir::is_real_dir(d);
    if !real(dir) || dir.parent().is_some_and(|p| !real(p)) {
        return Err(std::io::Error::other("the cache folder is a link"));
    }
    write_gitignore(dir)?;
    let mut temporary = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut temporary, bytes)?;
    temporary
        .persist(dir.join(name))
        .map_err(|error| error.error)?;
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
    crate::workspace::ferry_dir::write_gitignore(&ferry_dir)
}
