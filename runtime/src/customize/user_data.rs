//! botocore's `base64_encode_user_data`: EC2's `RunInstances` and Auto Scaling's
//! `CreateLaunchConfiguration` take `UserData` as plain text and send it base64-encoded.

use crate::schema::{Operation, Service};
use crate::value::{Scalar, Structure, ValueRef};
use base64::Engine;

/// True for the operations whose `UserData` is encoded for the caller.
pub fn applies(svc: &Service, op: &Operation) -> bool {
    matches!(
        (svc.name, op.name),
        ("ec2", "RunInstances") | ("autoscaling", "CreateLaunchConfiguration")
    )
}

/// Replaces the input's `UserData` text with its base64 encoding.
pub fn before_serialize(input: &mut dyn Structure) {
    let Some(i) = input.shape().member_index("UserData") else {
        return;
    };
    let encoded = match input.field(i).get() {
        ValueRef::Str(v) => base64::engine::general_purpose::STANDARD.encode(v),
        _ => return,
    };
    let _ = input.field_mut(i).set(Scalar::Str(encoded));
}
