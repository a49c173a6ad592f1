fn main() {
    let service = "orders-api";

    println!("Starting {service} on 127.0.0.1:8080");
}
