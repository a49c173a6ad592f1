// Most exercises are graded by tests, like the code of a real backend.
//
// A load balancer asks every instance of our service `GET /health` and takes an instance out of
// rotation unless the answer is `200 OK`. The handler below answers with the wrong status, so
// the test at the bottom fails. Read the failing assertion in the runner's output: it says what
// was expected and why. Then fix `health` (not the test!) and save.
//
// Tests live in the `tests` module at the bottom of each exercise. The runner compiles the file
// with them and runs them; the exercise is done when they all pass.

/// The status line and body our service answers a health check with.
fn health() -> (u16, &'static str) {
    // TODO: a healthy instance answers 200 with the body "ok".
    (500, "starting")
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
