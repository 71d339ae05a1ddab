//! boto3's resource layer (`resources-1.json`), lowered: the model with boto3's hand-written
//! additions, and every name the layer gets (types, collection types, kind statics, and each
//! resource's methods in boto3's registration order, renamed around each other as boto3 does).
//! [`resource_items`](super::resource_items) then lowers every entry into what emit's `resources`
//! module writes.

use super::naming::{self, NameRecord, Namespace, Suffix};
use super::{FieldForm, Ir, ScalarKind, ShapeKind};
use crate::model::resources::{
    self as rmodel, ActionModel, FindModel, HasModel, IdentifierSourceModel, LoadModel, ParamModel,
    RequestModel, ResourcesModel, ResponseResourceModel,
};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The resource layer, lowered.
#[derive(Debug)]
pub struct ResourcesIr {
    /// The model, boto3's hand-written additions included.
    pub model: ResourcesModel,
    /// Resource types with batch actions (they get a collection type).
    pub batch: HashSet<String>,
    /// Names of each resource type's items.
    pub types: HashMap<String, TypeNames>,
    /// The service resource's methods.
    pub service: MethodNames,
    /// Each resource type's methods.
    pub resources: HashMap<String, MethodNames>,
    /// Each collection type's methods.
    pub collections: HashMap<String, MethodNames>,
}

/// The names of a resource type's items.
#[derive(Debug, Clone)]
pub struct TypeNames {
    /// The type.
    pub rust: String,
    /// Its batch-action collection type.
    pub collection: String,
    /// The static describing it.
    pub kind_static: String,
}

/// The methods of one resource type (or the service resource, or a collection type).
#[derive(Debug, Default)]
pub struct MethodNames {
    /// (kind, model entry) -> method name.
    by_entry: HashMap<(&'static str, String), String>,
    /// The service resource: resource types it builds without a model entry, in order.
    pub implicit: Vec<String>,
    /// A resource type: its attributes, in member order.
    pub attributes: Vec<AttributeIr>,
}

impl MethodNames {
    /// The method of the model entry `wire` of kind `kind` (`resource_action`, ...).
    pub fn get(&self, kind: &'static str, wire: &str) -> String {
        self.by_entry
            .get(&(kind, wire.to_string()))
            .cloned()
            .unwrap_or_else(|| naming::resource_method(wire))
    }
}

/// An attribute: a member of the resource's data that is no identifier.
#[derive(Debug, Clone)]
pub struct AttributeIr {
    /// The member's position in the data shape.
    pub member: usize,
    /// The method.
    pub method: String,
    /// The identifier it is an alias of (a string the identifier's `memberName` names).
    pub alias: Option<usize>,
}

/// A `has` entry with a `data` identifier source is a reference; others are subresources.
pub fn is_reference(has: &HasModel) -> bool {
    has.resource.identifiers.iter().any(|i| i.source == "data")
}

/// The shape of resource `res`'s data, when the model names one the crate has.
pub fn data_shape<'a>(ir: &Ir, model: &'a ResourcesModel, res: &str) -> Option<&'a str> {
    model
        .resources
        .get(res)
        .and_then(|d| d.shape.as_deref())
        .filter(|s| ir.shapes.contains_key(*s))
}

/// Method names of one owner, registered in boto3's order: a name taken gets boto3's
/// `_<category>` suffix.
struct Names {
    ns: Namespace,
    /// The owner, qualifying the wire names in `names.tsv`.
    owner: String,
    out: MethodNames,
}

impl Names {
    /// The names of `owner`, with its own methods (`whose` says whose) reserved.
    fn new(owner: &str, reserved: &[&str], whose: &str) -> Names {
        let mut ns = Namespace::new();
        for r in reserved {
            ns.reserve(r, &format!("the {whose}'s own method {r}"));
        }
        Names {
            ns,
            owner: owner.to_string(),
            out: MethodNames::default(),
        }
    }

    /// Gives `name` (or its renamed form) to the model entry `wire` of kind `resource_<category>`.
    fn register(
        &mut self,
        name: &str,
        wire: &str,
        kind: &'static str,
        records: &mut Vec<NameRecord>,
    ) -> String {
        let category = kind.trim_start_matches("resource_");
        let qualified = format!("{}.{wire}", self.owner);
        let (n, _) = self
            .ns
            .claim(name, kind, &qualified, Suffix::Word(category), records);
        records.push(NameRecord::new(kind, qualified, naming::ident_text(&n)));
        self.out
            .by_entry
            .insert((kind, wire.to_string()), n.clone());
        n
    }
}

const RESOURCE_METHODS: &[&str] = &[
    "new", "client", "load", "reload", "data", "clone", "fmt", "eq", "res", "from_res",
];

/// Lowers `resources-1.json`: parses it, adds boto3's hand-written entries, names everything.
pub fn lower(
    ir: &Ir,
    text: &str,
    names: &mut Vec<NameRecord>,
    errs: &mut Vec<String>,
) -> Option<(ResourcesIr, Namespace)> {
    let file = format!("{}/resources-1.json", ir.crate_name);
    let mut model = match rmodel::parse(&file, text) {
        Ok(d) => d,
        Err(e) => {
            errs.push(e);
            return None;
        }
    };
    inject(&ir.crate_name, &mut model);
    let snake = naming::resource_method;
    let batch: HashSet<String> = model
        .resources
        .iter()
        .filter(|(_, d)| !d.batch_actions.is_empty())
        .map(|(n, _)| n.clone())
        .collect();

    // The module's type and static names: the service resource, each resource type, and the
    // collection type of those with batch actions.
    let mut type_ns = Namespace::new();
    type_ns.reserve("ServiceResource", "the service resource");
    let mut static_ns = Namespace::new();
    static_ns.reserve("K_SERVICE_RESOURCE", "the service resource's kind");
    static_ns.reserve("TRANSFER", "the s3 transfer operations");
    let mut types = HashMap::new();
    for name in model.resources.keys() {
        let mut claim = |ns: &mut Namespace, base: String, kind| {
            let (n, _) = ns.claim(&base, kind, name, Suffix::Number(""), names);
            names.push(NameRecord::new(kind, name, &n));
            n
        };
        let rust = claim(&mut type_ns, naming::resource_type(name), "resource");
        let collection = if batch.contains(name) {
            claim(
                &mut type_ns,
                naming::resource_collection_type(name),
                "resource_collection_type",
            )
        } else {
            naming::resource_collection_type(name)
        };
        let kind_static = claim(
            &mut static_ns,
            naming::resource_kind_static(name),
            "resource_static",
        );
        types.insert(
            name.clone(),
            TypeNames {
                rust,
                collection,
                kind_static,
            },
        );
    }

    // The service resource.
    let svc = &model.service;
    let mut n = Names::new("ServiceResource", RESOURCE_METHODS, "resource");
    for name in svc.actions.keys() {
        n.register(&snake(name), name, "resource_action", names);
    }
    let mut targeted = HashSet::new();
    for (name, def) in &svc.has {
        targeted.insert(def.resource.kind.clone());
        n.register(&snake(name), name, "resource_subresource", names);
    }
    for name in svc.has_many.keys() {
        n.register(&snake(name), name, "resource_collection", names);
    }
    // boto3 adds a constructor for every resource type the service does not name; a name that
    // an explicit entry already uses keeps the explicit one (ec2 `key_pair` builds a KeyPairInfo).
    for ty in model.resources.keys().filter(|k| !targeted.contains(*k)) {
        let snake_ty = snake(ty);
        if n.ns.contains(&snake_ty) {
            continue;
        }
        n.register(&snake_ty, ty, "resource_subresource", names);
        n.out.implicit.push(ty.clone());
    }
    let service = n.out;

    // Each resource type, in boto3's order: identifiers, actions, subresources, references,
    // collections, waiters, (s3) transfer methods, then attributes, renamed around the rest.
    let mut resources = HashMap::new();
    let mut collections = HashMap::new();
    for (name, def) in &model.resources {
        let mut n = Names::new(name, RESOURCE_METHODS, "resource");
        let id_snakes: Vec<String> = def.identifiers.iter().map(|i| snake(&i.name)).collect();
        for id in &def.identifiers {
            n.register(&snake(&id.name), &id.name, "resource_identifier", names);
        }
        for a in def.actions.keys() {
            n.register(&snake(a), a, "resource_action", names);
        }
        for h in def
            .has
            .iter()
            .filter(|(_, h)| !is_reference(h))
            .map(|(h, _)| h)
        {
            n.register(&snake(h), h, "resource_subresource", names);
        }
        for h in def
            .has
            .iter()
            .filter(|(_, h)| is_reference(h))
            .map(|(h, _)| h)
        {
            n.register(&snake(h), h, "resource_reference", names);
        }
        for c in def.has_many.keys() {
            n.register(&snake(c), c, "resource_collection", names);
        }
        for w in def.waiters.keys() {
            n.register(
                &snake(&format!("WaitUntil{w}")),
                w,
                "resource_waiter",
                names,
            );
        }
        if ir.crate_name == "s3" && matches!(name.as_str(), "Object" | "ObjectSummary" | "Bucket") {
            for m in ["upload_file", "download_file"] {
                n.register(m, m, "resource_transfer", names);
            }
        }
        let shape = data_shape(ir, &model, name).map(|s| &ir.shapes[s]);
        if let Some(shape) = shape.filter(|s| s.kind == ShapeKind::Structure) {
            let aliases: BTreeMap<String, usize> = def
                .identifiers
                .iter()
                .enumerate()
                .filter_map(|(k, i)| i.member_name.as_ref().map(|m| (snake(m), k)))
                .collect();
            for (i, m) in shape.members.iter().enumerate() {
                let s = snake(&m.wire);
                // Identifiers are no attributes, nor is a field that is always there (an
                // output's body stream).
                if id_snakes.contains(&s) || m.form == (FieldForm::Stream { always: true }) {
                    continue;
                }
                let method = n.register(&s, &m.wire, "resource_attribute", names);
                let is_string = ir
                    .shapes
                    .get(&m.target)
                    .is_none_or(|t| t.kind == ShapeKind::Scalar(ScalarKind::String));
                let alias = aliases.get(&s).copied().filter(|_| is_string);
                n.out.attributes.push(AttributeIr {
                    member: i,
                    method,
                    alias,
                });
            }
        }
        resources.insert(name.clone(), n.out);
        if batch.contains(name) {
            let mut n = Names::new(&format!("{name}Collection"), RESOURCE_METHODS, "resource");
            for m in ["all", "filter", "limit", "page_size", "pages", "stream"] {
                n.ns.reserve(m, &format!("the collection's own method {m}"));
            }
            for b in def.batch_actions.keys() {
                n.register(&snake(b), b, "resource_batch_action", names);
            }
            collections.insert(name.clone(), n.out);
        }
    }
    let out = ResourcesIr {
        model,
        batch,
        types,
        service,
        resources,
        collections,
    };
    Some((out, static_ns))
}

/// boto3's hand-written additions that users rely on, as model entries: s3 `Bucket.load` (finds
/// the bucket in ListBuckets) and `ObjectSummary.load` (HeadObject, `ContentLength` as `Size`),
/// ec2 `Instance.delete_tags`, and ec2 `create_tags` returning `Tag` resources.
fn inject(crate_name: &str, doc: &mut ResourcesModel) {
    let res = &mut doc.resources;
    let param = |target: &str, name: &str| ParamModel {
        target: target.into(),
        source: "identifier".into(),
        name: Some(name.into()),
        ..ParamModel::default()
    };
    let request = |operation: &str, params: Vec<ParamModel>| RequestModel {
        operation: operation.into(),
        params,
    };
    match crate_name {
        "s3" => {
            if let Some(bucket) = res.get_mut("Bucket").filter(|b| b.load.is_none()) {
                bucket.load = Some(LoadModel {
                    request: request("ListBuckets", Vec::new()),
                    find: Some(FindModel {
                        path: "Buckets".into(),
                        member: "Name".into(),
                    }),
                    ..LoadModel::default()
                });
            }
            if let Some(summary) = res.get_mut("ObjectSummary").filter(|b| b.load.is_none()) {
                summary.load = Some(LoadModel {
                    request: request(
                        "HeadObject",
                        vec![param("Bucket", "BucketName"), param("Key", "Key")],
                    ),
                    copy: Some(vec![("ContentLength".into(), "Size".into())]),
                    ..LoadModel::default()
                });
            }
        }
        "ec2" => {
            if let Some(instance) = res.get_mut("Instance") {
                instance
                    .actions
                    .entry("DeleteTags".into())
                    .or_insert_with(|| ActionModel {
                        request: request("DeleteTags", vec![param("Resources[0]", "Id")]),
                        resource: None,
                    });
            }
            if let Some(create) = doc.service.actions.get_mut("CreateTags") {
                let from_request = |target: &str, path: &str| IdentifierSourceModel {
                    target: target.into(),
                    source: "requestParameter".into(),
                    name: None,
                    path: Some(path.into()),
                };
                create
                    .resource
                    .get_or_insert_with(|| ResponseResourceModel {
                        kind: "Tag".into(),
                        identifiers: vec![
                            from_request("ResourceId", "Resources[]"),
                            from_request("Key", "Tags[].Key"),
                            from_request("Value", "Tags[].Value"),
                        ],
                        path: None,
                        cross: true,
                    });
            }
        }
        _ => {}
    }
}
