//! A WASI command (`wasi:cli/run`), not a `pacto:policy` component: the host must refuse
//! it at load, naming the world it expects.

fn main() {
    println!("a command, not a policy");
}
