//! Classes: bases, C3 method resolution order, attributes through the MRO.

use super::*;

impl Program {
    /// The bases of a class as written, evaluated where the class stands.
    pub fn bases(&self, class: ScopeRef) -> Vec<Symbol<'_>> {
        let at = self.parent(class);
        match self.class_fact(class) {
            Some(Fact::Class { bases, .. }) => {
                bases.iter().map(|base| self.eval(at, base)).collect()
            }
            _ => Vec::new(),
        }
    }

    /// The class's method resolution order (C3, as Python computes it), the
    /// class itself first; bases outside the workspace appear as `External`.
    pub fn mro(&self, class: ScopeRef) -> Arc<[MroEntry]> {
        let mut visiting = FxHashSet::default();
        self.mro_visiting(class, &mut visiting)
    }

    fn mro_visiting(&self, class: ScopeRef, visiting: &mut FxHashSet<ScopeRef>) -> Arc<[MroEntry]> {
        let slot = self.class_id(class).map(|id| &self.mros[id]);
        if let Some(mro) = slot.and_then(OnceLock::get) {
            return mro.clone();
        }
        // A class among its own bases (invalid, but code can say it).
        if !visiting.insert(class) {
            return Arc::from(vec![MroEntry::Class(class)]);
        }
        let mut sequences: Vec<Vec<MroEntry>> = Vec::new();
        let mut direct = Vec::new();
        for base in self.bases(class) {
            let (entry, linearization) = match base {
                Symbol::Class(base) if base != class => (
                    MroEntry::Class(base),
                    self.mro_visiting(base, visiting).to_vec(),
                ),
                Symbol::External(path) => {
                    let entry = MroEntry::External(path);
                    (entry.clone(), vec![entry])
                }
                _ => continue,
            };
            direct.push(entry);
            sequences.push(linearization);
        }
        sequences.push(direct);
        let mut mro = vec![MroEntry::Class(class)];
        mro.extend(c3_merge(sequences.clone()).unwrap_or_else(|| depth_first(sequences)));
        visiting.remove(&class);
        remember(slot, Arc::from(mro))
    }

    /// The attributes a class has through its MRO, as `getattr` sees them.
    pub(super) fn namespace(&self, class: ScopeRef) -> Arc<Namespace> {
        let slot = self.class_id(class).map(|id| &self.namespaces[id]);
        if let Some(namespace) = slot.and_then(OnceLock::get) {
            return namespace.clone();
        }
        let mut namespace = Namespace::default();
        for (position, entry) in self.mro(class).iter().enumerate().rev() {
            match entry {
                MroEntry::Class(owner) => {
                    for (name, &index) in
                        &self.file(owner.file).tables.bindings[owner.scope as usize]
                    {
                        namespace
                            .attributes
                            .insert(name.clone(), (position, *owner, index));
                    }
                }
                MroEntry::External(path) => namespace.libraries.push((position, path.clone())),
            }
        }
        remember(slot, Arc::new(namespace))
    }

    /// `getattr(cls, name)` over the workspace classes of the MRO. Library
    /// bases are the caller's to know (see [`Program::class_attribute_with`]).
    pub fn class_attribute(&self, class: ScopeRef, name: &str) -> Option<Symbol<'_>> {
        let namespace = self.namespace(class);
        let &(_, owner, index) = namespace.attributes.get(name)?;
        Some(self.binding(owner.file, index, name, 1))
    }

    /// `getattr(cls, name)` where library bases may also define `name`:
    /// `library(path, name)` says whether the library class at `path` does,
    /// and such an attribute comes back as `External`.
    pub fn class_attribute_with(
        &self,
        class: ScopeRef,
        name: &str,
        library: impl Fn(&str, &str) -> bool,
    ) -> Option<Symbol<'_>> {
        let namespace = self.namespace(class);
        let found = namespace.attributes.get(name);
        let before = found.map_or(usize::MAX, |&(position, ..)| position);
        for (position, path) in &namespace.libraries {
            if *position < before && library(path, name) {
                return Some(Symbol::External(dotted(path, name)));
            }
        }
        let &(_, owner, index) = found?;
        Some(self.binding(owner.file, index, name, 1))
    }

    /// A class nested directly in `class` (its own, not inherited): `Meta`.
    /// As in the class's `__dict__`, the name's last binding counts: a
    /// second `class Meta` replaces the first, an assignment hides both.
    pub fn nested_class(&self, class: ScopeRef, name: &str) -> Option<ScopeRef> {
        let index = *self.file(class.file).tables.bindings[class.scope as usize].get(name)?;
        match &self.file(class.file).facts.facts[index] {
            Fact::Class { class_scope, .. } => Some(ScopeRef {
                file: class.file,
                scope: *class_scope,
            }),
            _ => None,
        }
    }

    /// The expression last assigned to `name` as seen from `at` (its own
    /// scope, then the module), unevaluated: `query_type = schema.query_type`.
    pub fn assigned_value(&self, at: ScopeRef, name: &str) -> Option<(ScopeRef, &Expr)> {
        for scope in [at, Self::module_scope(at.file)] {
            if let Some(&index) = self.file(at.file).tables.bindings[scope.scope as usize].get(name)
            {
                return match &self.file(at.file).facts.facts[index] {
                    Fact::Assign {
                        value: Some(value), ..
                    } => Some((scope, value)),
                    _ => None,
                };
            }
        }
        None
    }

    /// The value assigned to `name` directly in a class body (last one wins).
    pub fn class_value<'p>(&'p self, class: ScopeRef, name: &str) -> Option<&'p Expr> {
        let index = *self.file(class.file).tables.bindings[class.scope as usize].get(name)?;
        match &self.file(class.file).facts.facts[index] {
            Fact::Assign { value, .. } => value.as_ref(),
            _ => None,
        }
    }
}

/// Python's C3 linearization; `None` when the bases admit no consistent order.
fn c3_merge(mut sequences: Vec<Vec<MroEntry>>) -> Option<Vec<MroEntry>> {
    let mut result = Vec::new();
    loop {
        sequences.retain(|sequence| !sequence.is_empty());
        if sequences.is_empty() {
            return Some(result);
        }
        let head = sequences.iter().find_map(|sequence| {
            let candidate = &sequence[0];
            let in_tail = sequences.iter().any(|other| other[1..].contains(candidate));
            (!in_tail).then(|| candidate.clone())
        })?;
        for sequence in &mut sequences {
            if sequence[0] == head {
                sequence.remove(0);
            }
        }
        result.push(head);
    }
}

/// Old-style (Python 2 classic class) order, used when C3 fails.
fn depth_first(sequences: Vec<Vec<MroEntry>>) -> Vec<MroEntry> {
    let mut seen = FxHashSet::default();
    sequences
        .into_iter()
        .flatten()
        .filter(|entry| seen.insert(entry.clone()))
        .collect()
}
