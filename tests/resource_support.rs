//! The runtime's support for boto3's resource layer, on generated types: request parameters
//! written through boto3's target mini-language, boto3's two merges of a caller's parameters, and
//! how identifiers from a response become one, many or no resources.

use boto_runtime::resource::{build_identifiers, merge_deep, merge_shallow, set_param, Built};
use ec2::types::{DescribeInstancesRequest, Filter};
use serde_json::json;

fn filter(name: &str, values: &[&str]) -> Filter {
    Filter {
        name: Some(name.into()),
        values: Some(values.iter().map(|v| v.to_string()).collect()),
    }
}

#[test]
fn targets_build_nested_parameters() {
    let mut req = DescribeInstancesRequest::default();
    set_param(&mut req, "Filters[0].Name", &json!("vpc-id"), None).unwrap();
    set_param(&mut req, "Filters[0].Values[0]", &json!("vpc-123"), None).unwrap();
    set_param(&mut req, "InstanceIds[]", &json!("i-1"), None).unwrap();
    set_param(&mut req, "InstanceIds[]", &json!("i-2"), None).unwrap();
    set_param(&mut req, "MaxResults", &json!(5), None).unwrap();
    assert_eq!(req.filters, Some(vec![filter("vpc-id", &["vpc-123"])]));
    assert_eq!(req.instance_ids, Some(vec!["i-1".into(), "i-2".into()]));
    assert_eq!(req.max_results, Some(5));

    // An index past the end pads the list.
    let mut req = DescribeInstancesRequest::default();
    set_param(&mut req, "Filters[1].Name", &json!("b"), None).unwrap();
    assert_eq!(req.filters.as_ref().map(Vec::len), Some(2));
    assert_eq!(req.filters.unwrap()[1].name.as_deref(), Some("b"));

    let err = set_param(
        &mut DescribeInstancesRequest::default(),
        "Nope[0]",
        &json!("x"),
        None,
    )
    .unwrap_err();
    assert!(err.to_string().contains("parameter Nope[0]"), "{err}");
    assert!(err.to_string().contains("has no member Nope"), "{err}");
}

#[test]
fn batch_item_indexes_fill_the_same_element() {
    // s3 ObjectVersion batch delete: `Bucket`, `Delete.Objects[*].Key`, `Delete.Objects[*].VersionId`.
    let mut req = s3::types::DeleteObjectsRequest::default();
    for (i, (k, v)) in [("k1", "v1"), ("k2", "v2")].iter().enumerate() {
        set_param(&mut req, "Bucket", &json!("b"), Some(i)).unwrap();
        set_param(&mut req, "Delete.Objects[*].Key", &json!(k), Some(i)).unwrap();
        set_param(&mut req, "Delete.Objects[*].VersionId", &json!(v), Some(i)).unwrap();
    }
    assert_eq!(req.bucket.as_deref(), Some("b"));
    let objects = req.delete.unwrap().objects.unwrap();
    assert_eq!(objects.len(), 2);
    assert_eq!(objects[1].key.as_deref(), Some("k2"));
    assert_eq!(objects[1].version_id.as_deref(), Some("v2"));
}

#[test]
fn shallow_and_deep_merges() {
    let model = || DescribeInstancesRequest {
        filters: Some(vec![filter("vpc-id", &["vpc-1"])]),
        max_results: Some(5),
        ..Default::default()
    };
    let user = DescribeInstancesRequest {
        filters: Some(vec![filter("tag:team", &["blue"])]),
        max_results: Some(10),
        ..Default::default()
    };
    // Actions: the caller's member replaces the model's.
    let mut shallow = model();
    merge_shallow(&mut shallow, &user);
    assert_eq!(shallow.filters, Some(vec![filter("tag:team", &["blue"])]));
    assert_eq!(shallow.max_results, Some(10));
    // Collections: lists are appended, so filters accumulate.
    let mut deep = model();
    merge_deep(&mut deep, &user);
    assert_eq!(
        deep.filters,
        Some(vec![
            filter("vpc-id", &["vpc-1"]),
            filter("tag:team", &["blue"])
        ])
    );
    assert_eq!(deep.max_results, Some(10));
}

#[test]
fn identifiers_group_into_one_many_or_none() {
    assert_eq!(
        build_identifiers(vec![json!("b"), json!("k")]),
        Built::One(vec![json!("b"), json!("k")])
    );
    // ec2 create_tags: a scalar resource id shared by lists of keys and values.
    assert_eq!(
        build_identifiers(vec![json!("i-1"), json!(["a", "b"]), json!(["1", "2"])]),
        Built::Many(vec![
            vec![json!("i-1"), json!("a"), json!("1")],
            vec![json!("i-1"), json!("b"), json!("2")]
        ])
    );
    assert_eq!(
        build_identifiers(vec![json!("b"), json!(null)]),
        Built::Empty
    );
}
