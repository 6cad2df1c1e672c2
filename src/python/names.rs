//! GraphQL names from Python names, exactly as the libraries derive them.

/// graphene's and strawberry's `to_camel_case`: split on `_`, keep the first
/// part, `str.capitalize()` the others (an empty part, from a doubled or
/// leading underscore, stays `_`).
///
/// `street_address_1` → `streetAddress1`, `user_ID` → `userId`,
/// `_private` → `Private`, `a__b` → `a_B`.
pub fn to_camel_case(snake: &str) -> String {
    let mut parts = snake.split('_');
    let mut camel = String::with_capacity(snake.len());
    camel.push_str(parts.next().unwrap_or_default());
    for part in parts {
        if part.is_empty() {
            camel.push('_');
            continue;
        }
        if part.is_ascii() {
            // Nearly every name: cased in place, without a String per part.
            let (first, rest) = part.split_at(1);
            camel.extend(first.chars().map(|c| c.to_ascii_uppercase()));
            camel.extend(rest.chars().map(|c| c.to_ascii_lowercase()));
            continue;
        }
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            camel.extend(first.to_uppercase());
            camel.push_str(&chars.as_str().to_lowercase());
        }
    }
    camel
}

/// `parent.name`: module paths are joined in the index's hot loops, where
/// `format!` costs several times the copy.
pub fn dotted(parent: &str, name: &str) -> String {
    let mut path = String::with_capacity(parent.len() + 1 + name.len());
    path.push_str(parent);
    path.push('.');
    path.push_str(name);
    path
}

#[cfg(test)]
mod tests {
    use super::to_camel_case;

    #[test]
    fn camel_cases_like_python_str_capitalize() {
        let cases = [
            ("created_date", "createdDate"),
            ("street_address_1", "streetAddress1"),
            ("user_ID", "userId"),
            ("already", "already"),
            ("alreadyCamel", "alreadyCamel"),
            ("_private", "Private"),
            ("a__b", "a_B"),
            ("trailing_", "trailing_"),
            ("x_1_y", "x1Y"),
            ("HTML_body", "HTMLBody"),
            // Not ASCII: what graphene's own to_camel_case gives.
            ("straße_größe", "straßeGröße"),
            ("été_ÉTÉ", "étéÉté"),
        ];
        for (snake, camel) in cases {
            assert_eq!(to_camel_case(snake), camel, "{snake}");
        }
    }
}
