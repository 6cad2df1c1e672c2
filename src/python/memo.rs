//! The index memo: the last index with a hash of everything it was built
//! from, returned as is when nothing changed (see [`super::cache`] for why
//! it is checked so carefully).
//!
//! The body starts with the key, so a memo of other inputs is refused
//! without decoding it. The index follows in sections; its two big maps
//! are stored as sorted sequences, decoded side by side and built in one
//! pass (a map decoded entry by entry costs half of a warm run).

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::{Serialize, Serializer};

use super::cache::{ContentHash, HASH_LEN, inside, unseal, write_sealed};
use super::deletion::ImportedDefinition;
use super::files::SourcePath;
use super::{FieldResolution, PythonIndex, PythonProblem};

const MEMO_MAGIC: &[u8; 8] = b"FERRYIX2";
const MEMO_FILE: &str = "python-index.bin";

/// The index's fields besides its two big maps, in the memo's last section.
type Rest = (
    Vec<PythonProblem>,
    Vec<(String, String)>,
    Vec<(String, String)>,
    Vec<String>,
    usize,
    Vec<(String, ContentHash)>,
    Vec<ImportedDefinition>,
);

/// The memoized index, when it was built from exactly these inputs and
/// names only files this run scanned.
pub fn load_index(
    dir: &Path,
    key: &ContentHash,
    root: &Path,
    sources: &[SourcePath],
) -> Option<PythonIndex> {
    let bytes = std::fs::read(dir.join(MEMO_FILE)).ok()?;
    let stored_key = bytes.get(MEMO_MAGIC.len() + HASH_LEN..)?.get(..HASH_LEN)?;
    if stored_key != key {
        return None;
    }
    let (checksum_holds, (other_inputs, index)) =
        rayon::join(|| unseal(MEMO_MAGIC, &bytes).is_some(), || decode(&bytes));
    if !checksum_holds {
        return None;
    }
    let (other_inputs, index) = (other_inputs?, index?);
    let mut known: HashSet<&str> = sources.iter().map(|s| s.relative.as_str()).collect();
    for (rel, hash) in &other_inputs {
        let path = inside(root, rel)?;
        let real = path.canonicalize().ok()?;
        if !real.starts_with(root) || blake3::hash(&std::fs::read(&real).ok()?).as_bytes() != hash {
            return None;
        }
        known.insert(rel);
    }
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

/// The other inputs and the index of a sealed memo (its checksum is
/// checked apart, at the same time).
fn decode(sealed: &[u8]) -> (Option<Vec<(String, ContentHash)>>, Option<PythonIndex>) {
    let Some(body) = sealed.get(MEMO_MAGIC.len() + HASH_LEN + HASH_LEN..) else {
        return (None, None);
    };
    let mut sections = Sections(body);
    let (Some(other_inputs), Some(fields), Some(code), Some(rest)) = (
        sections.next(),
        sections.next(),
        sections.next(),
        sections.next(),
    ) else {
        return (None, None);
    };
    let ((fields, code), rest) = rayon::join(
        || rayon::join(|| sorted_map(fields), || sorted_map(code)),
        || postcard::from_bytes::<Rest>(rest).ok(),
    );
    let index = (|| {
        let (
            problems,
            failed_files,
            undecodable_files,
            files_with_syntax_errors,
            files_scanned,
            file_hashes,
            imported_definitions,
        ) = rest?;
        Some(PythonIndex {
            fields: fields?,
            code: code?,
            problems,
            failed_files,
            undecodable_files,
            files_with_syntax_errors,
            files_scanned,
            file_hashes: file_hashes.into_iter().collect(),
            imported_definitions,
        })
    })();
    (postcard::from_bytes(other_inputs).ok(), index)
}

/// A map stored as its entries in order; collecting sorted entries builds
/// the tree in one pass (and entries out of order still make the right map).
fn sorted_map<K: Ord + DeserializeOwned, V: DeserializeOwned>(
    bytes: &[u8],
) -> Option<BTreeMap<K, V>> {
    let entries: Vec<(K, V)> = postcard::from_bytes(bytes).ok()?;
    Some(entries.into_iter().collect())
}

/// Length-prefixed sections of a memo body.
struct Sections<'b>(&'b [u8]);

impl<'b> Iterator for Sections<'b> {
    type Item = &'b [u8];

    fn next(&mut self) -> Option<&'b [u8]> {
        let (len, rest) = self.0.split_at_checked(4)?;
        let len = u32::from_le_bytes(len.try_into().ok()?) as usize;
        let (section, rest) = rest.split_at_checked(len)?;
        self.0 = rest;
        Some(section)
    }
}

/// A map serialized as the sequence of its entries.
struct Entries<'m, K, V>(&'m BTreeMap<K, V>);

impl<K: Serialize, V: Serialize> Serialize for Entries<'_, K, V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter())
    }
}

/// The index's two big maps as the memo's sections, encoded apart from
/// the rest (and each on its own core) while the index is finished.
pub struct EncodedMaps {
    fields: Vec<u8>,
    code: Vec<u8>,
}

impl EncodedMaps {
    pub fn new(
        fields: &BTreeMap<(String, String), FieldResolution>,
        code: &BTreeMap<(String, String), super::FieldCode>,
    ) -> Option<EncodedMaps> {
        let (fields, code) = rayon::join(
            || section(&Entries(fields), fields.len()),
            || section(&Entries(code), code.len()),
        );
        Some(EncodedMaps {
            fields: fields?,
            code: code?,
        })
    }
}

/// One section on its own, for `entries` entries of about 80 bytes (so
/// the buffer seldom grows).
fn section(value: &impl Serialize, entries: usize) -> Option<Vec<u8>> {
    let mut body = Vec::with_capacity(entries * 80);
    push_section(&mut body, value)?;
    Some(body)
}

fn push_section(body: &mut Vec<u8>, value: &impl Serialize) -> Option<()> {
    let start = body.len();
    body.extend_from_slice(&[0; 4]);
    let mut out = postcard::to_extend(value, std::mem::take(body)).ok()?;
    let len = u32::try_from(out.len() - start - 4).ok()?;
    out[start..start + 4].copy_from_slice(&len.to_le_bytes());
    *body = out;
    Some(())
}

/// The memo body's start: the key and the other inputs' section.
fn encode_head(key: &ContentHash, other_inputs: &[(String, ContentHash)]) -> Option<Vec<u8>> {
    let mut body = key.to_vec();
    push_section(&mut body, &other_inputs)?;
    Some(body)
}

/// The memo body's last section: the index's fields besides its maps.
fn encode_rest(index: &PythonIndex) -> Option<Vec<u8>> {
    let rest = (
        &index.problems,
        &index.failed_files,
        &index.undecodable_files,
        &index.files_with_syntax_errors,
        index.files_scanned,
        Entries(&index.file_hashes),
        &index.imported_definitions,
    );
    section(&rest, index.file_hashes.len())
}

/// Writes `index` as the memo of `key` and the other inputs it was built
/// from, its maps' sections encoded already.
pub fn store_index(
    dir: &Path,
    key: ContentHash,
    root: &Path,
    other_inputs: &[PathBuf],
    index: &PythonIndex,
    maps: EncodedMaps,
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
    // A cache that cannot be written only costs the next run time.
    if let (Some(head), Some(rest)) = (encode_head(&key, &relative), encode_rest(index)) {
        let body: [&[u8]; 4] = [&head, &maps.fields, &maps.code, &rest];
        let _ = write_sealed(dir, MEMO_FILE, MEMO_MAGIC, &body);
    }
}
