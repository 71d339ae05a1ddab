//! The generator's output, exercised through the fixture crates it made (tests/fixtures/generated):
//! naming obstacles, recursion boxing, sensitive members, and a round trip through the ec2 codec.

use boto_tests::CannedServer;

#[test]
fn obstacle_course_names() {
    use obstacle::types::*;
    // Keyword members are raw identifiers or suffixed; folded collisions get a numbered suffix.
    let r = Result {
        r#type: Some("a".into()),
        type_2: Some("b".into()),
        self_: Some("c".into()),
        build: Some("d".into()),
        send: Some("e".into()),
        default: Some("f".into()),
        foo_bar: Some(1),
        foo_bar_2: Some(2),
        value: Some(Status::T2Micro),
        ..Default::default()
    };
    assert_eq!(r.clone(), r, "Clone and PartialEq go through the schema");
    let o = Option {
        some: Some("x".into()),
        none: Some(true),
        crate_: Some(1),
        super_: Some(0.5),
    };
    assert_eq!(o.some.as_deref(), Some("x"));
    // Shape names that are Rust keywords are renamed; recursion is boxed.
    let s = SelfShape {
        parent: Some(std::boxed::Box::new(SelfShape::default())),
        children: Some(vec![SelfShape::default()]),
        other: Some(std::boxed::Box::new(Builder {
            back: Some(std::boxed::Box::new(SelfShape::default())),
            r#async: Some("a".into()),
            r#await: None,
            r#dyn: None,
        })),
    };
    assert!(s.other.as_ref().unwrap().back.is_some());
    let v = Vec {
        notification_arns: Some(vec!["arn".into()]),
        ipv4_address: Some("10.0.0.1".into()),
        total_gpu_memory_in_mib: Some(16),
        ..Default::default()
    };
    assert_eq!(v.total_gpu_memory_in_mib, Some(16));
    // Enum values: leading digits, symbols, values folding together, and the reserved `Unknown`.
    assert_eq!(Status::V2xx.as_str(), "2xx");
    assert_eq!(Status::Star.as_str(), "*");
    assert_eq!(Status::UnknownValue.as_str(), "Unknown");
    assert_eq!(Status::UnknownValue2.as_str(), "unknown");
    assert_eq!(Status::AB.as_str(), "a-b");
    assert_eq!(Status::AB2.as_str(), "a_b");
    assert_eq!(Status::Empty.as_str(), "");
    assert_eq!(Status::from("t2.micro"), Status::T2Micro);
    assert_eq!(
        Status::from("brand-new"),
        Status::Unknown("brand-new".into())
    );
    assert_eq!(Status::from("brand-new").to_string(), "brand-new");
    assert_eq!(Status::VALUES.len(), 10);
    // Unions are enums with one variant per member.
    let c = Choice::SelfValue(SelfShape::default());
    assert_ne!(c, Choice::Text("t".into()));
    // Operations that collide with client methods are renamed, keywords are raw.
    let session = boto_tests::isolated_session()
        .region("us-east-1")
        .build()
        .unwrap();
    let client = obstacle::Client::new(&session);
    drop(client.new_operation(Result::default()));
    drop(client.builder_operation(Builder::default()));
    drop(client.handle_operation());
    drop(client.r#match(SelfShape::default()));
    drop(client.get_i_pv4_arns(Vec::default()));
}

#[test]
fn sensitive_members_are_redacted_from_debug() {
    let r = obstacle::types::Result {
        secret: Some("hunter2".into()),
        secrets: Some(vec!["correct horse".into()]),
        r#type: Some("visible".into()),
        ..Default::default()
    };
    let d = format!("{r:?}");
    assert!(d.contains("visible") && d.contains("type"), "{d}");
    assert!(!d.contains("hunter2"), "{d}");
    assert!(
        !d.contains("correct horse"),
        "a list of sensitive strings is redacted too: {d}"
    );
    assert!(d.contains("Redacted"), "{d}");
}

#[test]
fn names_golden_list_records_every_rename() {
    let names = std::fs::read_to_string(
        boto_tests::workspace_root().join("tests/fixtures/generated/obstacle/names.tsv"),
    )
    .unwrap();
    for line in [
        "field\tResult.type\tr#type\tkeyword",
        "field\tResult.Type\ttype_2\tcollides with another member, renamed from type",
        "field\tOption.crate\tcrate_\tkeyword",
        "type\tSelf\tSelfShape\trecased",
        "operation\tNew\tnew_operation\tcollides with a client method or another operation",
        "variant\tStatus.unknown\tUnknownValue2\tcollides with another value, renamed from UnknownValue",
        "field\tVec.IPv4Address\tipv4_address",
    ] {
        assert!(names.lines().any(|l| l == line), "missing from names.tsv: {line}");
    }
}

#[test]
fn names_golden_list_records_collisions_and_every_generated_name() {
    let root = boto_tests::workspace_root();
    let obstacle =
        std::fs::read_to_string(root.join("tests/fixtures/generated/obstacle/names.tsv")).unwrap();
    for line in [
        "collision\tResult.Type\ttype_2\tfield Result.Type wanted type, which field Result.type has; suffix _2 added",
        "collision\tNew\tnew_operation\toperation New wanted new, which the client's own method new has; suffix _operation added",
    ] {
        assert!(obstacle.lines().any(|l| l == line), "missing from names.tsv: {line}");
    }
    let ec2 = std::fs::read_to_string(root.join("generated/ec2/names.tsv")).unwrap();
    for line in [
        "paginator\tDescribeInstances\tdescribe_instances_paginator",
        "paginator_static\tDescribeInstances\tPAGINATE_DESCRIBE_INSTANCES",
        "waiter\tInstanceRunning\twait_until_instance_running",
        "waiter_static\tInstanceRunning\tWAIT_INSTANCE_RUNNING",
        "operation_static\tDescribeInstances\tOP_DESCRIBE_INSTANCES",
        "resource\tInstance\tInstance",
        "resource_collection_type\tInstance\tInstanceCollection",
        "resource_static\tInstance\tK_INSTANCE",
        "resource_collection\tServiceResource.Instances\tinstances",
        "resource_attribute\tInstance.NetworkInterfaces\tnetwork_interfaces_attribute",
        "collision\tInstance.NetworkInterfaces\tnetwork_interfaces_attribute\tresource_attribute Instance.NetworkInterfaces wanted network_interfaces, which resource_reference Instance.NetworkInterfaces has; suffix _attribute added",
    ] {
        assert!(ec2.lines().any(|l| l == line), "missing from ec2 names.tsv: {line}");
    }
}

#[test]
fn codegen_reports_all_problems_with_context() {
    let bad = r#"{"metadata": {"apiVersion": "1", "endpointPrefix": "x", "protocol": "ec2"},
        "operations": {"Op": {"name": "Op", "input": {"shape": "In"}}},
        "shapes": {"In": {"type": "structure", "required": ["Gone"], "members": {"A": {"shape": "Missing"}, "B": {"shape": "Weird"}, "C": {"shape": "L"}, "D": {"shape": "T", "location": "body-ish"}}},
                   "Weird": {"type": "quaternion"},
                   "L": {"type": "list"},
                   "T": {"type": "timestamp", "timestampFormat": "sometimes"}}}"#;
    let errs = codegen::generate(&codegen::ServiceInput {
        crate_name: "bad".into(),
        service_json: bad.into(),
        protocol: None,
        runtime_path: String::new(),
        ..Default::default()
    })
    .unwrap_err();
    let all = errs.join("\n");
    assert!(
        all.contains("shape Missing is referenced but not defined"),
        "{all}"
    );
    assert!(all.contains("unknown shape type \"quaternion\""), "{all}");
    assert!(all.contains("required member Gone does not exist"), "{all}");
    assert!(all.contains("shape L: a list without a member"), "{all}");
    assert!(
        all.contains("shape T: unknown timestampFormat \"sometimes\""),
        "{all}"
    );
    assert!(
        all.contains("member D: unknown location \"body-ish\""),
        "{all}"
    );
    assert!(
        errs.iter().all(|e| e.starts_with("bad/service-2.json: ")),
        "{all}"
    );
}

#[test]
fn generation_is_deterministic() {
    let text = std::fs::read_to_string(
        boto_tests::workspace_root().join("tests/fixtures/models/obstacle/service-2.json"),
    )
    .unwrap();
    let input = codegen::ServiceInput {
        crate_name: "obstacle".into(),
        service_json: text,
        protocol: None,
        runtime_path: String::new(),
        ..Default::default()
    };
    let a = codegen::generate(&input).unwrap();
    let b = codegen::generate(&input).unwrap();
    assert_eq!(a, b);
    assert!(a
        .values()
        .all(|f| ["// @generated", "# @generated", "<!-- @generated"]
            .iter()
            .any(|h| f.starts_with(h))));
}

#[tokio::test]
async fn small_service_round_trip() {
    let body = br#"<DescribeThingsResponse xmlns="http://small.example.com/doc/2020-02-02">
        <requestId>abc</requestId>
        <thingSet>
          <item><thingId>t-1</thingId><state>running</state><created>2020-01-02T03:04:05.678Z</created><size>3</size></item>
          <item><thingId>t-2</thingId><state>hibernating</state></item>
        </thingSet>
        <nextToken>tok</nextToken>
      </DescribeThingsResponse>"#;
    let server = CannedServer::start(200, body.to_vec());
    let client = small::Client::new(&server.session());
    let out = client
        .describe_things(small::types::DescribeThingsRequest {
            thing_ids: Some(vec!["t-1".into(), "t-2".into()]),
            filters: Some(vec![small::types::Filter {
                name: Some("state".into()),
                values: Some(vec!["running".into()]),
            }]),
            dry_run: Some(true),
        })
        .await
        .unwrap();
    let things = out.things.unwrap();
    assert_eq!(things.len(), 2);
    assert_eq!(things[0].state, Some(small::types::ThingState::Running));
    assert_eq!(
        things[1].state,
        Some(small::types::ThingState::Unknown("hibernating".into()))
    );
    assert_eq!(
        things[0].created.unwrap().to_iso8601(),
        "2020-01-02T03:04:05.678000Z"
    );
    assert_eq!(things[0].size, Some(3));
    assert_eq!(out.next_token.as_deref(), Some("tok"));
    let sent = String::from_utf8(server.bodies()[0].clone()).unwrap();
    assert_eq!(
        sent,
        "Action=DescribeThings&Version=2020-02-02&ThingId.1=t-1&ThingId.2=t-2&Filter.1.Name=state&Filter.1.Value.1=running&DryRun=true"
    );
    let err = client
        .delete_thing(small::types::DeleteThingRequest::default())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("\"ThingId\""), "{err}");
    assert_eq!(server.requests(), 1);
}

/// Every paginator and waiter of every service's model exists in its generated crate.
#[test]
fn every_paginator_and_waiter_is_generated() {
    let root = boto_tests::workspace_root();
    let mut total = (0, 0);
    // The committed crates; every other service is generated on demand.
    for folder in xtask::SERVICES {
        let dir = root.join("models").join(folder);
        let svc = folder.replace('-', "_");
        let krate = root.join("generated").join(&svc).join("src");
        let client = std::fs::read_to_string(krate.join("client.rs")).unwrap();
        let read = |name: &str| -> serde_json::Value {
            std::fs::read_to_string(dir.join(name))
                .map(|t| serde_json::from_str(&t).unwrap())
                .unwrap_or(serde_json::Value::Null)
        };
        let paginators = read("paginators-1.json");
        let extras = read("paginators-1.sdk-extras.json");
        for (op, _) in paginators["pagination"].as_object().into_iter().flatten() {
            let method = format!("pub fn {}_paginator(", codegen::naming::xform_name(op));
            assert!(client.contains(&method), "{svc}: no {method}");
            total.0 += 1;
            // Merged extras (e.g. non_aggregate_keys) reach the compiled paginator.
            if let Some(keys) = extras["merge"]["pagination"][op]["non_aggregate_keys"].as_array() {
                let statics = std::fs::read_to_string(krate.join("paginators.rs")).unwrap();
                for k in keys {
                    let k = k.as_str().unwrap();
                    assert!(
                        statics.contains(&format!("Field(\"{k}\")")),
                        "{svc} {op}: {k}"
                    );
                }
            }
        }
        let waiters = read("waiters-2.json");
        for (name, _) in waiters["waiters"].as_object().into_iter().flatten() {
            let method = format!("pub fn wait_until_{}(", codegen::naming::xform_name(name));
            assert!(client.contains(&method), "{svc}: no {method}");
            total.1 += 1;
        }
    }
    // ec2 alone has 171 paginators and 43 waiters.
    assert!(total.0 > 250 && total.1 > 60, "{total:?}");
}

#[test]
fn expressions_outside_the_subset_are_generation_errors() {
    let service = r#"{"metadata": {"apiVersion": "1", "endpointPrefix": "x", "protocol": "json", "jsonVersion": "1.0", "targetPrefix": "X", "serviceId": "X"},
        "operations": {"List": {"name": "List", "input": {"shape": "In"}, "output": {"shape": "Out"}}},
        "shapes": {"In": {"type": "structure", "members": {"Token": {"shape": "S"}}},
                   "Out": {"type": "structure", "members": {"Next": {"shape": "S"}, "Items": {"shape": "L"}}},
                   "L": {"type": "list", "member": {"shape": "S"}}, "S": {"type": "string"}}}"#;
    let errs = codegen::generate(&codegen::ServiceInput {
        crate_name: "x".into(),
        service_json: service.into(),
        paginators_json: Some(
            r#"{"pagination": {"List": {"input_token": "Token", "output_token": "sort(Next)", "result_key": "Items"}}}"#.into(),
        ),
        waiters_json: Some(
            r#"{"version": 2, "waiters": {"Ready": {"operation": "List", "delay": 1, "maxAttempts": 2,
                "acceptors": [{"state": "success", "matcher": "path", "argument": "Items[1:2]", "expected": "a"}]}}}"#.into(),
        ),
        ..Default::default()
    })
    .unwrap_err();
    let all = errs.join("\n");
    assert!(
        all.contains("x/paginators-1.json: paginator List: output_token `sort(Next)`"),
        "{all}"
    );
    assert!(
        all.contains("x/waiters-2.json: waiter Ready: argument `Items[1:2]`"),
        "{all}"
    );
}

/// Every part of the nine resource models is generated where boto3 puts it: each resource type
/// with its identifiers, attributes (shape members that are not identifiers), actions,
/// references, subresources, collections and waiters, checked inside that type's `impl` block;
/// batch actions on the type's collection; and the totals against RESOURCES.md's inventory.
#[test]
fn every_part_of_the_resource_models_is_generated() {
    let root = boto_tests::workspace_root();
    // resources, actions, batch actions, references, subresources, collections, waiters, attributes
    let mut totals = [0usize; 8];
    for folder in xtask::SERVICES {
        let dir = root.join("models").join(folder);
        let Ok(text) = std::fs::read_to_string(dir.join("resources-1.json")) else {
            continue;
        };
        let svc = folder.replace('-', "_");
        let model: serde_json::Value = serde_json::from_str(&text).unwrap();
        let service = read_service_model(&dir);
        let code =
            std::fs::read_to_string(root.join("generated").join(&svc).join("src/resource.rs"))
                .unwrap_or_else(|e| panic!("{svc}: no resource.rs: {e}"));
        // The text of `impl <ty> {` up to its closing brace at the start of a line.
        let block = |head: &str| -> String {
            let start = code
                .find(head)
                .unwrap_or_else(|| panic!("{svc}: no `{head}`"));
            let rest = &code[start..];
            rest[..rest.find("\n}\n").unwrap_or(rest.len())].to_string()
        };
        let check = |owner: &str, def: &serde_json::Value, body: &str, totals: &mut [usize; 8]| {
            for (name, _) in def["actions"].as_object().into_iter().flatten() {
                assert!(
                    body.contains(&format!("/// The `{name}` action")),
                    "{svc} {owner}: no action {name}"
                );
                totals[1] += 1;
            }
            for (name, h) in def["has"].as_object().into_iter().flatten() {
                let reference = h["resource"]["identifiers"]
                    .as_array()
                    .is_some_and(|a| a.iter().any(|i| i["source"] == "data"));
                if reference {
                    assert!(
                        body.contains(&format!("/// The `{name}` reference")),
                        "{svc} {owner}: no reference {name}"
                    );
                    totals[3] += 1;
                } else {
                    let ty = h["resource"]["type"].as_str().unwrap();
                    assert!(
                        body.contains(&format!("/// The `{ty}` with these identifiers")),
                        "{svc} {owner}: no subresource {name}"
                    );
                    totals[4] += 1;
                }
            }
            for (name, _) in def["hasMany"].as_object().into_iter().flatten() {
                assert!(
                    body.contains(&format!("/// The `{name}` collection")),
                    "{svc} {owner}: no collection {name}"
                );
                totals[5] += 1;
            }
            for (name, w) in def["waiters"].as_object().into_iter().flatten() {
                let waiter = w["waiterName"].as_str().unwrap();
                assert!(
                    body.contains(&format!("/// Waits until the client's `{waiter}` waiter")),
                    "{svc} {owner}: no waiter {name}"
                );
                totals[6] += 1;
            }
        };
        check(
            "service",
            &model["service"],
            &block("impl ServiceResource {"),
            &mut totals,
        );
        for (name, def) in model["resources"].as_object().unwrap() {
            assert!(
                code.contains(&format!("pub struct {name}(Res);")),
                "{svc}: no resource {name}"
            );
            totals[0] += 1;
            let body = block(&format!("\nimpl {name} {{"));
            let mut id_snakes = Vec::new();
            for id in def["identifiers"].as_array().into_iter().flatten() {
                let id = id["name"].as_str().unwrap();
                let doc = format!("/// The `{id}` identifier.");
                assert!(body.contains(&doc), "{svc} {name}: no identifier {doc}");
                id_snakes.push(codegen::naming::xform_name(id));
            }
            check(name, def, &body, &mut totals);
            for (b, _) in def["batchActions"].as_object().into_iter().flatten() {
                let coll = block(&format!("> {name}Collection<I> {{"));
                assert!(
                    coll.contains(&format!("/// The `{b}` batch action")),
                    "{svc} {name}: no batch action {b}"
                );
                totals[2] += 1;
            }
            if let Some(shape) = def["shape"].as_str() {
                let members = service["shapes"][shape]["members"].as_object().unwrap();
                for member in members.keys() {
                    if id_snakes.contains(&codegen::naming::xform_name(member)) {
                        continue;
                    }
                    let doc = format!("/// The `{member}` attribute");
                    let alias = def["identifiers"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .any(|i| i["memberName"].as_str() == Some(member.as_str()));
                    assert!(
                        body.contains(&doc) || alias,
                        "{svc} {name}: no attribute {member}"
                    );
                    totals[7] += 1;
                }
            }
        }
    }
    // RESOURCES.md's inventory of the latest files, summed over the nine services.
    assert_eq!(
        totals[..7],
        [80, 318, 15, 28, 108, 87, 17],
        "(resources, actions, batch actions, references, subresources, collections, waiters)"
    );
    assert!(totals[7] > 500, "attributes: {}", totals[7]);
}

fn read_service_model(dir: &std::path::Path) -> serde_json::Value {
    let text = xtask::models::read_service_model(dir)
        .unwrap()
        .expect("a service model");
    serde_json::from_str(&text).unwrap()
}

/// A resource model the generator cannot honour is reported entry by entry, in model order, each
/// message naming the file, the entry and what is wrong.
#[test]
fn bad_resource_models_are_generation_errors() {
    let service = r#"{"metadata": {"apiVersion": "1", "endpointPrefix": "x", "protocol": "json", "jsonVersion": "1.0", "targetPrefix": "X", "serviceId": "X"},
        "operations": {"List": {"name": "List", "input": {"shape": "In"}, "output": {"shape": "Out"}}},
        "shapes": {"In": {"type": "structure", "members": {"Token": {"shape": "S"}}},
                   "Out": {"type": "structure", "members": {"Items": {"shape": "L"}}},
                   "L": {"type": "list", "member": {"shape": "S"}}, "S": {"type": "string"}}}"#;
    let resources = r#"{"service": {
            "actions": {"Bad": {"request": {"operation": "Nope"}}},
            "hasMany": {"Things": {"request": {"operation": "List"},
                "resource": {"type": "Thing", "identifiers": [{"target": "Id", "source": "response", "path": "Items[1:2]"}]}}}},
        "resources": {"Thing": {"identifiers": [{"name": "Id"}],
            "actions": {"Poke": {"request": {"operation": "List", "params": [
                {"target": "Token", "source": "identifier", "name": "Missing"},
                {"target": "Token", "source": "weird"}]}}},
            "has": {"Other": {"resource": {"type": "Ghost", "identifiers": [{"target": "Id", "source": "identifier", "name": "Id"}]}}},
            "waiters": {"Exists": {"waiterName": "NoSuch", "params": []}}}}}"#;
    let errs = codegen::generate(&codegen::ServiceInput {
        crate_name: "x".into(),
        service_json: service.into(),
        resources_json: Some(resources.into()),
        ..Default::default()
    })
    .unwrap_err();
    let expected = [
        "x/resources-1.json: Thing action Poke: no identifier Missing",
        "x/resources-1.json: Thing action Poke: unsupported parameter source \"weird\"",
        "x/resources-1.json: Thing subresource Other: unknown type Ghost",
        "x/resources-1.json: Thing waiter Exists: no waiter NoSuch in waiters-2.json",
        "x/resources-1.json: service action Bad: no operation Nope",
        "x/resources-1.json: service collection Things: path `Items[1:2]`: ",
    ];
    assert_eq!(errs.len(), expected.len(), "{errs:#?}");
    for (e, x) in errs.iter().zip(expected) {
        assert!(e.starts_with(x), "{e} (expected {x})");
    }
}

/// Every operation of every model whose output is an event stream (23 in botocore 1.43.11, five
/// of them with input streams too, which botocore removes from its clients and boto-rs sends over
/// HTTP/2) gets a live `EventStream` member in the crate generated for it.
#[test]
fn every_output_event_stream_is_a_live_event_stream() {
    let root = boto_tests::workspace_root().join("models");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let (mut outputs, mut inputs) = (Vec::new(), Vec::new());
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().replace('-', "_");
        let Some(text) = xtask::models::read_service_model(&dir).unwrap() else {
            continue;
        };
        let model: serde_json::Value = serde_json::from_str(&text).unwrap();
        let shapes = &model["shapes"];
        let stream_member = |shape: &serde_json::Value| {
            let s = &shapes[shape.as_str()?];
            s["members"].as_object()?.iter().find_map(|(m, t)| {
                shapes[t["shape"].as_str()?]["eventstream"]
                    .as_bool()
                    .filter(|b| *b)
                    .map(|_| m.clone())
            })
        };
        let mut here = Vec::new();
        for (op, o) in model["operations"].as_object().unwrap() {
            if stream_member(&o["input"]["shape"]).is_some() {
                inputs.push(format!("{name}.{op}"));
            }
            if let Some(m) = stream_member(&o["output"]["shape"]) {
                here.push((
                    op.clone(),
                    o["output"]["shape"].as_str().unwrap().to_string(),
                    m,
                ));
            }
        }
        if here.is_empty() {
            continue;
        }
        let input = xtask::models::read_service_input(&dir, &name, String::new())
            .unwrap()
            .unwrap();
        let files = codegen::generate(&input).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let types = &files["src/types.rs"];
        for (op, output, member) in here {
            let ty = codegen::naming::type_name(&output);
            let start = types
                .find(&format!("pub struct {ty} {{"))
                .unwrap_or_else(|| panic!("{name}: no {output}"));
            let body = &types[start..start + types[start..].find("\n}").unwrap()];
            let field = codegen::naming::ident_text(&codegen::naming::snake_name(&member));
            assert!(
                body.contains(&format!("pub {field}: ::boto_runtime::EventStream<")),
                "{name}.{op}: {output}.{member} is not an EventStream:\n{body}"
            );
            outputs.push(format!("{name}.{op}"));
        }
    }
    assert_eq!(outputs.len(), 23, "{outputs:?}");
    assert_eq!(inputs.len(), 5, "{inputs:?}");
}

#[test]
fn debug_leaves_out_unset_members_and_prints_enums_one_way() {
    use boto_runtime::Structure;
    let body = boto_tests::large_describe_instances();
    let resp = boto_runtime::http::HttpResponse {
        status: 200,
        headers: Vec::new(),
        body: body.into(),
    };
    let mut out = ec2::types::DescribeInstancesResult::default();
    boto_runtime::protocol::parse(
        &ec2::operations::SERVICE,
        &ec2::operations::OP_DESCRIBE_INSTANCES,
        &resp,
        Some(&mut out as &mut dyn Structure),
    )
    .unwrap();
    let reservations = out.reservations.unwrap();
    let instance = &reservations[0].instances.as_ref().unwrap()[0];
    let shown = format!("{instance:#?}");
    assert!(!shown.contains("None"), "{shown}");
    assert!(!shown.contains("Some("), "{shown}");
    assert!(
        shown.lines().count() < 200,
        "{} lines",
        shown.lines().count()
    );
    // An enum prints the same alone and inside its structure.
    let state = instance.state.as_ref().unwrap().name.clone().unwrap();
    let alone = format!("{state:?}");
    assert_eq!(alone, format!("{:?}", state.as_str()));
    assert!(shown.contains(&format!("name: {alone}")), "{shown}");
    let arch = instance.architecture.clone().unwrap();
    assert!(
        shown.contains(&format!("architecture: {arch:?}")),
        "{shown}"
    );
}

/// The doc comment (`///` lines) just above `pub fn {method}(` in a generated client.
fn method_doc(client_rs: &str, method: &str) -> String {
    let at = client_rs
        .find(&format!("pub fn {method}("))
        .unwrap_or_else(|| panic!("no method {method}"));
    client_rs[..at]
        .lines()
        .rev()
        .skip(1)
        .take_while(|l| l.trim_start().starts_with("///"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn operation_docs_list_required_members_errors_paginators_and_waiters() {
    let root = boto_tests::workspace_root();
    let ec2 = std::fs::read_to_string(root.join("generated/ec2/src/client.rs")).unwrap();
    let run = method_doc(&ec2, "run_instances");
    assert!(
        run.contains("**Required input:** [`max_count`](crate::types::RunInstancesRequest::max_count), [`min_count`](crate::types::RunInstancesRequest::min_count)."),
        "{run}"
    );
    let describe = method_doc(&ec2, "describe_instances");
    assert!(
        describe.contains(
            "**Paginator:** [`describe_instances_paginator`](Self::describe_instances_paginator)."
        ),
        "{describe}"
    );
    assert!(
        describe.contains("[`wait_until_instance_running`](Self::wait_until_instance_running)"),
        "{describe}"
    );
    assert!(!describe.contains("**Required input:**"), "{describe}");

    let s3 = std::fs::read_to_string(root.join("generated/s3/src/client.rs")).unwrap();
    let get = method_doc(&s3, "get_object");
    assert!(
        get.contains("[`NoSuchKey`](crate::Error::NoSuchKey)")
            && get.contains("[`bucket`](crate::types::GetObjectRequest::bucket)"),
        "{get}"
    );
    let head = method_doc(&s3, "head_bucket");
    assert!(
        head.contains("**Waiters:** [`wait_until_bucket_exists`](Self::wait_until_bucket_exists), [`wait_until_bucket_not_exists`](Self::wait_until_bucket_not_exists)."),
        "{head}"
    );

    // rustdoc's lints stay on in every generated crate (`cargo xtask docs` denies its warnings).
    for entry in std::fs::read_dir(root.join("generated")).unwrap() {
        let lib = entry.unwrap().path().join("src/lib.rs");
        let text = std::fs::read_to_string(&lib).unwrap();
        assert!(!text.contains("rustdoc::"), "{}", lib.display());
    }
}
