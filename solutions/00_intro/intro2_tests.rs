/// The status line and body our service answers a health check with.
fn health() -> (u16, &'static str) {
    (200, "ok")
}

fn main() {
    let (status, body) = health();
    println!("GET /health -> {status} {body}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn healthy_instance_answers_200_ok() {
        let (status, body) = health();
        assert_eq!(
            status, 200,
            "a load balancer keeps an instance in rotation only when /health answers 200"
        );
        assert_eq!(body, "ok", "keep the body small and boring: \"ok\"");
    }
}
