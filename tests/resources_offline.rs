//! Collection and batch-action semantics against scripted responses, where the requests sent
//! can be counted and read: `limit` stops paging, a repeated token is an error after its page,
//! an operation without a paginator is one call (page size ignored), and a batch action stops
//! at the first page that gives it nothing.

use boto_tests::CannedServer;
use futures::TryStreamExt;

fn users_page(names: &[&str], marker: Option<&str>) -> (u16, Vec<u8>) {
    let members: String = names
        .iter()
        .map(|n| {
            format!(
                "<member><UserName>{n}</UserName><Path>/</Path><UserId>ID{n}</UserId>\
                 <Arn>arn:aws:iam::123456789012:user/{n}</Arn><CreateDate>2020-01-01T00:00:00Z</CreateDate></member>"
            )
        })
        .collect();
    let more = match marker {
        Some(m) => format!("<IsTruncated>true</IsTruncated><Marker>{m}</Marker>"),
        None => "<IsTruncated>false</IsTruncated>".into(),
    };
    let body = format!(
        "<ListUsersResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><ListUsersResult>\
         <Users>{members}</Users>{more}</ListUsersResult></ListUsersResponse>"
    );
    (200, body.into_bytes())
}

fn bodies(server: &CannedServer) -> Vec<String> {
    server
        .bodies()
        .into_iter()
        .map(|b| String::from_utf8(b).unwrap())
        .collect()
}

#[tokio::test]
async fn limit_stops_paging_and_items_carry_their_data() {
    let server = CannedServer::sequence(vec![
        users_page(&["a", "b"], Some("m1")),
        users_page(&["c", "d"], Some("m2")),
        users_page(&["e"], None),
    ]);
    let iamr = iam::ServiceResource::new(&server.session());
    let users: Vec<iam::resource::User> = iamr
        .users()
        .page_size(2)
        .limit(3)
        .stream()
        .try_collect()
        .await
        .unwrap();
    let names: Vec<&str> = users.iter().map(|u| u.name()).collect();
    assert_eq!(names, ["a", "b", "c"]);
    assert_eq!(server.requests(), 2, "the third page is never asked for");
    let sent = bodies(&server);
    assert!(sent[0].contains("MaxItems=2"), "{}", sent[0]);
    assert!(sent[1].contains("Marker=m1"), "{}", sent[1]);
    // The listing's data came with each user: no request for an attribute.
    assert_eq!(users[2].user_id().await.unwrap().as_deref(), Some("IDc"));
    assert_eq!(server.requests(), 2);
}

#[tokio::test]
async fn pages_follow_the_tokens_and_a_repeated_token_is_an_error() {
    let server = CannedServer::sequence(vec![
        users_page(&["a", "b"], Some("m1")),
        users_page(&["c"], Some("m1")),
    ]);
    let iamr = iam::ServiceResource::new(&server.session());
    let mut pages = iamr.users().pages();
    let first = pages.try_next().await.unwrap().unwrap();
    assert_eq!(first.len(), 2);
    let second = pages.try_next().await.unwrap().unwrap();
    assert_eq!(second[0].name(), "c");
    let err = pages.try_next().await.unwrap_err();
    assert!(err.to_string().contains("same next token"), "{err}");
    assert_eq!(server.requests(), 2);
}

#[tokio::test]
async fn without_a_paginator_a_collection_is_one_call() {
    let body = "<ListSAMLProvidersResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">\
        <ListSAMLProvidersResult><SAMLProviderList>\
        <member><Arn>arn:aws:iam::123456789012:saml-provider/one</Arn></member>\
        <member><Arn>arn:aws:iam::123456789012:saml-provider/two</Arn></member>\
        </SAMLProviderList></ListSAMLProvidersResult></ListSAMLProvidersResponse>";
    let server = CannedServer::start(200, body.into());
    let iamr = iam::ServiceResource::new(&server.session());
    let providers: Vec<iam::resource::SamlProvider> = iamr
        .saml_providers()
        .page_size(1)
        .stream()
        .try_collect()
        .await
        .unwrap();
    let arns: Vec<&str> = providers.iter().map(|p| p.arn()).collect();
    assert_eq!(
        arns,
        [
            "arn:aws:iam::123456789012:saml-provider/one",
            "arn:aws:iam::123456789012:saml-provider/two"
        ]
    );
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn a_batch_action_stops_at_the_first_empty_page() {
    let alarms = |names: &[&str], token: Option<&str>| {
        let list: Vec<String> = names
            .iter()
            .map(|n| format!("{{\"AlarmName\":\"{n}\"}}"))
            .collect();
        let token = token.map_or(String::new(), |t| format!(",\"NextToken\":\"{t}\""));
        (
            200,
            format!("{{\"MetricAlarms\":[{}]{token}}}", list.join(",")).into_bytes(),
        )
    };
    let server = CannedServer::sequence(vec![
        alarms(&["a1", "a2"], Some("t1")),
        (200, b"{}".to_vec()),
        alarms(&[], Some("t2")),
        alarms(&["never"], None),
    ]);
    let cw = cloudwatch::ServiceResource::new(&server.session());
    let sent = cw.alarms().delete(Default::default()).await.unwrap();
    assert_eq!(sent.len(), 1);
    // DescribeAlarms, DeleteAlarms for the first page, DescribeAlarms giving nothing: stop.
    assert_eq!(server.requests(), 3);
    let b = bodies(&server);
    assert!(b[1].contains("\"AlarmNames\":[\"a1\",\"a2\"]"), "{}", b[1]);
    assert!(b[2].contains("\"NextToken\":\"t1\""), "{}", b[2]);
}

#[tokio::test]
async fn a_reference_without_data_or_load_is_an_error_and_sends_nothing() {
    let server = CannedServer::start(500, Vec::new());
    let ec2r = ec2::ServiceResource::new(&server.session());
    // RouteTableAssociation has no load: its references need data it does not have.
    let assoc = ec2r.route_table_association("rtbassoc-1");
    let err = assoc.route_table().await.unwrap_err();
    assert!(err.to_string().contains("no load request"), "{err}");
    // A future that completed answers a second poll with an error, not a panic.
    let mut fut = assoc.subnet();
    let first = futures::poll!(&mut fut);
    assert!(matches!(first, std::task::Poll::Ready(Err(_))));
    let again = futures::poll!(&mut fut);
    assert!(
        matches!(again, std::task::Poll::Ready(Err(ref e)) if e.to_string().contains("polled after"))
    );
    assert_eq!(server.requests(), 0);
}
