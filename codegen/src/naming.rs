//! Every Rust name the generator emits is decided here, in one place, from the model's wire names.

use heck::ToUpperCamelCase;

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
