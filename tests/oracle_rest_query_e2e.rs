//! Query, REST-JSON and REST-XML services end to end against moto, boto3 as the oracle: each
//! call goes through boto-rs and through boto3 against the same server and the answers are
//! compared member by member (see `support/oracle.rs`). Each service's test creates, reads, lists
//! (through its paginator, a page at a time, where the operation has one), draws a modeled error
//! and deletes.

use boto_tests::oracle::{answer, assert_same, error_json, pages, Answer, Boto3};
use boto_tests::Moto;
use futures::TryStreamExt;
use serde_json::json;

/// The answer of a call whose operation has no output, as boto3 shows it: an empty object.
fn done(result: &Result<(), boto_runtime::Error>) -> Answer {
    match result {
        Ok(()) => Ok(json!({})),
        Err(e) => Err(error_json(e)),
    }
    .into()
}

/// A value with characters that need escaping in XML, in a query string and in a URL path.
const AWKWARD: &str = "a&b <c> \"d\" 'e' =f+g%h/i";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rds_db_instances() {
    use rds::types::*;
    let moto = Moto::start();
    let client = rds::Client::new(&moto.session());
    let mut py = Boto3::start(&moto, "rds");

    // Create: one instance through each; only what names the instance differs.
    let create = |id: &str| CreateDBInstanceMessage {
        db_instance_identifier: Some(id.into()),
        db_instance_class: Some("db.t3.micro".into()),
        engine: Some("postgres".into()),
        master_username: Some("admin".into()),
        master_user_password: Some("p&ss<w>rd\"1".into()),
        allocated_storage: Some(20),
        tags: Some(vec![Tag {
            key: Some("team".into()),
            value: Some(AWKWARD.into()),
        }]),
        ..Default::default()
    };
    let volatile = [
        "DBInstance.DBInstanceIdentifier",
        "DBInstance.DBInstanceArn",
        "DBInstance.Endpoint.Address",
        "DBInstance.DbiResourceId",
        "DBInstance.InstanceCreateTime",
        "DBInstance.LatestRestorableTime",
    ];
    let rs = client.create_db_instance(create("oracle-rs")).await;
    assert_same(
        "CreateDBInstance",
        &answer(&rs),
        &py.call("CreateDBInstance", &create("oracle-py")),
        &volatile,
    );
    let created = rs.unwrap().db_instance.unwrap();
    assert_eq!(created.db_instance_identifier.as_deref(), Some("oracle-rs"));
    assert_eq!(created.tag_list.unwrap()[0].value.as_deref(), Some(AWKWARD));

    // Read: the same instance through both (moto names the time of each read as the latest
    // restorable time).
    let req = DescribeDBInstancesMessage {
        db_instance_identifier: Some("oracle-rs".into()),
        ..Default::default()
    };
    assert_same(
        "DescribeDBInstances",
        &answer(&client.describe_db_instances(req.clone()).await),
        &py.call("DescribeDBInstances", &req),
        &["DBInstances[].LatestRestorableTime"],
    );

    // List a page at a time: one instance per page, both instances listed.
    let req = DescribeDBInstancesMessage::default();
    let rs = client
        .describe_db_instances_paginator(req.clone())
        .page_size(1)
        .pages()
        .try_collect::<Vec<_>>()
        .await;
    assert_same(
        "DescribeDBInstances pages",
        &pages(&rs),
        &py.paginate("DescribeDBInstances", &req, json!({"PageSize": 1})),
        &["[].DBInstances[].LatestRestorableTime"],
    );
    let listed: Vec<String> = rs
        .unwrap()
        .into_iter()
        .flat_map(|p| p.db_instances.unwrap_or_default())
        .filter_map(|d| d.db_instance_identifier)
        .collect();
    assert_eq!(listed, ["oracle-rs", "oracle-py"]);

    // A modeled error.
    let req = DescribeDBInstancesMessage {
        db_instance_identifier: Some("missing-db".into()),
        ..Default::default()
    };
    let rs = client.describe_db_instances(req.clone()).await;
    let err = rs.as_ref().unwrap_err();
    assert!(
        matches!(
            rds::Error::try_from(err),
            Ok(rds::Error::DBInstanceNotFoundFault(_))
        ),
        "{err}"
    );
    assert_same(
        "DescribeDBInstances (missing)",
        &answer(&rs),
        &py.call("DescribeDBInstances", &req),
        &[],
    );

    // Delete one through each, then neither can be read.
    let delete = |id: &str| DeleteDBInstanceMessage {
        db_instance_identifier: Some(id.into()),
        skip_final_snapshot: Some(true),
        ..Default::default()
    };
    assert_same(
        "DeleteDBInstance",
        &answer(&client.delete_db_instance(delete("oracle-rs")).await),
        &py.call("DeleteDBInstance", &delete("oracle-py")),
        &volatile,
    );
    for id in ["oracle-rs", "oracle-py"] {
        let req = DescribeDBInstancesMessage {
            db_instance_identifier: Some(id.into()),
            ..Default::default()
        };
        let rs = client.describe_db_instances(req.clone()).await;
        assert!(
            matches!(
                rds::Error::try_from(rs.as_ref().unwrap_err()),
                Ok(rds::Error::DBInstanceNotFoundFault(_))
            ),
            "{rs:?}"
        );
        assert_same(
            "DescribeDBInstances (deleted)",
            &answer(&rs),
            &py.call("DescribeDBInstances", &req),
            &[],
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn elbv2_target_groups() {
    use elbv2::types::*;
    let moto = Moto::start();
    let session = moto.session();
    let client = elbv2::Client::new(&session);
    let mut py = Boto3::start(&moto, "elbv2");
    let vpc_id = ec2::Client::new(&session)
        .create_vpc(ec2::types::CreateVpcRequest {
            cidr_block: Some("10.0.0.0/16".into()),
            ..Default::default()
        })
        .await
        .unwrap()
        .vpc
        .unwrap()
        .vpc_id
        .unwrap();

    // Create: one target group through each; their names and ARNs differ.
    let create = |name: &str| CreateTargetGroupInput {
        name: Some(name.into()),
        protocol: Some(ProtocolEnum::Http),
        port: Some(8080),
        vpc_id: Some(vpc_id.clone()),
        health_check_path: Some("/health?probe=1&who=<lb>".into()),
        health_check_interval_seconds: Some(15),
        matcher: Some(Matcher {
            http_code: Some("200-299".into()),
            ..Default::default()
        }),
        tags: Some(vec![Tag {
            key: Some("team".into()),
            value: Some(AWKWARD.into()),
        }]),
        ..Default::default()
    };
    let volatile = [
        "TargetGroups[].TargetGroupArn",
        "TargetGroups[].TargetGroupName",
    ];
    let rs = client.create_target_group(create("tg-rs")).await;
    let created = py.call("CreateTargetGroup", &create("tg-py"));
    assert_same("CreateTargetGroup", &answer(&rs), &created, &volatile);
    let rs_arn = rs.unwrap().target_groups.unwrap()[0]
        .target_group_arn
        .clone()
        .unwrap();
    let py_arn = created.unwrap()["TargetGroups"][0]["TargetGroupArn"]
        .as_str()
        .unwrap()
        .to_string();

    // Read: the same target group, and its tags, through both.
    let req = DescribeTargetGroupsInput {
        target_group_arns: Some(vec![rs_arn.clone()]),
        ..Default::default()
    };
    assert_same(
        "DescribeTargetGroups",
        &answer(&client.describe_target_groups(req.clone()).await),
        &py.call("DescribeTargetGroups", &req),
        &[],
    );
    let req = DescribeTagsInput {
        resource_arns: Some(vec![rs_arn.clone()]),
    };
    let rs = client.describe_tags(req.clone()).await;
    assert_same(
        "DescribeTags",
        &answer(&rs),
        &py.call("DescribeTags", &req),
        &[],
    );
    let tags = rs.unwrap().tag_descriptions.unwrap()[0]
        .tags
        .clone()
        .unwrap();
    assert_eq!(tags[0].value.as_deref(), Some(AWKWARD));

    // List a page at a time (moto answers in one page whatever the size); both are listed.
    let req = DescribeTargetGroupsInput::default();
    let rs = client
        .describe_target_groups_paginator(req.clone())
        .page_size(1)
        .pages()
        .try_collect::<Vec<_>>()
        .await;
    assert_same(
        "DescribeTargetGroups pages",
        &pages(&rs),
        &py.paginate("DescribeTargetGroups", &req, json!({"PageSize": 1})),
        &[],
    );
    let listed: Vec<String> = rs
        .unwrap()
        .into_iter()
        .flat_map(|p| p.target_groups.unwrap_or_default())
        .filter_map(|t| t.target_group_arn)
        .collect();
    assert!(
        listed.contains(&rs_arn) && listed.contains(&py_arn),
        "{listed:?}"
    );

    // A modeled error.
    let req = DescribeTargetGroupsInput {
        names: Some(vec!["missing-tg".into()]),
        ..Default::default()
    };
    let rs = client.describe_target_groups(req.clone()).await;
    let err = rs.as_ref().unwrap_err();
    assert!(
        matches!(
            elbv2::Error::try_from(err),
            Ok(elbv2::Error::TargetGroupNotFoundException(_))
        ),
        "{err}"
    );
    assert_same(
        "DescribeTargetGroups (missing)",
        &answer(&rs),
        &py.call("DescribeTargetGroups", &req),
        &[],
    );

    // Delete one through each; then neither is found.
    let rs = client
        .delete_target_group(DeleteTargetGroupInput {
            target_group_arn: Some(rs_arn.clone()),
        })
        .await;
    let req = DeleteTargetGroupInput {
        target_group_arn: Some(py_arn.clone()),
    };
    assert_same(
        "DeleteTargetGroup",
        &answer(&rs),
        &py.call("DeleteTargetGroup", &req),
        &[],
    );
    let req = DescribeTargetGroupsInput {
        target_group_arns: Some(vec![rs_arn]),
        ..Default::default()
    };
    let rs = client.describe_target_groups(req.clone()).await;
    assert!(
        matches!(
            elbv2::Error::try_from(rs.as_ref().unwrap_err()),
            Ok(elbv2::Error::TargetGroupNotFoundException(_))
        ),
        "{rs:?}"
    );
    assert_same(
        "DescribeTargetGroups (deleted)",
        &answer(&rs),
        &py.call("DescribeTargetGroups", &req),
        &[],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn autoscaling_groups_and_launch_configurations() {
    use autoscaling::types::*;
    let moto = Moto::start();
    let client = autoscaling::Client::new(&moto.session());
    let mut py = Boto3::start(&moto, "autoscaling");

    // Launch configurations: one through each (their answers are empty).
    let create = |name: &str| CreateLaunchConfigurationType {
        launch_configuration_name: Some(name.into()),
        image_id: Some("ami-12c6146b".into()),
        instance_type: Some("t3.micro".into()),
        user_data: Some("#!/bin/sh\necho \"<ready> & set\"\n".into()),
        ..Default::default()
    };
    assert_same(
        "CreateLaunchConfiguration",
        &done(&client.create_launch_configuration(create("lc-rs")).await),
        &py.call("CreateLaunchConfiguration", &create("lc-py")),
        &[],
    );
    let req = LaunchConfigurationNamesType {
        launch_configuration_names: Some(vec!["lc-rs".into()]),
        ..Default::default()
    };
    let rs = client.describe_launch_configurations(req.clone()).await;
    assert_same(
        "DescribeLaunchConfigurations",
        &answer(&rs),
        &py.call("DescribeLaunchConfigurations", &req),
        &[],
    );
    // The user data went base64-encoded, as botocore sends it, and moto keeps it so.
    let described = rs.unwrap().launch_configurations.unwrap()[0].clone();
    assert_eq!(
        described.user_data.as_deref(),
        Some("IyEvYmluL3NoCmVjaG8gIjxyZWFkeT4gJiBzZXQiCg==")
    );
    let req = LaunchConfigurationNamesType::default();
    let rs = client
        .describe_launch_configurations_paginator(req.clone())
        .page_size(1)
        .pages()
        .try_collect::<Vec<_>>()
        .await;
    assert_same(
        "DescribeLaunchConfigurations pages",
        &pages(&rs),
        &py.paginate("DescribeLaunchConfigurations", &req, json!({"PageSize": 1})),
        &[],
    );
    let rs = rs.unwrap();
    assert_eq!(rs.len(), 2, "one launch configuration per page");
    let mut listed: Vec<String> = rs
        .into_iter()
        .flat_map(|p| p.launch_configurations.unwrap_or_default())
        .filter_map(|l| l.launch_configuration_name)
        .collect();
    listed.sort();
    assert_eq!(listed, ["lc-py", "lc-rs"]);

    // Groups: one through each, with no room for an instance.
    let create = |name: &str| CreateAutoScalingGroupType {
        auto_scaling_group_name: Some(name.into()),
        launch_configuration_name: Some("lc-rs".into()),
        min_size: Some(0),
        max_size: Some(0),
        availability_zones: Some(vec!["us-east-1a".into(), "us-east-1b".into()]),
        tags: Some(vec![Tag {
            key: Some("team".into()),
            value: Some(AWKWARD.into()),
            propagate_at_launch: Some(true),
            ..Default::default()
        }]),
        ..Default::default()
    };
    assert_same(
        "CreateAutoScalingGroup",
        &done(&client.create_auto_scaling_group(create("asg-rs")).await),
        &py.call("CreateAutoScalingGroup", &create("asg-py")),
        &[],
    );
    let req = AutoScalingGroupNamesType {
        auto_scaling_group_names: Some(vec!["asg-rs".into()]),
        ..Default::default()
    };
    let rs = client.describe_auto_scaling_groups(req.clone()).await;
    assert_same(
        "DescribeAutoScalingGroups",
        &answer(&rs),
        &py.call("DescribeAutoScalingGroups", &req),
        &[],
    );
    assert_eq!(
        rs.unwrap().auto_scaling_groups.unwrap()[0].max_size,
        Some(0)
    );
    let req = AutoScalingGroupNamesType::default();
    let rs = client
        .describe_auto_scaling_groups_paginator(req.clone())
        .page_size(1)
        .pages()
        .try_collect::<Vec<_>>()
        .await;
    assert_same(
        "DescribeAutoScalingGroups pages",
        &pages(&rs),
        &py.paginate("DescribeAutoScalingGroups", &req, json!({"PageSize": 1})),
        &[],
    );
    let mut listed: Vec<String> = rs
        .unwrap()
        .into_iter()
        .flat_map(|p| p.auto_scaling_groups.unwrap_or_default())
        .filter_map(|g| g.auto_scaling_group_name)
        .collect();
    listed.sort();
    assert_eq!(listed, ["asg-py", "asg-rs"]);

    // A modeled error: an instance does not fit in a group of at most none.
    let req = AttachInstancesQuery {
        instance_ids: Some(vec!["i-0123456789abcdef0".into()]),
        auto_scaling_group_name: Some("asg-rs".into()),
    };
    let rs = client.attach_instances(req.clone()).await;
    let err = rs.as_ref().unwrap_err();
    assert!(
        matches!(
            autoscaling::Error::try_from(err),
            Ok(autoscaling::Error::ResourceContentionFault(_))
        ),
        "{err}"
    );
    assert_same(
        "AttachInstances (full)",
        &done(&rs),
        &py.call("AttachInstances", &req),
        &[],
    );

    // Delete a group through each, then the launch configurations; nothing is left.
    let delete = |name: &str| DeleteAutoScalingGroupType {
        auto_scaling_group_name: Some(name.into()),
        force_delete: Some(true),
    };
    assert_same(
        "DeleteAutoScalingGroup",
        &done(&client.delete_auto_scaling_group(delete("asg-rs")).await),
        &py.call("DeleteAutoScalingGroup", &delete("asg-py")),
        &[],
    );
    let delete = |name: &str| LaunchConfigurationNameType {
        launch_configuration_name: Some(name.into()),
    };
    assert_same(
        "DeleteLaunchConfiguration",
        &done(&client.delete_launch_configuration(delete("lc-rs")).await),
        &py.call("DeleteLaunchConfiguration", &delete("lc-py")),
        &[],
    );
    let req = AutoScalingGroupNamesType::default();
    let rs = client.describe_auto_scaling_groups(req.clone()).await;
    assert_same(
        "DescribeAutoScalingGroups (deleted)",
        &answer(&rs),
        &py.call("DescribeAutoScalingGroups", &req),
        &[],
    );
    assert_eq!(rs.unwrap().auto_scaling_groups, Some(vec![]));
    let req = LaunchConfigurationNamesType::default();
    let rs = client.describe_launch_configurations(req.clone()).await;
    assert_same(
        "DescribeLaunchConfigurations (deleted)",
        &answer(&rs),
        &py.call("DescribeLaunchConfigurations", &req),
        &[],
    );
    assert_eq!(rs.unwrap().launch_configurations, Some(vec![]));
}

/// A deployment package: a zip archive holding `index.py`, a handler that answers its event.
const LAMBDA_ZIP_BASE64: &str = "UEsDBBQAAAAAAAAAIVC0CHBpLgAAAC4AAAAIAAAAaW5kZXgucHlkZWYgaGFuZGxlcihldmVudCwgY29udGV4dCk6CiAgICByZXR1cm4gZXZlbnQKUEsBAhQDFAAAAAAAAAAhULQIcGkuAAAALgAAAAgAAAAAAAAAAAAAAIABAAAAAGluZGV4LnB5UEsFBgAAAAABAAEANgAAAFQAAAAAAA==";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lambda_functions_and_invoke() {
    use base64::Engine;
    use lambda::types::*;
    let moto = Moto::start();
    // Without docker, moto's Lambda runs no code: an invocation answers its payload.
    let config = reqwest::Client::new()
        .post(format!("{}/moto-api/config", moto.url))
        .body(r#"{"lambda": {"use_docker": false}}"#)
        .send()
        .await
        .unwrap();
    assert!(config.status().is_success(), "{config:?}");
    let session = moto.session();
    let client = lambda::Client::new(&session);
    let mut py = Boto3::start(&moto, "lambda");
    let role = iam::Client::new(&session)
        .create_role(iam::types::CreateRoleRequest {
            role_name: Some("lambda-runner".into()),
            assume_role_policy_document: Some(
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                    "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
                .to_string(),
            ),
            ..Default::default()
        })
        .await
        .unwrap()
        .role
        .unwrap()
        .arn
        .unwrap();
    let zip = base64::engine::general_purpose::STANDARD
        .decode(LAMBDA_ZIP_BASE64)
        .unwrap();

    // Create: one function through each, from the same zip.
    let create = |name: &str| CreateFunctionRequest {
        function_name: Some(name.into()),
        runtime: Some(Runtime::Python312),
        role: Some(role.clone()),
        handler: Some("index.handler".into()),
        code: Some(FunctionCode {
            zip_file: Some(boto_runtime::Blob::new(zip.clone())),
            ..Default::default()
        }),
        description: Some(AWKWARD.into()),
        timeout: Some(30),
        environment: Some(Environment {
            variables: Some([("GREETING".to_string(), AWKWARD.to_string())].into()),
        }),
        tags: Some([("team".to_string(), "a b&c".to_string())].into()),
        ..Default::default()
    };
    let volatile = ["FunctionName", "FunctionArn", "LastModified"];
    let rs = client.create_function(create("fn-rs")).await;
    assert_same(
        "CreateFunction",
        &answer(&rs),
        &py.call("CreateFunction", &create("fn-py")),
        &volatile,
    );
    let created = rs.unwrap();
    assert_eq!(created.code_size, Some(zip.len() as i64));
    assert_eq!(created.description.as_deref(), Some(AWKWARD));

    // Read: the same function through both, by name and by ARN (`:` in the URL path); moto
    // names a new download URL on every read.
    for name in ["fn-rs".to_string(), created.function_arn.clone().unwrap()] {
        let req = GetFunctionRequest {
            function_name: Some(name),
            ..Default::default()
        };
        assert_same(
            "GetFunction",
            &answer(&client.get_function(req.clone()).await),
            &py.call("GetFunction", &req),
            &["Code.Location"],
        );
    }

    // List a page at a time (moto answers in one page); both functions are listed.
    let req = ListFunctionsRequest::default();
    let rs = client
        .list_functions_paginator(req.clone())
        .page_size(1)
        .pages()
        .try_collect::<Vec<_>>()
        .await;
    assert_same(
        "ListFunctions pages",
        &pages(&rs),
        &py.paginate("ListFunctions", &req, json!({"PageSize": 1})),
        &[],
    );
    let mut listed: Vec<String> = rs
        .unwrap()
        .into_iter()
        .flat_map(|p| p.functions.unwrap_or_default())
        .filter_map(|f| f.function_name)
        .collect();
    listed.sort();
    assert_eq!(listed, ["fn-py", "fn-rs"]);

    // Invoke: the payload goes as the body and comes back as the answer's payload.
    let payload = json!({"order": AWKWARD, "items": [1, 2], "note": "wörld"}).to_string();
    let req = InvocationRequest {
        function_name: Some("fn-rs".into()),
        payload: Some(boto_runtime::Blob::new(payload.clone().into_bytes())),
        ..Default::default()
    };
    let rs = client.invoke(req.clone()).await;
    assert_same("Invoke", &answer(&rs), &py.call("Invoke", &req), &[]);
    let rs = rs.unwrap();
    assert_eq!(rs.status_code, Some(200));
    assert_eq!(rs.payload.unwrap().as_bytes(), payload.as_bytes());

    // A modeled error.
    let req = GetFunctionRequest {
        function_name: Some("missing-function".into()),
        ..Default::default()
    };
    let rs = client.get_function(req.clone()).await;
    let err = rs.as_ref().unwrap_err();
    assert!(
        matches!(
            lambda::Error::try_from(err),
            Ok(lambda::Error::ResourceNotFoundException(_))
        ),
        "{err}"
    );
    assert_same(
        "GetFunction (missing)",
        &answer(&rs),
        &py.call("GetFunction", &req),
        &[],
    );

    // Delete one through each; then neither is found.
    let delete = |name: &str| DeleteFunctionRequest {
        function_name: Some(name.into()),
        ..Default::default()
    };
    assert_same(
        "DeleteFunction",
        &answer(&client.delete_function(delete("fn-rs")).await),
        &py.call("DeleteFunction", &delete("fn-py")),
        &[],
    );
    for name in ["fn-rs", "fn-py"] {
        let req = GetFunctionRequest {
            function_name: Some(name.into()),
            ..Default::default()
        };
        let rs = client.get_function(req.clone()).await;
        assert!(
            matches!(
                lambda::Error::try_from(rs.as_ref().unwrap_err()),
                Ok(lambda::Error::ResourceNotFoundException(_))
            ),
            "{rs:?}"
        );
        assert_same(
            "GetFunction (deleted)",
            &answer(&rs),
            &py.call("GetFunction", &req),
            &[],
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apigateway_rest_apis() {
    use apigateway::types::*;
    let moto = Moto::start();
    let client = apigateway::Client::new(&moto.session());
    let mut py = Boto3::start(&moto, "apigateway");

    // Create: one API through each; ids and dates are new each time.
    let req = CreateRestApiRequest {
        name: Some(AWKWARD.into()),
        description: Some("orders \"v2\" & <beta>".into()),
        endpoint_configuration: Some(EndpointConfiguration {
            types: Some(vec![EndpointType::Regional]),
            ..Default::default()
        }),
        binary_media_types: Some(vec!["image/png".into()]),
        tags: Some([("team".to_string(), "a b&c".to_string())].into()),
        ..Default::default()
    };
    let volatile = ["id", "createdDate", "rootResourceId"];
    let rs = client.create_rest_api(req.clone()).await;
    let created = py.call("CreateRestApi", &req);
    assert_same("CreateRestApi", &answer(&rs), &created, &volatile);
    let rs_id = rs.unwrap().id.unwrap();
    let py_id = created.unwrap()["id"].as_str().unwrap().to_string();

    // Read: the same API, and its resources, through both.
    let req = GetRestApiRequest {
        rest_api_id: Some(rs_id.clone()),
    };
    assert_same(
        "GetRestApi",
        &answer(&client.get_rest_api(req.clone()).await),
        &py.call("GetRestApi", &req),
        &[],
    );
    // A greedy path variable under the root, read back through both.
    let root = client
        .get_resources(GetResourcesRequest {
            rest_api_id: Some(rs_id.clone()),
            ..Default::default()
        })
        .await
        .unwrap()
        .items
        .unwrap()[0]
        .id
        .clone();
    let resource = client
        .create_resource(CreateResourceRequest {
            rest_api_id: Some(rs_id.clone()),
            parent_id: root,
            path_part: Some("{proxy+}".into()),
        })
        .await
        .unwrap();
    assert_eq!(resource.path.as_deref(), Some("/{proxy+}"));
    let req = GetResourceRequest {
        rest_api_id: Some(rs_id.clone()),
        resource_id: resource.id.clone(),
        ..Default::default()
    };
    assert_same(
        "GetResource",
        &answer(&client.get_resource(req.clone()).await),
        &py.call("GetResource", &req),
        &[],
    );
    let req = GetResourcesRequest {
        rest_api_id: Some(rs_id.clone()),
        ..Default::default()
    };
    let rs = client
        .get_resources_paginator(req.clone())
        .page_size(1)
        .pages()
        .try_collect::<Vec<_>>()
        .await;
    assert_same(
        "GetResources pages",
        &pages(&rs),
        &py.paginate("GetResources", &req, json!({"PageSize": 1})),
        &[],
    );
    let paths: Vec<String> = rs
        .unwrap()
        .into_iter()
        .flat_map(|p| p.items.unwrap_or_default())
        .filter_map(|r| r.path)
        .collect();
    assert_eq!(paths, ["/", "/{proxy+}"]);

    // List a page at a time (moto answers in one page); both APIs are listed.
    let req = GetRestApisRequest::default();
    let rs = client
        .get_rest_apis_paginator(req.clone())
        .page_size(1)
        .pages()
        .try_collect::<Vec<_>>()
        .await;
    assert_same(
        "GetRestApis pages",
        &pages(&rs),
        &py.paginate("GetRestApis", &req, json!({"PageSize": 1})),
        &[],
    );
    let listed: Vec<String> = rs
        .unwrap()
        .into_iter()
        .flat_map(|p| p.items.unwrap_or_default())
        .filter_map(|a| a.id)
        .collect();
    assert!(
        listed.contains(&rs_id) && listed.contains(&py_id),
        "{listed:?}"
    );

    // A modeled error.
    let req = GetRestApiRequest {
        rest_api_id: Some("missing123".into()),
    };
    let rs = client.get_rest_api(req.clone()).await;
    let err = rs.as_ref().unwrap_err();
    assert!(
        matches!(
            apigateway::Error::try_from(err),
            Ok(apigateway::Error::NotFoundException(_))
        ),
        "{err}"
    );
    assert_same(
        "GetRestApi (missing)",
        &answer(&rs),
        &py.call("GetRestApi", &req),
        &[],
    );

    // Delete one through each; then neither is found.
    let delete = |id: &str| DeleteRestApiRequest {
        rest_api_id: Some(id.into()),
    };
    assert_same(
        "DeleteRestApi",
        &done(&client.delete_rest_api(delete(&rs_id)).await),
        &py.call("DeleteRestApi", &delete(&py_id)),
        &[],
    );
    for id in [&rs_id, &py_id] {
        let req = GetRestApiRequest {
            rest_api_id: Some(id.clone()),
        };
        let rs = client.get_rest_api(req.clone()).await;
        assert!(
            matches!(
                apigateway::Error::try_from(rs.as_ref().unwrap_err()),
                Ok(apigateway::Error::NotFoundException(_))
            ),
            "{rs:?}"
        );
        assert_same(
            "GetRestApi (deleted)",
            &answer(&rs),
            &py.call("GetRestApi", &req),
            &[],
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sesv2_email_identities() {
    use sesv2::types::*;
    let moto = Moto::start();
    let client = sesv2::Client::new(&moto.session());
    let mut py = Boto3::start(&moto, "sesv2");

    // Create: an address through each (a `+` and an `@` in the URL path).
    let create = |identity: &str| CreateEmailIdentityRequest {
        email_identity: Some(identity.into()),
        tags: Some(vec![Tag {
            key: Some("team".into()),
            value: Some(AWKWARD.into()),
        }]),
        ..Default::default()
    };
    let (rs_identity, py_identity) = ("ops+rs@example.com", "ops+py@example.com");
    assert_same(
        "CreateEmailIdentity",
        &answer(&client.create_email_identity(create(rs_identity)).await),
        &py.call("CreateEmailIdentity", &create(py_identity)),
        &[],
    );

    // Read: the same identity through both.
    let req = GetEmailIdentityRequest {
        email_identity: Some(rs_identity.into()),
    };
    let rs = client.get_email_identity(req.clone()).await;
    assert_same(
        "GetEmailIdentity",
        &answer(&rs),
        &py.call("GetEmailIdentity", &req),
        &[],
    );
    assert_eq!(rs.unwrap().tags.unwrap()[0].value.as_deref(), Some(AWKWARD));

    // List: ListEmailIdentities has no paginator, and moto fails on a PageSize; one call.
    let req = ListEmailIdentitiesRequest::default();
    let rs = client.list_email_identities(req.clone()).await;
    assert_same(
        "ListEmailIdentities",
        &answer(&rs),
        &py.call("ListEmailIdentities", &req),
        &[],
    );
    let listed: Vec<String> = rs
        .unwrap()
        .email_identities
        .unwrap_or_default()
        .into_iter()
        .filter_map(|i| i.identity_name)
        .collect();
    assert_eq!(listed, [rs_identity, py_identity]);

    // A modeled error.
    let req = GetEmailIdentityRequest {
        email_identity: Some("nobody+missing@example.com".into()),
    };
    let rs = client.get_email_identity(req.clone()).await;
    let err = rs.as_ref().unwrap_err();
    assert!(
        matches!(
            sesv2::Error::try_from(err),
            Ok(sesv2::Error::NotFoundException(_))
        ),
        "{err}"
    );
    assert_same(
        "GetEmailIdentity (missing)",
        &answer(&rs),
        &py.call("GetEmailIdentity", &req),
        &[],
    );

    // Delete one through each; then neither is found.
    let delete = |identity: &str| DeleteEmailIdentityRequest {
        email_identity: Some(identity.into()),
    };
    assert_same(
        "DeleteEmailIdentity",
        &answer(&client.delete_email_identity(delete(rs_identity)).await),
        &py.call("DeleteEmailIdentity", &delete(py_identity)),
        &[],
    );
    for identity in [rs_identity, py_identity] {
        let req = GetEmailIdentityRequest {
            email_identity: Some(identity.into()),
        };
        let rs = client.get_email_identity(req.clone()).await;
        assert!(
            matches!(
                sesv2::Error::try_from(rs.as_ref().unwrap_err()),
                Ok(sesv2::Error::NotFoundException(_))
            ),
            "{rs:?}"
        );
        assert_same(
            "GetEmailIdentity (deleted)",
            &answer(&rs),
            &py.call("GetEmailIdentity", &req),
            &[],
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn efs_file_systems() {
    use efs::types::*;
    let moto = Moto::start();
    let client = efs::Client::new(&moto.session());
    let mut py = Boto3::start(&moto, "efs");

    // Create: one file system through each; the creation token names the call.
    let create = |token: &str| CreateFileSystemRequest {
        creation_token: Some(token.into()),
        performance_mode: Some(PerformanceMode::GeneralPurpose),
        encrypted: Some(false),
        tags: Some(vec![Tag {
            key: Some("Name".into()),
            value: Some(AWKWARD.into()),
        }]),
        ..Default::default()
    };
    let volatile = [
        "FileSystemId",
        "FileSystemArn",
        "CreationToken",
        "CreationTime",
        "SizeInBytes.Timestamp",
    ];
    let rs_token = format!("rs {AWKWARD}");
    let rs = client.create_file_system(create(&rs_token)).await;
    let created = py.call("CreateFileSystem", &create("py-token"));
    assert_same("CreateFileSystem", &answer(&rs), &created, &volatile);
    let rs_id = rs.unwrap().file_system_id.unwrap();
    let py_id = created.unwrap()["FileSystemId"]
        .as_str()
        .unwrap()
        .to_string();

    // Read: the same file system through both (moto stamps its size at every read).
    let req = DescribeFileSystemsRequest {
        file_system_id: Some(rs_id.clone()),
        ..Default::default()
    };
    let rs = client.describe_file_systems(req.clone()).await;
    assert_same(
        "DescribeFileSystems",
        &answer(&rs),
        &py.call("DescribeFileSystems", &req),
        &["FileSystems[].SizeInBytes.Timestamp"],
    );
    assert_eq!(
        rs.unwrap().file_systems.unwrap()[0]
            .creation_token
            .as_deref(),
        Some(rs_token.as_str())
    );

    // List a page at a time: one file system per page, both listed.
    let req = DescribeFileSystemsRequest::default();
    let rs = client
        .describe_file_systems_paginator(req.clone())
        .page_size(1)
        .pages()
        .try_collect::<Vec<_>>()
        .await;
    assert_same(
        "DescribeFileSystems pages",
        &pages(&rs),
        &py.paginate("DescribeFileSystems", &req, json!({"PageSize": 1})),
        // moto stamps the size at every read, and its marker is a hash of what it answers.
        &[
            "[].FileSystems[].SizeInBytes.Timestamp",
            "[].NextMarker",
            "[].Marker",
        ],
    );
    let rs = rs.unwrap();
    assert_eq!(rs.len(), 2, "one file system per page");
    let listed: Vec<String> = rs
        .into_iter()
        .flat_map(|p| p.file_systems.unwrap_or_default())
        .filter_map(|f| f.file_system_id)
        .collect();
    assert_eq!(listed, [rs_id.clone(), py_id.clone()]);

    // Modeled errors: a missing file system, and a creation token used twice.
    let req = DescribeFileSystemsRequest {
        file_system_id: Some("fs-12345678".into()),
        ..Default::default()
    };
    let rs = client.describe_file_systems(req.clone()).await;
    let err = rs.as_ref().unwrap_err();
    assert!(
        matches!(
            efs::Error::try_from(err),
            Ok(efs::Error::FileSystemNotFound(_))
        ),
        "{err}"
    );
    assert_same(
        "DescribeFileSystems (missing)",
        &answer(&rs),
        &py.call("DescribeFileSystems", &req),
        &[],
    );
    let req = create(&rs_token);
    let rs = client.create_file_system(req.clone()).await;
    assert!(
        matches!(
            efs::Error::try_from(rs.as_ref().unwrap_err()),
            Ok(efs::Error::FileSystemAlreadyExists(_))
        ),
        "{rs:?}"
    );
    assert_same(
        "CreateFileSystem (token again)",
        &answer(&rs),
        &py.call("CreateFileSystem", &req),
        &[],
    );

    // Delete one through each; then neither is found.
    let delete = |id: &str| DeleteFileSystemRequest {
        file_system_id: Some(id.into()),
    };
    assert_same(
        "DeleteFileSystem",
        &done(&client.delete_file_system(delete(&rs_id)).await),
        &py.call("DeleteFileSystem", &delete(&py_id)),
        &[],
    );
    for id in [&rs_id, &py_id] {
        let req = DescribeFileSystemsRequest {
            file_system_id: Some(id.clone()),
            ..Default::default()
        };
        let rs = client.describe_file_systems(req.clone()).await;
        assert!(
            matches!(
                efs::Error::try_from(rs.as_ref().unwrap_err()),
                Ok(efs::Error::FileSystemNotFound(_))
            ),
            "{rs:?}"
        );
        assert_same(
            "DescribeFileSystems (deleted)",
            &answer(&rs),
            &py.call("DescribeFileSystems", &req),
            &[],
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn route53_hosted_zones_and_records() {
    use route53::types::*;
    let moto = Moto::start();
    let client = route53::Client::new(&moto.session());
    let mut py = Boto3::start(&moto, "route53");

    // Create: a zone of the same name through each; what names the call differs.
    let create = |reference: &str| CreateHostedZoneRequest {
        name: Some("example.com.".into()),
        caller_reference: Some(reference.into()),
        hosted_zone_config: Some(HostedZoneConfig {
            comment: Some(AWKWARD.into()),
            private_zone: Some(false),
        }),
        ..Default::default()
    };
    let volatile = [
        "Location",
        "HostedZone.Id",
        "HostedZone.CallerReference",
        "ChangeInfo.Id",
        "ChangeInfo.SubmittedAt",
    ];
    let rs = client.create_hosted_zone(create("rs <1> & co")).await;
    let created = py.call("CreateHostedZone", &create("py <1> & co"));
    assert_same("CreateHostedZone", &answer(&rs), &created, &volatile);
    // Ids come back as paths (`/hostedzone/Z...`), and calls take them as they came.
    let rs_zone = rs.unwrap().hosted_zone.unwrap().id.unwrap();
    let py_zone = created.unwrap()["HostedZone"]["Id"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(rs_zone.starts_with("/hostedzone/"), "{rs_zone}");

    // Read: the same zone through both, named by the id as it came and by its last part.
    let short = rs_zone.trim_start_matches("/hostedzone/").to_string();
    for id in [&rs_zone, &short] {
        let req = GetHostedZoneRequest {
            id: Some(id.clone()),
        };
        assert_same(
            "GetHostedZone",
            &answer(&client.get_hosted_zone(req.clone()).await),
            &py.call("GetHostedZone", &req),
            &[],
        );
    }

    // Records: the same TXT record into each zone, then the change read through both.
    let change = |zone: &str, action: ChangeAction| ChangeResourceRecordSetsRequest {
        hosted_zone_id: Some(zone.into()),
        change_batch: Some(ChangeBatch {
            comment: Some("spf & <dkim>".into()),
            changes: Some(vec![Change {
                action: Some(action),
                resource_record_set: Some(ResourceRecordSet {
                    name: Some("mail.example.com.".into()),
                    r#type: Some(RRType::Txt),
                    ttl: Some(300),
                    resource_records: Some(vec![ResourceRecord {
                        value: Some("\"v=spf1 include:_spf.example.com ~all\"".into()),
                    }]),
                    ..Default::default()
                }),
            }]),
        }),
    };
    let rs = client
        .change_resource_record_sets(change(&rs_zone, ChangeAction::Create))
        .await;
    assert_same(
        "ChangeResourceRecordSets",
        &answer(&rs),
        &py.call(
            "ChangeResourceRecordSets",
            &change(&py_zone, ChangeAction::Create),
        ),
        &["ChangeInfo.Id", "ChangeInfo.SubmittedAt"],
    );
    let change_id = rs.unwrap().change_info.unwrap().id.unwrap();
    assert!(change_id.starts_with("/change/"), "{change_id}");
    // moto stamps a change with the time it is read.
    let req = GetChangeRequest {
        id: Some(change_id),
    };
    assert_same(
        "GetChange",
        &answer(&client.get_change(req.clone()).await),
        &py.call("GetChange", &req),
        &["ChangeInfo.SubmittedAt"],
    );

    // List zones and records a page at a time.
    let req = ListHostedZonesRequest::default();
    let rs = client
        .list_hosted_zones_paginator(req.clone())
        .page_size(1)
        .pages()
        .try_collect::<Vec<_>>()
        .await;
    assert_same(
        "ListHostedZones pages",
        &pages(&rs),
        &py.paginate("ListHostedZones", &req, json!({"PageSize": 1})),
        &[],
    );
    let rs = rs.unwrap();
    assert_eq!(rs.len(), 2, "one zone per page");
    let listed: Vec<String> = rs
        .into_iter()
        .flat_map(|p| p.hosted_zones.unwrap_or_default())
        .filter_map(|z| z.id)
        .collect();
    assert!(
        listed.contains(&rs_zone) && listed.contains(&py_zone),
        "{listed:?}"
    );
    let req = ListResourceRecordSetsRequest {
        hosted_zone_id: Some(rs_zone.clone()),
        ..Default::default()
    };
    let rs = client
        .list_resource_record_sets_paginator(req.clone())
        .page_size(1)
        .pages()
        .try_collect::<Vec<_>>()
        .await;
    assert_same(
        "ListResourceRecordSets pages",
        &pages(&rs),
        &py.paginate("ListResourceRecordSets", &req, json!({"PageSize": 1})),
        &[],
    );
    let types: Vec<String> = rs
        .unwrap()
        .into_iter()
        .flat_map(|p| p.resource_record_sets.unwrap_or_default())
        .filter_map(|r| r.r#type.map(|t| t.as_str().to_string()))
        .collect();
    assert_eq!(types, ["NS", "SOA", "TXT"]);

    // Modeled errors: a missing zone, and deleting a zone that still holds a record.
    let req = GetHostedZoneRequest {
        id: Some("/hostedzone/Z0000000MISSING".into()),
    };
    let rs = client.get_hosted_zone(req.clone()).await;
    let err = rs.as_ref().unwrap_err();
    assert!(
        matches!(
            route53::Error::try_from(err),
            Ok(route53::Error::NoSuchHostedZone(_))
        ),
        "{err}"
    );
    assert_same(
        "GetHostedZone (missing)",
        &answer(&rs),
        &py.call("GetHostedZone", &req),
        &[],
    );
    let req = DeleteHostedZoneRequest {
        id: Some(rs_zone.clone()),
    };
    let rs = client.delete_hosted_zone(req.clone()).await;
    let err = rs.as_ref().unwrap_err();
    assert!(
        matches!(
            route53::Error::try_from(err),
            Ok(route53::Error::HostedZoneNotEmpty(_))
        ),
        "{err}"
    );
    assert_same(
        "DeleteHostedZone (not empty)",
        &answer(&rs),
        &py.call("DeleteHostedZone", &req),
        &[],
    );

    // Delete: the records, then the zones, one through each; then neither is found.
    let rs = client
        .change_resource_record_sets(change(&rs_zone, ChangeAction::Delete))
        .await;
    assert_same(
        "ChangeResourceRecordSets (delete)",
        &answer(&rs),
        &py.call(
            "ChangeResourceRecordSets",
            &change(&py_zone, ChangeAction::Delete),
        ),
        &["ChangeInfo.Id", "ChangeInfo.SubmittedAt"],
    );
    let delete = |zone: &str| DeleteHostedZoneRequest {
        id: Some(zone.into()),
    };
    assert_same(
        "DeleteHostedZone",
        &answer(&client.delete_hosted_zone(delete(&rs_zone)).await),
        &py.call("DeleteHostedZone", &delete(&py_zone)),
        &["ChangeInfo.Id", "ChangeInfo.SubmittedAt"],
    );
    for zone in [&rs_zone, &py_zone] {
        let req = GetHostedZoneRequest {
            id: Some(zone.clone()),
        };
        let rs = client.get_hosted_zone(req.clone()).await;
        assert!(
            matches!(
                route53::Error::try_from(rs.as_ref().unwrap_err()),
                Ok(route53::Error::NoSuchHostedZone(_))
            ),
            "{rs:?}"
        );
        assert_same(
            "GetHostedZone (deleted)",
            &answer(&rs),
            &py.call("GetHostedZone", &req),
            &[],
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cloudfront_distributions() {
    use cloudfront::types::*;
    let moto = Moto::start();
    let client = cloudfront::Client::new(&moto.session());
    let mut py = Boto3::start(&moto, "cloudfront");

    // Create: one distribution through each; ids, names and the ETag are new each time.
    let create = |reference: &str| CreateDistributionRequest {
        distribution_config: Some(DistributionConfig {
            caller_reference: Some(reference.into()),
            comment: Some(AWKWARD.into()),
            enabled: Some(true),
            aliases: Some(Aliases {
                quantity: Some(0),
                items: None,
            }),
            default_root_object: Some("index.html".into()),
            origins: Some(Origins {
                quantity: Some(1),
                items: Some(vec![Origin {
                    id: Some("assets & <images>".into()),
                    domain_name: Some("assets.s3.amazonaws.com".into()),
                    origin_path: Some("/static".into()),
                    s3_origin_config: Some(S3OriginConfig {
                        origin_access_identity: Some(String::new()),
                        ..Default::default()
                    }),
                    ..Default::default()
                }]),
            }),
            default_cache_behavior: Some(DefaultCacheBehavior {
                target_origin_id: Some("assets & <images>".into()),
                viewer_protocol_policy: Some(ViewerProtocolPolicy::RedirectToHttps),
                cache_policy_id: Some("658327ea-f89d-4fab-a63d-7e88639e58f6".into()),
                ..Default::default()
            }),
            ..Default::default()
        }),
    };
    let volatile = [
        "Location",
        "ETag",
        "Distribution.Id",
        "Distribution.ARN",
        "Distribution.DomainName",
        "Distribution.DistributionConfig.CallerReference",
    ];
    let rs = client.create_distribution(create("rs-site")).await;
    let created = py.call("CreateDistribution", &create("py-site"));
    assert_same("CreateDistribution", &answer(&rs), &created, &volatile);
    let rs = rs.unwrap();
    let rs_id = rs.distribution.unwrap().id.unwrap();
    let rs_etag = rs.e_tag.unwrap();
    let created = created.unwrap();
    let py_id = created["Distribution"]["Id"].as_str().unwrap().to_string();
    let py_etag = created["ETag"].as_str().unwrap().to_string();

    // Read: the same distribution, and its configuration, through both.
    let req = GetDistributionRequest {
        id: Some(rs_id.clone()),
    };
    let rs = client.get_distribution(req.clone()).await;
    assert_same(
        "GetDistribution",
        &answer(&rs),
        &py.call("GetDistribution", &req),
        &[],
    );
    assert_eq!(
        rs.unwrap()
            .distribution
            .unwrap()
            .distribution_config
            .unwrap()
            .comment
            .as_deref(),
        Some(AWKWARD)
    );
    let req = GetDistributionConfigRequest {
        id: Some(rs_id.clone()),
    };
    assert_same(
        "GetDistributionConfig",
        &answer(&client.get_distribution_config(req.clone()).await),
        &py.call("GetDistributionConfig", &req),
        &[],
    );

    // List a page at a time; both distributions are listed.
    let req = ListDistributionsRequest::default();
    let rs = client
        .list_distributions_paginator(req.clone())
        .page_size(1)
        .pages()
        .try_collect::<Vec<_>>()
        .await;
    assert_same(
        "ListDistributions pages",
        &pages(&rs),
        &py.paginate("ListDistributions", &req, json!({"PageSize": 1})),
        &[],
    );
    let listed: Vec<String> = rs
        .unwrap()
        .into_iter()
        .flat_map(|p| {
            p.distribution_list
                .and_then(|l| l.items)
                .unwrap_or_default()
        })
        .filter_map(|d| d.id)
        .collect();
    assert!(
        listed.contains(&rs_id) && listed.contains(&py_id),
        "{listed:?}"
    );

    // A modeled error.
    let req = GetDistributionRequest {
        id: Some("EMISSING0000".into()),
    };
    let rs = client.get_distribution(req.clone()).await;
    let err = rs.as_ref().unwrap_err();
    assert!(
        matches!(
            cloudfront::Error::try_from(err),
            Ok(cloudfront::Error::NoSuchDistribution(_))
        ),
        "{err}"
    );
    assert_same(
        "GetDistribution (missing)",
        &answer(&rs),
        &py.call("GetDistribution", &req),
        &[],
    );

    // Delete one through each (naming the version read); then neither is found.
    let delete = |id: &str, etag: &str| DeleteDistributionRequest {
        id: Some(id.into()),
        if_match: Some(etag.into()),
    };
    assert_same(
        "DeleteDistribution",
        &done(&client.delete_distribution(delete(&rs_id, &rs_etag)).await),
        &py.call("DeleteDistribution", &delete(&py_id, &py_etag)),
        &[],
    );
    for id in [&rs_id, &py_id] {
        let req = GetDistributionRequest {
            id: Some(id.clone()),
        };
        let rs = client.get_distribution(req.clone()).await;
        assert!(
            matches!(
                cloudfront::Error::try_from(rs.as_ref().unwrap_err()),
                Ok(cloudfront::Error::NoSuchDistribution(_))
            ),
            "{rs:?}"
        );
        assert_same(
            "GetDistribution (deleted)",
            &answer(&rs),
            &py.call("GetDistribution", &req),
            &[],
        );
    }
}

/// A pronunciation lexicon (PLS) as Polly takes it.
const LEXICON: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><lexicon version=\"1.0\" \
    xmlns=\"http://www.w3.org/2005/01/pronunciation-lexicon\" alphabet=\"ipa\" xml:lang=\"en-US\">\
    <lexeme><grapheme>W3C</grapheme><alias>World Wide Web Consortium</alias></lexeme></lexicon>";

#[tokio::test]
async fn polly_lexicons_and_speech() {
    use polly::types::*;
    let moto = Moto::start();
    let client = polly::Client::new(&moto.session());
    let mut py = Boto3::start(&moto, "polly");

    // Create: one lexicon through each.
    let put = |name: &str| PutLexiconInput {
        name: Some(name.into()),
        content: Some(LEXICON.into()),
    };
    let rs = client.put_lexicon(put("rslex")).await;
    assert_same(
        "PutLexicon",
        &answer(&rs),
        &py.call("PutLexicon", &put("pylex")),
        &[],
    );

    // Read: the same lexicon through both.
    let req = GetLexiconInput {
        name: Some("rslex".into()),
    };
    let rs = client.get_lexicon(req.clone()).await;
    assert_same(
        "GetLexicon",
        &answer(&rs),
        &py.call("GetLexicon", &req),
        &[],
    );
    assert_eq!(
        rs.unwrap().lexicon.unwrap().content.as_deref(),
        Some(LEXICON)
    );

    // List through the paginator: both lexicons.
    let req = ListLexiconsInput::default();
    let rs = client
        .list_lexicons_paginator(req.clone())
        .pages()
        .try_collect::<Vec<_>>()
        .await;
    assert_same(
        "ListLexicons pages",
        &pages(&rs),
        &py.paginate("ListLexicons", &req, json!({})),
        &[],
    );
    let mut names: Vec<String> = rs
        .unwrap()
        .into_iter()
        .flat_map(|p| p.lexicons.unwrap_or_default())
        .filter_map(|l| l.name)
        .collect();
    names.sort();
    assert_eq!(names, ["pylex", "rslex"]);

    // A streaming output: the audio is the body, the content type a header.
    let speech = SynthesizeSpeechInput {
        text: Some("Hello from W3C".into()),
        output_format: Some(OutputFormat::Mp3),
        voice_id: Some(VoiceId::Joanna),
        lexicon_names: Some(vec!["rslex".into()]),
        ..Default::default()
    };
    let rs = client.synthesize_speech(speech.clone()).await;
    let theirs = py.call("SynthesizeSpeech", &speech);
    // The stream is compared once read: boto3 shows it read, as text.
    assert_same("SynthesizeSpeech", &answer(&rs), &theirs, &["AudioStream"]);
    let out = rs.unwrap();
    assert_eq!(out.content_type.as_deref(), Some("audio/mpeg"));
    let audio = out.audio_stream.collect().await.unwrap();
    assert_eq!(audio.len(), 8);
    assert_eq!(
        theirs.unwrap()["AudioStream"].as_str(),
        Some(&*String::from_utf8_lossy(&audio))
    );

    // A modeled error: a lexicon that does not exist.
    let req = GetLexiconInput {
        name: Some("nosuch".into()),
    };
    let rs = client.get_lexicon(req.clone()).await;
    assert_same(
        "GetLexicon missing",
        &answer(&rs),
        &py.call("GetLexicon", &req),
        &[],
    );
    assert!(matches!(
        polly::Error::from_error(&rs.unwrap_err()),
        Some(polly::Error::LexiconNotFoundException(_))
    ));

    // Delete both; the list is empty.
    for name in ["rslex", "pylex"] {
        let req = DeleteLexiconInput {
            name: Some(name.into()),
        };
        let rs = if name == "rslex" {
            answer(&client.delete_lexicon(req).await)
        } else {
            py.call("DeleteLexicon", &req)
        };
        assert_eq!(rs.as_ref(), Ok(&json!({})), "DeleteLexicon {name}");
    }
    let left = client.list_lexicons(Default::default()).await.unwrap();
    assert!(left.lexicons.unwrap_or_default().is_empty());
}

/// A 512 KiB EBS block: printable bytes, so both sides show it as text.
fn ebs_block(seed: u8) -> Vec<u8> {
    (0..524_288u32)
        .map(|i| b'a' + ((i as u8).wrapping_add(seed) % 26))
        .collect()
}

#[tokio::test]
async fn ebs_snapshot_blocks_streamed_in_and_out() {
    use base64::Engine;
    use ebs::types::*;
    use sha2::Digest;
    let moto = Moto::start();
    let client = ebs::Client::new(&moto.session());
    let mut py = Boto3::start(&moto, "ebs");

    // Create: a snapshot through each.
    let start = |description: &str| StartSnapshotRequest {
        volume_size: Some(1),
        description: Some(description.into()),
        tags: Some(vec![Tag {
            key: Some("Name".into()),
            value: Some(AWKWARD.into()),
        }]),
        ..Default::default()
    };
    let volatile = ["SnapshotId", "StartTime", "Description"];
    let rs = client.start_snapshot(start("rs")).await;
    let started = py.call("StartSnapshot", &start("py"));
    assert_same("StartSnapshot", &answer(&rs), &started, &volatile);
    let rs_id = rs.unwrap().snapshot_id.unwrap();
    let py_id = started.unwrap()["SnapshotId"].as_str().unwrap().to_string();

    // Write a block into each: a streaming input of an operation signed without its payload.
    let put = |id: &str, data: Vec<u8>| {
        let sum = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(&data));
        PutSnapshotBlockRequest {
            snapshot_id: Some(id.into()),
            block_index: Some(3),
            data_length: Some(data.len() as i32),
            block_data: Some(data.into()),
            checksum: Some(sum),
            checksum_algorithm: Some(ChecksumAlgorithm::Sha256),
            progress: Some(100),
        }
    };
    let rs = client.put_snapshot_block(put(&rs_id, ebs_block(0))).await;
    let written = py.call("PutSnapshotBlock", &put(&py_id, ebs_block(0)));
    assert_same("PutSnapshotBlock", &answer(&rs), &written, &[]);

    // List the snapshot's blocks, then read the block back: a streaming output.
    let req = ListSnapshotBlocksRequest {
        snapshot_id: Some(rs_id.clone()),
        ..Default::default()
    };
    let rs = client.list_snapshot_blocks(req.clone()).await;
    assert_same(
        "ListSnapshotBlocks",
        &answer(&rs),
        &py.call("ListSnapshotBlocks", &req),
        &[],
    );
    let blocks = rs.unwrap().blocks.unwrap();
    assert_eq!(blocks.len(), 1);
    assert_eq!(blocks[0].block_index, Some(3));
    let req = GetSnapshotBlockRequest {
        snapshot_id: Some(rs_id.clone()),
        block_index: Some(3),
        block_token: blocks[0].block_token.clone(),
    };
    let rs = client.get_snapshot_block(req.clone()).await;
    let theirs = py.call("GetSnapshotBlock", &req);
    assert_same("GetSnapshotBlock", &answer(&rs), &theirs, &["BlockData"]);
    let out = rs.unwrap();
    assert_eq!(out.data_length, Some(524_288));
    let block = out.block_data.collect().await.unwrap();
    assert_eq!(&block[..], &ebs_block(0)[..]);
    assert_eq!(
        theirs.unwrap()["BlockData"].as_str(),
        Some(&*String::from_utf8_lossy(&block))
    );

    // A changed block between the two snapshots: none, the data is the same.
    let req = ListChangedBlocksRequest {
        first_snapshot_id: Some(rs_id.clone()),
        second_snapshot_id: Some(py_id.clone()),
        ..Default::default()
    };
    let rs = client.list_changed_blocks(req.clone()).await;
    assert_same(
        "ListChangedBlocks",
        &answer(&rs),
        &py.call("ListChangedBlocks", &req),
        &[],
    );
    assert!(rs.unwrap().changed_blocks.unwrap_or_default().is_empty());

    // Complete both.
    for id in [&rs_id, &py_id] {
        let req = CompleteSnapshotRequest {
            snapshot_id: Some(id.clone()),
            changed_blocks_count: Some(1),
            ..Default::default()
        };
        let rs = client.complete_snapshot(req.clone()).await;
        assert_same(
            "CompleteSnapshot",
            &answer(&rs),
            &py.call("CompleteSnapshot", &req),
            &[],
        );
        assert_eq!(rs.unwrap().status, Some(Status::Completed));
    }
}
