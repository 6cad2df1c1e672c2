//! A graphene type's fields: what is mounted on the class, its MRO and its
//! interfaces, and what each mounted value means.

use super::*;

impl<'p> Graphene<'p> {
    /// The fields of a type class, by attribute: its interfaces' first, then
    /// those mounted along its MRO, nearest class last (as graphene merges them).
    pub(super) fn fields(&self, class: ScopeRef) -> Fields<'p> {
        let slot = self.program.class_id(class).map(|id| &self.fields[id]);
        if let Some(fields) = slot.and_then(OnceLock::get) {
            return fields.clone();
        }
        let kind = self.kind(class).unwrap_or(Kind::Other);
        let mut fields: Vec<FieldDecl<'p>> = Vec::new();
        let mut positions: FxHashMap<&'p str, usize> = FxHashMap::default();
        let mut put = |fields: &mut Vec<FieldDecl<'p>>, field: FieldDecl<'p>| match positions
            .get(field.attr)
        {
            Some(&position) => fields[position] = field,
            None => {
                positions.insert(field.attr, fields.len());
                fields.push(field);
            }
        };
        // A Mutation without an output type drops the interface fields.
        if matches!(kind, Kind::ObjectType | Kind::Connection) {
            for interface in self.interfaces(class) {
                for field in self.interface_fields(&interface).iter() {
                    put(&mut fields, field.clone());
                }
            }
        }
        let mro = self.program.mro(class);
        // A type of many mixins (a monolith's `Query`): their bodies are
        // read on every core first.
        if mro.len() > MANY {
            mro.par_iter().for_each(|entry| {
                if let MroEntry::Class(base) = entry {
                    self.mounted(*base);
                }
            });
        }
        for entry in mro.iter().rev() {
            if let MroEntry::Class(base) = entry {
                for field in self.mounted(*base).iter() {
                    put(&mut fields, field.clone());
                }
            }
        }
        let library: &[(&str, &'static str)] = match kind {
            Kind::Connection => &[("page_info", "pageInfo"), ("edges", "edges")],
            Kind::Mutation { client_id: true } => &[("client_mutation_id", "clientMutationId")],
            _ => &[],
        };
        for &(attr, name) in library {
            // relay's Connection keeps a field of that name; ClientIDMutation does not.
            if kind == Kind::Connection && fields.iter().any(|field| field.attr == attr) {
                continue;
            }
            put(
                &mut fields,
                FieldDecl {
                    attr,
                    mount: Mount::Library(name),
                    statement: None,
                },
            );
        }
        remember(slot, fields.into())
    }

    /// The fields mounted directly in one class body (its `__dict__`).
    pub(super) fn mounted(&self, class: ScopeRef) -> Fields<'p> {
        let slot = self.program.class_id(class).map(|id| &self.mounted[id]);
        if let Some(fields) = slot.and_then(OnceLock::get) {
            return fields.clone();
        }
        let fields: Fields<'p> = self
            .program
            .scope_bindings(class)
            .filter_map(|(attr, fact)| match fact {
                Fact::Assign {
                    value: Some(value),
                    annotation,
                    line,
                    end_line,
                    ..
                } => self
                    .mount(class, value, 0)
                    .or_else(|| self.annotated_mount(class, annotation.as_ref(), value))
                    .map(|mount| FieldDecl {
                        attr,
                        mount,
                        statement: Some((class, *line, *end_line)),
                    }),
                _ => None,
            })
            .collect();
        remember(slot, fields)
    }

    fn interface_fields(&self, interface: &Symbol<'p>) -> Fields<'p> {
        match interface {
            Symbol::Class(class) if self.kind(*class) == Some(Kind::Interface) => {
                self.fields(*class)
            }
            Symbol::External(path) if is_graphene(path) && last_part(path) == "Node" => {
                Arc::from(vec![FieldDecl {
                    attr: "id",
                    mount: Mount::Library("id"),
                    statement: None,
                }])
            }
            _ => Arc::from(Vec::new()),
        }
    }

    /// Whether a class attribute's value is a field, and which.
    pub(super) fn mount(&self, at: ScopeRef, value: &'p Expr, hops: u32) -> Option<Mount<'p>> {
        if hops > 8 {
            return None;
        }
        match value {
            Expr::Call(call) => self.mount_call(at, call),
            // A field instance defined once and shared.
            Expr::Name(_) | Expr::Attribute(..) => match self.program.eval(at, value) {
                Symbol::Value(defined_at, value @ Expr::Call(_)) => {
                    self.mount(defined_at, value, hops + 1)
                }
                _ => None,
            },
            _ => None,
        }
    }

    fn mount_call(&self, at: ScopeRef, call: &'p Call) -> Option<Mount<'p>> {
        let declared = |field_class, mutation, library_resolver| Mount::Declared {
            at,
            call: Some(call),
            field_class,
            mutation,
            library_resolver,
        };
        if let Expr::Attribute(object, attr) = &call.function
            && attr == "Field"
        {
            match self.program.eval(at, object) {
                Symbol::Class(class) => {
                    return match self.kind(class) {
                        Some(Kind::Mutation { .. }) => Some(declared(None, Some(class), false)),
                        Some(Kind::Mountable) => Some(declared(Some(class), None, false)),
                        _ => None,
                    };
                }
                // `relay.Node.Field()`: a library type mounting its own resolver
                // (not `graphene.Field`, the class).
                Symbol::External(path)
                    if library_kind(&path).is_some_and(|kind| kind != Kind::Mountable) =>
                {
                    return Some(declared(None, None, true));
                }
                _ => {}
            }
        }
        let mounted = match self.program.eval(at, &call.function) {
            Symbol::External(path) => {
                (library_kind(&path) == Some(Kind::Mountable)).then(|| declared(None, None, false))
            }
            Symbol::Class(class) => (self.kind(class) == Some(Kind::Mountable))
                .then(|| declared(Some(class), None, false)),
            // `jobs = non_null_list(Job)`: a project function building a field.
            Symbol::Function(factory) => self
                .makes_graphene_type(factory)
                .then(|| declared(None, None, false)),
            // `Color = graphene.Enum.from_enum(PyColor)` … `color = Color()`;
            // `StateEnum: Final[graphene.Enum] = to_enum(State)` … `state = StateEnum()`
            Symbol::Value(defined_at, made @ Expr::Call(made_by)) => {
                let annotation = self.assigned_annotation(defined_at, made);
                let graphene_made = match self.program.eval(defined_at, &made_by.function) {
                    Symbol::External(path) => is_graphene(&path),
                    Symbol::Function(factory) => self.makes_graphene_type(factory),
                    _ => false,
                };
                (graphene_made
                    || annotation.is_some_and(|annotation| {
                        self.is_graphene_annotation(defined_at, annotation, 0)
                    }))
                .then(|| declared(None, None, false))
            }
            _ => None,
        };
        mounted.or_else(|| self.wrapped_mount(at, call))
    }

    /// `requires(field=Int(), fields=…)`, `external(ID())`, `override(String(),
    /// from_=…)`: a call handed a field (first or as `field=`) mounts it.
    fn wrapped_mount(&self, at: ScopeRef, call: &'p Call) -> Option<Mount<'p>> {
        // graphene-federation 3 names it `graphene_type=`, 2 `field=`.
        let field = call
            .arg(0, "field")
            .or_else(|| call.kwarg("graphene_type"))?;
        match field {
            Expr::Call(inner) => self.mount_call(at, inner),
            _ => None,
        }
    }

    /// `x: graphene.Enum = …` / `x: Final[Type[graphene.Enum]] = …`: a class
    /// attribute the project says is a graphene type, whatever made it.
    fn annotated_mount(
        &self,
        at: ScopeRef,
        annotation: Option<&'p Expr>,
        value: &'p Expr,
    ) -> Option<Mount<'p>> {
        let annotation = annotation?;
        let call = value.as_call()?;
        (self.is_graphene_annotation(at, annotation, 0)
            && matches!(self.program.eval(at, &call.function), Symbol::Function(_)))
        .then_some(Mount::Declared {
            at,
            call: Some(call),
            field_class: None,
            mutation: None,
            library_resolver: false,
        })
    }

    /// The annotation of the assignment whose value is `value`.
    fn assigned_annotation(&self, at: ScopeRef, value: &Expr) -> Option<&'p Expr> {
        self.program.members(at).find_map(|fact| match fact {
            Fact::Assign {
                value: Some(assigned),
                annotation,
                ..
            } if std::ptr::eq(assigned, value) => annotation.as_ref(),
            _ => None,
        })
    }

    /// An annotation naming a graphene type a field can be made of
    /// (`graphene.Enum`, `Type[graphene.Enum]`, `Final[graphene.String]`).
    fn is_graphene_annotation(&self, at: ScopeRef, annotation: &'p Expr, depth: u32) -> bool {
        if depth > 4 {
            return false;
        }
        match annotation {
            Expr::Subscript(value, arguments) => {
                self.is_graphene_annotation(at, value, depth + 1)
                    || arguments
                        .iter()
                        .any(|argument| self.is_graphene_annotation(at, argument, depth + 1))
            }
            Expr::Name(_) | Expr::Attribute(..) => match self.program.eval(at, annotation) {
                Symbol::External(path) => library_kind(&path) == Some(Kind::Mountable),
                Symbol::Class(class) => self.kind(class) == Some(Kind::Mountable),
                _ => false,
            },
            _ => false,
        }
    }

    /// A project function that returns a graphene type or field it builds
    /// (`return graphene.Enum(...)`, `return graphene.NonNull(...)`) or says
    /// so in its return annotation.
    fn makes_graphene_type(&self, factory: ScopeRef) -> bool {
        let at = self.program.parent(factory);
        if let Some(Fact::Function {
            returns: Some(returns),
            ..
        }) = self.program.function_fact(factory)
            && self.is_graphene_annotation(at, returns, 0)
        {
            return true;
        }
        self.program.members(factory).any(|fact| match fact {
            Fact::Return {
                value: Expr::Call(call),
                ..
            } => {
                let mut callee = &call.function;
                // `graphene.Enum.from_enum(...)`, `graphene.Enum(...)`
                if let Expr::Attribute(object, method) = callee
                    && method == "from_enum"
                {
                    callee = object;
                }
                match self.program.eval(factory, callee) {
                    Symbol::External(path) => library_kind(&path) == Some(Kind::Mountable),
                    _ => false,
                }
            }
            _ => false,
        })
    }

    pub(super) fn field_name(&self, field: &FieldDecl) -> String {
        match &field.mount {
            Mount::Library(name) => name.to_string(),
            Mount::Declared { call, .. } => {
                if let Some(Expr::Str(name)) = call.and_then(|call| call.kwarg("name")) {
                    return name.clone();
                }
                if self.auto_camelcase {
                    to_camel_case(field.attr)
                } else {
                    field.attr.to_string()
                }
            }
        }
    }
}
