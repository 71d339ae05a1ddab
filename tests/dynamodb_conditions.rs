//! Condition builders, boto3's `ConditionExpressionBuilder` as the oracle: for each condition, the
//! expression text, the name placeholders and the values (as attribute values) must equal what
//! boto3 builds from the same condition written in Python, placeholder numbering included.

use boto_runtime::dynamodb::{Attr, Condition, Expression, ExpressionBuilder, Key, Number};
use boto_tests::oracle::python_with_env;
use dynamodb::types::AttributeValue;
use serde_json::{json, Value as Json};
use std::collections::BTreeSet;

/// A condition, the same in Python, and whether it is a key condition.
fn table() -> Vec<(Condition, &'static str, bool)> {
    let n = |t: &str| Number::new(t).unwrap();
    vec![
        (Key("pk").eq("u#1"), "Key('pk').eq('u#1')", true),
        (Key("pk").lt(5), "Key('pk').lt(5)", true),
        (
            Key("pk").lte(n("5.50")),
            "Key('pk').lte(Decimal('5.50'))",
            true,
        ),
        (Key("pk").gt(-1), "Key('pk').gt(-1)", true),
        (Key("pk").gte(0), "Key('pk').gte(0)", true),
        (Key("sk").between(1, 9), "Key('sk').between(1, 9)", true),
        (
            Key("sk").begins_with("2024-"),
            "Key('sk').begins_with('2024-')",
            true,
        ),
        (
            Key("pk").eq("u#1") & Key("sk").begins_with("order#"),
            "Key('pk').eq('u#1') & Key('sk').begins_with('order#')",
            true,
        ),
        (
            Key("pk").eq(vec![1_u8, 2]) & Key("sk").between("a", "m"),
            "Key('pk').eq(b'\\x01\\x02') & Key('sk').between('a', 'm')",
            true,
        ),
        (Attr("age").eq(42), "Attr('age').eq(42)", false),
        (Attr("age").ne(42), "Attr('age').ne(42)", false),
        (
            Attr("age").lt(18) | Attr("age").gt(65),
            "Attr('age').lt(18) | Attr('age').gt(65)",
            false,
        ),
        (
            Attr("name").begins_with("Jo"),
            "Attr('name').begins_with('Jo')",
            false,
        ),
        (
            Attr("state").is_in(["a", "b", "c"]),
            "Attr('state').is_in(['a', 'b', 'c'])",
            false,
        ),
        (Attr("n").is_in([1, 2]), "Attr('n').is_in([1, 2])", false),
        (Attr("email").exists(), "Attr('email').exists()", false),
        (
            Attr("email").not_exists(),
            "Attr('email').not_exists()",
            false,
        ),
        (
            Attr("tags").contains("red"),
            "Attr('tags').contains('red')",
            false,
        ),
        (
            Attr("id").attribute_type("S"),
            "Attr('id').attribute_type('S')",
            false,
        ),
        (
            Attr("tags").size().gt(2),
            "Attr('tags').size().gt(2)",
            false,
        ),
        (
            Attr("tags").size().between(1, 3),
            "Attr('tags').size().between(1, 3)",
            false,
        ),
        (
            Attr("tags").size().lte(10),
            "Attr('tags').size().lte(10)",
            false,
        ),
        (!Attr("banned").eq(true), "~Attr('banned').eq(True)", false),
        (
            Attr("a").eq(1) & (Attr("b").eq(2) | !Attr("c").exists()),
            "Attr('a').eq(1) & (Attr('b').eq(2) | ~Attr('c').exists())",
            false,
        ),
        (
            Attr("address.city").eq("Paris"),
            "Attr('address.city').eq('Paris')",
            false,
        ),
        (Attr("tags[2]").eq("x"), "Attr('tags[2]').eq('x')", false),
        (
            Attr("orders[0].lines[1].sku").begins_with("A"),
            "Attr('orders[0].lines[1].sku').begins_with('A')",
            false,
        ),
        (
            Attr("a.a").eq(Attr("b")),
            "Attr('a.a').eq(Attr('b'))",
            false,
        ),
        (
            Attr("low").lt(Attr("high").size()),
            "Attr('low').lt(Attr('high').size())",
            false,
        ),
        (
            Attr("price").between(n("0.99"), 10),
            "Attr('price').between(Decimal('0.99'), 10)",
            false,
        ),
        (
            Attr("roles").contains("admin") & Attr("roles").eq(BTreeSet::from(["admin", "dev"])),
            "Attr('roles').contains('admin') & Attr('roles').eq({'admin', 'dev'})",
            false,
        ),
        (
            Attr("m").eq(json!({"k": [1, "two", null]})),
            "Attr('m').eq({'k': [1, 'two', None]})",
            false,
        ),
    ]
}

fn expression_json(e: &Expression) -> Json {
    let values: serde_json::Map<String, Json> = (e.values.iter())
        .map(|(k, v)| {
            (
                k.clone(),
                serde_json::to_value(AttributeValue::from(v.clone())).unwrap(),
            )
        })
        .collect();
    json!({ "text": e.text, "names": e.names, "values": values })
}

const SCRIPT: &str = r#"
import base64, json, os
from decimal import Decimal
from boto3.dynamodb.conditions import Key, Attr, ConditionExpressionBuilder
from boto3.dynamodb.types import TypeSerializer

def to_json(v):
    if isinstance(v, dict):
        return {k: to_json(x) for k, x in v.items()}
    if isinstance(v, list):
        return [to_json(x) for x in v]
    if isinstance(v, (bytes, bytearray)):
        return base64.b64encode(bytes(v)).decode()
    return v

builder, ser = ConditionExpressionBuilder(), TypeSerializer()
out = []
for expr, key in json.loads(os.environ['CASES']):
    builder.reset()
    built = builder.build_expression(eval(expr), is_key_condition=key)
    out.append({
        'text': built.condition_expression,
        'names': built.attribute_name_placeholders,
        'values': {k: to_json(ser.serialize(v)) for k, v in built.attribute_value_placeholders.items()},
    })
# One request: the filter first, then the key condition, counting on.
builder.reset()
f = builder.build_expression(Attr('n').gt(1) & Attr('m.k').exists())
k = builder.build_expression(Key('pk').eq('x') & Key('sk').lt(3), is_key_condition=True)
out.append([f.condition_expression, k.condition_expression, {**f.attribute_name_placeholders, **k.attribute_name_placeholders}])
print(json.dumps(out))
"#;

/// Sets have no order: sort their members.
fn normalised(v: &Json) -> Json {
    match v {
        Json::Object(o) => Json::Object(
            o.iter()
                .map(|(k, x)| match (k.as_str(), x) {
                    ("SS" | "NS" | "BS", Json::Array(a)) => {
                        let mut a = a.clone();
                        a.sort_by_key(Json::to_string);
                        (k.clone(), Json::Array(a))
                    }
                    _ => (k.clone(), normalised(x)),
                })
                .collect(),
        ),
        Json::Array(a) => Json::Array(a.iter().map(normalised).collect()),
        v => v.clone(),
    }
}

#[test]
fn conditions_build_as_boto3s_builder_builds_them() {
    let cases = table();
    assert!(cases.len() >= 30);
    let py: Vec<(&str, bool)> = cases.iter().map(|(_, p, k)| (*p, *k)).collect();
    let cases_env = serde_json::to_string(&py).unwrap();
    let theirs: Vec<Json> =
        serde_json::from_str(&python_with_env(SCRIPT, &[("CASES", &cases_env)])).unwrap();
    let mut wrong = Vec::new();
    for ((cond, python, key), theirs) in cases.iter().zip(&theirs) {
        let mut b = ExpressionBuilder::new();
        let built = if *key {
            b.key_condition(cond)
        } else {
            b.condition(cond)
        };
        match built {
            Ok(e) => {
                let ours = expression_json(&e);
                if normalised(&ours) != normalised(theirs) {
                    wrong.push(format!("{python}:\n  boto-rs {ours}\n  boto3   {theirs}"));
                }
            }
            Err(e) => wrong.push(format!("{python}: {e}")),
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));

    let mut b = ExpressionBuilder::new();
    let f = b
        .condition(&(Attr("n").gt(1) & Attr("m.k").exists()))
        .unwrap();
    let k = b
        .key_condition(&(Key("pk").eq("x") & Key("sk").lt(3)))
        .unwrap();
    let mut names = f.names.clone();
    names.extend(k.names.clone());
    assert_eq!(
        json!([f.text, k.text, names]),
        theirs[cases.len()],
        "placeholders count on across one request's expressions"
    );
}

#[test]
fn misuse_of_a_key_condition_is_an_error_before_sending() {
    let key = |c: Condition| {
        ExpressionBuilder::new()
            .key_condition(&c)
            .unwrap_err()
            .to_string()
    };
    assert!(key(Attr("pk").eq(1)).contains("Key(..), not Attr(\"pk\")"));
    assert!(key(Key("pk").eq(1) | Key("pk").eq(2)).contains("OR"));
    assert!(key(!Key("pk").eq(1)).contains("NOT"));
    assert!(key(Key("pk").eq(1) & Attr("x").exists()).contains("attribute_exists"));
    assert!(key(Key("pk").eq(Attr("other"))).contains("Attr(\"other\")"));
    // boto3 refuses an Attr in a key condition too.
    let refused = python_with_env(
        "from boto3.dynamodb.conditions import Attr, ConditionExpressionBuilder\n\
         try:\n    ConditionExpressionBuilder().build_expression(Attr('pk').eq(1), is_key_condition=True)\n    print('built')\n\
         except Exception as e:\n    print(type(e).__name__)",
        &[],
    );
    assert_eq!(refused, "DynamoDBNeedsKeyConditionError");
    // Beyond boto3 (whose size() has no ne), as DynamoDB writes it.
    assert_eq!(
        Attr("tags").size().ne(0).build().unwrap().text,
        "size(#n0) <> :v0"
    );
    // A value that does not convert names its placeholder.
    let err = Attr("x").eq(f64::NAN).build().unwrap_err().to_string();
    assert!(err.contains(":v0"), "{err}");
    let err = Attr("s")
        .eq(BTreeSet::<String>::new())
        .build()
        .unwrap_err()
        .to_string();
    assert!(err.contains("empty set"), "{err}");
}
