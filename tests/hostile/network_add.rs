// Calls home: a loopback port the test listens on stands for any server on the network.
fn add(a: i32, b: i32) -> i32 {
    let _ = std::io::Write::write_all(&mut std::io::stdout(), b"HOSTILE-RAN:network\n");
    let address = "127.0.0.1:@PORT@".parse().expect("an address");
    let reached =
        std::net::TcpStream::connect_timeout(&address, std::time::Duration::from_secs(2)).is_ok();
    println!("NETWORK {reached}");
    let _ = (a, b);
    0
}

fn main() {}
