//! The monolith's records as the last `status` made them, stored in the
//! cache folder beside the Python index's memo. A run whose monolith
//! files hold the very same text takes them instead of parsing, building
//! and validating the SDL again: on a large monolith that is most of a
//! warm `status`.
//!
//! Only what the records take from the SDL is stored (coordinates, kinds,
//! sites, `@key`s and the validation's findings); the
//! stages, `owns` and the Python are joined again from this run's
//! settings and index, as on a cold run.

use super::build::{self, SdlKeys};
use super::parts::MonolithRecords;
use super::{Anomaly, FieldCoordinate, FieldKind, FieldRecord, SchemaSite};
use crate::python::{ContentHash, HASH_LEN, unseal, write_sealed};
use crate::schema::loaded::Invalidity;
use crate::schema::source::SourceFile;
use crate::workspace::Workspace;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::path::PathBuf;

const MAGIC: &[u8; 8] = b"FERRYMR2";
const FILE: &str = "monolith-records.bin";

/// Where one monolith's records are stored, and the hash of the files
/// they are made from.
#[derive(Debug, Clone)]
pub struct RecordStore {
    dir: PathBuf,
    key: ContentHash,
}

/// One record as the SDL gives it: borrowed from the records to encode
/// it, owned when decoded.
#[derive(Serialize, Deserialize)]
struct StoredRecord<'a> {
    type_name: Cow<'a, str>,
    field_name: Cow<'a, str>,
    kind: FieldKind,
    /// The index of its file in `Stored::files`, line, column, span.
    site: Option<(usize, usize, usize, usize, usize)>,
}

/// The records' part of the stored file, encoded once they are made.
#[derive(Serialize, Deserialize)]
struct StoredRecords<'a> {
    files: Vec<Cow<'a, str>>,
    records: Vec<StoredRecord<'a>>,
    /// The schema's build errors (the validation's come after).
    built_invalid: Vec<Invalidity>,
    sdl_keys: Cow<'a, SdlKeys>,
}

/// The records, encoded, waiting for the validation's findings.
pub struct EncodedRecords(Vec<u8>);

impl RecordStore {
    /// The store for a monolith read from `sources`, when the workspace
    /// has a cache folder.
    pub fn new(workspace: &Workspace, sources: &[SourceFile]) -> Option<RecordStore> {
        let dir = workspace.cache_dir.clone()?;
        if sources.is_empty() {
            return None;
        }
        let mut hasher = blake3::Hasher::new();
        hasher.update(MAGIC);
        hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
        for source in sources {
            for part in [source.path.rel.as_bytes(), source.text.as_bytes()] {
                hasher.update(&part.len().to_le_bytes());
                hasher.update(part);
            }
            hasher.update(&[u8::from(source.exists)]);
        }
        Some(RecordStore {
            dir,
            key: *hasher.finalize().as_bytes(),
        })
    }

    /// Whether the workspace's cache folder holds stored records at all
    /// (for some monolith): then a load likely takes them and does not
    /// parse the monolith.
    pub fn any_stored(workspace: &Workspace) -> bool {
        workspace
            .cache_dir
            .as_ref()
            .is_some_and(|dir| dir.join(FILE).is_file())
    }

    /// The records stored for these very files, their stages and plans
    /// decided for `workspace`; `None` when there are none, they were
    /// made from other files, or the file is damaged.
    pub fn load(&self, workspace: &Workspace) -> Option<MonolithRecords> {
        let bytes = std::fs::read(self.dir.join(FILE)).ok()?;
        if bytes.get(MAGIC.len() + HASH_LEN..)?.get(..HASH_LEN)? != self.key {
            return None;
        }
        let body = unseal(MAGIC, &bytes)?.get(HASH_LEN..)?;
        let (stored, validated): (StoredRecords, Vec<Invalidity>) =
            postcard::from_bytes(body).ok()?;
        let StoredRecords {
            files,
            records,
            built_invalid,
            sdl_keys,
        } = stored;
        let records: Vec<FieldRecord> = records
            .into_par_iter()
            .map(|stored| {
                let monolith = match stored.site {
                    Some((file, line, column, start, end)) => Some(SchemaSite {
                        file: files.get(file)?.to_string(),
                        line,
                        column,
                        span: start..end,
                    }),
                    None => None,
                };
                Some(build::blank_record(
                    FieldCoordinate::new(stored.type_name, stored.field_name),
                    stored.kind,
                    monolith,
                ))
            })
            .collect::<Option<_>>()?;
        let invalid = built_invalid
            .into_iter()
            .chain(validated)
            .map(Anomaly::MonolithInvalid)
            .collect();
        Some(build::monolith_records_from(
            workspace,
            records,
            invalid,
            sdl_keys.into_owned(),
        ))
    }

    /// The part of `records` the store keeps, encoded beside other work.
    pub fn encode(records: &MonolithRecords) -> EncodedRecords {
        let mut files: Vec<Cow<str>> = Vec::new();
        let stored = records
            .records
            .iter()
            .map(|record| StoredRecord {
                type_name: Cow::Borrowed(&record.coordinate.type_name),
                field_name: Cow::Borrowed(&record.coordinate.field_name),
                kind: record.kind,
                site: record.monolith.as_ref().map(|site| {
                    let file = match files.iter().position(|f| *f == site.file) {
                        Some(at) => at,
                        None => {
                            files.push(Cow::Borrowed(&site.file));
                            files.len() - 1
                        }
                    };
                    (file, site.line, site.column, site.span.start, site.span.end)
                }),
            })
            .collect();
        let built_invalid = records
            .invalid
            .iter()
            .filter_map(|anomaly| match anomaly {
                Anomaly::MonolithInvalid(invalidity) => Some(invalidity.clone()),
                _ => None,
            })
            .collect();
        let stored = StoredRecords {
            files,
            records: stored,
            built_invalid,
            sdl_keys: Cow::Borrowed(&records.sdl_keys),
        };
        EncodedRecords(postcard::to_allocvec(&stored).expect("records encode"))
    }

    /// Stores `records` with the validation's findings. A store that
    /// cannot be written is left as it was: the next run parses again.
    pub fn write(&self, records: EncodedRecords, validated: &[Invalidity]) {
        // The key, then a tuple of the records and the findings, as `load`
        // reads it.
        let findings = postcard::to_allocvec(validated).expect("findings encode");
        let body: [&[u8]; 3] = [&self.key, &records.0, &findings];
        let _ = write_sealed(&self.dir, FILE, MAGIC, &body);
    }
}
