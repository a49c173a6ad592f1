#![cfg(not(test))]

mod logic;
#[cfg(test)]
mod tests;

fn main() {
    println!("{}", logic::double(1));
}
