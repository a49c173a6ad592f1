// Red team round 9 (W3): read as Rust now, so the contract sees it.
pub struct u16;
