//! BPMN 2.0 models as the register accepts them: UTF-8 XML up to [`MAX_BYTES`], well
//! formed, the root `definitions` in the BPMN 2.0 model namespace, and no document type
//! declaration at all (so no entity can expand and no external entity can be fetched);
//! the activities (tasks, call activities, sub-processes) are read out with id and name.
//! Also the comparison of a local variant with its reference, activity by activity.
use std::collections::{HashMap, HashSet};

use quick_xml::events::Event;
use quick_xml::name::{Namespace, ResolveResult};
use quick_xml::reader::NsReader;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The largest model accepted (BPMN files of real processes are a few hundred KB).
pub const MAX_BYTES: usize = 5 * 1024 * 1024;

pub const BPMN_MODEL_NS: &str = "http://www.omg.org/spec/BPMN/20100524/MODEL";

/// The element names (in the model namespace) that count as activities.
pub const ACTIVITY_TYPES: &[&str] = &[
    "task",
    "userTask",
    "serviceTask",
    "sendTask",
    "receiveTask",
    "manualTask",
    "businessRuleTask",
    "scriptTask",
    "callActivity",
    "subProcess",
];

/// Deeper nesting than this is not a process model.
const MAX_DEPTH: usize = 256;
const MAX_ACTIVITIES: usize = 10_000;

/// One activity of a model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(as = ProcessActivity)]
pub struct Activity {
    pub id: String,
    pub name: String,
    /// The BPMN element: `task`, `userTask`, `serviceTask`, … `subProcess`.
    #[serde(rename = "type")]
    pub kind: String,
}

/// Why a file was refused, in German for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal(pub String);

fn refuse(msg: impl Into<String>) -> Refusal {
    Refusal(msg.into())
}

pub fn too_large() -> Refusal {
    refuse("Die Datei ist größer als 5 MB und wurde nicht gespeichert.")
}

fn not_well_formed(pos: u64) -> Refusal {
    refuse(format!(
        "Die Datei ist kein wohlgeformtes XML (Fehler bei Byte {pos}). Bitte exportieren Sie das Modell als BPMN 2.0 XML."
    ))
}

fn wrong_root() -> Refusal {
    refuse(format!(
        "Die Datei ist kein BPMN-2.0-Modell: das Wurzelelement muss „definitions“ im Namensraum {BPMN_MODEL_NS} sein."
    ))
}

const PREDEFINED: &[&str] = &["lt", "gt", "amp", "apos", "quot"];

/// Checks `bytes` and returns the activities of the model in document order.
pub fn parse(bytes: &[u8]) -> Result<Vec<Activity>, Refusal> {
    if bytes.len() > MAX_BYTES {
        return Err(too_large());
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(refuse("Die Datei ist leer."));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| {
        refuse("Die Datei ist keine UTF-8-kodierte XML-Datei. Bitte exportieren Sie das Modell als BPMN 2.0 XML (UTF-8).")
    })?;
    let mut reader = NsReader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut depth = 0usize;
    let mut root_seen = false;
    let mut root_closed = false;
    let mut activities = Vec::new();
    let mut ids = HashSet::new();
    loop {
        let pos = reader.buffer_position();
        let (ns, event) = match reader.read_resolved_event() {
            Ok(x) => x,
            Err(_) => return Err(not_well_formed(reader.error_position())),
        };
        let in_model = matches!(ns, ResolveResult::Bound(Namespace(n)) if n == BPMN_MODEL_NS);
        match event {
            Event::DocType(_) => {
                return Err(refuse(
                    "Die Datei enthält eine DOCTYPE- oder ENTITY-Deklaration. Das ist aus Sicherheitsgründen nicht erlaubt; BPMN-Modelle brauchen keine.",
                ))
            }
            Event::Start(ref e) | Event::Empty(ref e) => {
                if root_closed {
                    return Err(not_well_formed(pos));
                }
                let local = e.local_name();
                let local: &str = local.as_ref();
                if !root_seen {
                    if !(in_model && local == "definitions") {
                        return Err(wrong_root());
                    }
                    root_seen = true;
                }
                if in_model && ACTIVITY_TYPES.contains(&local) {
                    let mut id = None;
                    let mut name = String::new();
                    for attr in e.attributes() {
                        let attr = attr.map_err(|_| not_well_formed(pos))?;
                        let key = attr.key.as_ref();
                        if key == "id" || key == "name" {
                            let value = attr
                                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .map_err(|_| not_well_formed(pos))?
                                .trim()
                                .to_string();
                            if key == "id" {
                                id = Some(value);
                            } else {
                                name = value;
                            }
                        }
                    }
                    let Some(id) = id.filter(|i| !i.is_empty()) else {
                        return Err(refuse(format!(
                            "Eine Aktivität („{local}“) hat keine id. Jede Aktivität eines BPMN-Modells braucht eine eindeutige id."
                        )));
                    };
                    if !ids.insert(id.clone()) {
                        return Err(refuse(format!(
                            "Die id „{id}“ kommt mehrfach vor. Jede Aktivität braucht eine eindeutige id."
                        )));
                    }
                    if activities.len() >= MAX_ACTIVITIES {
                        return Err(refuse("Das Modell hat mehr als 10.000 Aktivitäten."));
                    }
                    activities.push(Activity {
                        id,
                        name,
                        kind: local.to_string(),
                    });
                }
                if matches!(event, Event::Start(_)) {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return Err(refuse("Das Modell ist zu tief verschachtelt."));
                    }
                }
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    root_closed = true;
                }
            }
            Event::GeneralRef(ref r) => {
                let name: &str = r;
                if !(name.starts_with('#') || PREDEFINED.contains(&name)) {
                    return Err(refuse(format!(
                        "Die Datei verweist auf die unbekannte Entität „&{name};“. Entitäten sind in BPMN-Modellen nicht erlaubt."
                    )));
                }
                if depth == 0 {
                    return Err(not_well_formed(pos));
                }
            }
            Event::Text(ref t) => {
                let content: &str = t;
                if depth == 0 && !content.trim().is_empty() {
                    return Err(not_well_formed(pos));
                }
            }
            Event::CData(_) if depth == 0 => return Err(not_well_formed(pos)),
            Event::Eof => break,
            _ => {}
        }
        if root_seen && depth == 0 && !root_closed {
            // An empty root element (`<definitions/>`).
            root_closed = true;
        }
    }
    if !root_seen {
        return Err(wrong_root());
    }
    if depth != 0 {
        return Err(refuse(
            "Die Datei endet mitten im Modell (nicht geschlossene Elemente). Bitte prüfen Sie, ob sie vollständig hochgeladen wurde.",
        ));
    }
    Ok(activities)
}

/// One difference of a local variant against its reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub activity_id: String,
    /// `added`, `removed` or `renamed`.
    pub change: &'static str,
    pub reference_name: Option<String>,
    pub local_name: Option<String>,
}

/// The differences of `local` against `reference`, matched by activity id: the same id
/// with another name is renamed, an id only in the variant added, one only in the
/// reference removed. In the order of the reference, then the added ones in the order of
/// the variant.
pub fn compare(reference: &[Activity], local: &[Activity]) -> Vec<Change> {
    let local_by_id: HashMap<&str, &Activity> = local.iter().map(|a| (a.id.as_str(), a)).collect();
    let reference_ids: HashSet<&str> = reference.iter().map(|a| a.id.as_str()).collect();
    let mut out = Vec::new();
    for r in reference {
        match local_by_id.get(r.id.as_str()) {
            None => out.push(Change {
                activity_id: r.id.clone(),
                change: "removed",
                reference_name: Some(r.name.clone()),
                local_name: None,
            }),
            Some(l) if l.name.trim() != r.name.trim() => out.push(Change {
                activity_id: r.id.clone(),
                change: "renamed",
                reference_name: Some(r.name.clone()),
                local_name: Some(l.name.clone()),
            }),
            Some(_) => {}
        }
    }
    for l in local {
        if !reference_ids.contains(l.id.as_str()) {
            out.push(Change {
                activity_id: l.id.clone(),
                change: "added",
                reference_name: None,
                local_name: Some(l.name.clone()),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(body: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="{BPMN_MODEL_NS}" id="d1" targetNamespace="http://example.org">
  <bpmn:process id="p1" isExecutable="false">{body}</bpmn:process>
</bpmn:definitions>"#
        )
    }

    #[test]
    fn activities_are_read_with_id_name_and_type() {
        let xml = model(
            r#"<bpmn:startEvent id="s"/>
            <bpmn:userTask id="t1" name="Antrag prüfen"/>
            <bpmn:serviceTask id="t2" name="Bescheid &amp; Gebühr"></bpmn:serviceTask>
            <bpmn:subProcess id="sp" name="Zahlung"><bpmn:task id="t3" name="Buchen"/></bpmn:subProcess>
            <bpmn:exclusiveGateway id="g"/>"#,
        );
        let a = parse(xml.as_bytes()).unwrap();
        let got: Vec<(&str, &str, &str)> = a
            .iter()
            .map(|a| (a.id.as_str(), a.name.as_str(), a.kind.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("t1", "Antrag prüfen", "userTask"),
                ("t2", "Bescheid & Gebühr", "serviceTask"),
                ("sp", "Zahlung", "subProcess"),
                ("t3", "Buchen", "task"),
            ]
        );
    }

    #[test]
    fn a_default_namespace_works_and_other_namespaces_do_not_count() {
        let xml = format!(
            r#"<definitions xmlns="{BPMN_MODEL_NS}" xmlns:x="urn:x"><process id="p"><task id="a" name="A"/><x:task id="b"/></process></definitions>"#
        );
        let a = parse(xml.as_bytes()).unwrap();
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].id, "a");
    }

    #[test]
    fn not_xml_is_refused() {
        for bad in [
            &b"Das ist kein XML"[..],
            b"%PDF-1.4 binary",
            b"<definitions",
            b"",
            b"   ",
        ] {
            assert!(parse(bad).is_err(), "{:?}", String::from_utf8_lossy(bad));
        }
        let unclosed = format!(r#"<definitions xmlns="{BPMN_MODEL_NS}"><process id="p">"#);
        let e = parse(unclosed.as_bytes()).unwrap_err();
        assert!(e.0.contains("nicht geschlossene"), "{e:?}");
        let crossed =
            format!(r#"<definitions xmlns="{BPMN_MODEL_NS}"><process id="p"></definitions>"#);
        assert!(parse(crossed.as_bytes())
            .unwrap_err()
            .0
            .contains("wohlgeformt"));
        let two_roots = format!(
            r#"<definitions xmlns="{BPMN_MODEL_NS}"></definitions><definitions xmlns="{BPMN_MODEL_NS}"/>"#
        );
        assert!(parse(two_roots.as_bytes()).is_err());
        assert!(parse(b"\xff\xfe<\x00d\x00")
            .unwrap_err()
            .0
            .contains("UTF-8"));
    }

    #[test]
    fn the_namespace_and_root_are_checked() {
        let wrong_ns = r#"<definitions xmlns="http://www.omg.org/spec/BPMN/2010/MODEL"><process id="p"/></definitions>"#;
        assert_eq!(parse(wrong_ns.as_bytes()).unwrap_err(), wrong_root());
        let no_ns = r#"<definitions><process id="p"/></definitions>"#;
        assert_eq!(parse(no_ns.as_bytes()).unwrap_err(), wrong_root());
        let wrong_root_el = format!(r#"<process xmlns="{BPMN_MODEL_NS}" id="p"/>"#);
        assert_eq!(parse(wrong_root_el.as_bytes()).unwrap_err(), wrong_root());
        let empty_root = format!(r#"<definitions xmlns="{BPMN_MODEL_NS}"/>"#);
        assert_eq!(parse(empty_root.as_bytes()).unwrap(), vec![]);
    }

    #[test]
    fn entities_and_doctypes_are_refused() {
        let laughs = format!(
            r#"<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<definitions xmlns="{BPMN_MODEL_NS}"><process id="p"><task id="t" name="&lol2;"/></process></definitions>"#
        );
        assert!(parse(laughs.as_bytes()).unwrap_err().0.contains("DOCTYPE"));
        let external = format!(
            r#"<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><definitions xmlns="{BPMN_MODEL_NS}">&xxe;</definitions>"#
        );
        assert!(parse(external.as_bytes())
            .unwrap_err()
            .0
            .contains("DOCTYPE"));
        // Without a declaration an entity reference is unknown, not expanded.
        let undeclared = model(r#"<bpmn:task id="t">&xxe;</bpmn:task>"#);
        assert!(parse(undeclared.as_bytes())
            .unwrap_err()
            .0
            .contains("&xxe;"));
        let in_attribute = model(r#"<bpmn:task id="t" name="&xxe;"/>"#);
        assert!(parse(in_attribute.as_bytes()).is_err());
        let char_refs = model(r#"<bpmn:task id="t" name="Stra&#223;e">&#228;&lt;</bpmn:task>"#);
        assert_eq!(parse(char_refs.as_bytes()).unwrap()[0].name, "Straße");
    }

    #[test]
    fn size_ids_and_depth_are_limited() {
        let big = vec![b' '; MAX_BYTES + 1];
        assert_eq!(parse(&big).unwrap_err(), too_large());
        let dup = model(r#"<bpmn:task id="t" name="A"/><bpmn:userTask id="t" name="B"/>"#);
        assert!(parse(dup.as_bytes()).unwrap_err().0.contains("mehrfach"));
        let no_id = model(r#"<bpmn:task name="A"/>"#);
        assert!(parse(no_id.as_bytes()).unwrap_err().0.contains("keine id"));
        let nested: String = (0..300).map(|i| format!("<a{i}>")).collect::<String>()
            + &(0..300)
                .rev()
                .map(|i| format!("</a{i}>"))
                .collect::<String>();
        let deep = format!(r#"<definitions xmlns="{BPMN_MODEL_NS}">{nested}</definitions>"#);
        assert!(parse(deep.as_bytes())
            .unwrap_err()
            .0
            .contains("verschachtelt"));
    }

    #[test]
    fn compare_finds_added_removed_and_renamed() {
        let a = |id: &str, name: &str| Activity {
            id: id.into(),
            name: name.into(),
            kind: "task".into(),
        };
        let reference = vec![a("t1", "Antrag"), a("t2", "Prüfen"), a("t3", "Bescheid")];
        let local = vec![
            a("t1", "Antrag"),
            a("t2", "Vorprüfen"),
            a("t4", "Rückfrage"),
        ];
        let got = compare(&reference, &local);
        let short: Vec<(&str, &str)> = got
            .iter()
            .map(|c| (c.activity_id.as_str(), c.change))
            .collect();
        assert_eq!(
            short,
            vec![("t2", "renamed"), ("t3", "removed"), ("t4", "added")]
        );
        assert_eq!(got[0].reference_name.as_deref(), Some("Prüfen"));
        assert_eq!(got[0].local_name.as_deref(), Some("Vorprüfen"));
        assert!(compare(&reference, &reference).is_empty());
    }
}
