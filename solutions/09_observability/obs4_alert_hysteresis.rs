// Scenario: the on-call phone buzzed 40 times last night. The alert "error rate > 5%"
// fired whenever one evaluation crossed 5% and resolved at the next one below it: a rate
// hovering around 5% flapped all night. Pages must mean "act now", so the rule gets:
// - a duration: fire only after the value stayed above `fire_above` for `for_evaluations`
//   consecutive evaluations (Prometheus' `for:`); one dip back resets the streak;
// - hysteresis: once firing, resolve only when the value drops below `resolve_below`
//   (lower than `fire_above`); values in between keep it firing (Prometheus'
//   `keep_firing_for` and Alertmanager solve the same problem in other ways).
//
// Done means: `Rule::new` rejects inconsistent thresholds (and NaN or infinite ones: every
// comparison with NaN is false, so such an alert would never fire or never resolve), and
// `Alert::evaluate` moves through Ok -> Pending(n) -> Firing -> Ok, returning an event only
// on a transition.

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    fire_above: f64,
    resolve_below: f64,
    for_evaluations: u32,
}

impl Rule {
    pub fn new(fire_above: f64, resolve_below: f64, for_evaluations: u32) -> Result<Rule, String> {
        if !fire_above.is_finite() || !resolve_below.is_finite() {
            return Err(format!(
                "thresholds must be finite numbers, got fire_above {fire_above} and resolve_below {resolve_below}"
            ));
        }
        if resolve_below > fire_above {
            return Err(format!(
                "resolve_below ({resolve_below}) must be <= fire_above ({fire_above})"
            ));
        }
        if for_evaluations == 0 {
            return Err("for_evaluations must be at least 1".to_string());
        }
        Ok(Rule {
            fire_above,
            resolve_below,
            for_evaluations,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Ok,
    /// Above the threshold for this many consecutive evaluations, not long enough yet.
    Pending(u32),
    Firing,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    Fired,
    Resolved,
}

pub struct Alert {
    rule: Rule,
    pub state: State,
}

impl Alert {
    pub fn new(rule: Rule) -> Alert {
        Alert {
            rule,
            state: State::Ok,
        }
    }

    /// Called once per evaluation interval with the current value.
    pub fn evaluate(&mut self, value: f64) -> Option<Event> {
        let above = value > self.rule.fire_above;
        let (next, event) = match self.state {
            State::Ok | State::Pending(_) if !above => (State::Ok, None),
            State::Ok => self.streak(1),
            State::Pending(n) => self.streak(n + 1),
            State::Firing if value < self.rule.resolve_below => (State::Ok, Some(Event::Resolved)),
            State::Firing => (State::Firing, None),
        };
        self.state = next;
        event
    }

    fn streak(&self, n: u32) -> (State, Option<Event>) {
        if n >= self.rule.for_evaluations {
            (State::Firing, Some(Event::Fired))
        } else {
            (State::Pending(n), None)
        }
    }
}

fn main() {
    let mut alert = Alert::new(Rule::new(5.0, 3.0, 3).unwrap());
    for rate in [4.0, 6.0, 7.0, 8.0, 4.5, 2.0] {
        println!("{rate}% -> {:?} {:?}", alert.evaluate(rate), alert.state);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs a series and returns (index, event) for every transition.
    fn run(alert: &mut Alert, values: &[f64]) -> Vec<(usize, Event)> {
        values
            .iter()
            .enumerate()
            .filter_map(|(i, &v)| alert.evaluate(v).map(|e| (i, e)))
            .collect()
    }

    fn error_rate_alert() -> Alert {
        Alert::new(Rule::new(5.0, 3.0, 3).expect("5 / 3 / 3 is a valid rule"))
    }

    #[test]
    fn rule_validation() {
        assert!(
            Rule::new(5.0, 6.0, 3).is_err(),
            "resolving above the firing threshold makes no sense"
        );
        assert!(Rule::new(5.0, 3.0, 0).is_err(), "`for` must be at least 1");
        for (fire, resolve) in [
            (f64::NAN, 3.0),
            (5.0, f64::NAN),
            (f64::NAN, f64::NAN),
            (f64::INFINITY, 3.0),
            (5.0, f64::NEG_INFINITY),
        ] {
            assert!(
                Rule::new(fire, resolve, 3).is_err(),
                "fire_above {fire} / resolve_below {resolve}: a threshold must be a finite \
                 number (`value > NaN` is always false: the alert could never fire)"
            );
        }
        assert!(
            Rule::new(5.0, 5.0, 1).is_ok(),
            "equal thresholds are allowed (no hysteresis)"
        );
    }

    #[test]
    fn fires_only_after_n_consecutive_evaluations() {
        let mut alert = error_rate_alert();
        assert_eq!(alert.evaluate(6.0), None);
        assert_eq!(
            alert.state,
            State::Pending(1),
            "above once: pending, no page yet"
        );
        assert_eq!(alert.evaluate(7.0), None);
        assert_eq!(alert.state, State::Pending(2));
        assert_eq!(
            alert.evaluate(6.5),
            Some(Event::Fired),
            "third consecutive evaluation above 5: fire"
        );
        assert_eq!(alert.state, State::Firing);
        assert_eq!(
            alert.evaluate(9.0),
            None,
            "already firing: no second notification"
        );
    }

    #[test]
    fn a_dip_resets_the_streak() {
        let mut alert = error_rate_alert();
        let events = run(&mut alert, &[6.0, 6.0, 4.9, 6.0, 6.0]);
        assert_eq!(
            events,
            vec![],
            "a single evaluation at or below the threshold resets the count"
        );
        assert_eq!(alert.state, State::Pending(2));
        assert_eq!(
            run(&mut alert, &[5.0]),
            vec![],
            "5.0 is not ABOVE 5.0: the streak resets again"
        );
        assert_eq!(alert.state, State::Ok);
    }

    #[test]
    fn hysteresis_prevents_flapping() {
        let mut alert = error_rate_alert();
        let events = run(
            &mut alert,
            &[6.0, 6.0, 6.0, 4.9, 5.1, 4.0, 3.0, 5.5, 3.1, 2.9],
        );
        assert_eq!(
            events,
            vec![(2, Event::Fired), (9, Event::Resolved)],
            "between 3 and 5 the alert keeps firing; 3.0 is not BELOW 3.0; it resolves at 2.9"
        );
        assert_eq!(alert.state, State::Ok);
    }

    #[test]
    fn refiring_needs_a_new_streak() {
        let mut alert = error_rate_alert();
        run(&mut alert, &[9.0, 9.0, 9.0, 1.0]);
        assert_eq!(alert.state, State::Ok);
        assert_eq!(
            run(&mut alert, &[9.0, 9.0]),
            vec![],
            "after resolving, the `for` duration starts over"
        );
        assert_eq!(run(&mut alert, &[9.0]), vec![(0, Event::Fired)]);
    }

    #[test]
    fn a_noisy_night_pages_once() {
        let mut alert = error_rate_alert();
        // The error rate wobbles around 5% all night, with one real incident in the middle.
        let mut night = Vec::new();
        for i in 0..40 {
            night.push(if i % 2 == 0 { 5.2 } else { 4.8 });
        }
        night.extend([8.0, 9.0, 12.0, 10.0, 4.0, 4.5, 4.2, 2.0]);
        for i in 0..40 {
            night.push(if i % 2 == 0 { 5.2 } else { 4.8 });
        }
        let events = run(&mut alert, &night);
        assert_eq!(
            events,
            vec![(42, Event::Fired), (47, Event::Resolved)],
            "one page for the real incident, none for the wobble (the old rule paged 40 times)"
        );
    }

    #[test]
    fn for_one_fires_immediately() {
        let mut alert = Alert::new(Rule::new(100.0, 50.0, 1).unwrap());
        assert_eq!(alert.evaluate(101.0), Some(Event::Fired));
        assert_eq!(alert.evaluate(49.0), Some(Event::Resolved));
    }
}
