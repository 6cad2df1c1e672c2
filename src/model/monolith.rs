//! The monolith's schema, parsed when something first asks for it. A
//! `status` that takes the monolith's stored records (see
//! [`crate::model::inventory::RecordStore`]) never does; a command that
//! edits, generates or shows a definition parses it on first use, from
//! the text the run read.

use crate::schema::loaded::{LoadedSchema, Validation};
use crate::schema::source::SourceFile;
use std::ops::Deref;
use std::sync::OnceLock;

#[derive(Debug, Clone)]
pub struct Monolith {
    /// The files as read, for the parse on first use.
    sources: Vec<SourceFile>,
    loaded: OnceLock<LoadedSchema>,
}

impl Monolith {
    /// A schema already loaded.
    pub fn loaded(loaded: LoadedSchema) -> Monolith {
        Monolith {
            sources: Vec::new(),
            loaded: OnceLock::from(loaded),
        }
    }

    /// Files whose stored records stand in for their schema until it is
    /// needed. They loaded (leniently) when the records were made, and a
    /// load of the same text gives the same schema.
    pub fn unparsed(sources: Vec<SourceFile>) -> Monolith {
        Monolith {
            sources,
            loaded: OnceLock::new(),
        }
    }

    /// Whether the schema was parsed (for tests: a warm `status` never
    /// parses it).
    pub fn is_parsed(&self) -> bool {
        self.loaded.get().is_some()
    }

    /// Whether the schema was built and still waits for its validation.
    pub fn validation_pending(&self) -> bool {
        self.loaded
            .get()
            .is_some_and(LoadedSchema::validation_pending)
    }

    /// The schema with `validation`'s findings (see
    /// [`LoadedSchema::validated`]).
    pub fn validated(self, validation: Validation) -> Monolith {
        match self.loaded.into_inner() {
            Some(loaded) => Monolith::loaded(loaded.validated(validation)),
            None => Monolith::unparsed(self.sources),
        }
    }
}

impl Deref for Monolith {
    type Target = LoadedSchema;

    fn deref(&self) -> &LoadedSchema {
        self.loaded.get_or_init(|| {
            LoadedSchema::load_lenient(self.sources.clone())
                .expect("the monolith's files loaded when their records were stored")
        })
    }
}
