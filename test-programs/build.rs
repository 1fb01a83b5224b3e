//! Builds every guest crate the tests use for `wasm32-wasip2`, with a nested cargo and
//! its own target directory (as wasmtime's test-programs does), and writes their paths
//! into `guests.rs` for `src/lib.rs` to include.

use std::path::{Path, PathBuf};
use std::process::Command;

/// (package, constant) for each guest.
const GUESTS: &[(&str, &str)] = &[
    ("standard-wasm-guest", "STANDARD_WASM"),
    ("warranty-guest", "WARRANTY"),
    ("satisfaction-recovery-guest", "SATISFACTION_RECOVERY"),
    ("sandbox-guest", "SANDBOX"),
    ("bad-import-guest", "BAD_IMPORT"),
    ("stateful-guest", "STATEFUL"),
    ("v02-guest", "V02"),
    ("command-guest", "COMMAND"),
];

fn main() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    let manifest_dir =
        PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let root = manifest_dir
        .parent()
        .expect("the workspace root")
        .to_owned();
    let target_dir = out.join("guests");
    println!("cargo:rerun-if-changed=build.rs");
    for watched in [
        "wit",
        "guest-sdk",
        "rules/standard-wasm/guest",
        "rules/warranty/guest",
        "rules/satisfaction-recovery/guest",
        "test-programs/guests",
    ] {
        println!("cargo:rerun-if-changed={}", root.join(watched).display());
    }

    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(&root)
        .args([
            "build",
            "--release",
            // as `pacto build` does (cli/src/build_cmd.rs): the guests run faster
            "--config",
            "profile.release.lto=true",
            "--config",
            "profile.release.codegen-units=1",
            "--locked",
            "--target",
            "wasm32-wasip2",
            "--target-dir",
        ])
        .arg(&target_dir)
        // flags meant for the host build must not leak into the guest build
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_BUILD_TARGET");
    for (package, _) in GUESTS {
        cmd.args(["-p", package]);
    }
    let status = cmd.status().expect("cargo runs");
    assert!(
        status.success(),
        "building the guest components failed (see above); is the target installed? `rustup target add wasm32-wasip2`"
    );

    let mut code = String::new();
    for (package, constant) in GUESTS {
        let file = target_dir
            .join("wasm32-wasip2/release")
            .join(format!("{}.wasm", package.replace('-', "_")));
        assert!(
            Path::new(&file).is_file(),
            "{} was not built",
            file.display()
        );
        code.push_str(&format!(
            "/// The `{package}` component.\npub const {constant}: &str = {:?};\n",
            file.display().to_string()
        ));
    }
    std::fs::write(out.join("guests.rs"), code).expect("write guests.rs");
}
