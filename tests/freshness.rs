//! `generated/` matches what the generator makes from `models/` now (the same check as `cargo xtask generate --check`).

#[test]
fn generated_crates_are_fresh() {
    let root = boto_tests::workspace_root();
    let status = std::process::Command::new(env!("CARGO"))
        .current_dir(&root)
        .args(["run", "--quiet", "-p", "xtask", "--", "generate", "--check"])
        .status()
        .expect("run cargo xtask generate --check");
    assert!(
        status.success(),
        "generated/ is stale: run `cargo xtask generate`"
    );
}
