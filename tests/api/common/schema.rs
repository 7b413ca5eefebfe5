//! A small JSON Schema checker for the subset the server's OpenAPI 3.1 document uses
//! (`$ref` into `components/schemas`, `type` as a name or a list, `properties`,
//! `required`, `additionalProperties`, `items`, `enum`, `const`, `oneOf`/`anyOf`/`allOf`,
//! string `format`s `date`, `date-time` and `uuid`): a real answer is checked against
//! the component schema the server publishes, so a declaration that does not match what
//! the handler sends fails a test.
use serde_json::Value;

/// Everything in `value` that `schema` (resolved in `doc`) does not allow, as
/// "JSON pointer: reason" lines; empty when the value conforms.
pub fn violations(doc: &Value, schema: &Value, value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    check(doc, schema, value, "", &mut out, 0);
    out
}

/// The component schema `name` of the document, as a `$ref` to check against.
pub fn component(name: &str) -> Value {
    serde_json::json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn type_matches(ty: &str, v: &Value) -> bool {
    match ty {
        "null" => v.is_null(),
        "boolean" => v.is_boolean(),
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "number" => v.is_number(),
        "integer" => v.is_i64() || v.is_u64(),
        other => panic!("unknown JSON Schema type {other}"),
    }
}

fn check(doc: &Value, schema: &Value, v: &Value, at: &str, out: &mut Vec<String>, depth: usize) {
    assert!(depth < 64, "{at}: schema nesting too deep (a $ref loop?)");
    match schema {
        Value::Bool(true) => return,
        Value::Bool(false) => {
            out.push(format!("{at}: no value allowed"));
            return;
        }
        Value::Object(_) => {}
        other => panic!("{at}: not a schema: {other}"),
    }
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("unexpected $ref {r}"));
        let target = &doc["components"]["schemas"][name];
        assert!(target.is_object(), "dangling $ref {r}");
        check(doc, target, v, at, out, depth + 1);
    }
    if let Some(types) = match &schema["type"] {
        Value::String(t) => Some(vec![t.as_str()]),
        Value::Array(ts) => Some(ts.iter().filter_map(Value::as_str).collect()),
        _ => None,
    } {
        if !types.iter().any(|t| type_matches(t, v)) {
            out.push(format!("{at}: {} is not of type {types:?}", short(v)));
            return;
        }
    }
    if let Some(allowed) = schema["enum"].as_array() {
        if !allowed.contains(v) {
            out.push(format!("{at}: {} is not one of {allowed:?}", short(v)));
        }
    }
    if let Some(c) = schema.get("const") {
        if c != v {
            out.push(format!("{at}: {} is not {c}", short(v)));
        }
    }
    if let (Some(format), Some(s)) = (schema["format"].as_str(), v.as_str()) {
        let ok = match format {
            "date" => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok(),
            "date-time" => chrono::DateTime::parse_from_rfc3339(s).is_ok(),
            "uuid" => s.len() == 36 && s.chars().filter(|c| *c == '-').count() == 4,
            _ => true,
        };
        if !ok {
            out.push(format!("{at}: {s:?} is not a {format}"));
        }
    }
    for sub in schema["allOf"].as_array().into_iter().flatten() {
        check(doc, sub, v, at, out, depth + 1);
    }
    for (key, exactly_one) in [("oneOf", true), ("anyOf", false)] {
        if let Some(branches) = schema[key].as_array() {
            let mut reasons = Vec::new();
            let matching = branches
                .iter()
                .filter(|b| {
                    let mut r = Vec::new();
                    check(doc, b, v, at, &mut r, depth + 1);
                    let ok = r.is_empty();
                    reasons.extend(r);
                    ok
                })
                .count();
            if matching == 0 || (exactly_one && matching > 1) {
                out.push(format!(
                    "{at}: {} matches {matching} branches of {key} ({})",
                    short(v),
                    reasons.join("; ")
                ));
            }
        }
    }
    if let Some(obj) = v.as_object() {
        for name in schema["required"].as_array().into_iter().flatten() {
            let name = name.as_str().unwrap();
            if !obj.contains_key(name) {
                out.push(format!("{at}: required property {name} missing"));
            }
        }
        let props = schema["properties"].as_object();
        for (k, child) in obj {
            let child_at = format!("{at}/{k}");
            match props.and_then(|p| p.get(k)) {
                Some(s) => check(doc, s, child, &child_at, out, depth + 1),
                None => match schema.get("additionalProperties") {
                    Some(Value::Bool(false)) => {
                        out.push(format!("{child_at}: property not in the schema"))
                    }
                    Some(s @ Value::Object(_)) => check(doc, s, child, &child_at, out, depth + 1),
                    _ => {}
                },
            }
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), v.as_array()) {
        for (i, item) in arr.iter().enumerate() {
            check(doc, items, item, &format!("{at}/{i}"), out, depth + 1);
        }
    }
}

fn short(v: &Value) -> String {
    v.to_string().chars().take(80).collect()
}
