// Rust for Python developers 2: enums and `match`.
// The Rust Book, chapter 6 (https://doc.rust-lang.org/book/ch06-00-enums.html) and chapter 19
// (patterns: https://doc.rust-lang.org/book/ch19-03-pattern-syntax.html).
//
// Scenario: the background job runner keeps a status table. A job is queued, runs, and either
// succeeds or fails; a failed run is retried until MAX_ATTEMPTS runs have failed. Operators type
// commands into an admin console: `status`, `cancel 42`, `retry 42`, `retry 42 --force`.
//
// In Python the states are often strings or classes, and the logic an `isinstance` chain:
//
//     if isinstance(state, Queued) and isinstance(event, Start):
//         return Running(attempt=state.attempts + 1)
//     elif isinstance(state, Running) and isinstance(event, Exit) and event.code == 0:
//         return Succeeded()
//     ...                                 # forget a case and you find out in production
//
//     match line.split():                 # Python 3.10 sequence patterns
//         case ["cancel", job_id]: ...
//
// In Rust a state is one `enum` whose variants carry their own data, and `match` must cover
// every variant (the compiler lists the ones you forgot). Matching on a tuple handles two values
// at once, a guard (`if ...`) adds a condition, `_` matches anything:
//
//     match (state, event) {
//         (JobState::Queued { attempts }, Event::Start) => Some(JobState::Running { attempt: attempts + 1 }),
//         (JobState::Running { .. }, Event::Exit(0)) => Some(JobState::Succeeded),
//         (JobState::Running { attempt }, Event::Exit(_)) if attempt < MAX_ATTEMPTS => ...
//         _ => None,
//     }
//
// A slice pattern matches a list of words like Python's sequence patterns:
// `match words[..] { ["cancel", id] => ..., _ => ... }` (`words` is a `Vec<&str>`; `[..]` makes
// it a slice). `matches!(value, A | B)` is a `match` that answers true or false.
//
// Done means: `next` follows the table below, `is_terminal` and `label` describe a state, and
// `parse_command` understands exactly the four command forms.
//
//   state                 event          next state
//   Queued { attempts }   Start          Running { attempt: attempts + 1 }
//   Running { attempt }   Exit(0)        Succeeded
//   Running { attempt }   Exit(other)    Queued { attempts: attempt } while attempt < MAX_ATTEMPTS,
//                                        else Failed { attempts: attempt }
//   Queued or Running     Cancel         Cancelled
//   anything else                        None (the event makes no sense: the runner logs it)

pub const MAX_ATTEMPTS: u32 = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobState {
    /// Waiting for a worker; `attempts` runs have failed so far.
    Queued {
        attempts: u32,
    },
    /// On a worker: run number `attempt` (1 for the first run).
    Running {
        attempt: u32,
    },
    Succeeded,
    /// Gave up after `attempts` failed runs.
    Failed {
        attempts: u32,
    },
    Cancelled,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A worker picked the job up.
    Start,
    /// The job's process exited with this code (0: success).
    Exit(i32),
    /// An operator cancelled the job.
    Cancel,
}

pub fn next(state: JobState, event: Event) -> Option<JobState> {
    // TODO: one `match (state, event)` with an arm per line of the table above.
    let _ = (state, event);
    todo!()
}

/// A terminal state never changes again.
pub fn is_terminal(state: JobState) -> bool {
    // TODO: `matches!(state, A | B { .. } | C)`
    let _ = state;
    todo!()
}

/// The status table's text for a state: `queued`, `queued (2 failed)`, `running (attempt 2/3)`,
/// `succeeded`, `failed after 3 attempts`, `cancelled`.
pub fn label(state: JobState) -> String {
    // TODO: a `match` with one arm per variant; a literal in a pattern (`attempts: 0`) picks
    // out a special case when its arm comes first.
    let _ = state;
    todo!()
}

#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    Status,
    Cancel(u64),
    Retry { job: u64, force: bool },
}

/// Parses an admin command. Words are separated by any whitespace; exactly these forms are
/// commands: `status`, `cancel ID`, `retry ID`, `retry ID --force` (ID: a job number, u64).
/// Anything else (an unknown word, a missing or extra word, an ID that is not a number) is None.
pub fn parse_command(line: &str) -> Option<Command> {
    // TODO: collect `line.split_whitespace()` into a `Vec<&str>`, then `match words[..]` with
    // slice patterns such as `["cancel", id]`; `id.parse().ok()` turns the number into an Option.
    let _ = line;
    todo!()
}

fn main() {
    let mut state = JobState::Queued { attempts: 0 };
    for event in [Event::Start, Event::Exit(1), Event::Start, Event::Exit(0)] {
        match next(state, event) {
            Some(new) => state = new,
            None => println!("ignored {event:?} in {state:?}"),
        }
        println!("{}", label(state));
    }
    println!("{:?}", parse_command("retry 42 --force"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use JobState::*;

    #[test]
    fn a_job_that_succeeds_first_time() {
        let running = next(Queued { attempts: 0 }, Event::Start);
        assert_eq!(
            running,
            Some(Running { attempt: 1 }),
            "the first run is attempt 1"
        );
        assert_eq!(
            next(Running { attempt: 1 }, Event::Exit(0)),
            Some(Succeeded)
        );
    }

    #[test]
    fn a_failed_run_is_retried_until_max_attempts() {
        let mut state = Queued { attempts: 0 };
        let mut seen = vec![state];
        for code in [1, 137, -1] {
            state = next(state, Event::Start).expect("a queued job starts");
            seen.push(state);
            state = next(state, Event::Exit(code)).expect("a running job exits");
            seen.push(state);
        }
        assert_eq!(
            seen,
            [
                Queued { attempts: 0 },
                Running { attempt: 1 },
                Queued { attempts: 1 },
                Running { attempt: 2 },
                Queued { attempts: 2 },
                Running { attempt: 3 },
                Failed { attempts: 3 },
            ],
            "any non-zero exit code is a failure; the third failed run is the last"
        );
        assert_eq!(next(Failed { attempts: 3 }, Event::Start), None);
    }

    #[test]
    fn success_on_the_last_attempt_is_a_success() {
        assert_eq!(
            next(
                Running {
                    attempt: MAX_ATTEMPTS
                },
                Event::Exit(0)
            ),
            Some(Succeeded)
        );
        assert_eq!(
            next(Running { attempt: 2 }, Event::Exit(2)),
            Some(Queued { attempts: 2 })
        );
    }

    #[test]
    fn cancel_only_stops_live_jobs() {
        assert_eq!(next(Queued { attempts: 2 }, Event::Cancel), Some(Cancelled));
        assert_eq!(next(Running { attempt: 1 }, Event::Cancel), Some(Cancelled));
        for done in [Succeeded, Failed { attempts: 3 }, Cancelled] {
            assert_eq!(
                next(done, Event::Cancel),
                None,
                "{done:?} is over: cancelling it makes no sense"
            );
        }
    }

    #[test]
    fn events_that_make_no_sense_are_refused() {
        assert_eq!(
            next(Running { attempt: 1 }, Event::Start),
            None,
            "a running job cannot start twice"
        );
        assert_eq!(
            next(Queued { attempts: 0 }, Event::Exit(0)),
            None,
            "a queued job has no process to exit"
        );
        for done in [Succeeded, Failed { attempts: 3 }, Cancelled] {
            for event in [Event::Start, Event::Exit(0), Event::Exit(1)] {
                assert_eq!(
                    next(done, event),
                    None,
                    "{done:?} never changes ({event:?})"
                );
            }
        }
    }

    #[test]
    fn terminal_states() {
        for state in [Succeeded, Failed { attempts: 3 }, Cancelled] {
            assert!(is_terminal(state), "{state:?} is terminal");
        }
        for state in [
            Queued { attempts: 0 },
            Queued { attempts: 2 },
            Running { attempt: 3 },
        ] {
            assert!(!is_terminal(state), "{state:?} is not terminal");
        }
    }

    #[test]
    fn labels_for_the_status_table() {
        assert_eq!(label(Queued { attempts: 0 }), "queued");
        assert_eq!(label(Queued { attempts: 2 }), "queued (2 failed)");
        assert_eq!(label(Running { attempt: 2 }), "running (attempt 2/3)");
        assert_eq!(label(Succeeded), "succeeded");
        assert_eq!(label(Failed { attempts: 3 }), "failed after 3 attempts");
        assert_eq!(label(Cancelled), "cancelled");
    }

    #[test]
    fn parses_the_four_command_forms() {
        assert_eq!(parse_command("status"), Some(Command::Status));
        assert_eq!(parse_command("cancel 42"), Some(Command::Cancel(42)));
        assert_eq!(
            parse_command("retry 7"),
            Some(Command::Retry {
                job: 7,
                force: false
            })
        );
        assert_eq!(
            parse_command("retry 7 --force"),
            Some(Command::Retry {
                job: 7,
                force: true
            })
        );
        assert_eq!(
            parse_command("  cancel\t9 \n"),
            Some(Command::Cancel(9)),
            "words are separated by any whitespace"
        );
    }

    #[test]
    fn anything_else_is_not_a_command() {
        for line in [
            "",
            "stats",
            "status now",
            "cancel",
            "cancel 42 43",
            "cancel forty-two",
            "cancel -1",
            "retry",
            "retry 7 --forced",
            "retry 7 --force --force",
            "retry --force 7",
            "Retry 7",
            "cancel 42 --force",
        ] {
            assert_eq!(parse_command(line), None, "{line:?} is not a command");
        }
    }
}
