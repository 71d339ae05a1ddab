//! DynamoDB items as native Rust values, boto3's `boto3.dynamodb.types` as the oracle: for a table
//! of values, boto3's `TypeSerializer` output must equal the attribute value boto-rs makes of the
//! Rust value, boto3's `TypeDeserializer` must read boto-rs's attribute value back as the Python
//! value, and boto-rs must read boto3's attribute value back as the Rust value.

use boto_runtime::dynamodb::{from_item, from_value, to_item, to_value, Number, Value};
use boto_tests::oracle::{python, python_with_env};
use dynamodb::types::AttributeValue;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value as Json};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Debug;

/// One value of the table: boto-rs's attribute value for it, the Python expression of the same
/// value, and a check that an attribute value reads back as the Rust value.
struct Case {
    python: &'static str,
    ours: Value,
    reads_back: Box<dyn Fn(Value) -> Result<(), String>>,
}

fn case<T>(rust: T, python: &'static str) -> Case
where
    T: Serialize + DeserializeOwned + PartialEq + Debug + 'static,
{
    let ours = to_value(&rust).unwrap_or_else(|e| panic!("{python}: {e}"));
    Case {
        python,
        ours,
        reads_back: Box::new(move |v| match from_value::<T>(v) {
            Ok(back) if back == rust => Ok(()),
            Ok(back) => Err(format!("read back as {back:?}, not {rust:?}")),
            Err(e) => Err(e.to_string()),
        }),
    }
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct Profile {
    name: String,
    tags: Vec<String>,
    scores: BTreeMap<String, i32>,
    nick: Option<String>,
    avatar: Vec<u8>,
    roles: BTreeSet<String>,
    address: Address,
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct Address {
    city: String,
    zip: u32,
}

/// serde's derive writes a struct with a flattened member as a map of unknown length: its unset
/// fields stay absent, as a plain struct's do.
#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct Flattened {
    id: u32,
    note: Option<String>,
    #[serde(flatten)]
    place: Place,
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct Place {
    city: String,
    floor: Option<u32>,
    codes: BTreeSet<String>,
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
enum Colour {
    Red,
    Custom(String),
}

fn table() -> Vec<Case> {
    let profile = Profile {
        name: "Zoë".into(),
        tags: vec!["a".into(), "b".into()],
        scores: BTreeMap::from([("x".into(), 1), ("y".into(), -2)]),
        nick: None,
        avatar: vec![0, 159, 255],
        roles: BTreeSet::from(["admin".into(), "dev".into()]),
        address: Address {
            city: "Paris".into(),
            zip: 75001,
        },
    };
    let number = |t: &str| Number::new(t).unwrap();
    vec![
        case(0_i32, "0"),
        case(-17_i64, "-17"),
        case(i8::MIN, "-128"),
        case(u64::MAX, "18446744073709551615"),
        case(
            12345678901234567890123456789012345678_i128,
            "12345678901234567890123456789012345678",
        ),
        case(
            number("3.1415926535897932384626433832795028841"),
            "Decimal('3.1415926535897932384626433832795028841')",
        ),
        case(number("-1.50"), "Decimal('-1.50')"),
        case(number("1e3"), "Decimal('1e3')"),
        case(number("0.0000001"), "Decimal('0.0000001')"),
        case(number("0.000001"), "Decimal('0.000001')"),
        case(number("1E-130"), "Decimal('1E-130')"),
        case(number("-0"), "Decimal('-0')"),
        case(1.5_f64, "Decimal('1.5')"),
        case(0.1_f64, "Decimal('0.1')"),
        case(-2.75_f64, "Decimal('-2.75')"),
        case(0.1_f32, "Decimal('0.1')"),
        case(10.8_f32, "Decimal('10.8')"),
        case(1.0_f64 / 3.0, "Decimal('0.3333333333333333')"),
        case(4503599627370495.5_f64, "Decimal('4503599627370495.5')"),
        case(0.000001_f64, "Decimal('0.000001')"),
        case(3e-7_f64, "Decimal('3E-7')"),
        case(1e20_f64, "Decimal('1E+20')"),
        case(String::new(), "''"),
        case("Zoë \"quoted\" ✓".to_string(), "'Zoë \"quoted\" ✓'"),
        case(true, "True"),
        case((), "None"),
        case(Option::<i32>::None, "None"),
        case(Some(5_u8), "5"),
        case(vec![1_u8, 0, 255], "b'\\x01\\x00\\xff'"),
        case(Vec::<u8>::new(), "b''"),
        case(BTreeSet::from(["a".to_string(), "b".into()]), "{'a', 'b'}"),
        case(HashSet::from(["only".to_string()]), "{'only'}"),
        case(BTreeSet::from([1_i64, 2, 30]), "{1, 2, 30}"),
        case(
            BTreeSet::from([number("1.5"), number("-2")].map(|n| n.to_string())),
            "{'1.5', '-2'}",
        ),
        case(
            BTreeSet::from([b"x".to_vec(), b"y".to_vec()]),
            "{b'x', b'y'}",
        ),
        case(
            vec![
                Value::from("a"),
                Value::from(1),
                Value::Null,
                Value::Bool(false),
            ],
            "['a', 1, None, False]",
        ),
        case(Vec::<String>::new(), "[]"),
        case(BTreeMap::<String, i32>::new(), "{}"),
        case((1_i32, "a".to_string()), "(1, 'a')"),
        case(
            HashMap::from([("x".to_string(), Option::<i32>::None)]),
            "{'x': None}",
        ),
        case(
            Flattened {
                id: 7,
                note: None,
                place: Place {
                    city: "Lyon".into(),
                    floor: None,
                    codes: BTreeSet::from(["69".into()]),
                },
            },
            "{'id': 7, 'city': 'Lyon', 'codes': {'69'}}",
        ),
        case(
            Flattened {
                id: 8,
                note: Some("n".into()),
                place: Place {
                    city: "Nice".into(),
                    floor: Some(2),
                    codes: BTreeSet::from(["06".into(), "6".into()]),
                },
            },
            "{'id': 8, 'note': 'n', 'city': 'Nice', 'floor': 2, 'codes': {'06', '6'}}",
        ),
        case(Colour::Red, "'Red'"),
        case(Colour::Custom("teal".into()), "{'Custom': 'teal'}"),
        case(vec![BTreeSet::from(["s".to_string()])], "[{'s'}]"),
        case(
            profile,
            "{'name': 'Zoë', 'tags': ['a', 'b'], 'scores': {'x': 1, 'y': -2}, \
             'avatar': b'\\x00\\x9f\\xff', 'roles': {'admin', 'dev'}, \
             'address': {'city': 'Paris', 'zip': 75001}}",
        ),
        case(
            Value::NumberSet(vec![number("10"), number("2.50")]),
            "{Decimal('10'), Decimal('2.50')}",
        ),
        case(
            Value::BinarySet(vec![vec![1], vec![2]]),
            "{b'\\x01', b'\\x02'}",
        ),
    ]
}

/// An attribute value as JSON, sets sorted (DynamoDB's sets are unordered; Python's have no order).
fn normalised(mut v: Json) -> Json {
    if let Json::Object(o) = &mut v {
        for (k, inner) in o.iter_mut() {
            match (k.as_str(), inner) {
                ("SS" | "NS" | "BS", Json::Array(a)) => a.sort_by_key(Json::to_string),
                ("L", Json::Array(a)) => {
                    for x in a.iter_mut() {
                        *x = normalised(std::mem::take(x));
                    }
                }
                ("M", Json::Object(m)) => {
                    for x in m.values_mut() {
                        *x = normalised(std::mem::take(x));
                    }
                }
                _ => {}
            }
        }
    }
    v
}

const PRELUDE: &str = r#"
import base64, json, os
from decimal import Decimal
from boto3.dynamodb.types import TypeSerializer, TypeDeserializer, Binary

def to_json(v):
    if isinstance(v, dict):
        return {k: to_json(x) for k, x in v.items()}
    if isinstance(v, list):
        return [to_json(x) for x in v]
    if isinstance(v, (bytes, bytearray, Binary)):
        return base64.b64encode(bytes(v)).decode()
    return v

def from_json(v, kind=None):
    if isinstance(v, dict):
        return {k: from_json(x, k) for k, x in v.items()}
    if isinstance(v, list):
        return [from_json(x, 'B' if kind == 'BS' else None) for x in v]
    if kind == 'B':
        return base64.b64decode(v)
    return v
"#;

#[test]
fn native_values_convert_as_boto3s_type_serializer_does() {
    let cases = table();
    let exprs: Vec<&str> = cases.iter().map(|c| c.python).collect();
    let ours: Vec<Json> = cases
        .iter()
        .map(|c| serde_json::to_value(AttributeValue::from(c.ours.clone())).unwrap())
        .collect();
    let script = format!(
        "{PRELUDE}
exprs = json.loads(os.environ['EXPRS'])
ours = json.loads(os.environ['OURS'])
s, d = TypeSerializer(), TypeDeserializer()
out = []
for expr, mine in zip(exprs, ours):
    value = eval(expr)
    theirs = to_json(s.serialize(value))
    back = d.deserialize(from_json(mine))
    expected = d.deserialize(s.serialize(value))
    out.append({{'theirs': theirs, 'reads_ours': back == expected}})
print(json.dumps(out))
"
    );
    let env = [
        ("EXPRS", serde_json::to_string(&exprs).unwrap()),
        ("OURS", serde_json::to_string(&ours).unwrap()),
    ];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let answers: Vec<Json> = serde_json::from_str(&python_with_env(&script, &env)).unwrap();
    assert_eq!(answers.len(), cases.len());
    let mut wrong = Vec::new();
    for ((case, mine), answer) in cases.iter().zip(&ours).zip(&answers) {
        let theirs = &answer["theirs"];
        if normalised(mine.clone()) != normalised(theirs.clone()) {
            wrong.push(format!("{}: boto-rs {mine}, boto3 {theirs}", case.python));
        }
        if answer["reads_ours"] != json!(true) {
            wrong.push(format!(
                "{}: boto3 does not read boto-rs's {mine} back",
                case.python
            ));
        }
        let av: AttributeValue = serde_json::from_value(theirs.clone()).unwrap();
        let read = Value::try_from(av).map_err(|e| e.to_string());
        if let Err(e) = read.and_then(|v| (case.reads_back)(v)) {
            wrong.push(format!("{}: boto3's {theirs}: {e}", case.python));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn what_dynamodb_refuses_is_an_error_naming_the_attribute() {
    #[derive(Serialize)]
    struct Doc {
        profile: Inner,
    }
    #[derive(Serialize)]
    struct Inner {
        tags: Vec<BTreeSet<String>>,
        ratio: f64,
    }
    let doc = |tags: Vec<BTreeSet<String>>, ratio: f64| Doc {
        profile: Inner { tags, ratio },
    };
    let err = to_item(&doc(
        vec![BTreeSet::from(["a".into()]), BTreeSet::new()],
        1.0,
    ))
    .unwrap_err();
    assert_eq!(err.path(), "profile.tags[1]");
    assert!(err.to_string().contains("empty set"), "{err}");
    let err = to_item(&doc(vec![], f64::NAN)).unwrap_err();
    assert_eq!(err.path(), "profile.ratio");
    let err = to_item(&doc(vec![], 1e300)).unwrap_err();
    assert!(err.to_string().starts_with("at `profile.ratio`: "), "{err}");
    // 39 digits: boto3 refuses it too (its decimal context would round it).
    let err = to_value(&(10_i128.pow(38))).unwrap_err();
    assert!(err.to_string().contains("38"), "{err}");
    let refused = python(
        "from boto3.dynamodb.types import TypeSerializer\n\
         try:\n    TypeSerializer().serialize(10**38)\n    print('accepted')\n\
         except Exception as e:\n    print(type(e).__name__)",
    );
    assert_ne!(refused, "accepted");
    // An item is a struct or a map.
    assert!(to_item(&5)
        .unwrap_err()
        .to_string()
        .contains("struct or a map"));
    // A set holds one type of strings, numbers or binary.
    #[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
    #[serde(untagged)]
    enum Loose {
        N(i64),
        S(String),
        L(Vec<i64>),
    }
    let mixed = BTreeSet::from([Loose::N(1), Loose::S("a".into())]);
    let err = to_item(&BTreeMap::from([("tags", mixed)])).unwrap_err();
    assert_eq!(err.path(), "tags[1]");
    assert!(err.to_string().contains("mixing N and S"), "{err}");
    let lists = BTreeSet::from([Loose::L(vec![1])]);
    let err = to_item(&BTreeMap::from([("tags", lists)])).unwrap_err();
    assert!(err.to_string().contains("of type L"), "{err}");
}

#[test]
fn reading_back_names_the_attribute_and_keeps_numbers_exact() {
    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct Row {
        id: u64,
        big: i128,
        text: String,
        amount: Number,
        nested: Vec<BTreeMap<String, u8>>,
    }
    let item = |n: &str, byte: &str| {
        let mut m = BTreeMap::new();
        m.insert("id".to_string(), Value::Number(Number::new(n).unwrap()));
        m.insert(
            "big".to_string(),
            Value::Number(Number::new("-99999999999999999999999999999999999999").unwrap()),
        );
        m.insert("text".to_string(), Value::String("t".into()));
        m.insert(
            "amount".to_string(),
            Value::Number(Number::new("12.3400").unwrap()),
        );
        let inner = BTreeMap::from([("b".to_string(), Value::Number(Number::new(byte).unwrap()))]);
        m.insert("nested".to_string(), Value::List(vec![Value::Map(inner)]));
        m
    };
    let row: Row = from_item(item("18446744073709551615", "7")).unwrap();
    assert_eq!(row.id, u64::MAX);
    assert_eq!(row.big, -99999999999999999999999999999999999999);
    assert_eq!(row.amount.as_str(), "12.3400");
    let err = from_item::<Row>(item("1.5", "7")).unwrap_err();
    assert_eq!(err.path(), "id");
    let err = from_item::<Row>(item("1", "300")).unwrap_err();
    assert_eq!(err.path(), "nested[0].b");
    // Absent attributes are `None`, and unknown ones are ignored, as serde does elsewhere.
    #[derive(Deserialize, PartialEq, Debug)]
    struct Sparse {
        text: String,
        missing: Option<String>,
    }
    let sparse: Sparse = from_item(item("1", "1")).unwrap();
    assert_eq!(sparse.missing, None);
    // The untyped form round-trips whole, sets and numbers included.
    let value = Value::Map(BTreeMap::from([
        (
            "n".to_string(),
            Value::NumberSet(vec![Number::new("1.50").unwrap()]),
        ),
        ("b".to_string(), Value::Binary(vec![1, 2])),
        ("l".to_string(), Value::List(vec![Value::Null])),
    ]));
    assert_eq!(from_value::<Value>(value.clone()).unwrap(), value);
    assert_eq!(to_value(&value).unwrap(), value);

    // What serde buffers (a flattened member) and untyped JSON lose no digit, and read binary.
    #[derive(Deserialize, PartialEq, Debug)]
    struct Outer {
        id: u32,
        #[serde(flatten)]
        inner: Inner,
    }
    #[derive(Deserialize, PartialEq, Debug)]
    struct Inner {
        pi: Number,
        big: Number,
        ratio: f64,
        avatar: Vec<u8>,
    }
    const PI: &str = "3.1415926535897932384626433832795028841";
    const BIG: &str = "12345678901234567890123456789012345678";
    let number = |t: &str| Value::Number(Number::new(t).unwrap());
    let item: BTreeMap<String, Value> = [
        ("id", number("7")),
        ("pi", number(PI)),
        ("big", number(BIG)),
        ("ratio", number("0.25")),
        ("avatar", Value::Binary(vec![0, 255])),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let outer: Outer = from_item(item.clone()).unwrap();
    assert_eq!((outer.id, outer.inner.pi.as_str()), (7, PI));
    assert_eq!(outer.inner.big.as_str(), BIG);
    assert_eq!(
        (outer.inner.ratio, outer.inner.avatar),
        (0.25, vec![0, 255])
    );
    // A flattened `f64` takes what a float holds exactly, and refuses what it would round.
    #[derive(Deserialize, Debug)]
    struct Ratio {
        #[serde(flatten)]
        inner: RatioInner,
    }
    #[derive(Deserialize, Debug)]
    struct RatioInner {
        ratio: f64,
    }
    let ratio = |n: &str| BTreeMap::from([("ratio".to_string(), number(n))]);
    assert_eq!(from_item::<Ratio>(ratio("0.25")).unwrap().inner.ratio, 0.25);
    let third = "0.3333333333333333333333333333";
    let err = from_item::<Ratio>(ratio(third)).unwrap_err();
    assert!(err.to_string().contains(third), "{err}");
    let untyped: Json = from_item(item).unwrap();
    assert_eq!(
        untyped,
        json!({"id": 7, "pi": PI, "big": BIG, "ratio": 0.25, "avatar": [0, 255]})
    );
}

#[test]
fn generated_attribute_values_convert_both_ways() {
    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    struct User {
        pk: String,
        age: u32,
        emails: BTreeSet<String>,
    }
    let user = User {
        pk: "u#1".into(),
        age: 42,
        emails: BTreeSet::from(["a@x".into()]),
    };
    let attrs = AttributeValue::from_item(&user).unwrap();
    assert_eq!(attrs["age"], AttributeValue::N("42".into()));
    assert_eq!(attrs["emails"], AttributeValue::Ss(vec!["a@x".into()]));
    // The official SDK's accessors: what it holds, or itself back.
    assert_eq!(attrs["age"].as_n().map(String::as_str), Ok("42"));
    assert_eq!(attrs["age"].as_s(), Err(&attrs["age"]));
    assert_eq!(attrs["emails"].as_ss().map(Vec::len), Ok(1));
    assert_eq!(AttributeValue::to_item::<User>(attrs).unwrap(), user);
    // One that holds no type, or a type this model does not know, or NULL false, is an error
    // saying which.
    let err = Value::try_from(AttributeValue::default()).unwrap_err();
    assert!(err.to_string().contains("no type set"), "{err}");
    let err = Value::try_from(AttributeValue::Unknown("X".into())).unwrap_err();
    assert!(err.to_string().contains("`X`"), "{err}");
    let err = Value::try_from(AttributeValue::Null(false)).unwrap_err();
    assert!(err.to_string().contains("NULL false"), "{err}");
}

#[test]
fn maps_keyed_by_integers_and_enums_read_back() {
    // Keys are text in DynamoDB; what was written as text from an integer, a bool or a unit
    // variant reads back as one, as serde_json does with its keys.
    #[derive(Serialize, Deserialize, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    enum Slot {
        Morning,
        Evening,
    }
    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct Scores {
        by_round: BTreeMap<u32, String>,
        by_offset: HashMap<i64, u8>,
        by_flag: BTreeMap<bool, u8>,
        by_slot: BTreeMap<Slot, u8>,
        by_initial: BTreeMap<char, u8>,
    }
    let scores = Scores {
        by_round: BTreeMap::from([(1, "a".into()), (20, "b".into())]),
        by_offset: HashMap::from([(-5, 1), (7, 2)]),
        by_flag: BTreeMap::from([(true, 1)]),
        by_slot: BTreeMap::from([(Slot::Morning, 1), (Slot::Evening, 2)]),
        by_initial: BTreeMap::from([('z', 3)]),
    };
    let item = to_item(&scores).unwrap();
    assert_eq!(
        item["by_round"],
        Value::Map(BTreeMap::from([
            ("1".to_string(), Value::String("a".into())),
            ("20".to_string(), Value::String("b".into())),
        ]))
    );
    assert_eq!(from_item::<Scores>(item).unwrap(), scores);
    let attrs = AttributeValue::from_item(&scores).unwrap();
    assert_eq!(AttributeValue::to_item::<Scores>(attrs).unwrap(), scores);
    // A key that is not what the type says is an error naming it.
    let wrong = to_item(&json!({"by_round": {"one": "a"}})).unwrap();
    let err = from_item::<Scores>(wrong).unwrap_err().to_string();
    assert!(err.contains("`one`") && err.contains("u32"), "{err}");
    // Only the text the serializer writes: `01` is not read as the key `1`.
    let padded = to_item(&json!({"by_round": {"01": "a"}})).unwrap();
    assert!(from_item::<Scores>(padded).is_err());
}

#[test]
fn structures_holding_attribute_values_clone_exactly() {
    use dynamodb::types::{PutRequest, WriteRequest};
    // A structure's `Clone` goes through its schema; each union inside keeps its one member.
    let item = HashMap::from([
        ("pk".to_string(), AttributeValue::S("a".into())),
        ("gone".to_string(), AttributeValue::Null(true)),
        ("flag".to_string(), AttributeValue::Bool(false)),
        ("odd".to_string(), AttributeValue::Unknown("X".into())),
        (
            "nested".to_string(),
            AttributeValue::L(vec![AttributeValue::N("1".into())]),
        ),
    ]);
    let write = WriteRequest {
        put_request: Some(PutRequest { item: Some(item) }),
        ..Default::default()
    };
    let copy = write.clone();
    assert_eq!(copy, write);
    let item = copy.put_request.unwrap().item.unwrap();
    assert_eq!(item["odd"], AttributeValue::Unknown("X".into()));
}

/// Runs `script` with boto3's `Table` resource for `table` on the moto server at `url` bound to
/// `table`, and returns what it prints (numbers as text, sets sorted, binary as base64).
fn boto3_table(url: &str, table: &str, script: &str) -> Json {
    let full = format!(
        "import base64, json, os, boto3\n\
         from decimal import Decimal\n\
         from boto3.dynamodb.conditions import Key, Attr\n\
         from boto3.dynamodb.types import Binary\n\
         def plain(v):\n\
         \x20   if isinstance(v, dict): return {{k: plain(x) for k, x in v.items()}}\n\
         \x20   if isinstance(v, list): return [plain(x) for x in v]\n\
         \x20   if isinstance(v, (set, frozenset)): return sorted(plain(x) for x in v)\n\
         \x20   if isinstance(v, Decimal): return str(v)\n\
         \x20   if isinstance(v, Binary): return base64.b64encode(bytes(v)).decode()\n\
         \x20   return v\n\
         table = boto3.resource('dynamodb', endpoint_url=os.environ['URL'], region_name='us-east-1',\n\
         \x20   aws_access_key_id='testing', aws_secret_access_key='testing').Table(os.environ['TABLE'])\n\
         {script}"
    );
    let out = python_with_env(&full, &[("URL", url), ("TABLE", table)]);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

/// `err` is DynamoDB's typed `ConditionalCheckFailedException`.
fn assert_condition_failed(err: &boto_runtime::Error) {
    assert!(
        matches!(
            dynamodb::Error::try_from(err),
            Ok(dynamodb::Error::ConditionalCheckFailedException(_))
        ),
        "{err}"
    );
}

#[derive(Serialize, Deserialize, PartialEq, Debug, Clone)]
struct Order {
    pk: String,
    sk: String,
    total: Number,
    count: u32,
    items: BTreeSet<String>,
    note: Option<String>,
    receipt: Vec<u8>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn native_items_and_conditions_round_trip_with_boto3_through_moto() {
    use boto_runtime::dynamodb::{Attr, ExpressionBuilder, Key};
    use boto_runtime::input;
    use dynamodb::types::*;
    let moto = boto_tests::Moto::start();
    let client = dynamodb::Client::new(&moto.session());
    orders_table(&moto).await;

    // boto-rs writes serde structs, each only if it is not there yet.
    let order = |i: u32| Order {
        pk: "user#1".into(),
        sk: format!("order#{i:03}"),
        total: Number::new(&format!("{}.{:02}", 10 + i, i % 100)).unwrap(),
        count: i,
        items: BTreeSet::from([format!("book{}", i % 3), "pen".to_string()]),
        note: i.is_multiple_of(2).then(|| format!("note {i}")),
        receipt: vec![i as u8, 0, 255],
    };
    for i in 0..12 {
        let mut b = ExpressionBuilder::new();
        let cond = b.condition(&Attr("pk").not_exists()).unwrap();
        client
            .put_item(input!(PutItemInput {
                table_name: "orders",
                item: AttributeValue::from_item(&order(i)).unwrap(),
                condition_expression: cond.text,
                expression_attribute_names: b.names(),
            }))
            .await
            .unwrap();
    }

    // boto3 reads what boto-rs wrote as its native values.
    let theirs = boto3_table(
        &moto.url,
        "orders",
        "print(json.dumps(plain(table.get_item(Key={'pk': 'user#1', 'sk': 'order#004'})['Item'])))",
    );
    assert_eq!(
        theirs,
        json!({"pk": "user#1", "sk": "order#004", "total": "14.04", "count": "4",
               "items": ["book1", "pen"], "note": "note 4", "receipt": "BAD/"})
    );

    // A second put of the same key fails the condition, typed.
    let mut b = ExpressionBuilder::new();
    let cond = b.condition(&Attr("pk").not_exists()).unwrap();
    let err = client
        .put_item(input!(PutItemInput {
            table_name: "orders",
            item: AttributeValue::from_item(&order(4)).unwrap(),
            condition_expression: cond.text,
            expression_attribute_names: b.names(),
        }))
        .await
        .unwrap_err();
    assert_condition_failed(&err);

    // boto3 writes with its native values; boto-rs reads the item back as the struct.
    boto3_table(
        &moto.url,
        "orders",
        "table.put_item(Item={'pk': 'user#2', 'sk': 'order#001', 'total': Decimal('99.90'), 'count': 1,\n\
         \x20   'items': {'lamp'}, 'receipt': Binary(b'\\x01')})\nprint('{}')",
    );
    let got = client
        .get_item(input!(GetItemInput {
            table_name: "orders",
            key: AttributeValue::from_item(&json!({"pk": "user#2", "sk": "order#001"})).unwrap(),
        }))
        .await
        .unwrap();
    let read: Order = AttributeValue::to_item(got.item.unwrap()).unwrap();
    assert_eq!(
        read,
        Order {
            pk: "user#2".into(),
            sk: "order#001".into(),
            total: Number::new("99.90").unwrap(),
            count: 1,
            items: BTreeSet::from(["lamp".to_string()]),
            note: None,
            receipt: vec![1],
        }
    );

    // A key condition and a filter, built into one request, read page by page.
    use futures::TryStreamExt;
    let mut b = ExpressionBuilder::new();
    let filter = b.condition(&Attr("count").gte(3)).unwrap();
    let key = b
        .key_condition(&(Key("pk").eq("user#1") & Key("sk").begins_with("order#0")))
        .unwrap();
    let pages: Vec<QueryOutput> = client
        .query_paginator(input!(QueryInput {
            table_name: "orders",
            key_condition_expression: key.text,
            filter_expression: filter.text,
            expression_attribute_names: b.names(),
            expression_attribute_values: b.values::<AttributeValue>(),
            limit: 5,
        }))
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert!(pages.len() >= 3, "{} pages", pages.len());
    let found: Vec<Order> = pages
        .into_iter()
        .flat_map(|p| p.items.unwrap_or_default())
        .map(|i| AttributeValue::to_item(i).unwrap())
        .collect();
    assert_eq!(found, (3..12).map(order).collect::<Vec<_>>());

    // boto3's own query with the same conditions finds the same items.
    let theirs = boto3_table(
        &moto.url,
        "orders",
        "r = table.query(KeyConditionExpression=Key('pk').eq('user#1') & Key('sk').begins_with('order#0'),\n\
         \x20   FilterExpression=Attr('count').gte(3))\n\
         print(json.dumps([i['sk'] for i in r['Items']]))",
    );
    let ours: Vec<String> = found.iter().map(|o| o.sk.clone()).collect();
    assert_eq!(theirs, json!(ours));
}

/// The `orders` table (composite key `pk`/`sk`) on `moto`, through the resource layer.
async fn orders_table(moto: &boto_tests::Moto) -> dynamodb::resource::Table {
    use boto_runtime::input;
    let ddb = dynamodb::ServiceResource::new(&moto.session());
    ddb.create_table(input!(dynamodb::types::CreateTableInput {
        table_name: "orders",
        key_schema: [
            { attribute_name: "pk", key_type: "HASH" },
            { attribute_name: "sk", key_type: "RANGE" },
        ],
        attribute_definitions: [
            { attribute_name: "pk", attribute_type: "S" },
            { attribute_name: "sk", attribute_type: "S" },
        ],
        billing_mode: "PAY_PER_REQUEST",
    }))
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_table_resource_takes_and_returns_native_items_as_boto3s_does() {
    use boto_runtime::dynamodb::{Attr, Key};
    use futures::TryStreamExt;
    let moto = boto_tests::Moto::start();
    let table = orders_table(&moto).await;
    let order = |i: u32| Order {
        pk: "user#1".into(),
        sk: format!("order#{i:03}"),
        total: Number::new(&format!("{}.5", 10 + i)).unwrap(),
        count: i,
        items: BTreeSet::from([format!("book{}", i % 3)]),
        note: i.is_multiple_of(3).then(|| format!("note {i}")),
        receipt: vec![i as u8],
    };
    for i in 0..12 {
        table
            .put_item(&order(i))
            .condition(Attr("pk").not_exists())
            .await
            .unwrap();
    }
    // The condition fails on an existing key: the typed modeled error.
    let err = table
        .put_item(&order(3))
        .condition(Attr("pk").not_exists())
        .await
        .unwrap_err();
    assert_condition_failed(&err);
    // get_item by a native key, read back as the struct.
    let key = json!({"pk": "user#1", "sk": "order#007"});
    let got = table.get_item(&key).await.unwrap();
    assert_eq!(got.item::<Order>().unwrap(), Some(order(7)));
    let none = table
        .get_item(&json!({"pk": "user#1", "sk": "nope"}))
        .await
        .unwrap();
    assert_eq!(none.item::<Order>().unwrap(), None);

    // update_item with an expression of one's own, placeholders given natively.
    let updated = table
        .update_item(&key)
        .input(|i| {
            i.update_expression = Some("SET #c = #c + :one, #n = :note".into());
            i.return_values = Some("ALL_NEW".into());
        })
        .name("#c", "count")
        .name("#n", "note")
        .value(":one", &1)
        .value(":note", "updated")
        .await
        .unwrap();
    let now: Order = updated.attributes().unwrap().unwrap();
    assert_eq!((now.count, now.note.as_deref()), (8, Some("updated")));
    // Placeholders set in the input itself are kept beside the builders' (boto3 updates them).
    table
        .update_item(&key)
        .input(|i| {
            i.update_expression = Some("SET #c = :c".into());
            i.expression_attribute_names = Some([("#c".to_string(), "count".to_string())].into());
            let c = dynamodb::types::AttributeValue::from(Value::from(99));
            i.expression_attribute_values = Some([(":c".to_string(), c)].into());
        })
        .condition(Attr("count").eq(8))
        .await
        .unwrap();
    let now: Order = table.get_item(&key).await.unwrap().item().unwrap().unwrap();
    assert_eq!(now.count, 99);

    // A query with a key condition and a filter, every page (Limit 4: several pages).
    let found: Vec<Order> = table
        .query(Key("pk").eq("user#1") & Key("sk").begins_with("order#00"))
        .filter(Attr("count").gte(3) & Attr("note").exists())
        .input(|i| i.limit = Some(4))
        .items()
        .try_collect()
        .await
        .unwrap();
    let sks: Vec<&str> = found.iter().map(|o| o.sk.as_str()).collect();
    assert_eq!(sks, ["order#003", "order#006", "order#007", "order#009"]);
    let pages: Vec<_> = table
        .query(Key("pk").eq("user#1"))
        .input(|i| i.limit = Some(5))
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 3, "12 items, 5 a page");
    // A key condition DynamoDB would refuse is an error before sending.
    let err = table.query(Attr("pk").eq("user#1")).await.unwrap_err();
    assert_eq!(err.kind(), boto_runtime::ErrorKind::Validation, "{err}");

    // boto3 reads what boto-rs wrote and the reverse.
    let theirs = boto3_table(
        &moto.url,
        "orders",
        "r = table.query(KeyConditionExpression=Key('pk').eq('user#1') & Key('sk').begins_with('order#00'),\n\
         \x20   FilterExpression=Attr('count').gte(3) & Attr('note').exists())\n\
         print(json.dumps([[i['sk'], i['note']] for i in r['Items']]))",
    );
    assert_eq!(
        theirs,
        json!([
            ["order#003", "note 3"],
            ["order#006", "note 6"],
            ["order#007", "updated"],
            ["order#009", "note 9"]
        ])
    );
    boto3_table(
        &moto.url,
        "orders",
        "table.put_item(Item={'pk': 'user#2', 'sk': 'order#001', 'total': Decimal('5.25'), 'count': 2,\n\
         \x20   'items': {'pen', 'ink'}, 'note': 'from boto3', 'receipt': Binary(b'\\x00\\x01')})\nprint('{}')",
    );
    let theirs: Order = table
        .get_item(&json!({"pk": "user#2", "sk": "order#001"}))
        .await
        .unwrap()
        .item()
        .unwrap()
        .unwrap();
    assert_eq!(theirs.total.as_str(), "5.25");
    assert_eq!(theirs.items, BTreeSet::from(["ink".into(), "pen".into()]));
    assert_eq!(theirs.receipt, vec![0, 1]);
    let deleted = table
        .delete_item(&json!({"pk": "user#2", "sk": "order#001"}))
        .input(|i| i.return_values = Some("ALL_OLD".into()))
        .await
        .unwrap();
    assert_eq!(
        deleted
            .attributes::<Order>()
            .unwrap()
            .unwrap()
            .note
            .as_deref(),
        Some("from boto3")
    );
    let scanned: Vec<Order> = table.scan().items().try_collect().await.unwrap();
    assert_eq!(scanned.len(), 12);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batch_writer_writes_a_thousand_items_with_the_last_write_winning() {
    let moto = boto_tests::Moto::start();
    let table = orders_table(&moto).await;
    let mut writer = table.batch_writer().overwrite_by_pkeys(&["pk", "sk"]);
    // 1,000 writes to 200 keys, four in a row to each key (groups of four; groups 200 to 249
    // write keys 0 to 49 again, in later batches). Writes come in identical pairs, and DynamoDB
    // (moto too) refuses a batch holding the same put or delete twice: only deduplication in the
    // buffer, the last write kept, lets them through.
    for i in 0..1000_u32 {
        let row = json!({"pk": format!("p#{}", (i / 4) % 200), "sk": "s", "count": i / 2});
        writer.put_item(&row).await.unwrap();
    }
    // And each of ten keys deleted twice, after its puts.
    for k in 0..10 {
        for _ in 0..2 {
            writer
                .delete_item(&json!({"pk": format!("p#{k}"), "sk": "s"}))
                .await
                .unwrap();
        }
    }
    assert!(
        writer.pending() < 25,
        "{} writes still buffered",
        writer.pending()
    );
    writer.close().await.unwrap();
    let theirs = boto3_table(
        &moto.url,
        "orders",
        "items, kw = [], {}\n\
         while True:\n\
         \x20   r = table.scan(**kw); items += r['Items']\n\
         \x20   if 'LastEvaluatedKey' not in r: break\n\
         \x20   kw = {'ExclusiveStartKey': r['LastEvaluatedKey']}\n\
         print(json.dumps(sorted([i['pk'], int(i['count'])] for i in items)))",
    );
    // Each key's last write is the last of its last group of four.
    let mut expected: Vec<(String, u32)> = (10..200)
        .map(|k| {
            let last = (0..1000).filter(|i| (i / 4) % 200 == k).max().unwrap();
            (format!("p#{k}"), last / 2)
        })
        .collect();
    expected.sort();
    assert_eq!(theirs, json!(expected));
}

/// The `orders` table over a client that answers from a stubber, which nothing is queued on yet.
fn stubbed_orders() -> (boto_runtime::Stubber, dynamodb::resource::Table) {
    let stubber = boto_runtime::Stubber::new();
    let session = boto_tests::isolated_session()
        .region("us-east-1")
        .build()
        .unwrap();
    let client = dynamodb::Client::builder(&session)
        .stubber(&stubber)
        .build();
    let table = dynamodb::ServiceResource::from_client(&client).table("orders");
    (stubber, table)
}

#[tokio::test]
async fn what_a_batch_left_undone_reads_back_native() {
    let (stubber, table) = stubbed_orders();
    let ddb = dynamodb::ServiceResource::from_client(&table.client());
    fn out<O: serde::de::DeserializeOwned>(j: Json) -> O {
        serde_json::from_value(j).unwrap()
    }
    let key = json!({"pk": {"S": "a"}, "sk": {"N": "1"}});
    stubber.add_response::<dynamodb::types::BatchGetItemOutput>(
        "BatchGetItem",
        out(json!({"UnprocessedKeys": {"orders": {"Keys": [key]}}})),
    );
    let got = (ddb.batch_get_item())
        .get("orders", &json!({"pk": "a", "sk": 1}))
        .await
        .unwrap();
    let left: Vec<Json> = got.unprocessed_keys("orders").unwrap();
    assert_eq!(left, [json!({"pk": "a", "sk": 1})]);
    assert!(got.unprocessed_keys::<Json>("other").unwrap().is_empty());
    stubber.add_response::<dynamodb::types::BatchWriteItemOutput>(
        "BatchWriteItem",
        out(json!({"UnprocessedItems": {"orders": [
            {"PutRequest": {"Item": {"pk": {"S": "p"}, "n": {"N": "2.5"}}}},
            {"DeleteRequest": {"Key": {"pk": {"S": "d"}}}}
        ]}})),
    );
    let done = (ddb.batch_write_item())
        .put("orders", &json!({"pk": "p", "n": 2.5}))
        .delete("orders", &json!({"pk": "d"}))
        .await
        .unwrap();
    use boto_runtime::dynamodb::Write;
    let item = |j: Json| -> boto_runtime::dynamodb::Item { serde_json::from_value(j).unwrap() };
    assert_eq!(
        done.unprocessed_writes("orders").unwrap(),
        [
            Write::Put(item(json!({"pk": "p", "n": 2.5}))),
            Write::Delete(item(json!({"pk": "d"}))),
        ]
    );
    stubber.assert_no_pending_responses();
}

#[tokio::test]
async fn an_expression_given_twice_is_an_error_before_sending() {
    use boto_runtime::dynamodb::{Attr, Key};
    let (stubber, table) = stubbed_orders();
    let err = (table.put_item(&json!({"pk": "a"})))
        .condition(Attr("pk").not_exists())
        .input(|i| i.condition_expression = Some("attribute_exists(pk)".into()))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), boto_runtime::ErrorKind::Validation);
    let text = err.to_string();
    assert!(
        text.contains("ConditionExpression is given twice"),
        "{text}"
    );
    let err = (table.query(Key("pk").eq("a")))
        .input(|i| i.key_condition_expression = Some("pk = :p".into()))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("KeyConditionExpression"), "{err}");
    // Nothing went out.
    stubber.assert_no_pending_responses();
}

#[tokio::test]
async fn batch_writer_sends_unprocessed_items_again_and_keeps_them_on_failure() {
    use boto_runtime::StubError;
    let (stubber, table) = stubbed_orders();
    let put = |i: u32| json!({"PutRequest": {"Item": {"pk": {"S": format!("p{i}")}}}});
    let left: dynamodb::types::BatchWriteItemOutput = serde_json::from_value(json!({
        "UnprocessedItems": {"orders": [put(3), put(4)]}
    }))
    .unwrap();
    // 30 puts: 25 go at the 25th; DynamoDB leaves two of them, which go back to the buffer
    // (ahead of the puts that follow, as in boto3) and are sent again with the last five when the
    // writer is closed.
    stubber.add_response("BatchWriteItem", left);
    let expected = |ids: &[u32]| -> dynamodb::types::BatchWriteItemInput {
        serde_json::from_value(
            json!({"RequestItems": {"orders": ids.iter().map(|i| put(*i)).collect::<Vec<_>>()}}),
        )
        .unwrap()
    };
    let rest: Vec<u32> = [3, 4].into_iter().chain(25..30).collect();
    stubber.add_response_expecting(
        "BatchWriteItem",
        dynamodb::types::BatchWriteItemOutput::default(),
        &expected(&rest),
    );
    let mut writer = table.batch_writer();
    for i in 0..30 {
        writer
            .put_item(&json!({"pk": format!("p{i}")}))
            .await
            .unwrap();
    }
    assert_eq!(writer.pending(), 7);
    writer.close().await.unwrap();
    stubber.assert_no_pending_responses();

    // Under overwrite_by_pkeys, an unprocessed write is still replaced by a later one to its key.
    let mut writer = table.batch_writer().overwrite_by_pkeys(&["pk"]);
    let left: dynamodb::types::BatchWriteItemOutput = serde_json::from_value(json!({
        "UnprocessedItems": {"orders": [put(3)]}
    }))
    .unwrap();
    stubber.add_response("BatchWriteItem", left);
    let newer = json!({"PutRequest": {"Item": {"pk": {"S": "p3"}, "v": {"N": "2"}}}});
    let last: dynamodb::types::BatchWriteItemInput =
        serde_json::from_value(json!({"RequestItems": {"orders": [newer]}})).unwrap();
    stubber.add_response_expecting(
        "BatchWriteItem",
        dynamodb::types::BatchWriteItemOutput::default(),
        &last,
    );
    for i in 0..25 {
        writer
            .put_item(&json!({"pk": format!("p{i}")}))
            .await
            .unwrap();
    }
    writer.put_item(&json!({"pk": "p3", "v": 2})).await.unwrap();
    assert_eq!(writer.pending(), 1);
    writer.close().await.unwrap();
    stubber.assert_no_pending_responses();

    // Keys are compared by value, as boto3 compares its Decimals: 1 and 1.00 are one key.
    #[derive(Serialize)]
    struct Row {
        n: Number,
        v: u8,
    }
    let mut writer = table.batch_writer().overwrite_by_pkeys(&["n"]);
    for (n, v) in [
        ("1", 1),
        ("1.00", 2),
        ("10E-1", 3),
        ("2", 4),
        ("-0", 5),
        ("0.0", 6),
    ] {
        let n = Number::new(n).unwrap();
        writer.put_item(&Row { n, v }).await.unwrap();
    }
    assert_eq!(writer.pending(), 3);
    let item = |n: &str, v: &str| json!({"PutRequest": {"Item": {"n": {"N": n}, "v": {"N": v}}}});
    let last_each: dynamodb::types::BatchWriteItemInput = serde_json::from_value(json!({
        "RequestItems": {"orders": [item("1.0", "3"), item("2", "4"), item("0.0", "6")]}
    }))
    .unwrap();
    stubber.add_response_expecting(
        "BatchWriteItem",
        dynamodb::types::BatchWriteItemOutput::default(),
        &last_each,
    );
    writer.close().await.unwrap();
    stubber.assert_no_pending_responses();

    // A batch that fails stays buffered, in order, for the next flush.
    stubber.add_client_error(
        "BatchWriteItem",
        StubError::new("InternalServerError", "down").status(500),
    );
    let mut writer = table.batch_writer();
    writer.put_item(&json!({"pk": "a"})).await.unwrap();
    assert!(writer.flush().await.is_err());
    assert_eq!(writer.pending(), 1);
    stubber.add_empty_response("BatchWriteItem");
    writer.close().await.unwrap();
    stubber.assert_no_pending_responses();
    // So does a close that fails: it can be called again.
    stubber.add_client_error(
        "BatchWriteItem",
        StubError::new("InternalServerError", "down").status(500),
    );
    writer.put_item(&json!({"pk": "b"})).await.unwrap();
    assert!(writer.close().await.is_err());
    assert_eq!(writer.pending(), 1);
    stubber.add_empty_response("BatchWriteItem");
    writer.close().await.unwrap();
    assert_eq!(writer.pending(), 0);
    stubber.assert_no_pending_responses();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn service_resource_batch_calls_take_and_return_native_items() {
    let moto = boto_tests::Moto::start();
    orders_table(&moto).await;
    let ddb = dynamodb::ServiceResource::new(&moto.session());
    let row = |i: u32| json!({"pk": "b", "sk": format!("s{i}"), "count": i, "tags": ["x"]});
    let mut write = ddb.batch_write_item();
    for i in 0..5 {
        write = write.put("orders", &row(i));
    }
    let out = write
        .delete("orders", &json!({"pk": "b", "sk": "s4"}))
        .await
        .unwrap();
    assert!(out.unprocessed_items.as_ref().is_none_or(|u| u.is_empty()));
    // boto3 reads what the batch wrote.
    let theirs = boto3_table(
        &moto.url,
        "orders",
        "r = table.query(KeyConditionExpression=Key('pk').eq('b'))\n\
         print(json.dumps([[i['sk'], int(i['count'])] for i in r['Items']]))",
    );
    assert_eq!(theirs, json!([["s0", 0], ["s1", 1], ["s2", 2], ["s3", 3]]));
    let got = ddb
        .batch_get_item()
        .get("orders", &json!({"pk": "b", "sk": "s1"}))
        .get("orders", &json!({"pk": "b", "sk": "s3"}))
        .get("orders", &json!({"pk": "b", "sk": "missing"}))
        .await
        .unwrap();
    let mut rows: Vec<Json> = got.responses("orders").unwrap();
    rows.sort_by_key(|r| r["sk"].as_str().unwrap_or_default().to_string());
    assert_eq!(rows, vec![row(1), row(3)]);
    // A table's options set through `.input(..)` stay, with the keys added to them.
    let projection = dynamodb::types::KeysAndAttributes {
        projection_expression: Some("sk".into()),
        consistent_read: Some(true),
        ..Default::default()
    };
    let got = (ddb.batch_get_item())
        .input(|i| i.request_items = Some([("orders".to_string(), projection)].into()))
        .get("orders", &json!({"pk": "b", "sk": "s2"}))
        .await
        .unwrap();
    assert_eq!(
        got.responses::<Json>("orders").unwrap(),
        [json!({"sk": "s2"})]
    );
    // A write in a read (or the reverse) is an error before sending.
    let err = ddb
        .batch_get_item()
        .put("orders", &row(9))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), boto_runtime::ErrorKind::Validation, "{err}");
    assert!(err.to_string().contains("BatchGetItem takes keys"), "{err}");
}

/// The table, its batch writer and S3's file-object transfers without async: `.wait()` and
/// `.wait_iter()` in a plain function.
#[test]
fn tables_and_transfers_work_without_async() {
    use boto_runtime::blocking::*;
    use boto_runtime::dynamodb::Key;
    use boto_runtime::input;
    let moto = boto_tests::Moto::start();
    let ddb = dynamodb::ServiceResource::new(&moto.session());
    let table = ddb
        .create_table(input!(dynamodb::types::CreateTableInput {
            table_name: "plain",
            key_schema: [{ attribute_name: "pk", key_type: "HASH" }],
            attribute_definitions: [{ attribute_name: "pk", attribute_type: "S" }],
            billing_mode: "PAY_PER_REQUEST",
        }))
        .wait()
        .unwrap();
    table.put_item(&json!({"pk": "a", "n": 1})).wait().unwrap();
    let mut writer = table.batch_writer();
    for i in 0..30 {
        writer
            .put_item(&json!({"pk": format!("w{i}")}))
            .wait()
            .unwrap();
    }
    writer.close().wait().unwrap();
    let got: Option<Json> = table
        .get_item(&json!({"pk": "a"}))
        .wait()
        .unwrap()
        .item()
        .unwrap();
    assert_eq!(got, Some(json!({"pk": "a", "n": 1})));
    let found: Vec<Json> = table
        .query(Key("pk").eq("w7"))
        .items()
        .wait_iter()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(found, vec![json!({"pk": "w7"})]);
    assert_eq!(table.scan().items::<Json>().wait_iter().count(), 31);

    let bucket = s3::ServiceResource::new(&moto.session())
        .create_bucket(input!(s3::types::CreateBucketRequest {
            bucket: "plain-bucket"
        }))
        .wait()
        .unwrap();
    let config = boto_runtime::transfer::TransferConfig::default();
    bucket
        .upload_fileobj(&b"no runtime needed"[..], "k", &config)
        .wait()
        .unwrap();
    let back = bucket
        .download_fileobj("k", Vec::new(), &config)
        .wait()
        .unwrap();
    assert_eq!(back, b"no runtime needed");
    bucket
        .copy(("plain-bucket", "k"), "k2", &config)
        .wait()
        .unwrap();
    let copy = bucket
        .download_fileobj("k2", Vec::new(), &config)
        .wait()
        .unwrap();
    assert_eq!(copy, b"no runtime needed");
}

/// The warnings a `tracing` subscriber is given, as `message unsent=N table=T` lines.
#[derive(Clone, Default)]
struct Warnings(std::sync::Arc<std::sync::Mutex<Vec<String>>>);

impl tracing::Subscriber for Warnings {
    fn enabled(&self, m: &tracing::Metadata<'_>) -> bool {
        *m.level() == tracing::Level::WARN
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        struct Text(String);
        impl tracing::field::Visit for Text {
            fn record_debug(&mut self, f: &tracing::field::Field, v: &dyn std::fmt::Debug) {
                self.0 += &format!(" {}={v:?}", f.name());
            }
        }
        let mut text = Text(String::new());
        event.record(&mut text);
        self.0.lock().unwrap().push(text.0);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[test]
fn a_batch_writer_dropped_with_unsent_writes_warns() {
    use boto_runtime::blocking::*;
    let warnings = Warnings::default();
    let _guard = tracing::subscriber::set_default(warnings.clone());
    let (stubber, table) = stubbed_orders();
    // Closed: everything sent, nothing to say.
    let mut writer = table.batch_writer();
    writer.put_item(&json!({"pk": "a"})).wait().unwrap();
    stubber.add_response(
        "BatchWriteItem",
        dynamodb::types::BatchWriteItemOutput::default(),
    );
    writer.close().wait().unwrap();
    // Dropped empty: nothing either.
    drop(table.batch_writer());
    assert_eq!(*warnings.0.lock().unwrap(), Vec::<String>::new());
    // Dropped with three writes it never sent: a warning saying so.
    let mut writer = table.batch_writer();
    for pk in ["a", "b", "c"] {
        writer.put_item(&json!({"pk": pk})).wait().unwrap();
    }
    drop(writer);
    let said = warnings.0.lock().unwrap().clone();
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(
        said[0].contains("unsent=3") && said[0].contains("table=orders"),
        "{said:?}"
    );
    stubber.assert_no_pending_responses();
}

#[tokio::test]
async fn after_unprocessed_writes_the_next_batch_waits_whoever_sends_it() {
    use std::time::{Duration, Instant};
    let (stubber, table) = stubbed_orders();
    let left = |pks: &[u32]| -> dynamodb::types::BatchWriteItemOutput {
        let puts: Vec<Json> = (pks.iter())
            .map(|i| json!({"PutRequest": {"Item": {"pk": {"S": format!("p{i}")}}}}))
            .collect();
        serde_json::from_value(json!({ "UnprocessedItems": { "orders": puts } })).unwrap()
    };
    stubber.add_response("BatchWriteItem", left(&[3, 4]));
    stubber.add_response("BatchWriteItem", left(&[30]));
    stubber.add_response("BatchWriteItem", left(&[]));
    let mut writer = table.batch_writer();
    // The first batch goes at once, and DynamoDB leaves two of it.
    for i in 0..25 {
        writer
            .put_item(&json!({"pk": format!("p{i}")}))
            .await
            .unwrap();
    }
    assert_eq!(writer.pending(), 2);
    // The put that fills the next batch waits before sending it: 50 ms.
    for i in 25..47 {
        writer
            .put_item(&json!({"pk": format!("p{i}")}))
            .await
            .unwrap();
    }
    let t = Instant::now();
    writer.put_item(&json!({"pk": "p47"})).await.unwrap();
    let waited = t.elapsed();
    assert!(waited >= Duration::from_millis(50), "{waited:?}");
    assert_eq!(writer.pending(), 1, "one left of the second batch");
    // Left again: the closing batch waits twice as long.
    let t = Instant::now();
    writer.close().await.unwrap();
    let waited = t.elapsed();
    assert!(waited >= Duration::from_millis(100), "{waited:?}");
    stubber.assert_no_pending_responses();
}
