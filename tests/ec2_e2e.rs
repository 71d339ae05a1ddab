//! ec2 end to end against moto's server: the same calls a boto3 user makes.

use boto_tests::Moto;
use ec2::types::*;

fn tag_filter(key: &str, value: &str) -> Filter {
    Filter {
        name: Some(format!("tag:{key}")),
        values: Some(vec![value.to_string()]),
    }
}

async fn states(client: &ec2::Client, ids: &[String]) -> Vec<InstanceStateName> {
    let out = client
        .describe_instances(DescribeInstancesRequest {
            instance_ids: Some(ids.to_vec()),
            ..Default::default()
        })
        .await
        .unwrap();
    out.reservations
        .unwrap_or_default()
        .into_iter()
        .flat_map(|r| r.instances.unwrap_or_default())
        .map(|i| i.state.and_then(|s| s.name).expect("instance state"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instance_lifecycle_with_tag_filters() {
    let moto = Moto::start();
    let client = ec2::Client::new(&moto.session());
    let run = |tag: &'static str, count: i32| RunInstancesRequest {
        image_id: Some("ami-12c6146b".into()),
        min_count: Some(count),
        max_count: Some(count),
        instance_type: Some(InstanceType::T2Micro),
        tag_specifications: Some(vec![TagSpecification {
            resource_type: Some(ResourceType::Instance),
            tags: Some(vec![Tag {
                key: Some("team".into()),
                value: Some(tag.into()),
            }]),
        }]),
        ..Default::default()
    };
    let blue = client.run_instances(run("blue", 2)).await.unwrap();
    let red = client.run_instances(run("red", 1)).await.unwrap();
    let blue_ids: Vec<String> = blue
        .instances
        .unwrap()
        .into_iter()
        .map(|i| i.instance_id.unwrap())
        .collect();
    assert_eq!(blue_ids.len(), 2);
    assert!(red.reservation_id.unwrap().starts_with("r-"));

    let found = client
        .describe_instances(DescribeInstancesRequest {
            filters: Some(vec![tag_filter("team", "blue")]),
            ..Default::default()
        })
        .await
        .unwrap();
    let mut found_ids: Vec<String> = found
        .reservations
        .unwrap()
        .into_iter()
        .flat_map(|r| r.instances.unwrap())
        .map(|i| {
            assert_eq!(i.instance_type, Some(InstanceType::T2Micro));
            assert!(i.launch_time.is_some(), "launch time is parsed");
            let tags = i.tags.unwrap();
            assert_eq!(tags[0].value.as_deref(), Some("blue"));
            i.instance_id.unwrap()
        })
        .collect();
    found_ids.sort();
    let mut expected = blue_ids.clone();
    expected.sort();
    assert_eq!(
        found_ids, expected,
        "the tag filter selects the blue instances only"
    );

    let stopped = client
        .stop_instances(StopInstancesRequest {
            instance_ids: Some(blue_ids.clone()),
            ..Default::default()
        })
        .await
        .unwrap();
    let changes = stopped.stopping_instances.unwrap();
    assert_eq!(changes.len(), 2);
    assert_eq!(
        changes[0].previous_state.as_ref().unwrap().name,
        Some(InstanceStateName::Running)
    );
    assert!(states(&client, &blue_ids)
        .await
        .iter()
        .all(|s| *s == InstanceStateName::Stopped));

    client
        .start_instances(StartInstancesRequest {
            instance_ids: Some(blue_ids.clone()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(states(&client, &blue_ids)
        .await
        .iter()
        .all(|s| *s == InstanceStateName::Running));

    let term = client
        .terminate_instances(TerminateInstancesRequest {
            instance_ids: Some(blue_ids.clone()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(term.terminating_instances.unwrap().len(), 2);
    assert!(states(&client, &blue_ids)
        .await
        .iter()
        .all(|s| *s == InstanceStateName::Terminated));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn security_group_with_nested_permissions() {
    let moto = Moto::start();
    let client = ec2::Client::new(&moto.session());
    let sg = client
        .create_security_group(CreateSecurityGroupRequest {
            group_name: Some("web & <admin> é".into()),
            description: Some("web servers: ports 80 & 443 <public>".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let group_id = sg.group_id.unwrap();
    client
        .authorize_security_group_ingress(AuthorizeSecurityGroupIngressRequest {
            group_id: Some(group_id.clone()),
            ip_permissions: Some(vec![
                IpPermission {
                    ip_protocol: Some("tcp".into()),
                    from_port: Some(80),
                    to_port: Some(80),
                    ip_ranges: Some(vec![
                        IpRange {
                            cidr_ip: Some("10.0.0.0/8".into()),
                            description: Some("internal".into()),
                        },
                        IpRange {
                            cidr_ip: Some("192.168.0.0/16".into()),
                            description: None,
                        },
                    ]),
                    ..Default::default()
                },
                IpPermission {
                    ip_protocol: Some("tcp".into()),
                    from_port: Some(443),
                    to_port: Some(443),
                    ipv6_ranges: Some(vec![Ipv6Range {
                        cidr_ipv6: Some("::/0".into()),
                        description: Some("v6".into()),
                    }]),
                    ..Default::default()
                },
            ]),
            ..Default::default()
        })
        .await
        .unwrap();
    let d = client
        .describe_security_groups(DescribeSecurityGroupsRequest {
            group_ids: Some(vec![group_id.clone()]),
            ..Default::default()
        })
        .await
        .unwrap();
    let g = &d.security_groups.unwrap()[0];
    assert_eq!(
        g.group_name.as_deref(),
        Some("web & <admin> é"),
        "escaped text round-trips"
    );
    assert_eq!(
        g.description.as_deref(),
        Some("web servers: ports 80 & 443 <public>")
    );
    let perms = g.ip_permissions.as_ref().unwrap();
    let p80 = perms
        .iter()
        .find(|p| p.from_port == Some(80))
        .expect("port 80 rule");
    let cidrs: Vec<&str> = p80
        .ip_ranges
        .as_ref()
        .unwrap()
        .iter()
        .map(|r| r.cidr_ip.as_deref().unwrap())
        .collect();
    assert_eq!(cidrs, ["10.0.0.0/8", "192.168.0.0/16"]);
    assert_eq!(
        p80.ip_ranges.as_ref().unwrap()[0].description.as_deref(),
        Some("internal")
    );
    let p443 = perms
        .iter()
        .find(|p| p.from_port == Some(443))
        .expect("port 443 rule");
    assert_eq!(
        p443.ipv6_ranges.as_ref().unwrap()[0].cidr_ipv6.as_deref(),
        Some("::/0")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn volumes_keys_regions_and_errors() {
    let moto = Moto::start();
    let client = ec2::Client::new(&moto.session());
    let before = boto_runtime::DateTime::now();
    let vol = client
        .create_volume(CreateVolumeRequest {
            availability_zone: Some("us-east-1a".into()),
            size: Some(8),
            volume_type: Some(VolumeType::Gp3),
            ..Default::default()
        })
        .await
        .unwrap();
    let created = vol.create_time.expect("create time");
    assert!(
        (created.secs() - before.secs()).abs() < 120,
        "create time {created} near {before}"
    );
    let vols = client
        .describe_volumes(DescribeVolumesRequest {
            volume_ids: Some(vec![vol.volume_id.clone().unwrap()]),
            ..Default::default()
        })
        .await
        .unwrap()
        .volumes
        .unwrap();
    assert_eq!(vols[0].size, Some(8));
    assert_eq!(
        vols[0].create_time,
        Some(created),
        "timestamps parse identically in both responses"
    );

    let key = client
        .create_key_pair(CreateKeyPairRequest {
            key_name: Some("deploy-key".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(key
        .key_material
        .as_deref()
        .unwrap_or("")
        .contains("PRIVATE KEY"));
    let dbg = format!("{key:?}");
    assert!(
        !dbg.contains("PRIVATE KEY"),
        "key material is sensitive and redacted from Debug"
    );
    let keys = client
        .describe_key_pairs(DescribeKeyPairsRequest::default())
        .await
        .unwrap()
        .key_pairs
        .unwrap();
    assert!(keys
        .iter()
        .any(|k| k.key_name.as_deref() == Some("deploy-key")));
    client
        .delete_key_pair(DeleteKeyPairRequest {
            key_name: Some("deploy-key".into()),
            ..Default::default()
        })
        .await
        .unwrap();

    let regions = client
        .describe_regions(DescribeRegionsRequest::default())
        .await
        .unwrap()
        .regions
        .unwrap();
    assert!(regions
        .iter()
        .any(|r| r.region_name.as_deref() == Some("us-east-1")));
    assert!(regions.iter().all(|r| r.endpoint.is_some()));

    let err = client
        .describe_instances(DescribeInstancesRequest {
            instance_ids: Some(vec!["i-0123456789abcdef0".into()]),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("InvalidInstanceID.NotFound"));
    assert_eq!(err.status(), Some(400));
    assert!(err.message().unwrap().contains("i-0123456789abcdef0"));
    assert!(err.request_id().is_some(), "request id is parsed");
    assert!(err.to_string().contains("InvalidInstanceID.NotFound"));
}
