//! `generated/` matches what the generator makes from `models/` now (the same check as
//! `cargo xtask generate --check`, made in memory through the xtask library).

#[test]
fn generated_crates_are_fresh() {
    let stale = xtask::generate::stale_files().expect("generation succeeds");
    assert!(
        stale.is_empty(),
        "generated/ is stale; run `cargo xtask generate`:\n  {}",
        stale.join("\n  ")
    );
}
