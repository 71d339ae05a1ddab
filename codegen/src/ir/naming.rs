//! Every Rust name the generator emits is decided here, in one place, from the model's wire names:
//! the conversions, and [`Namespace`], the one place where colliding names are told apart.

use heck::ToUpperCamelCase;
use std::collections::HashMap;

/// One name decision, a line of the crate's `names.tsv`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct NameRecord {
    /// What was named: `type`, `field`, `variant`, `operation`, `static`, `paginator`, `waiter`,
    /// `accessor`, `resource`, `resource_<member kind>`; `collision` for a collision's record.
    pub kind: &'static str,
    /// The wire name (qualified by its owner for members).
    pub wire: String,
    /// The Rust name.
    pub rust: String,
    /// Why the name differs from the plain conversion, if it does.
    pub note: String,
}

impl NameRecord {
    /// A record.
    pub fn new(kind: &'static str, wire: impl Into<String>, rust: impl Into<String>) -> Self {
        NameRecord {
            kind,
            wire: wire.into(),
            rust: rust.into(),
            note: String::new(),
        }
    }

    /// The record with a note.
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.note = note.into();
        self
    }
}

/// How a colliding name is changed: the candidates tried in turn.
#[derive(Debug, Clone, Copy)]
pub enum Suffix<'a> {
    /// `base{sep}2`, `base{sep}3`, ...
    Number(&'a str),
    /// `base_word`, then `base_word2`, `base_word3`, ...
    Word(&'a str),
    /// `base_`, `base__`, ...
    Underscore,
}

impl Suffix<'_> {
    /// The `k`th candidate (from 1) for `base`.
    fn candidate(self, base: &str, k: usize) -> String {
        match self {
            Suffix::Number(sep) => format!("{base}{sep}{}", k + 1),
            Suffix::Word(w) if k == 1 => format!("{base}_{w}"),
            Suffix::Word(w) => format!("{base}_{w}{k}"),
            Suffix::Underscore => format!("{base}{}", "_".repeat(k)),
        }
    }
}

/// The names given in one Rust namespace (a crate's types, a structure's fields, a client's
/// methods), each with what it was given to. Every collision is resolved here, and recorded.
#[derive(Debug, Clone, Default)]
pub struct Namespace {
    /// Name (lower-cased when folding case) -> what it names (`field Result.type`).
    taken: HashMap<String, String>,
    /// Names that differ only in case collide (types: files on case-insensitive systems).
    fold_case: bool,
}

impl Namespace {
    /// An empty namespace.
    pub fn new() -> Self {
        Namespace::default()
    }

    /// An empty namespace where names differing only in case collide.
    pub fn case_insensitive() -> Self {
        Namespace {
            taken: HashMap::new(),
            fold_case: true,
        }
    }

    /// The key `name` is compared by.
    fn key(&self, name: &str) -> String {
        if self.fold_case {
            name.to_lowercase()
        } else {
            name.to_string()
        }
    }

    /// Takes `name` for something the generator writes itself (`owner` says what).
    pub fn reserve(&mut self, name: &str, owner: &str) {
        let k = self.key(name);
        self.taken.entry(k).or_insert_with(|| owner.to_string());
    }

    /// True when `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains_key(&self.key(name))
    }

    /// Gives `base` to `kind wire`, or the first free candidate of `suffix` when `base` is taken;
    /// a collision is added to `records` (kind `collision`) with both sources and the suffix.
    /// Returns the name and, on a collision, what held `base`.
    pub fn claim(
        &mut self,
        base: &str,
        kind: &'static str,
        wire: &str,
        suffix: Suffix,
        records: &mut Vec<NameRecord>,
    ) -> (String, Option<String>) {
        let owner = format!("{kind} {wire}");
        let Some(other) = self.taken.get(&self.key(base)).cloned() else {
            self.reserve(base, &owner);
            return (base.to_string(), None);
        };
        let mut k = 1;
        let mut name = suffix.candidate(base, k);
        while self.contains(&name) {
            k += 1;
            name = suffix.candidate(base, k);
        }
        self.reserve(&name, &owner);
        let added = name.strip_prefix(base).unwrap_or(&name);
        records.push(NameRecord::new("collision", wire, &name).note(format!(
            "{kind} {wire} wanted {base}, which {other} has{}; suffix {added} added",
            if self.fold_case {
                " (ignoring case)"
            } else {
                ""
            }
        )));
        (name, Some(other))
    }
}

/// botocore's `xform_name(name, '_')`: the snake_case names boto3 users type for operations.
pub fn xform_name(name: &str) -> String {
    if name.contains('_') {
        return name.to_string();
    }
    // botocore 1.43.11's table of names its rules would split wrongly (`_xform_cache`).
    const SPECIAL: &[(&str, &str)] = &[
        (
            "AssociateWhatsAppBusinessAccount",
            "associate_whatsapp_business_account",
        ),
        ("CreateCachediSCSIVolume", "create_cached_iscsi_volume"),
        ("CreateStorediSCSIVolume", "create_stored_iscsi_volume"),
        (
            "CreateWhatsAppMessageTemplate",
            "create_whatsapp_message_template",
        ),
        (
            "CreateWhatsAppMessageTemplateFromLibrary",
            "create_whatsapp_message_template_from_library",
        ),
        (
            "CreateWhatsAppMessageTemplateMedia",
            "create_whatsapp_message_template_media",
        ),
        (
            "DeleteWhatsAppMessageMedia",
            "delete_whatsapp_message_media",
        ),
        (
            "DeleteWhatsAppMessageTemplate",
            "delete_whatsapp_message_template",
        ),
        (
            "DescribeCachediSCSIVolumes",
            "describe_cached_iscsi_volumes",
        ),
        (
            "DescribeStorediSCSIVolumes",
            "describe_stored_iscsi_volumes",
        ),
        (
            "DisassociateWhatsAppBusinessAccount",
            "disassociate_whatsapp_business_account",
        ),
        ("ExecutePartiQLBatch", "execute_partiql_batch"),
        ("ExecutePartiQLStatement", "execute_partiql_statement"),
        ("ExecutePartiQLTransaction", "execute_partiql_transaction"),
        (
            "GetLinkedWhatsAppBusinessAccount",
            "get_linked_whatsapp_business_account",
        ),
        (
            "GetLinkedWhatsAppBusinessAccountPhoneNumber",
            "get_linked_whatsapp_business_account_phone_number",
        ),
        ("GetOTelEnrichment", "get_otel_enrichment"),
        ("GetWhatsAppMessageMedia", "get_whatsapp_message_media"),
        (
            "GetWhatsAppMessageTemplate",
            "get_whatsapp_message_template",
        ),
        (
            "ListHITsForQualificationType",
            "list_hits_for_qualification_type",
        ),
        (
            "ListLinkedWhatsAppBusinessAccounts",
            "list_linked_whatsapp_business_accounts",
        ),
        (
            "ListWhatsAppMessageTemplates",
            "list_whatsapp_message_templates",
        ),
        (
            "ListWhatsAppTemplateLibrary",
            "list_whatsapp_template_library",
        ),
        ("PostWhatsAppMessageMedia", "post_whatsapp_message_media"),
        (
            "PutWhatsAppBusinessAccountEventDestinations",
            "put_whatsapp_business_account_event_destinations",
        ),
        ("SendWhatsAppMessage", "send_whatsapp_message"),
        ("StartOTelEnrichment", "start_otel_enrichment"),
        ("StopOTelEnrichment", "stop_otel_enrichment"),
        (
            "UpdateWhatsAppMessageTemplate",
            "update_whatsapp_message_template",
        ),
    ];
    if let Some((_, v)) = SPECIAL.iter().find(|(k, _)| *k == name) {
        return v.to_string();
    }
    let mut s: Vec<char> = name.chars().collect();
    // `[A-Z]{2,}s$`: a pluralised acronym at the end (ARNs, ACLs) becomes `_arns`.
    if s.len() >= 3 && s[s.len() - 1] == 's' {
        let mut start = s.len() - 1;
        while start > 0 && s[start - 1].is_ascii_uppercase() {
            start -= 1;
        }
        if s.len() - 1 - start >= 2 {
            let tail: String = s[start..].iter().collect::<String>().to_lowercase();
            s.truncate(start);
            s.push('_');
            s.extend(tail.chars());
        }
    }
    // `(.)([A-Z][a-z]+)` -> `\1_\2`, left to right without overlap.
    let mut s1: Vec<char> = Vec::with_capacity(s.len() + 8);
    let mut i = 0;
    while i < s.len() {
        if i + 2 < s.len() + 1 && i + 1 < s.len() && s[i] != '\n' && s[i + 1].is_ascii_uppercase() {
            let mut j = i + 2;
            while j < s.len() && s[j].is_ascii_lowercase() {
                j += 1;
            }
            if j > i + 2 {
                s1.push(s[i]);
                s1.push('_');
                s1.extend(&s[i + 1..j]);
                i = j;
                continue;
            }
        }
        s1.push(s[i]);
        i += 1;
    }
    // `([a-z0-9])([A-Z])` -> `\1_\2`, left to right without overlap.
    let mut out = String::with_capacity(s1.len() + 8);
    let mut i = 0;
    while i < s1.len() {
        if i + 1 < s1.len()
            && (s1[i].is_ascii_lowercase() || s1[i].is_ascii_digit())
            && s1[i + 1].is_ascii_uppercase()
        {
            out.push(s1[i]);
            out.push('_');
            out.push(s1[i + 1]);
            i += 2;
            continue;
        }
        out.push(s1[i]);
        i += 1;
    }
    out.to_lowercase()
}

/// Rewrites AWS tokens that naive recasing splits badly (`IPv4`, `MiB`, `ARNs`) into plain words.
fn normalise_tokens(name: &str) -> String {
    const TOKENS: &[(&str, &str)] = &[
        ("IPv4", "Ipv4"),
        ("IPv6", "Ipv6"),
        ("KiB", "Kib"),
        ("MiB", "Mib"),
        ("GiB", "Gib"),
        ("TiB", "Tib"),
        ("PiB", "Pib"),
        ("EiB", "Eib"),
    ];
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len());
    let mut i = 0;
    'outer: while i < chars.len() {
        for (from, to) in TOKENS {
            let f: Vec<char> = from.chars().collect();
            if chars[i..].starts_with(&f)
                && !chars
                    .get(i + f.len())
                    .is_some_and(|c| c.is_ascii_lowercase())
            {
                out.push_str(to);
                i += f.len();
                continue 'outer;
            }
        }
        // A pluralised acronym (`ARNs`, `IDs`) followed by a new word, a digit or the end: `Arns`.
        if chars[i].is_ascii_uppercase() {
            let mut j = i;
            while j < chars.len() && chars[j].is_ascii_uppercase() {
                j += 1;
            }
            if j - i >= 2
                && chars.get(j) == Some(&'s')
                && !chars.get(j + 1).is_some_and(|c| c.is_ascii_lowercase())
            {
                out.push(chars[i]);
                out.extend(chars[i + 1..j].iter().map(|c| c.to_ascii_lowercase()));
                out.push('s');
                i = j + 1;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// The snake_case Rust name for a wire name (fields): botocore's rules after token normalisation.
pub fn snake_name(name: &str) -> String {
    let s = xform_name(&normalise_tokens(name)).to_lowercase();
    let mut clean: String = s
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    while clean.contains("__") {
        clean = clean.replace("__", "_");
    }
    let clean = clean.trim_matches('_').to_string();
    if clean.is_empty() {
        return "value".into();
    }
    if clean.starts_with(|c: char| c.is_ascii_digit()) {
        return format!("_{clean}");
    }
    clean
}

/// Rust keywords (2021 edition, reserved words included).
pub const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// True for a Rust keyword.
pub fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// A snake_case identifier as it is written in Rust: keywords become raw (`r#type`), and the
/// four that cannot be raw get a `_` suffix (`self_`).
pub fn ident_text(snake: &str) -> String {
    match snake {
        "self" | "super" | "crate" | "Self" => format!("{snake}_"),
        s if is_keyword(s) => format!("r#{s}"),
        s => s.to_string(),
    }
}

/// The UpperCamelCase type name for a shape name: kept as is when it already is one.
pub fn type_name(shape: &str) -> String {
    let valid = shape.starts_with(|c: char| c.is_ascii_uppercase())
        && shape.chars().all(|c| c.is_ascii_alphanumeric());
    let mut n = if valid {
        shape.to_string()
    } else {
        shape.to_upper_camel_case()
    };
    if n.is_empty() || n.starts_with(|c: char| c.is_ascii_digit()) {
        n = format!("Shape{n}");
    }
    if is_keyword(&n) {
        n.push_str("Shape");
    }
    n
}

/// The enum variant name for a string enum value (`t2.micro` -> `T2Micro`).
pub fn variant_name(value: &str) -> String {
    let mut n = value.to_upper_camel_case();
    n.retain(|c| c.is_ascii_alphanumeric());
    if n.is_empty() {
        n = match value {
            "*" => "Star".into(),
            "" => "Empty".into(),
            _ => {
                let mut s = String::from("Value");
                for b in value.bytes() {
                    s.push_str(&format!("{b:02X}"));
                }
                s
            }
        };
    }
    if n.starts_with(|c: char| c.is_ascii_digit()) {
        n = format!("V{n}");
    }
    if n == "Unknown" || n == "Self" {
        n.push_str("Value");
    }
    n
}

/// SCREAMING_SNAKE name of a static for a type name.
pub fn static_name(type_name: &str) -> String {
    snake_name(type_name).to_uppercase()
}

/// The client method of an operation's paginator: `describe_instances_paginator`.
pub fn paginator_method(op_method: &str) -> String {
    format!("{}_paginator", op_method.trim_start_matches("r#"))
}

/// The static of an operation's paginator: `PAGINATE_DESCRIBE_INSTANCES`.
pub fn paginator_static(op_static: &str) -> String {
    format!("PAGINATE_{}", op_static.trim_start_matches("OP_"))
}

/// The client method of a waiter: `wait_until_instance_running`.
pub fn waiter_method(waiter: &str) -> String {
    format!("wait_until_{}", xform_name(waiter))
}

/// The static of a waiter: `WAIT_INSTANCE_RUNNING`.
pub fn waiter_static(waiter: &str) -> String {
    format!("WAIT_{}", xform_name(waiter).to_ascii_uppercase())
}

/// The type of a boto3 resource (`Instance`): its name, unless that is a keyword.
pub fn resource_type(resource: &str) -> String {
    type_name(resource)
}

/// The collection type of a resource with batch actions: `InstanceCollection`.
pub fn resource_collection_type(resource: &str) -> String {
    format!("{}Collection", type_name(resource))
}

/// A resource method for a model entry (action, subresource, reference, collection, identifier,
/// attribute, batch action): boto3's `xform_name`.
pub fn resource_method(entry: &str) -> String {
    xform_name(entry)
}

/// A resource waiter method: `wait_until_running`.
pub fn resource_waiter_method(waiter: &str) -> String {
    xform_name(&format!("WaitUntil{waiter}"))
}

/// The static describing a resource type: `K_NETWORK_INTERFACE`.
pub fn resource_kind_static(resource: &str) -> String {
    format!("K_{}", xform_name(resource).to_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xform_matches_botocore() {
        // Expected values printed by botocore.xform_name.
        for (i, o) in [
            ("NotificationARNs", "notification_arns"),
            ("IPv4Address", "i_pv4_address"),
            ("TotalGpuMemoryInMiB", "total_gpu_memory_in_mi_b"),
            ("DescribeInstances", "describe_instances"),
            ("DBInstanceARN", "db_instance_arn"),
            ("SSEKMSKeyId", "ssekms_key_id"),
            ("CreateVPNConnection", "create_vpn_connection"),
            ("KeyID", "key_id"),
            ("CPUCredits", "cpu_credits"),
            ("ARNs", "_arns"),
            ("S3Key", "s3_key"),
            ("HTTPEndpoint", "http_endpoint"),
            ("Ec2InstanceId", "ec2_instance_id"),
            ("CreateCachediSCSIVolume", "create_cached_iscsi_volume"),
            ("GetOTelEnrichment", "get_otel_enrichment"),
            ("already_snake", "already_snake"),
        ] {
            assert_eq!(xform_name(i), o, "{i}");
        }
    }

    #[test]
    fn field_names_fix_aws_tokens() {
        for (i, o) in [
            ("NotificationARNs", "notification_arns"),
            ("IPv4Address", "ipv4_address"),
            (
                "NetworkInterfaceIPv6Address",
                "network_interface_ipv6_address",
            ),
            ("TotalGpuMemoryInMiB", "total_gpu_memory_in_mib"),
            ("SizeInGiB", "size_in_gib"),
            ("ResourceARNsList", "resource_arns_list"),
            ("InstanceIDs", "instance_ids"),
            ("DryRun", "dry_run"),
            ("instanceId", "instance_id"),
            ("Ipv6CidrBlock", "ipv6_cidr_block"),
            ("3DES", "_3_des"),
            ("Foo_Bar", "foo_bar"),
        ] {
            assert_eq!(snake_name(i), o, "{i}");
        }
    }

    #[test]
    fn keywords_and_reserved() {
        assert_eq!(ident_text("type"), "r#type");
        assert_eq!(ident_text("match"), "r#match");
        assert_eq!(ident_text("self"), "self_");
        assert_eq!(ident_text("crate"), "crate_");
        assert_eq!(ident_text("name"), "name");
        assert_eq!(type_name("Self"), "SelfShape");
        assert_eq!(type_name("lowerName"), "LowerName");
        assert_eq!(type_name("IPv4Address"), "IPv4Address");
        assert_eq!(type_name("Snake_Case"), "SnakeCase");
    }

    #[test]
    fn namespace_suffixes_and_records_collisions() {
        let mut records = Vec::new();
        let mut ns = Namespace::new();
        ns.reserve("new", "the client's own method new");
        let claim = |ns: &mut Namespace, base, suffix, records: &mut Vec<NameRecord>| {
            ns.claim(base, "operation", base, suffix, records).0
        };
        assert_eq!(
            claim(&mut ns, "new", Suffix::Word("operation"), &mut records),
            "new_operation"
        );
        assert_eq!(
            claim(&mut ns, "new", Suffix::Word("operation"), &mut records),
            "new_operation2"
        );
        assert_eq!(claim(&mut ns, "x", Suffix::Number("_"), &mut records), "x");
        assert_eq!(
            claim(&mut ns, "x", Suffix::Number("_"), &mut records),
            "x_2"
        );
        assert_eq!(claim(&mut ns, "x", Suffix::Underscore, &mut records), "x_");
        assert_eq!(records.len(), 4, "{records:?}");
        assert_eq!(
            records[0].note,
            "operation new wanted new, which the client's own method new has; suffix _operation added"
        );
        let mut types = Namespace::case_insensitive();
        assert_eq!(
            types
                .claim("Foo", "type", "Foo", Suffix::Number(""), &mut records)
                .0,
            "Foo"
        );
        assert_eq!(
            types
                .claim("FOO", "type", "FOO", Suffix::Number(""), &mut records)
                .0,
            "FOO2"
        );
    }

    #[test]
    fn enum_variants() {
        assert_eq!(variant_name("t2.micro"), "T2Micro");
        assert_eq!(variant_name("running"), "Running");
        assert_eq!(variant_name("shutting-down"), "ShuttingDown");
        assert_eq!(variant_name("2xx"), "V2xx");
        assert_eq!(variant_name("*"), "Star");
        assert_eq!(variant_name("Unknown"), "UnknownValue");
        assert_eq!(variant_name("us-east-1"), "UsEast1");
    }
}
