// PATCH with JSON Merge Patch (RFC 7396)
//
// `PATCH /profiles/{id}` currently deserializes the body into the full `Profile` struct, so a
// client that sends `{"bio": "hi"}` gets a 400 (name is missing), and one that wants to clear
// its bio has no way to say so. RFC 7396 defines the semantics clients expect: the patch is a
// JSON object that looks like the resource; a key that is absent keeps its value, a key set to
// `null` deletes the member, any other value replaces it, and nested objects merge recursively
// (arrays are replaced whole). The media type is `application/merge-patch+json`.
//
// Done means: `merge_patch` implements the RFC's algorithm on `serde_json::Value`, and
// `apply_patch` checks the media type (415; as everywhere, media types are case-insensitive and
// may carry parameters such as `; charset=utf-8`), parses (400), merges into the current profile and
// turns the result back into a `Profile` (422 if the result is not a valid profile, or if it
// tries to change the read-only `id`; a patch that repeats the current id unchanged changes
// nothing and is accepted).

use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub theme: String,
    pub newsletter: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub id: u64,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bio: Option<String>,
    pub tags: Vec<String>,
    pub settings: Settings,
}

/// RFC 7396 section 2: applies `patch` to `target` in place.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(patch_members) = patch else {
        // Not an object: the patch replaces the target wholesale.
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(serde_json::Map::new());
    }
    let Value::Object(target_members) = target else {
        unreachable!("target was just made an object");
    };
    for (name, value) in patch_members {
        if value.is_null() {
            target_members.remove(name);
        } else {
            merge_patch(
                target_members.entry(name.clone()).or_insert(Value::Null),
                value,
            );
        }
    }
}

/// Handles `PATCH /profiles/{id}` for `current`: the patched profile or (status, message).
pub fn apply_patch(
    current: &Profile,
    content_type: &str,
    body: &str,
) -> Result<Profile, (u16, String)> {
    // Media types are case-insensitive and may carry parameters (`; charset=utf-8`).
    let media_type = content_type.split(';').next().unwrap_or("").trim();
    if !media_type.eq_ignore_ascii_case("application/merge-patch+json") {
        return Err((415, format!("unsupported media type {content_type:?}")));
    }
    let patch: Value = serde_json::from_str(body).map_err(|e| (400, e.to_string()))?;
    let mut document = serde_json::to_value(current).expect("Profile always serializes");
    merge_patch(&mut document, &patch);
    let patched: Profile = serde_json::from_value(document).map_err(|e| (422, e.to_string()))?;
    if patched.id != current.id {
        return Err((422, "id is read-only".to_string()));
    }
    Ok(patched)
}

fn main() {
    let mut doc = serde_json::json!({"a": "b", "c": {"d": "e", "f": "g"}});
    merge_patch(&mut doc, &serde_json::json!({"a": "z", "c": {"f": null}}));
    println!("{doc}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const MERGE: &str = "application/merge-patch+json";

    fn merged(target: Value, patch: Value) -> Value {
        let mut target = target;
        merge_patch(&mut target, &patch);
        target
    }

    fn ada() -> Profile {
        Profile {
            id: 1,
            name: "Ada".into(),
            bio: Some("Analyst".into()),
            tags: vec!["math".into(), "engines".into()],
            settings: Settings {
                theme: "dark".into(),
                newsletter: true,
            },
        }
    }

    #[test]
    fn absent_keeps_present_replaces_null_deletes() {
        assert_eq!(
            merged(json!({"a": "b", "c": "d"}), json!({"a": "z", "c": null})),
            json!({"a": "z"}),
            "`a` replaced, `c` deleted by null"
        );
        assert_eq!(
            merged(json!({"a": "b"}), json!({})),
            json!({"a": "b"}),
            "an empty patch changes nothing"
        );
        assert_eq!(
            merged(json!({"a": "b"}), json!({"x": null})),
            json!({"a": "b"}),
            "deleting a member that does not exist is fine"
        );
    }

    #[test]
    fn nested_objects_merge_recursively() {
        assert_eq!(
            merged(
                json!({"a": {"b": "c", "d": "e"}}),
                json!({"a": {"d": null, "f": "g"}})
            ),
            json!({"a": {"b": "c", "f": "g"}}),
            "objects merge member by member, at every depth"
        );
    }

    #[test]
    fn rfc_7396_appendix_a_examples() {
        let cases = [
            (json!({"a": ["b"]}), json!({"a": "c"}), json!({"a": "c"})),
            (json!({"a": "c"}), json!({"a": ["b"]}), json!({"a": ["b"]})),
            (
                json!({"a": [{"b": "c"}]}),
                json!({"a": [1]}),
                json!({"a": [1]}),
            ),
            (json!(["a", "b"]), json!(["c", "d"]), json!(["c", "d"])),
            (json!({"a": "b"}), json!(["c"]), json!(["c"])),
            (json!({"a": "foo"}), json!(null), json!(null)),
            (json!({"a": "foo"}), json!("bar"), json!("bar")),
            (
                json!({"e": null}),
                json!({"a": 1}),
                json!({"e": null, "a": 1}),
            ),
            (
                json!([1, 2]),
                json!({"a": "b", "c": null}),
                json!({"a": "b"}),
            ),
            (
                json!({}),
                json!({"a": {"bb": {"ccc": null}}}),
                json!({"a": {"bb": {}}}),
            ),
        ];
        for (target, patch, expected) in cases {
            assert_eq!(
                merged(target.clone(), patch.clone()),
                expected,
                "target {target}, patch {patch}: arrays and scalars replace, objects merge"
            );
        }
    }

    #[test]
    fn patch_one_field_keeps_the_rest() {
        let patched = apply_patch(&ada(), MERGE, r#"{"settings": {"theme": "light"}}"#).unwrap();
        let mut expected = ada();
        expected.settings.theme = "light".into();
        assert_eq!(
            patched, expected,
            "only the theme changes; newsletter is kept"
        );
    }

    #[test]
    fn null_clears_an_optional_field() {
        let patched = apply_patch(&ada(), MERGE, r#"{"bio": null, "tags": ["poetry"]}"#).unwrap();
        assert_eq!(patched.bio, None, "null deletes the bio");
        assert_eq!(
            patched.tags,
            vec!["poetry"],
            "arrays are replaced, not appended to"
        );
        assert_eq!(patched.name, "Ada");
    }

    #[test]
    fn wrong_media_type_is_415() {
        let error = apply_patch(&ada(), "application/json", r#"{"name": "A"}"#).unwrap_err();
        assert_eq!(
            error.0, 415,
            "PATCH bodies need a patch format; we only speak application/merge-patch+json"
        );
    }

    #[test]
    fn the_media_type_is_compared_as_a_media_type() {
        for content_type in [
            "application/merge-patch+json; charset=utf-8",
            "Application/Merge-Patch+JSON",
            "application/merge-patch+json ;charset=UTF-8",
            "APPLICATION/MERGE-PATCH+JSON;profile=x",
        ] {
            let patched = apply_patch(&ada(), content_type, r#"{"name": "Ada L."}"#);
            assert_eq!(
                patched.map(|p| p.name),
                Ok("Ada L.".to_string()),
                "{content_type:?} is application/merge-patch+json: the type is case-insensitive \
                 and parameters follow a `;` (RFC 9110 8.3.1), as in rest10"
            );
        }
        for content_type in [
            "",
            "application/json",
            "application/json-patch+json",
            "application/merge-patch+jsonx",
            "application/merge-patch",
            "text/merge-patch+json",
            "application/merge-patch+json-seq; charset=utf-8",
        ] {
            assert_eq!(
                apply_patch(&ada(), content_type, r#"{"name": "A"}"#).map_err(|e| e.0),
                Err(415),
                "{content_type:?} is not application/merge-patch+json"
            );
        }
    }

    #[test]
    fn malformed_patch_is_400() {
        assert_eq!(apply_patch(&ada(), MERGE, "{").unwrap_err().0, 400);
    }

    #[test]
    fn invalid_result_is_422() {
        assert_eq!(
            apply_patch(&ada(), MERGE, r#"{"name": null}"#)
                .unwrap_err()
                .0,
            422,
            "deleting a required field leaves an invalid profile: 422"
        );
        assert_eq!(
            apply_patch(&ada(), MERGE, r#"{"settings": {"newsletter": "yes"}}"#)
                .unwrap_err()
                .0,
            422,
            "a value of the wrong type makes the merged profile invalid"
        );
        assert_eq!(
            apply_patch(&ada(), MERGE, r#"{"id": 2}"#).unwrap_err().0,
            422,
            "the id is read-only"
        );
    }

    #[test]
    fn repeating_the_current_id_is_not_a_change() {
        // Clients often PATCH back the object they read, id included: that changes nothing.
        let patched = apply_patch(&ada(), MERGE, r#"{"id": 1, "bio": "x"}"#)
            .expect("the id is unchanged: the patch is accepted");
        assert_eq!(
            patched,
            Profile {
                bio: Some("x".into()),
                ..ada()
            }
        );
        assert_eq!(apply_patch(&ada(), MERGE, r#"{"id": 1}"#), Ok(ada()));
        assert_eq!(
            apply_patch(&ada(), MERGE, r#"{"id": 2, "bio": "x"}"#).map_err(|e| e.0),
            Err(422),
            "changing the id is still refused"
        );
    }
}
