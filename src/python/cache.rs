//! Reading every file once, in parallel, and reusing the work of earlier runs.
//!
//! Three things live in the cache directory (deleting it is always safe):
//!
//! - the stamps: each file's size, times and inode with its content hash,
//!   so an unchanged file is known without reading it ([`super::stamps`]);
//! - the facts pack: each file's facts by content hash, valid for one ferry
//!   version and one set of queries, so only changed files are parsed again;
//! - the index memo: the last result with a hash of everything it was built
//!   from, returned as is when nothing changed ([`super::memo`]).
//!
//! A repository can ship a `.ferry/cache/`, and its keys can be computed
//! from what the repository holds, so a matching key proves nothing. Every
//! file carries a checksum of its body (a flipped byte is a miss, not a
//! different answer), a stamp can only match the file it was taken of
//! (inode, device and change time are the machine's own), and a memo is
//! used only when every path in it is relative, inside the workspace, and
//! names a file this run scanned (or the SDL ariadne read); anything else
//! is discarded and rebuilt.

use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rayon::prelude::*;

use super::PythonIndexOptions;
use super::calls::facts::BodyFacts;
use super::encoding;
use super::extract::bodies::BodyQuery;
use super::extract::{self, Extractor, new_parser};
use super::facts::{FACTS_FORMAT, FileFacts};
use super::files::SourcePath;
use super::program::{ScopeTables, SourceFile};
use super::progress::Progress;
use super::stamps::{self, Recorded, Stamp};

const PACK_MAGIC: &[u8; 8] = b"FERRYPY3";
const PACK_PREFIX: &str = "python-facts-";
/// From this many files, a scan that parses them all compiles the
/// framework queries before it needs them (they cost as much as parsing
/// a dozen files).
const EAGER_QUERIES_FROM: usize = 64;
pub const HASH_LEN: usize = 32;

pub type ContentHash = [u8; HASH_LEN];

/// A file's text in UTF-8 and its hash, read once.
pub struct ReadFile {
    /// `None` when the file's stamp said it holds what was hashed before:
    /// it is read only if its facts must be parsed.
    bytes: Option<Vec<u8>>,
    pub hash: ContentHash,
    /// Why Python would refuse the file's bytes (PEP 263 decoding).
    pub problem: Option<String>,
}

/// Every file's content hash, in parallel: taken from the stamps when the
/// file is unchanged since it was hashed, else read and hashed (and the
/// stamps updated).
pub fn read_all(sources: &[SourcePath], cache_dir: Option<&Path>) -> Vec<Result<ReadFile, String>> {
    let recorded = cache_dir.map(stamps::load).unwrap_or_default();
    // Per file, its stamp and what the stamps know of it.
    type Looked = Result<(Option<Stamp>, Option<ReadFile>), String>;
    let looked: Vec<Looked> = sources
        .par_iter()
        .map(|source| {
            if !source.regular {
                // A pipe would block the read; Python imports none of these.
                return Err("not a regular file (a pipe, socket or device)".to_string());
            }
            let stamp = std::fs::metadata(&source.absolute)
                .ok()
                .map(|metadata| Stamp::of(&metadata));
            let known = stamp
                .and_then(|stamp| recorded.unchanged(&source.relative, &stamp))
                .map(|known| ReadFile {
                    bytes: None,
                    hash: known.hash,
                    problem: known.problem.clone(),
                });
            Ok((stamp, known))
        })
        .collect();
    let unknown = looked.iter().any(|looked| matches!(looked, Ok((_, None))));
    // The clock is read before any file is: see `stamps`.
    let now = cache_dir.filter(|_| unknown).and_then(|dir| {
        prepare_dir(dir)
            .ok()
            .and_then(|()| stamps::filesystem_now(dir))
    });
    let read: Vec<(Option<Stamp>, bool, Result<ReadFile, String>)> = sources
        .par_iter()
        .zip(looked)
        .map(|(source, looked)| match looked {
            Ok((stamp, Some(known))) => (stamp, true, Ok(known)),
            Ok((stamp, None)) => (stamp, false, read_file(source)),
            Err(reason) => (None, false, Err(reason)),
        })
        .collect();
    if let Some(dir) = cache_dir {
        let entries: Vec<Recorded> = sources
            .iter()
            .zip(&read)
            .filter_map(|(source, (stamp, known, read))| {
                let (stamp, read) = (stamp.as_ref()?, read.as_ref().ok()?);
                Some(Recorded {
                    file: source.relative.clone(),
                    stamp: *stamp,
                    hash: read.hash,
                    problem: read.problem.clone(),
                    settled: *known || now.is_some_and(|now| stamps::settled(stamp, now)),
                })
            })
            .collect();
        let all_known = read.iter().all(|(_, known, _)| *known);
        if !all_known || entries.len() != recorded.len() {
            stamps::store(dir, &entries);
        }
    }
    read.into_iter().map(|(_, _, read)| read).collect()
}

fn read_file(source: &SourcePath) -> Result<ReadFile, String> {
    let bytes = std::fs::read(&source.absolute).map_err(|error| error.to_string())?;
    Ok(as_scanned(bytes))
}

/// A file's bytes as the index scans them: decoded, lines ended by `\n`,
/// hashed. UTF-8 (nearly every file) keeps the buffer it was read into.
fn as_scanned(bytes: Vec<u8>) -> ReadFile {
    let encoding::Decoded { text, problem } = encoding::decode(&bytes);
    let decoded = match text {
        Cow::Owned(decoded) => Some(decoded),
        Cow::Borrowed(_) => None,
    };
    let mut bytes = decoded.unwrap_or(bytes);
    python_line_ends(&mut bytes);
    let hash = *blake3::hash(&bytes).as_bytes();
    ReadFile {
        bytes: Some(bytes),
        hash,
        problem,
    }
}

/// Whether every file still holds what the index scanned (`hashes` by path
/// relative to `root`).
pub fn all_unchanged(root: &Path, hashes: &BTreeMap<String, ContentHash>) -> bool {
    hashes.par_iter().all(|(file, hash)| {
        std::fs::read(root.join(file)).is_ok_and(|bytes| as_scanned(bytes).hash == *hash)
    })
}

/// Python ends a line at `\r\n`, `\n` and a lone `\r`; tree-sitter counts
/// rows at `\n` only. A lone `\r` becomes `\n` (same length, same offsets),
/// so every line number is the one Python reports.
pub fn python_line_ends(bytes: &mut [u8]) {
    let lone: Vec<usize> = memchr::memchr_iter(b'\r', bytes)
        .filter(|&at| bytes.get(at + 1) != Some(&b'\n'))
        .collect();
    for at in lone {
        bytes[at] = b'\n';
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

/// `magic`, the blake3 of the body, the body.
pub fn seal(magic: &[u8; 8], body: &[u8]) -> Vec<u8> {
    let mut out = seal_head(magic, &[body]);
    out.extend_from_slice(body);
    out
}

/// What [`seal`] puts before a body that is the parts one after another:
/// the magic and their blake3.
fn seal_head(magic: &[u8; 8], parts: &[&[u8]]) -> Vec<u8> {
    let mut hasher = blake3::Hasher::new();
    for part in parts {
        hasher.update(part);
    }
    let mut head = Vec::with_capacity(magic.len() + HASH_LEN);
    head.extend_from_slice(magic);
    head.extend_from_slice(hasher.finalize().as_bytes());
    head
}

/// The body of a sealed file, when its magic and checksum hold.
pub fn unseal<'b>(magic: &[u8; 8], bytes: &'b [u8]) -> Option<&'b [u8]> {
    let rest = bytes.strip_prefix(magic)?;
    let (sum, body) = rest.split_at_checked(HASH_LEN)?;
    (blake3::hash(body).as_bytes() == sum).then_some(body)
}

/// `rel` as a path under `root` that cannot leave it.
pub fn inside(root: &Path, rel: &str) -> Option<PathBuf> {
    let path = Path::new(rel);
    let plain = path.components().next().is_some()
        && path
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
    plain.then(|| root.join(path))
}

pub struct Scanned {
    pub files: Vec<SourceFile>,
    pub failed: Vec<(String, String)>,
    /// Per file of `files`, when bodies were asked for.
    pub bodies: Vec<BodyFacts>,
    /// Per source, its hash as scanned (a file known by its stamp and
    /// read now may hold something newer); the text itself dropped.
    pub read: Vec<Result<ReadFile, String>>,
    /// The facts pack to write, when it changed: left to the caller, which
    /// writes it while it puts the index together.
    pub pack: Option<PackWrite>,
}

/// A facts pack waiting to be written.
pub struct PackWrite {
    dir: PathBuf,
    name: String,
    old: Pack,
    entries: Vec<(ContentHash, EntryBytes)>,
}

impl PackWrite {
    /// A cache that cannot be written only costs the next run time.
    pub fn write(self) {
        let _ = write_pack(&self.dir, &self.name, &self.old, &self.entries);
    }
}

struct ScannedFile {
    facts: FileFacts,
    tables: ScopeTables,
    body: Option<BodyFacts>,
    /// The encoded pack entry, for a file parsed now while caching.
    encoded: Option<Vec<u8>>,
}

/// What every file's scan shares.
struct ScanRun<'r> {
    opts: &'r PythonIndexOptions,
    pack: &'r Pack,
    extractor: OnceLock<Extractor>,
    bodies: Option<&'r BodyQuery>,
}

/// The facts of every file: from the pack when its content was seen before,
/// else parsed (the queries are compiled only if some file needs it, and a
/// file known by its stamp is read only then). With `bodies`, every file is
/// parsed, for its bodies' facts too (those are not cached); its facts
/// still refresh the pack.
pub fn scan(
    opts: &PythonIndexOptions,
    sources: &[SourcePath],
    read: Vec<Result<ReadFile, String>>,
    bodies: Option<&BodyQuery>,
) -> Scanned {
    let pack_name = pack_name(opts);
    let pack = opts
        .cache_dir
        .as_deref()
        .map(|dir| Pack::load(&dir.join(&pack_name)))
        .unwrap_or_default();
    let run = ScanRun {
        opts,
        pack: &pack,
        extractor: OnceLock::new(),
        bodies,
    };
    let progress = Progress::new(opts.progress, sources.len());
    // The largest files first: each core's last jobs are then small files,
    // and the cores finish together rather than one waiting on the other's
    // last big file. A file to be read (known by its stamp) counts as small.
    let size = |read: &Result<ReadFile, String>| {
        read.as_ref()
            .ok()
            .and_then(|file| file.bytes.as_ref())
            .map_or(0, Vec::len)
    };
    let mut jobs: Vec<(usize, Result<ReadFile, String>)> = read.into_iter().enumerate().collect();
    jobs.sort_by_key(|(_, read)| Reverse(size(read)));
    let many = run.parses_many(jobs.len());
    let parse_all = || {
        // One file per job: rayon's own split hands each core long runs of
        // files, and its last run can leave the other core idle.
        jobs.into_par_iter()
            .with_max_len(1)
            .map_init(new_parser, |parser, (at, read)| {
                let result = run.file(parser, &sources[at], read);
                progress.tick();
                (at, result)
            })
            .collect::<Vec<_>>()
    };
    let mut results = if many {
        // The framework queries would be compiled by the first file that
        // holds one of their words, which may come last: on a cold scan
        // they are compiled first, beside the parse.
        let extractor = run.extractor();
        rayon::join(parse_all, || extractor.prepare_sites()).0
    } else {
        parse_all()
    };
    results.sort_unstable_by_key(|(at, _)| *at);
    let results = results.into_iter().map(|(_, result)| result);
    progress.finish();

    let caching = opts.cache_dir.is_some();
    let mut files = Vec::with_capacity(sources.len());
    let mut body_facts = Vec::new();
    let mut failed = Vec::new();
    let mut entries: Vec<(ContentHash, EntryBytes)> = Vec::new();
    let mut kept = HashSet::new();
    let mut parsed_any = false;
    let mut read = Vec::with_capacity(sources.len());
    for (source, (file, result)) in sources.iter().zip(results) {
        match (&file, result) {
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
                    path: source.relative.clone(),
                    absolute: source.absolute.clone(),
                    modules: source.modules.clone(),
                    is_package: source.is_package,
                    facts: scanned.facts,
                    tables: scanned.tables,
                });
            }
            (_, Err(reason)) => failed.push((source.relative.clone(), reason)),
            (Err(_), Ok(_)) => unreachable!("a file that could not be read has no facts"),
        }
        read.push(file);
    }

    let pack = match &opts.cache_dir {
        Some(dir) if parsed_any || kept.len() != pack.entries.len() => Some(PackWrite {
            dir: dir.clone(),
            name: pack_name,
            old: pack,
            entries,
        }),
        _ => None,
    };
    Scanned {
        files,
        failed,
        bodies: body_facts,
        read,
        pack,
    }
}

impl ScanRun<'_> {
    /// One file's facts, and the file as scanned (its text dropped).
    fn file(
        &self,
        parser: &mut tree_sitter::Parser,
        source: &SourcePath,
        read: Result<ReadFile, String>,
    ) -> (Result<ReadFile, String>, Result<ScannedFile, String>) {
        let mut file = match read {
            Ok(file) => file,
            Err(reason) => return (Err(reason.clone()), Err(reason)),
        };
        if self.bodies.is_none()
            && let Some(facts) = self.pack.get(&file.hash)
        {
            let scanned = ScannedFile {
                tables: ScopeTables::of(&facts),
                facts,
                body: None,
                encoded: None,
            };
            return (Ok(file), Ok(scanned));
        }
        let bytes = match file.bytes.take() {
            Some(bytes) => bytes,
            // Known unchanged by its stamp, but its facts must be parsed.
            None => match read_file(source) {
                Ok(read) => {
                    file = read;
                    file.bytes.take().unwrap_or_default()
                }
                Err(reason) => return (Err(reason.clone()), Err(reason)),
            },
        };
        let result = self.parse(parser, &bytes);
        (Ok(file), result)
    }

    fn extractor(&self) -> &Extractor {
        self.extractor
            .get_or_init(|| Extractor::new(self.opts.framework))
    }

    /// Whether so many of `files` are to be parsed (a cold scan of a
    /// codebase, a plan) that the framework queries are worth compiling
    /// up front.
    fn parses_many(&self, files: usize) -> bool {
        files >= EAGER_QUERIES_FROM && (self.bodies.is_some() || self.pack.entries.is_empty())
    }

    fn parse(&self, parser: &mut tree_sitter::Parser, bytes: &[u8]) -> Result<ScannedFile, String> {
        let extractor = self.extractor();
        let unparsed = || "tree-sitter could not parse the file".to_string();
        let (facts, body) = match self.bodies {
            Some(query) => extractor
                .extract_with_bodies(query, parser, bytes)
                .map(|(facts, body)| (facts, Some(body)))
                .ok_or_else(unparsed)?,
            None => (extractor.extract(parser, bytes).ok_or_else(unparsed)?, None),
        };
        let encoded = self
            .opts
            .cache_dir
            .is_some()
            .then(|| postcard::to_allocvec(&facts))
            .transpose()
            .map_err(|error| error.to_string())?;
        Ok(ScannedFile {
            tables: ScopeTables::of(&facts),
            facts,
            body,
            encoded,
        })
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
    write_sealed(dir, name, PACK_MAGIC, &[&out])?;
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
pub fn write_atomically(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    write_parts_atomically(dir, name, &[bytes])
}

/// [`write_atomically`] of [`seal`] of the body the parts make one after
/// another, written from the parts: a sealed copy of a large body would
/// be megabytes of fresh memory.
pub fn write_sealed(
    dir: &Path,
    name: &str,
    magic: &[u8; 8],
    body: &[&[u8]],
) -> std::io::Result<()> {
    let head = seal_head(magic, body);
    let mut parts = Vec::with_capacity(body.len() + 1);
    parts.push(head.as_slice());
    parts.extend_from_slice(body);
    write_parts_atomically(dir, name, &parts)
}

fn write_parts_atomically(dir: &Path, name: &str, parts: &[&[u8]]) -> std::io::Result<()> {
    prepare_dir(dir)?;
    let mut temporary = tempfile::NamedTempFile::new_in(dir)?;
    for part in parts {
        std::io::Write::write_all(&mut temporary, part)?;
    }
    temporary
        .persist(dir.join(name))
        .map_err(|error| error.error)?;
    Ok(())
}

/// Creates the cache directory and its `.gitignore`, unless it is a link.
fn prepare_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let real = |d: &Path| crate::workspace::ferry_dir::is_real_dir(d);
    if !real(dir) || dir.parent().is_some_and(|p| !real(p)) {
        return Err(std::io::Error::other("the cache folder is a link"));
    }
    write_gitignore(dir)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn source(root: &Path, relative: &str) -> SourcePath {
        SourcePath {
            absolute: root.join(relative),
            relative: relative.to_string(),
            modules: vec![relative.trim_end_matches(".py").to_string()],
            is_package: false,
            regular: true,
        }
    }

    /// Records `hash` for the file as it stands, settled or not.
    fn record(dir: &Path, file: &SourcePath, hash: ContentHash, settled: bool) {
        let metadata = std::fs::metadata(&file.absolute).unwrap();
        stamps::store(
            dir,
            &[Recorded {
                file: file.relative.clone(),
                stamp: Stamp::of(&metadata),
                hash,
                problem: None,
                settled,
            }],
        );
    }

    #[test]
    fn a_settled_stamp_stands_for_the_file_and_a_racy_one_is_read_again() {
        let root = tempfile::tempdir().unwrap();
        let cache = root.path().join(".ferry/cache");
        std::fs::write(root.path().join("types.py"), "x = 1\n").unwrap();
        let file = source(root.path(), "types.py");
        let real = *blake3::hash(b"x = 1\n").as_bytes();

        // A settled record is believed: the file is not even read (which is
        // why a record must never be settled while a write could go unseen).
        record(&cache, &file, [7; 32], true);
        let read = read_all(std::slice::from_ref(&file), Some(&cache));
        let known = read[0].as_ref().unwrap();
        assert_eq!((known.hash, known.bytes.is_none()), ([7; 32], true));

        // Racily clean: the same stamp, but changed in the tick the clock
        // was read at. The file is read and hashed, and recorded again.
        record(&cache, &file, [7; 32], false);
        let read = read_all(std::slice::from_ref(&file), Some(&cache));
        let hashed = read[0].as_ref().unwrap();
        assert_eq!((hashed.hash, hashed.bytes.is_some()), (real, true));
        let recorded = stamps::load(&cache);
        let metadata = std::fs::metadata(&file.absolute).unwrap();
        let entry = recorded.by_file("types.py").unwrap();
        assert_eq!((entry.hash, entry.stamp), (real, Stamp::of(&metadata)));
    }

    #[test]
    fn without_a_cache_every_file_is_read() {
        let root = tempfile::tempdir().unwrap();
        std::fs::write(root.path().join("types.py"), "x = 1\r").unwrap();
        let read = read_all(&[source(root.path(), "types.py")], None);
        let file = read[0].as_ref().unwrap();
        assert_eq!(file.bytes.as_deref(), Some(&b"x = 1\n"[..]));
        assert_eq!(file.hash, *blake3::hash(b"x = 1\n").as_bytes());
    }

    #[test]
    fn a_body_written_from_parts_is_sealed_as_the_whole() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let cache = dir.path().join(".ferry/cache");
        let parts: [&[u8]; 3] = [b"head", b"", b"and the rest"];
        write_sealed(&cache, "parts.bin", b"FERRYTST", &parts).expect("written");
        let written = std::fs::read(cache.join("parts.bin")).expect("read");
        assert_eq!(written, seal(b"FERRYTST", b"headand the rest"));
        assert_eq!(
            unseal(b"FERRYTST", &written),
            Some(&b"headand the rest"[..])
        );
    }
}
