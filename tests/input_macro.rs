//! `input!`: short structure literals, equal to the long ones they stand for.

use boto_runtime::input;
use std::collections::HashMap;

#[test]
fn a_short_literal_is_the_long_one() {
    use ec2::types::*;
    let id = String::from("i-1");
    let short = input!(RunInstancesRequest {
        image_id: "ami-12c6146b",
        min_count: 1,
        max_count: 2,
        instance_type: "t3.micro",
        security_group_ids: ["sg-1", "sg-2"],
        tag_specifications: [TagSpecification {
            resource_type: ResourceType::Instance,
            tags: [
                Tag {
                    key: "team",
                    value: "web"
                },
                Tag {
                    key: "id",
                    value: &id
                }
            ],
        }],
        block_device_mappings: [BlockDeviceMapping {
            device_name: "/dev/sda1",
            ebs: EbsBlockDevice {
                volume_size: 20,
                delete_on_termination: true
            },
        }],
        monitoring: Some(RunInstancesMonitoringEnabled {
            enabled: Some(true)
        }),
    });
    let long = RunInstancesRequest {
        image_id: Some("ami-12c6146b".into()),
        min_count: Some(1),
        max_count: Some(2),
        instance_type: Some(InstanceType::T3Micro),
        security_group_ids: Some(vec!["sg-1".into(), "sg-2".into()]),
        tag_specifications: Some(vec![TagSpecification {
            resource_type: Some(ResourceType::Instance),
            tags: Some(vec![
                Tag {
                    key: Some("team".into()),
                    value: Some("web".into()),
                },
                Tag {
                    key: Some("id".into()),
                    value: Some("i-1".into()),
                },
            ]),
        }]),
        block_device_mappings: Some(vec![BlockDeviceMapping {
            device_name: Some("/dev/sda1".into()),
            ebs: Some(EbsBlockDevice {
                volume_size: Some(20),
                delete_on_termination: Some(true),
                ..Default::default()
            }),
            ..Default::default()
        }]),
        monitoring: Some(RunInstancesMonitoringEnabled {
            enabled: Some(true),
        }),
        ..Default::default()
    };
    assert_eq!(short, long);

    // Lists of enums from their values, lists built elsewhere, and `..base`.
    let ids = vec!["i-1".to_string(), "i-2".to_string()];
    let base = input!(DescribeInstancesRequest { max_results: 5 });
    let r = input!(DescribeInstancesRequest {
        instance_ids: ids.clone(),
        filters: [Filter {
            name: "instance-state-name",
            values: ["running"]
        }],
        ..base
    });
    assert_eq!(r.instance_ids, Some(ids));
    assert_eq!(r.max_results, Some(5));
    assert_eq!(
        r.filters.unwrap()[0].values,
        Some(vec!["running".to_string()])
    );
    let v = input!(DescribeInstanceTypesRequest {
        instance_types: ["t3.micro", "m5.large"]
    });
    assert_eq!(
        v.instance_types,
        Some(vec![InstanceType::T3Micro, InstanceType::M5Large])
    );
}

#[test]
fn maps_blobs_and_bodies_take_plain_values() {
    use dynamodb::types::*;
    let item = input!(PutItemInput {
        table_name: "orders",
        item: {
            "pk": AttributeValue::S("order#1".into()),
            "total": AttributeValue::N("12.50".into()),
            "raw": AttributeValue::B(b"\x00\x01".as_slice().into()),
            "tags": AttributeValue::Ss(vec!["a".into(), "b".into()]),
        },
        expected: { "pk": ExpectedAttributeValue { exists: false } },
        expression_attribute_names: { "#p": "pk" },
        return_values: ReturnValue::AllOld,
    });
    assert_eq!(item.table_name.as_deref(), Some("orders"));
    let got = item.item.as_ref().unwrap();
    assert_eq!(got["pk"], AttributeValue::S("order#1".into()));
    assert_eq!(got["total"], AttributeValue::N("12.50".into()));
    assert!(matches!(&got["raw"], AttributeValue::B(b) if b.as_bytes() == b"\x00\x01"));
    assert_eq!(
        got["tags"],
        AttributeValue::Ss(vec!["a".into(), "b".into()])
    );
    assert_eq!(item.expected.as_ref().unwrap()["pk"].exists, Some(false));
    assert_eq!(
        item.expression_attribute_names,
        Some(HashMap::from([("#p".to_string(), "pk".to_string())]))
    );
    assert_eq!(item.return_values, Some(ReturnValue::AllOld));

    let put = input!(s3::types::PutObjectRequest {
        bucket: "b",
        key: "k",
        body: "hello",
        metadata: { "owner": "me" },
    });
    assert_eq!(
        put.body
            .as_ref()
            .and_then(|b| b.as_bytes())
            .map(|b| b.to_vec()),
        Some(b"hello".to_vec())
    );
    assert_eq!(put.metadata.unwrap()["owner"], "me");
}

/// Takes what a call would: the type `input!` without a type name becomes.
fn run(r: ec2::types::RunInstancesRequest) -> ec2::types::RunInstancesRequest {
    r
}

#[test]
fn members_alone_take_the_type_of_where_they_go() {
    use ec2::types::*;
    let short = run(input!(
        image_id: "ami-12c6146b", min_count: 1, max_count: 2, instance_type: "t3.micro",
        tag_specifications: [{ resource_type: "instance", tags: [{ key: "team", value: "web" }] }],
        block_device_mappings: [{ device_name: "/dev/sda1", ebs: { volume_size: 20 } }],
    ));
    let named = input!(RunInstancesRequest {
        image_id: "ami-12c6146b",
        min_count: 1,
        max_count: 2,
        instance_type: InstanceType::T3Micro,
        tag_specifications: [TagSpecification {
            resource_type: ResourceType::Instance,
            tags: [Tag {
                key: "team",
                value: "web"
            }],
        }],
        block_device_mappings: [BlockDeviceMapping {
            device_name: "/dev/sda1",
            ebs: EbsBlockDevice { volume_size: 20 },
        }],
    });
    assert_eq!(short, named);
    let annotated: RunInstancesRequest = input!();
    assert_eq!(annotated, RunInstancesRequest::default());

    // Top-level values are evaluated first, in order, so `?` works in them.
    fn parsed(count: &str) -> Result<RunInstancesRequest, std::num::ParseIntError> {
        let mut order = Vec::new();
        let mut note = |what: &str, v: i32| {
            order.push(what.to_string());
            v
        };
        let r = run(input!(min_count: note("min", count.parse()?), max_count: note("max", 5)));
        assert_eq!(order, ["min", "max"]);
        Ok(r)
    }
    assert_eq!(parsed("3").unwrap().min_count, Some(3));
    assert!(parsed("three").is_err());
}

#[test]
fn maps_of_structures_without_type_names() {
    use dynamodb::types::*;
    fn put(i: PutItemInput) -> PutItemInput {
        i
    }
    let short = put(input!(
        table_name: "orders",
        expected: { "pk": { exists: false }, "total": { value: AttributeValue::N("12.50".into()) } },
        expression_attribute_names: { "#p": "pk" },
    ));
    let named = input!(PutItemInput {
        table_name: "orders",
        expected: {
            "pk": ExpectedAttributeValue { exists: false },
            "total": ExpectedAttributeValue { value: AttributeValue::N("12.50".into()) },
        },
        expression_attribute_names: { "#p": "pk" },
    });
    assert!(short.expected.as_ref().unwrap()["total"].value.is_some());
    assert_eq!(short, named);
}
