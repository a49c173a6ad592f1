// Scenario: "forgot password" sends an email through a `Mailer`. Support reports users getting
// three reset emails, and security wants proof that unknown addresses get NO email (or the
// endpoint reveals who has an account). You can't assert on a real inbox, so tests inject a
// *mock*: a `Mailer` that sends nothing, records every call, and can be told to fail.
//
// Done means: `MockMailer` records attempts and successful sends, fails the first N calls when
// built with `failing(n)`, and the tests (which use it to pin down `PasswordReset`) pass.
// `PasswordReset` itself is correct; don't change it.

use std::cell::{Cell, RefCell};
use std::collections::HashSet;

#[derive(Debug, Clone, PartialEq)]
pub struct MailError(pub String);

pub trait Mailer {
    fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), MailError>;
}

#[derive(Debug, Clone, PartialEq)]
pub struct SentMail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// Records calls instead of sending. `send` takes `&self`, so the records live in a `RefCell`
/// and the counters in `Cell`s (interior mutability).
#[derive(Default)]
pub struct MockMailer {
    attempts: Cell<u32>,
    failures_left: Cell<u32>,
    sent: RefCell<Vec<SentMail>>,
}

impl MockMailer {
    pub fn new() -> Self {
        MockMailer::default()
    }

    /// A mailer whose first `n` calls fail with a MailError (then it works again).
    pub fn failing(n: u32) -> Self {
        // TODO: a new mock that remembers how many calls must fail.
        let _ = n;
        todo!()
    }

    /// How many times `send` was called, failed calls included.
    pub fn attempts(&self) -> u32 {
        // TODO
        todo!()
    }

    /// The mails that were sent successfully, in order.
    pub fn sent(&self) -> Vec<SentMail> {
        // TODO
        todo!()
    }
}

impl Mailer for MockMailer {
    fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), MailError> {
        // TODO: count the attempt; while failures are left, use one up and return a MailError;
        // otherwise record the mail and return Ok.
        let _ = (to, subject, body);
        todo!()
    }
}

/// Code under test: sends at most one reset mail per pending reset, retries once.
pub struct PasswordReset<'m> {
    mailer: &'m dyn Mailer,
    accounts: HashSet<String>,
    pending: HashSet<String>,
    next_token: u32,
}

impl<'m> PasswordReset<'m> {
    pub fn new(mailer: &'m dyn Mailer, accounts: &[&str]) -> Self {
        PasswordReset {
            mailer,
            accounts: accounts.iter().map(|a| a.to_string()).collect(),
            pending: HashSet::new(),
            next_token: 0,
        }
    }

    /// Always looks the same to the caller for unknown emails (no account enumeration).
    pub fn request_reset(&mut self, email: &str) -> Result<(), MailError> {
        if !self.accounts.contains(email) || self.pending.contains(email) {
            return Ok(());
        }
        self.next_token += 1;
        let body = format!(
            "Reset your password: https://forum.example/reset?token=t{}",
            self.next_token
        );
        let subject = "Reset your password";
        let result = self
            .mailer
            .send(email, subject, &body)
            .or_else(|_| self.mailer.send(email, subject, &body));
        if result.is_ok() {
            self.pending.insert(email.to_string());
        }
        result
    }
}

fn main() {
    let mailer = MockMailer::new();
    let mut reset = PasswordReset::new(&mailer, &["ada@example.com"]);
    println!("{:?}", reset.request_reset("ada@example.com"));
    println!("{:?}", mailer.sent());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mock_records_what_it_was_asked_to_send() {
        let mock = MockMailer::new();
        assert_eq!(mock.send("a@b.io", "Hi", "Hello!"), Ok(()));
        assert_eq!(mock.attempts(), 1);
        assert_eq!(
            mock.sent(),
            [SentMail {
                to: "a@b.io".to_string(),
                subject: "Hi".to_string(),
                body: "Hello!".to_string(),
            }],
            "the mock keeps every successful mail for the test to inspect"
        );
    }

    #[test]
    fn sent_lists_the_mails_in_the_order_they_were_sent() {
        let mock = MockMailer::new();
        mock.send("first@b.io", "1", "").unwrap();
        mock.send("second@b.io", "2", "").unwrap();
        mock.send("third@b.io", "3", "").unwrap();
        let to: Vec<String> = mock.sent().into_iter().map(|mail| mail.to).collect();
        assert_eq!(
            to,
            ["first@b.io", "second@b.io", "third@b.io"],
            "sent() lists the mails in order, oldest first: a test reads \"the second mail\" \
             as sent()[1]"
        );
        assert_eq!(mock.sent().len(), 3, "looking does not use the record up");
    }

    #[test]
    fn failing_mock_fails_the_first_n_calls() {
        let mock = MockMailer::failing(2);
        assert!(mock.send("a@b.io", "1", "").is_err(), "call 1 fails");
        assert!(mock.send("a@b.io", "2", "").is_err(), "call 2 fails");
        assert!(mock.send("a@b.io", "3", "").is_ok(), "call 3 works again");
        assert_eq!(mock.attempts(), 3, "failed calls count as attempts");
        assert_eq!(mock.sent().len(), 1, "only the successful call was sent");
        assert_eq!(mock.sent()[0].subject, "3");
    }

    #[test]
    fn known_user_gets_exactly_one_mail_with_a_link() {
        let mock = MockMailer::new();
        let mut reset = PasswordReset::new(&mock, &["ada@example.com"]);
        assert_eq!(reset.request_reset("ada@example.com"), Ok(()));
        let sent = mock.sent();
        assert_eq!(sent.len(), 1, "one request, one mail");
        assert_eq!(sent[0].to, "ada@example.com");
        assert!(
            sent[0].body.contains("/reset?token="),
            "the mail carries the reset link, got: {}",
            sent[0].body
        );
    }

    #[test]
    fn every_reset_link_has_its_own_token() {
        let mock = MockMailer::new();
        let mut reset = PasswordReset::new(&mock, &["ada@example.com", "bob@example.com"]);
        reset.request_reset("ada@example.com").unwrap();
        reset.request_reset("bob@example.com").unwrap();
        let sent = mock.sent();
        assert_eq!(sent.len(), 2);
        assert_ne!(
            sent[0].body, sent[1].body,
            "two users, two different reset links: a shared token resets the other account"
        );
    }

    #[test]
    fn unknown_user_gets_no_mail_but_the_same_answer() {
        let mock = MockMailer::new();
        let mut reset = PasswordReset::new(&mock, &["ada@example.com"]);
        assert_eq!(
            reset.request_reset("mallory@example.com"),
            Ok(()),
            "same answer as for a real account, or attackers learn who has one"
        );
        assert_eq!(mock.attempts(), 0, "and not a single send attempt");
    }

    #[test]
    fn repeated_requests_do_not_spam() {
        let mock = MockMailer::new();
        let mut reset = PasswordReset::new(&mock, &["ada@example.com"]);
        for _ in 0..3 {
            reset.request_reset("ada@example.com").unwrap();
        }
        assert_eq!(mock.attempts(), 1, "a pending reset is not mailed again");
    }

    #[test]
    fn one_transient_failure_is_retried() {
        let mock = MockMailer::failing(1);
        let mut reset = PasswordReset::new(&mock, &["ada@example.com"]);
        assert_eq!(reset.request_reset("ada@example.com"), Ok(()));
        assert_eq!(mock.attempts(), 2, "first attempt failed, the retry worked");
        assert_eq!(mock.sent().len(), 1);
    }

    #[test]
    fn persistent_failure_gives_up_after_two_attempts() {
        let mock = MockMailer::failing(10);
        let mut reset = PasswordReset::new(&mock, &["ada@example.com"]);
        assert!(reset.request_reset("ada@example.com").is_err());
        assert_eq!(mock.attempts(), 2, "one retry, not an endless loop");
        assert!(
            reset.request_reset("ada@example.com").is_err(),
            "a failed mail leaves no pending reset, so the user can try again"
        );
        assert_eq!(mock.attempts(), 4);
    }
}
