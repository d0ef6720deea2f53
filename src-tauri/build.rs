fn main() {
    // Capabilities live beside the shell's source rather than in a root-level folder.
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    tauri_build::try_build(tauri_build::Attributes::new().capabilities_path_pattern("./src-tauri/capabilities/**/*"))
        .expect("failed to run tauri-build");
}
