// OAuth 2.0 authorization code flow: state, single-use codes, expiry and PKCE
//
// We run a small authorization server for our mobile app and also act as an OAuth client of a
// partner. An audit found: the client accepts any `state` on the callback (login CSRF), the
// server accepts the same authorization code twice, codes never expire, and PKCE is
// "supported" but never checked. A code intercepted by a malicious app on the phone can be
// redeemed by that app.
//
// The checks, from RFC 6749 (OAuth 2.0), RFC 7636 (PKCE) and RFC 9700 (security BCP):
// - client callback: `state` must equal the one we stored before redirecting, exactly (no
//   prefix, no case folding), before anything else is looked at; an empty stored state matches
//   nothing (fail closed: it means we lost ours); an `error` parameter means the user said no.
// - server `/token`: the code exists, has not expired (60 s lifetime), was issued to this
//   client and this exact redirect_uri, and `BASE64URL(SHA256(code_verifier)) == code_challenge`
//   (method S256 only; the verifier is 43-128 characters of `A-Z a-z 0-9 - . _ ~`).
// - codes are single-use: a second redemption fails AND revokes the token issued the first
//   time, because a reused code means someone stole it.
//
// Done means: `pkce_challenge`, `check_callback` and `AuthServer::exchange` implement those checks.
// Time is injected (`now`, unix seconds); codes and tokens come from a counter.

use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};

pub const CODE_LIFETIME_SECS: u64 = 60;

#[derive(Debug, PartialEq)]
pub enum OAuthError {
    /// RFC 6749 `invalid_request`: a parameter is missing, malformed or unsupported.
    InvalidRequest,
    /// RFC 6749 `invalid_grant`: the code is unknown, expired, used, or not for this client,
    /// redirect_uri or verifier.
    InvalidGrant,
    /// RFC 6749 `invalid_client`: unknown client.
    InvalidClient,
    /// Client side: the callback's state is not ours (possible CSRF).
    StateMismatch,
    /// Client side: the user or the server refused (`error=access_denied`).
    AccessDenied,
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// base64url without padding (RFC 4648 section 5), as PKCE requires.
pub fn b64url_encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n =
            chunk.iter().fold(0u32, |acc, &b| (acc << 8) | u32::from(b)) << (8 * (3 - chunk.len()));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
        }
    }
    out
}

/// The S256 code challenge: BASE64URL(SHA256(ASCII(verifier))).
pub fn pkce_challenge(verifier: &str) -> String {
    // TODO: SHA-256 of the verifier's bytes, then b64url_encode.
    let _ = verifier;
    todo!()
}

/// RFC 7636 section 4.1: 43 to 128 characters from the unreserved set.
pub fn verifier_is_well_formed(verifier: &str) -> bool {
    (43..=128).contains(&verifier.len())
        && verifier
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~'))
}

/// Client side: checks the query string of the redirect back to us and returns the code.
pub fn check_callback(expected_state: &str, query: &str) -> Result<String, OAuthError> {
    // TODO: parse `key=value&...`; state first (StateMismatch, also when `expected_state` is
    // empty), then `error`
    // (AccessDenied), then a non-empty `code` (InvalidRequest if missing).
    let _ = (expected_state, query);
    todo!()
}

struct Grant {
    client_id: String,
    redirect_uri: String,
    code_challenge: String,
    expires_at: u64,
    /// Set when the code is redeemed: the token it produced.
    issued_token: Option<String>,
}

pub struct AuthServer {
    /// client_id -> registered redirect URIs.
    clients: HashMap<String, Vec<String>>,
    grants: HashMap<String, Grant>,
    active_tokens: HashSet<String>,
    counter: u64,
}

impl AuthServer {
    pub fn new(clients: &[(&str, &[&str])]) -> AuthServer {
        AuthServer {
            clients: clients
                .iter()
                .map(|(id, uris)| (id.to_string(), uris.iter().map(|u| u.to_string()).collect()))
                .collect(),
            grants: HashMap::new(),
            active_tokens: HashSet::new(),
            counter: 0,
        }
    }

    fn next_id(&mut self, prefix: &str) -> String {
        self.counter += 1;
        format!("{prefix}-{}", self.counter)
    }

    /// `/authorize`, after the user consented: issues a code bound to client, redirect_uri and
    /// PKCE challenge.
    pub fn authorize(
        &mut self,
        client_id: &str,
        redirect_uri: &str,
        code_challenge: &str,
        method: &str,
        now: u64,
    ) -> Result<String, OAuthError> {
        let uris = self
            .clients
            .get(client_id)
            .ok_or(OAuthError::InvalidClient)?;
        if !uris.iter().any(|uri| uri == redirect_uri) {
            // Never redirect to an unregistered URI: that would hand the code to anyone.
            return Err(OAuthError::InvalidRequest);
        }
        if method != "S256" || code_challenge.len() != 43 {
            return Err(OAuthError::InvalidRequest);
        }
        let code = self.next_id("code");
        self.grants.insert(
            code.clone(),
            Grant {
                client_id: client_id.to_string(),
                redirect_uri: redirect_uri.to_string(),
                code_challenge: code_challenge.to_string(),
                expires_at: now + CODE_LIFETIME_SECS,
                issued_token: None,
            },
        );
        Ok(code)
    }

    /// `/token` with grant_type=authorization_code: returns an access token.
    pub fn exchange(
        &mut self,
        client_id: &str,
        code: &str,
        redirect_uri: &str,
        code_verifier: &str,
        now: u64,
    ) -> Result<String, OAuthError> {
        // TODO, in this order:
        // 1. unknown client -> InvalidClient; malformed verifier -> InvalidRequest;
        // 2. unknown code -> InvalidGrant;
        // 3. code already redeemed -> revoke the token it issued, InvalidGrant;
        // 4. expired, other client, other redirect_uri or wrong PKCE verifier -> InvalidGrant
        //    (and the code stays usable for its rightful owner);
        // 5. otherwise issue `self.next_id("token")`, mark it active, remember it on the grant.
        let _ = (client_id, code, redirect_uri, code_verifier, now);
        todo!()
    }

    pub fn is_active(&self, token: &str) -> bool {
        self.active_tokens.contains(token)
    }
}

fn main() {
    let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    let mut server = AuthServer::new(&[("mobile", &["com.example.app:/callback"])]);
    let code = server
        .authorize(
            "mobile",
            "com.example.app:/callback",
            &pkce_challenge(verifier),
            "S256",
            0,
        )
        .unwrap();
    let token = server.exchange("mobile", &code, "com.example.app:/callback", verifier, 5);
    println!("{code} -> {token:?}");
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 7636 Appendix B.
    const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    const APP: &str = "mobile";
    const CALLBACK: &str = "com.example.app:/callback";
    const T0: u64 = 1_700_000_000;

    fn server() -> AuthServer {
        AuthServer::new(&[(APP, &[CALLBACK]), ("web", &["https://web.example.com/cb"])])
    }

    fn code(server: &mut AuthServer) -> String {
        server
            .authorize(APP, CALLBACK, CHALLENGE, "S256", T0)
            .expect("a registered client and redirect URI")
    }

    #[test]
    fn pkce_s256_matches_rfc_7636_example() {
        assert_eq!(
            pkce_challenge(VERIFIER),
            CHALLENGE,
            "BASE64URL(SHA256(verifier)), no padding (RFC 7636 Appendix B)"
        );
    }

    #[test]
    fn callback_state_must_match() {
        assert_eq!(
            check_callback("s3cr3t-state", "code=abc&state=s3cr3t-state"),
            Ok("abc".to_string())
        );
        assert_eq!(
            check_callback("s3cr3t-state", "code=abc&state=attacker"),
            Err(OAuthError::StateMismatch),
            "a foreign state means this redirect was not started by us (login CSRF)"
        );
        assert_eq!(
            check_callback("s3cr3t-state", "code=abc"),
            Err(OAuthError::StateMismatch),
            "a missing state is a mismatch too"
        );
        for (expected, query) in [
            ("s3cr3t", "state=s3cr3tXYZ&code=abc"),
            ("s3cr3t", "state=s3cr&code=abc"),
            ("s3cr3t", "state=S3CR3T&code=abc"),
            ("s3cr3t", "state=&code=abc"),
        ] {
            assert_eq!(
                check_callback(expected, query),
                Err(OAuthError::StateMismatch),
                "{query:?} for our state {expected:?}: the state must be equal, byte for byte"
            );
        }
    }

    #[test]
    fn an_empty_expected_state_matches_nothing() {
        for query in [
            "state=&code=x",
            "code=x",
            "state=anything&code=x",
            "state&code=x",
        ] {
            assert_eq!(
                check_callback("", query),
                Err(OAuthError::StateMismatch),
                "{query:?}: we have no state of our own (the session lost it), so no callback \
                 can be ours: fail closed"
            );
        }
    }

    #[test]
    fn callback_states_are_compared_exactly() {
        // A seeded walk: our state, and the callback's state equal to it or one edit away from
        // it (a character appended, dropped, changed or flipped in case), with the parameters in
        // any order. Only the equal state passes.
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let alphabet: Vec<char> = "abcXYZ0189-_".chars().collect();
        for _ in 0..300 {
            let ours: String = (0..1 + next(12))
                .map(|_| alphabet[next(alphabet.len())])
                .collect();
            let mut theirs: Vec<char> = ours.chars().collect();
            let at = next(theirs.len());
            match next(5) {
                0 => {}
                1 => theirs.push(alphabet[next(alphabet.len())]),
                2 => {
                    theirs.remove(at);
                }
                3 => theirs[at] = if theirs[at] == 'a' { 'b' } else { 'a' },
                _ => {
                    let flipped = if theirs[at].is_ascii_lowercase() {
                        theirs[at].to_ascii_uppercase()
                    } else {
                        theirs[at].to_ascii_lowercase()
                    };
                    theirs[at] = flipped;
                }
            }
            let theirs: String = theirs.into_iter().collect();
            let mut params = vec![format!("state={theirs}"), "code=c0de".to_string()];
            if next(2) == 0 {
                params.reverse();
            }
            let query = params.join("&");
            let expected = if theirs == ours {
                Ok("c0de".to_string())
            } else {
                Err(OAuthError::StateMismatch)
            };
            assert_eq!(
                check_callback(&ours, &query),
                expected,
                "our state {ours:?}, callback {query:?}: equal passes, anything else is a \
                 mismatch (no prefix, no case folding)"
            );
        }
    }

    #[test]
    fn callback_errors_and_missing_code() {
        assert_eq!(
            check_callback("st", "error=access_denied&state=st"),
            Err(OAuthError::AccessDenied)
        );
        assert_eq!(
            check_callback("st", "error=access_denied&state=evil"),
            Err(OAuthError::StateMismatch),
            "check state first, even on error responses"
        );
        assert_eq!(
            check_callback("st", "state=st"),
            Err(OAuthError::InvalidRequest)
        );
        for query in ["state=st&code=", "code=&state=st", "state=st&code"] {
            assert_eq!(
                check_callback("st", query),
                Err(OAuthError::InvalidRequest),
                "{query}: an empty or valueless code is no code; exchanging it can only fail"
            );
        }
    }

    #[test]
    fn happy_path_issues_a_token() {
        let mut server = server();
        let code = code(&mut server);
        let token = server
            .exchange(APP, &code, CALLBACK, VERIFIER, T0 + 10)
            .expect("right client, redirect_uri and verifier, within 60 s");
        assert!(server.is_active(&token));
    }

    #[test]
    fn wrong_verifier_is_invalid_grant() {
        let mut server = server();
        let code = code(&mut server);
        let stolen = "x".repeat(43);
        assert_eq!(
            server.exchange(APP, &code, CALLBACK, &stolen, T0 + 10),
            Err(OAuthError::InvalidGrant),
            "an intercepted code is useless without the verifier: that is what PKCE is for"
        );
    }

    #[test]
    fn malformed_verifier_is_invalid_request() {
        let mut server = server();
        let code = code(&mut server);
        for bad in [
            "short",
            &"a".repeat(42),
            &"a".repeat(129),
            &format!("{}!", "a".repeat(43)),
        ] {
            assert_eq!(
                server.exchange(APP, &code, CALLBACK, bad, T0 + 10),
                Err(OAuthError::InvalidRequest),
                "{bad:?}: a verifier is 43-128 unreserved characters"
            );
        }
    }

    #[test]
    fn verifiers_of_43_and_128_characters_are_accepted() {
        for verifier in ["a".repeat(43), "-._~Az09".repeat(16)] {
            let mut server = server();
            let code = server
                .authorize(APP, CALLBACK, &pkce_challenge(&verifier), "S256", T0)
                .unwrap();
            assert!(
                server
                    .exchange(APP, &code, CALLBACK, &verifier, T0 + 1)
                    .is_ok(),
                "a verifier of {} unreserved characters is well-formed (43 to 128, both included)",
                verifier.len()
            );
        }
    }

    #[test]
    fn the_challenge_is_compared_exactly() {
        // base64url is case-sensitive: `A` and `a` are different 6-bit values. A challenge that
        // differs from BASE64URL(SHA256(verifier)) only in case belongs to another verifier.
        let swapped: String = CHALLENGE
            .chars()
            .map(|c| {
                if c.is_ascii_lowercase() {
                    c.to_ascii_uppercase()
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect();
        let one_flipped = format!("e{}", &CHALLENGE[1..]);
        for challenge in [swapped, one_flipped] {
            let mut server = server();
            let code = server
                .authorize(APP, CALLBACK, &challenge, "S256", T0)
                .unwrap();
            assert_eq!(
                server.exchange(APP, &code, CALLBACK, VERIFIER, T0 + 1),
                Err(OAuthError::InvalidGrant),
                "the code was issued for challenge {challenge:?}, and SHA-256 of the verifier \
                 is {CHALLENGE:?}: the same letters in another case are another challenge"
            );
        }
    }

    #[test]
    fn the_challenge_is_not_a_verifier() {
        let mut server = server();
        let code = code(&mut server);
        assert_eq!(
            server.exchange(APP, &code, CALLBACK, CHALLENGE, T0 + 10),
            Err(OAuthError::InvalidGrant),
            "the challenge travelled in the authorization URL, so anyone may have seen it: only \
             S256 (SHA-256 of the verifier) is accepted, never `plain` (verifier == challenge)"
        );
    }

    #[test]
    fn code_is_bound_to_client_and_redirect_uri() {
        let mut server = server();
        let code = code(&mut server);
        assert_eq!(
            server.exchange("web", &code, CALLBACK, VERIFIER, T0 + 10),
            Err(OAuthError::InvalidGrant),
            "the code was issued to `mobile`, not `web`"
        );
        for redirect_uri in [
            "com.example.app:/other",
            "com.example.app:/callback.evil",
            "com.example.app:/callback/../steal",
            "com.example.app:/callback?next=evil",
            "com.example.app:/callbacK",
            "com.example.app:/call",
            "",
        ] {
            assert_eq!(
                server.exchange(APP, &code, redirect_uri, VERIFIER, T0 + 10),
                Err(OAuthError::InvalidGrant),
                "{redirect_uri:?}: redirect_uri must be identical to the one in the authorization \
                 request, compared as a whole string (not by prefix, not ignoring case)"
            );
        }
        assert_eq!(
            server.exchange("nobody", &code, CALLBACK, VERIFIER, T0 + 10),
            Err(OAuthError::InvalidClient)
        );
        assert!(
            server
                .exchange(APP, &code, CALLBACK, VERIFIER, T0 + 10)
                .is_ok(),
            "failed attempts by others do not burn the code"
        );
    }

    #[test]
    fn the_redirect_uri_is_the_one_the_code_was_issued_for() {
        let mut server = AuthServer::new(&[(
            "web",
            &["https://web.example.com/a", "https://web.example.com/b"],
        )]);
        let code = server
            .authorize("web", "https://web.example.com/a", CHALLENGE, "S256", T0)
            .unwrap();
        assert_eq!(
            server.exchange("web", &code, "https://web.example.com/b", VERIFIER, T0 + 1),
            Err(OAuthError::InvalidGrant),
            "/b is registered for the client, but the code was issued for /a: compare with the \
             redirect_uri stored with the code (RFC 6749 4.1.3)"
        );
        assert!(
            server
                .exchange("web", &code, "https://web.example.com/a", VERIFIER, T0 + 1)
                .is_ok()
        );
    }

    #[test]
    fn codes_expire_after_60_seconds() {
        let mut early = server();
        let fresh = code(&mut early);
        assert!(
            early
                .exchange(APP, &fresh, CALLBACK, VERIFIER, T0 + 59)
                .is_ok(),
            "59 s after issue the code is still valid"
        );
        let mut server = server();
        let code = code(&mut server);
        assert_eq!(
            server.exchange(APP, &code, CALLBACK, VERIFIER, T0 + 60),
            Err(OAuthError::InvalidGrant),
            "codes are short-lived: valid while now < issued + 60"
        );
        assert_eq!(
            server.exchange(APP, "code-999", CALLBACK, VERIFIER, T0),
            Err(OAuthError::InvalidGrant),
            "unknown code"
        );
    }

    #[test]
    fn reused_code_fails_and_revokes_the_first_token() {
        let mut server = server();
        let code = code(&mut server);
        let token = server
            .exchange(APP, &code, CALLBACK, VERIFIER, T0 + 1)
            .unwrap();
        assert_eq!(
            server.exchange(APP, &code, CALLBACK, VERIFIER, T0 + 2),
            Err(OAuthError::InvalidGrant),
            "a code is single-use"
        );
        assert!(
            !server.is_active(&token),
            "RFC 6749 4.1.2: on reuse, revoke the tokens issued from that code"
        );
    }

    #[test]
    fn any_replay_of_a_used_code_revokes_its_token() {
        // Whoever replays a used code holds a stolen one: the replay fails AND revokes, even
        // when the thief gets the verifier, client, redirect_uri or timing wrong. Look at
        // "already used" before validating the rest.
        let wrong = "w".repeat(43);
        let replays: [(&str, &str, &str, u64); 4] = [
            (APP, CALLBACK, &wrong, T0 + 2),
            ("web", CALLBACK, VERIFIER, T0 + 2),
            (APP, "com.example.app:/other", VERIFIER, T0 + 2),
            (APP, CALLBACK, VERIFIER, T0 + 600),
        ];
        for (client, redirect_uri, verifier, now) in replays {
            let mut server = server();
            let code = code(&mut server);
            let token = server
                .exchange(APP, &code, CALLBACK, VERIFIER, T0 + 1)
                .unwrap();
            assert_eq!(
                server.exchange(client, &code, redirect_uri, verifier, now),
                Err(OAuthError::InvalidGrant)
            );
            assert!(
                !server.is_active(&token),
                "replay by {client} to {redirect_uri} with {verifier:?} at {now}: the code was \
                 used, so the token it produced must be revoked"
            );
        }
    }

    #[test]
    fn codes_and_tokens_are_distinct() {
        // Two authorizations in flight: each code is its own grant, each token its own.
        let mut server = server();
        let first = code(&mut server);
        let second = code(&mut server);
        assert_ne!(first, second, "two authorizations, two codes");
        let token = server
            .exchange(APP, &first, CALLBACK, VERIFIER, T0 + 1)
            .unwrap();
        let other = server
            .exchange(APP, &second, CALLBACK, VERIFIER, T0 + 1)
            .expect("redeeming one code leaves the other unused");
        assert_ne!(token, other, "two redemptions, two tokens");
        assert_eq!(
            server.exchange(APP, &first, CALLBACK, VERIFIER, T0 + 2),
            Err(OAuthError::InvalidGrant)
        );
        assert!(
            !server.is_active(&token),
            "the replayed code's token is revoked"
        );
        assert!(server.is_active(&other), "and only that one");
    }

    #[test]
    fn authorize_refuses_unregistered_redirects_and_plain_pkce() {
        let mut server = server();
        assert_eq!(
            server.authorize(APP, "https://evil.io/cb", CHALLENGE, "S256", T0),
            Err(OAuthError::InvalidRequest)
        );
        assert_eq!(
            server.authorize(APP, CALLBACK, VERIFIER, "plain", T0),
            Err(OAuthError::InvalidRequest),
            "S256 only: `plain` puts the verifier itself in the browser's URL"
        );
    }

    #[test]
    fn redirect_uris_match_exactly_not_by_prefix_or_case() {
        let mut server = server();
        for uri in [
            "https://web.example.com/cb.evil.io",
            "https://web.example.com/cb/../../steal",
            "https://web.example.com/cb?next=https://evil.io",
            "https://web.example.com/cb#x",
            "https://web.example.com/c",
            "https://web.example.com/",
            "https://web.example.com/CB",
            "HTTPS://web.example.com/cb",
            " https://web.example.com/cb",
            "https://web.example.com/cb/",
            "com.example.app:/callback2",
        ] {
            assert_eq!(
                server.authorize("web", uri, CHALLENGE, "S256", T0),
                Err(OAuthError::InvalidRequest),
                "{uri:?} is not the registered https://web.example.com/cb: redirect URIs are \
                 compared as whole strings (RFC 9700 2.1), never by prefix, suffix or case"
            );
        }
        assert!(
            server
                .authorize("web", "https://web.example.com/cb", CHALLENGE, "S256", T0)
                .is_ok()
        );
    }
}
