//! The Go text ferry writes, from the askama templates in `templates/go/`.
//! Every template produces gofmt's layout directly, so no formatter runs.

use askama::Template;

#[derive(Template)]
#[template(path = "go/resolver_method.go", escape = "none")]
pub(crate) struct ResolverMethod<'a> {
    pub doc: Option<String>,
    pub receiver: &'a str,
    pub method: &'a str,
    /// `ctx context.Context, obj *model.Assignment, id string`
    pub parameters: String,
    pub result: String,
    pub field: &'a str,
    /// Comment lines, `//` included.
    pub body_comments: Vec<String>,
    /// What the file calls package `fmt`.
    pub fmt: String,
}

#[derive(Template)]
#[template(path = "go/resolver_accessor.go", escape = "none")]
pub(crate) struct ResolverAccessor<'a> {
    pub doc: Option<String>,
    pub root: &'a str,
    pub accessor: &'a str,
    pub interface: String,
    pub receiver: &'a str,
    pub one_line: bool,
}

impl ResolverAccessor<'_> {
    /// gofmt keeps a small function on one line (go/printer's `funcBody`,
    /// `maxSize = 100`): measured against gofmt, the header and the body's
    /// statement must come to under 100 bytes. gqlgen writes a one-liner and
    /// lets gofmt break it; ferry writes the outcome directly.
    pub fn fits_on_one_line(root: &str, accessor: &str, interface: &str, receiver: &str) -> bool {
        let header = format!("func (r *{root}) {accessor}() {interface}");
        let body = format!("return &{receiver}{{r}}");
        header.len() + body.len() < 100
    }
}

#[derive(Template)]
#[template(path = "go/resolver_struct.go", escape = "none")]
pub(crate) struct ResolverStruct<'a> {
    pub receiver: &'a str,
    pub root: &'a str,
}

#[derive(Template)]
#[template(path = "go/root_resolver.go", escape = "none")]
pub(crate) struct RootResolver<'a> {
    pub root: &'a str,
}

#[derive(Template)]
#[template(path = "go/import_block.go", escape = "none")]
pub(crate) struct ImportBlock {
    /// Groups separated by a blank line; each spec is `"path"` or `name "path"`.
    pub groups: Vec<Vec<String>>,
}

#[derive(Template)]
#[template(path = "go/resolvers_file.go", escape = "none")]
pub(crate) struct ResolversFile<'a> {
    pub package: &'a str,
    /// Top-level blocks, each followed by one blank line.
    pub blocks: Vec<String>,
}

/// Renders a template without the newline its file ends with.
pub(crate) fn render(template: &impl Template) -> Result<String, askama::Error> {
    let mut text = template.render()?;
    while text.ends_with('\n') {
        text.pop();
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_method_with_its_quote() {
        let method = ResolverMethod {
            doc: Some("CreatedDate is the resolver for the createdDate field.".to_string()),
            receiver: "assignmentResolver",
            method: "CreatedDate",
            parameters: "ctx context.Context, obj *model.Assignment".to_string(),
            result: "*time.Time".to_string(),
            field: "createdDate",
            body_comments: vec!["// a".to_string(), "//".to_string()],
            fmt: "fmt".to_string(),
        };
        assert_eq!(
            render(&method).unwrap(),
            "// CreatedDate is the resolver for the createdDate field.\n\
             func (r *assignmentResolver) CreatedDate(ctx context.Context, obj *model.Assignment) (*time.Time, error) {\n\
             \t// a\n\
             \t//\n\
             \tpanic(fmt.Errorf(\"not implemented: CreatedDate - createdDate\"))\n\
             }"
        );
        let bare = ResolverMethod {
            doc: None,
            body_comments: Vec::new(),
            ..method
        };
        assert_eq!(
            render(&bare).unwrap(),
            "func (r *assignmentResolver) CreatedDate(ctx context.Context, obj *model.Assignment) (*time.Time, error) {\n\
             \tpanic(fmt.Errorf(\"not implemented: CreatedDate - createdDate\"))\n\
             }"
        );
    }

    #[test]
    fn accessors_break_where_gofmt_breaks_them() {
        assert!(ResolverAccessor::fits_on_one_line(
            "CustomResolverType",
            "Query",
            "customresolver.QueryResolver",
            "queryCustomResolverType"
        ));
        assert!(!ResolverAccessor::fits_on_one_line(
            "CustomResolverType",
            "Resolver",
            "customresolver.ResolverResolver",
            "resolverCustomResolverType"
        ));
        let short = ResolverAccessor {
            doc: Some("Query returns generated.QueryResolver implementation.".to_string()),
            root: "Resolver",
            accessor: "Query",
            interface: "generated.QueryResolver".to_string(),
            receiver: "queryResolver",
            one_line: true,
        };
        assert_eq!(
            render(&short).unwrap(),
            "// Query returns generated.QueryResolver implementation.\n\
             func (r *Resolver) Query() generated.QueryResolver { return &queryResolver{r} }"
        );
        let long = ResolverAccessor {
            doc: None,
            one_line: false,
            ..short
        };
        assert_eq!(
            render(&long).unwrap(),
            "func (r *Resolver) Query() generated.QueryResolver {\n\treturn &queryResolver{r}\n}"
        );
    }

    #[test]
    fn structs_imports_and_files() {
        assert_eq!(
            render(&ResolverStruct {
                receiver: "queryResolver",
                root: "Resolver"
            })
            .unwrap(),
            "type queryResolver struct{ *Resolver }"
        );
        assert_eq!(
            render(&RootResolver { root: "Resolver" }).unwrap(),
            "type Resolver struct{}"
        );
        assert_eq!(
            render(&ImportBlock {
                groups: vec![
                    vec!["\"context\"".to_string(), "\"fmt\"".to_string()],
                    vec!["m \"example.com/x/model\"".to_string()],
                ]
            })
            .unwrap(),
            "import (\n\t\"context\"\n\t\"fmt\"\n\n\tm \"example.com/x/model\"\n)"
        );
        assert_eq!(
            render(&ResolversFile {
                package: "graph",
                blocks: vec!["// notice".to_string(), "type A struct{}".to_string()],
            })
            .unwrap(),
            "package graph\n\n// notice\n\ntype A struct{}"
        );
    }
}
