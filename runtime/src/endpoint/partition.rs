//! AWS partitions (botocore's `partitions.json`, compiled into `partitions_data.rs`): which
//! partition a region belongs to, and what that partition supports.

use super::functions::region_matches;

// `PARTITIONS`: the table `cargo xtask generate` writes from `models/partitions.json`.
include!("partitions_data.rs");

/// One AWS partition: a group of regions sharing DNS suffixes and capabilities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partition {
    /// The partition's id (`aws`, `aws-cn`, `aws-us-gov`, ...).
    pub name: &'static str,
    /// The pattern regions of this partition match (`^cn\-\w+\-\d+$`).
    pub region_regex: &'static str,
    /// The regions it lists by name (global pseudo-regions such as `aws-global` included).
    pub regions: &'static [&'static str],
    /// The DNS suffix of its endpoints (`amazonaws.com.cn`).
    pub dns_suffix: &'static str,
    /// The DNS suffix of its dual-stack (IPv6) endpoints (`api.amazonwebservices.com.cn`).
    pub dual_stack_dns_suffix: &'static str,
    /// Whether it has FIPS endpoints.
    pub supports_fips: bool,
    /// Whether it has dual-stack endpoints.
    pub supports_dual_stack: bool,
    /// The region global services of this partition sign for.
    pub implicit_global_region: &'static str,
}

/// The partition of `region`, as botocore's `aws.partition` finds it: the first partition that
/// lists the region or whose pattern it matches, else the first partition (`aws`).
pub fn partition_of(region: &str) -> &'static Partition {
    PARTITIONS
        .iter()
        .find(|p| {
            p.regions.contains(&region) || region_matches(p.region_regex, region).unwrap_or(false)
        })
        .unwrap_or(&PARTITIONS[0])
}

/// Every partition, in `partitions.json`'s order.
pub fn partitions() -> &'static [Partition] {
    PARTITIONS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_find_their_partition() {
        for (region, name, suffix) in [
            ("us-east-1", "aws", "amazonaws.com"),
            ("aws-global", "aws", "amazonaws.com"),
            ("cn-north-1", "aws-cn", "amazonaws.com.cn"),
            ("us-gov-west-1", "aws-us-gov", "amazonaws.com"),
            ("us-iso-east-1", "aws-iso", "c2s.ic.gov"),
            ("us-isob-east-1", "aws-iso-b", "sc2s.sgov.gov"),
            ("eu-isoe-west-1", "aws-iso-e", "cloud.adc-e.uk"),
            ("us-isof-south-1", "aws-iso-f", "csp.hci.ic.gov"),
            ("eusc-de-east-1", "aws-eusc", "amazonaws.eu"),
            // Not a known pattern: the first partition, as botocore falls back.
            ("mars-east-1", "aws", "amazonaws.com"),
            ("", "aws", "amazonaws.com"),
        ] {
            let p = partition_of(region);
            assert_eq!((p.name, p.dns_suffix), (name, suffix), "{region}");
        }
        assert_eq!(
            partition_of("cn-north-1").dual_stack_dns_suffix,
            "api.amazonwebservices.com.cn"
        );
        assert_eq!(
            partition_of("us-gov-east-1").implicit_global_region,
            "us-gov-west-1"
        );
    }

    #[test]
    fn every_partition_pattern_is_understood() {
        for p in partitions() {
            assert!(
                region_matches(p.region_regex, "x").is_ok(),
                "{}",
                p.region_regex
            );
            assert!(p.regions.iter().all(|r| !r.is_empty()));
        }
    }
}
