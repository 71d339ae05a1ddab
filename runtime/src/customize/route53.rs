//! Route 53's rule beyond its model (botocore's `fix_route53_ids`): ids come back as paths
//! (`/hostedzone/Z1`, `/change/C1`, `/delegationset/N1`) and a call takes them as they came,
//! sending only their last part.

use crate::schema::Operation;
use crate::value::{Scalar, Structure, ValueRef};

/// The input members botocore shortens: the top-level members targeting the shapes
/// `ResourceId`, `DelegationSetId` or `ChangeId`, by operation.
const ID_MEMBERS: &[(&str, &str)] = &[
    ("ActivateKeySigningKey", "HostedZoneId"),
    ("AssociateVPCWithHostedZone", "HostedZoneId"),
    ("ChangeResourceRecordSets", "HostedZoneId"),
    ("CreateHostedZone", "DelegationSetId"),
    ("CreateKeySigningKey", "HostedZoneId"),
    ("CreateQueryLoggingConfig", "HostedZoneId"),
    ("CreateReusableDelegationSet", "HostedZoneId"),
    ("CreateTrafficPolicyInstance", "HostedZoneId"),
    ("CreateVPCAssociationAuthorization", "HostedZoneId"),
    ("DeactivateKeySigningKey", "HostedZoneId"),
    ("DeleteHostedZone", "Id"),
    ("DeleteKeySigningKey", "HostedZoneId"),
    ("DeleteReusableDelegationSet", "Id"),
    ("DeleteVPCAssociationAuthorization", "HostedZoneId"),
    ("DisableHostedZoneDNSSEC", "HostedZoneId"),
    ("DisassociateVPCFromHostedZone", "HostedZoneId"),
    ("EnableHostedZoneDNSSEC", "HostedZoneId"),
    ("GetChange", "Id"),
    ("GetDNSSEC", "HostedZoneId"),
    ("GetHostedZone", "Id"),
    ("GetHostedZoneLimit", "HostedZoneId"),
    ("GetReusableDelegationSet", "Id"),
    ("GetReusableDelegationSetLimit", "DelegationSetId"),
    ("ListHostedZones", "DelegationSetId"),
    ("ListHostedZonesByName", "HostedZoneId"),
    ("ListQueryLoggingConfigs", "HostedZoneId"),
    ("ListResourceRecordSets", "HostedZoneId"),
    ("ListTrafficPolicyInstances", "HostedZoneIdMarker"),
    ("ListTrafficPolicyInstancesByHostedZone", "HostedZoneId"),
    ("ListTrafficPolicyInstancesByPolicy", "HostedZoneIdMarker"),
    ("ListVPCAssociationAuthorizations", "HostedZoneId"),
    ("TestDNSAnswer", "HostedZoneId"),
    ("UpdateHostedZoneComment", "Id"),
    ("UpdateHostedZoneFeatures", "HostedZoneId"),
];

/// Keeps only the part after the last `/` of the id members of `op`'s input.
pub fn before_serialize(op: &Operation, input: &mut dyn Structure) {
    for &(_, name) in ID_MEMBERS.iter().filter(|(o, _)| *o == op.name) {
        let Some(i) = input.shape().member_index(name) else {
            continue;
        };
        let short = match input.field(i).get() {
            ValueRef::Str(v) => match v.rsplit_once('/') {
                Some((_, last)) => last.to_string(),
                None => continue,
            },
            _ => continue,
        };
        let _ = input.field_mut(i).set(Scalar::Str(short));
    }
}
