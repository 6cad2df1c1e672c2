//! `gqlgen.yml` exactly as written: every key optional, as gqlgen accepts
//! it. `gqlgen_config` fills in gqlgen's defaults and resolves the paths.

use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum StringOrList {
    One(String),
    Many(Vec<String>),
}

impl StringOrList {
    pub fn into_vec(self) -> Vec<String> {
        match self {
            StringOrList::One(one) => vec![one],
            StringOrList::Many(many) => many,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct RawConfig {
    pub schema: Option<StringOrList>,
    pub exec: Option<RawExec>,
    pub federation: Option<RawFederation>,
    pub model: Option<RawModel>,
    pub resolver: Option<RawResolver>,
    pub models: Option<BTreeMap<String, RawModelEntry>>,
    pub autobind: Option<StringOrList>,
    pub directives: Option<BTreeMap<String, RawDirective>>,
    pub struct_tag: Option<String>,
    pub omit_slice_element_pointers: Option<bool>,
    pub resolvers_always_return_pointers: Option<bool>,
    pub omit_gqlgen_file_notice: Option<bool>,
    pub go_initialisms: Option<RawInitialisms>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawExec {
    pub layout: Option<String>,
    pub filename: Option<String>,
    pub dir: Option<String>,
    pub package: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawFederation {
    pub filename: Option<String>,
    pub package: Option<String>,
    pub version: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawModel {
    pub filename: Option<String>,
    pub package: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawResolver {
    pub layout: Option<String>,
    pub dir: Option<String>,
    pub package: Option<String>,
    pub filename: Option<String>,
    pub filename_template: Option<String>,
    #[serde(rename = "type")]
    pub type_name: Option<String>,
    pub omit_template_comment: Option<bool>,
    pub preserve_resolver: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawModelEntry {
    pub model: Option<StringOrList>,
    pub fields: Option<BTreeMap<String, RawFieldEntry>>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawFieldEntry {
    pub resolver: Option<bool>,
    #[serde(rename = "fieldName")]
    pub field_name: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawDirective {
    pub skip_runtime: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawInitialisms {
    pub replace_defaults: Option<bool>,
    pub initialisms: Option<Vec<String>>,
}
