// Password storage: a sensible policy, salted and iterated hashes, constant-time checks
//
// The legacy users table stores `sha256(password)` in hex. When a backup leaked, attackers
// cracked most of it in an afternoon: identical passwords have identical hashes, and one SHA-256
// costs nothing. The signup form also demanded "a digit and a symbol", which produced
// `Password1!` all over the place. We move to modern rules (NIST SP 800-63B: length over
// composition, refuse known-breached passwords) and to a slow, salted hash with the parameters
// stored next to it, so we can raise the cost later and rehash at login.
//
// TEACHING STAND-IN: the hash here is iterated SHA-256 so that it runs on the crates of this
// course. Production code uses a memory-hard password hash (argon2id via the `argon2` crate, or
// scrypt, or bcrypt), with a salt from the OS random generator. The shape is the same: a
// self-describing string "scheme$params$salt$hash", verified in constant time.
//
// Done means: `check_policy` lists every violation, `hash_password` produces
// `sha256-iter$<iterations>$<salt hex>$<hash hex>`, `verify_password` recomputes with the stored
// parameters and compares in constant time, and `needs_rehash` spots outdated iteration counts.
//
// A derived hash comes as a `PasswordDigest` (module `sealed` below, which you must not edit):
// it has no `==`, only a constant-time `matches`. `verify_password` must not turn the digest
// into hex to compare strings; the tests check that. What they cannot check is timing: that
// `matches` takes the same time whatever the first wrong byte is `CtOutput`'s promise (it
// compares with the `subtle` crate), not something a test here measures.

use sealed::PasswordDigest;
use sha2::{Digest, Sha256};

pub const MIN_LENGTH: usize = 12;
pub const MAX_LENGTH: usize = 128;

/// A tiny stand-in for a breached-password list (in production: a k-anonymity lookup or a
/// downloaded list of millions of entries).
pub const BREACHED: &[&str] = &[
    "password1234",
    "qwertyuiop123",
    "iloveyou2024",
    "letmein12345",
];

/// A derived password hash, sealed. LOCKED: the grader restores this module as the course
/// ships it. It has no `==`: the only comparison it offers is `matches`, which looks at every
/// byte whatever the first difference. `to_hex` is for the string you store; the tests count
/// its calls.
pub mod sealed {
    use hmac::digest::{CtOutput, Output};
    use sha2::Sha256;

    pub struct PasswordDigest(Output<Sha256>);

    impl PasswordDigest {
        pub fn new(hash: Output<Sha256>) -> Self {
            Self(hash)
        }

        /// Constant-time comparison with the hash bytes of a stored string (false when the
        /// length is not 32). `CtOutput`'s `==` does the work.
        pub fn matches(&self, stored: &[u8]) -> bool {
            stored.len() == 32
                && CtOutput::<Sha256>::new(self.0)
                    == CtOutput::<Sha256>::new(Output::<Sha256>::clone_from_slice(stored))
        }

        /// Lower-case hex of the hash, for the string you store.
        pub fn to_hex(&self) -> String {
            #[cfg(test)]
            HEX_READ.with(|count| count.set(count.get() + 1));
            self.0.iter().map(|b| format!("{b:02x}")).collect()
        }
    }

    #[cfg(test)]
    thread_local! {
        /// How many times code outside this module turned a digest into hex, on this thread.
        pub static HEX_READ: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }
}

#[derive(Debug, PartialEq)]
pub enum Violation {
    TooShort,
    TooLong,
    Breached,
    ContainsUsername,
}

#[derive(Debug, PartialEq)]
pub enum VerifyError {
    /// The stored string is not in our format: a data problem, not a wrong password.
    MalformedHash,
    WrongPassword,
}

/// Length counts characters, not bytes. The breached list and the username check ignore case,
/// in every alphabet (`É` is `é`), not only in ASCII.
/// No composition rules: a long passphrase of lower-case words is fine.
pub fn check_policy(username: &str, password: &str) -> Vec<Violation> {
    // TODO: push each violation that applies, in the order of the enum.
    let _ = (username, password);
    todo!()
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn from_hex(text: &str) -> Option<Vec<u8>> {
    // Hex digits only: `from_str_radix` alone would also take a sign ("+f").
    if !text.len().is_multiple_of(2) || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

/// h = SHA-256(salt || password), then `iterations - 1` times h = SHA-256(h || password).
fn derive(password: &str, salt: &[u8], iterations: u32) -> PasswordDigest {
    // TODO: Sha256::new().chain_update(..).finalize(), iterated as described above, wrapped
    // in a PasswordDigest.
    let _ = (password, salt, iterations);
    todo!()
}

/// `salt` must be unique per password (16 random bytes from the OS in production).
pub fn hash_password(password: &str, salt: &[u8; 16], iterations: u32) -> String {
    // TODO: derive the hash and format "sha256-iter$<iterations>$<salt hex>$<hash hex>".
    let _ = (password, salt, iterations);
    todo!()
}

fn parse(stored: &str) -> Option<(u32, Vec<u8>, Vec<u8>)> {
    // TODO: four '$'-separated parts, scheme exactly "sha256-iter" (lower case), iterations > 0,
    // a non-empty hex salt (no salt is the legacy flaw) and a hex hash. None for anything else.
    let _ = stored;
    todo!()
}

pub fn verify_password(password: &str, stored: &str) -> Result<(), VerifyError> {
    // TODO: parse (MalformedHash), check the hash is 32 bytes (MalformedHash), derive with the
    // STORED salt and iterations, and compare in constant time. A plain `==` on bytes or
    // strings stops at the first difference, and that timing difference is measurable.
    let _ = password;
    let _ = stored;
    todo!()
}

/// After a successful login: should the hash be recomputed with today's cost?
pub fn needs_rehash(stored: &str, current_iterations: u32) -> bool {
    // TODO: true when the stored hash is unparsable or uses fewer iterations.
    let _ = (stored, current_iterations);
    todo!()
}

fn main() {
    let salt = *b"0123456789abcdef"; // production: 16 bytes from the OS random generator
    let stored = hash_password("correct horse battery staple", &salt, 100_000);
    println!("{stored}");
    println!(
        "{:?}",
        verify_password("correct horse battery staple", &stored)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    const SALT_A: [u8; 16] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
    const SALT_B: [u8; 16] = [7; 16];
    const PASSPHRASE: &str = "correct horse battery staple";

    fn hex_read() -> usize {
        sealed::HEX_READ.with(|count| count.get())
    }

    #[test]
    fn policy_prefers_length_over_composition() {
        assert_eq!(
            check_policy("ada", PASSPHRASE),
            vec![],
            "a long lower-case passphrase is strong; no digit or symbol required"
        );
        assert_eq!(
            check_policy("ada", "Tr0ub4dor&3"),
            vec![Violation::TooShort]
        );
        assert_eq!(
            check_policy("ada", "ääääääääääää"),
            vec![],
            "12 characters (24 bytes): count characters, not bytes"
        );
        assert_eq!(
            check_policy("ada", "äöüäöüäöü"),
            vec![Violation::TooShort],
            "9 characters are too short, even if they take 18 bytes"
        );
        assert_eq!(
            check_policy("ada", &"äöü ".repeat(30)),
            vec![],
            "120 characters are allowed, even if they take 210 bytes"
        );
        assert_eq!(
            check_policy("ada", &"x".repeat(129)),
            vec![Violation::TooLong],
            "a cap stops multi-megabyte passwords from becoming a denial of service"
        );
        assert_eq!(
            check_policy("ada", &"x".repeat(128)),
            vec![],
            "128 characters is the maximum, still allowed"
        );
        assert_eq!(
            check_policy("ada", &"é".repeat(128)),
            vec![],
            "128 characters (256 bytes) is the maximum, still allowed"
        );
    }

    #[test]
    fn policy_refuses_breached_and_username() {
        assert_eq!(
            check_policy("ada", "Password1234"),
            vec![Violation::Breached],
            "compare with the breached list case-insensitively"
        );
        assert_eq!(
            check_policy("Lovelace", "ada-LOVELACE-1815"),
            vec![Violation::ContainsUsername]
        );
        assert_eq!(
            check_policy("letmein", "letmein"),
            vec![Violation::TooShort, Violation::ContainsUsername],
            "report every violation, in the order of the enum"
        );
        for (username, password) in [
            ("ÉMILE", "émile-likes-green-tea"),
            ("émile", "ÉMILE-likes-green-tea"),
            ("Ωmega", "my-ωMEGA-passphrase"),
        ] {
            assert_eq!(
                check_policy(username, password),
                vec![Violation::ContainsUsername],
                "{password:?} contains {username:?} but for case: ignore case beyond ASCII \
                 (`to_lowercase`, not `to_ascii_lowercase`)"
            );
        }
        assert_eq!(
            check_policy("", PASSPHRASE),
            vec![],
            "no username (not chosen yet, or an SSO account) is contained in nothing: every \
             string contains \"\", so guard the empty case"
        );
    }

    #[test]
    fn hash_format_and_known_answer() {
        assert_eq!(
            hash_password(PASSPHRASE, &SALT_A, 1000),
            "sha256-iter$1000$000102030405060708090a0b0c0d0e0f$\
             453ad7ab7adea24249a1a54bd44c99a9df42d6d5791c3dcb725141bc835f3c6a",
            "scheme$iterations$salt$hash; the value was computed independently with Python's hashlib"
        );
    }

    #[test]
    fn salt_makes_equal_passwords_look_different() {
        assert_ne!(
            hash_password(PASSPHRASE, &SALT_A, 1000),
            hash_password(PASSPHRASE, &SALT_B, 1000),
            "same password, different salt: an attacker cannot crack both at once"
        );
    }

    #[test]
    fn verify_uses_the_stored_parameters() {
        let stored = hash_password(PASSPHRASE, &SALT_B, 50);
        assert_eq!(verify_password(PASSPHRASE, &stored), Ok(()));
        assert_eq!(
            verify_password("correct horse battery stapl", &stored),
            Err(VerifyError::WrongPassword)
        );
        let legacy = hash_password(PASSPHRASE, &SALT_A, 10);
        assert_eq!(
            verify_password(PASSPHRASE, &legacy),
            Ok(()),
            "read iterations and salt from the stored string, do not assume today's values"
        );
    }

    #[test]
    fn malformed_hashes_are_not_wrong_passwords() {
        let good = hash_password(PASSPHRASE, &SALT_A, 10);
        for bad in [
            "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8".to_string(),
            good.replacen("sha256-iter", "md5", 1),
            good.replacen("$10$", "$0$", 1),
            good.replacen("$10$", "$ten$", 1),
            format!("{good}00"),
            good[..good.len() - 2].to_string(),
            good[..good.len() - 1].to_string(),
            good.replacen("$00", "$+0", 1),
            format!("{}é", &good[..good.len() - 2]),
        ] {
            assert_eq!(
                verify_password(PASSPHRASE, &bad),
                Err(VerifyError::MalformedHash),
                "{bad:?}: a corrupt or foreign hash is a bug to alert on, not a failed login"
            );
        }
    }

    #[test]
    fn one_iteration_is_a_valid_cost() {
        let stored = hash_password(PASSPHRASE, &SALT_A, 1);
        assert_eq!(
            verify_password(PASSPHRASE, &stored),
            Ok(()),
            "{stored}: iterations must be at least 1, and 1 is"
        );
    }

    #[test]
    fn old_cost_needs_rehash() {
        let old = hash_password(PASSPHRASE, &SALT_A, 10);
        assert!(
            needs_rehash(&old, 1000),
            "10 < 1000 iterations: rehash at next login"
        );
        assert!(!needs_rehash(
            &hash_password(PASSPHRASE, &SALT_A, 1000),
            1000
        ));
        assert!(
            needs_rehash(
                "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8",
                1000
            ),
            "a legacy unsalted hash always needs replacing"
        );
        let costly = hash_password(PASSPHRASE, &SALT_A, 20);
        assert!(
            !needs_rehash(&costly, 10),
            "20 iterations stored, 10 today: rehashing would LOWER the cost; keep the stronger hash"
        );
        assert!(!needs_rehash(&costly, 20), "the same cost: nothing to do");
        assert!(
            needs_rehash(&costly, 21),
            "one more iteration today: rehash"
        );
    }

    #[test]
    fn verify_compares_digests_not_strings() {
        let stored = hash_password(PASSPHRASE, &SALT_B, 20);
        let before = hex_read();
        for attempt in [PASSPHRASE, "correct horse battery stapl", "wrong"] {
            let _ = verify_password(attempt, &stored);
        }
        assert_eq!(
            hex_read(),
            before,
            "verify_password turned a digest into hex, to compare strings with `==`: that stops \
             at the first difference, and the timing tells an attacker how close a guess is. \
             Compare with `PasswordDigest::matches`."
        );
    }

    #[test]
    fn the_scheme_is_exact_and_the_salt_is_not_empty() {
        let good = hash_password(PASSPHRASE, &SALT_A, 10);
        let hash_hex = good.rsplit('$').next().unwrap().to_string();
        for bad in [
            good.replacen("sha256-iter", "SHA256-ITER", 1),
            good.replacen("sha256-iter", "Sha256-Iter", 1),
            good.replacen("sha256-iter", " sha256-iter", 1),
            good.replacen("sha256-iter", "sha256-iter ", 1),
            good.replacen("sha256-iter", "sha256-iterx", 1),
            format!("sha256-iter$10$${hash_hex}"),
        ] {
            assert_eq!(
                verify_password(PASSPHRASE, &bad),
                Err(VerifyError::MalformedHash),
                "{bad:?}: the scheme is exactly \"sha256-iter\" and the salt is not empty; \
                 anything else is not our format"
            );
            assert!(
                needs_rehash(&bad, 1),
                "{bad:?}: not our format, so it needs replacing whatever its cost"
            );
        }
    }
}
