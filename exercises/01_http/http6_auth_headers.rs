// Scenario: our API gateway accepts two kinds of clients: scripts using HTTP Basic auth
// (`Authorization: Basic base64(user:password)`, RFC 7617) and apps sending an OAuth
// access token (`Authorization: Bearer <token>`, RFC 6750). The current parser did
// `header.strip_prefix("Basic ")`, so `basic ...` and `BEARER ...` were rejected, and it
// split the decoded credentials at the *last* colon, so passwords containing ':' broke.
//
// Done means: `parse_authorization` returns the credentials, or an `AuthError` that the
// gateway turns into `401 Unauthorized` with a `WWW-Authenticate` challenge.
// The scheme name is case-insensitive (RFC 9110 section 11.1). A base64 decoder is provided.

#[derive(Debug, PartialEq, Eq)]
pub enum Credentials {
    Basic { user: String, password: String },
    Bearer(String),
}

#[derive(Debug, PartialEq, Eq)]
pub enum AuthError {
    /// No Authorization header at all.
    Missing,
    /// A scheme we do not support, such as Digest (carries the scheme as sent).
    UnsupportedScheme(String),
    /// The scheme is known but its credentials are not well-formed.
    Malformed,
}

pub fn parse_authorization(header: Option<&str>) -> Result<Credentials, AuthError> {
    // TODO:
    // - no header: Missing;
    // - split the scheme from the rest at the first space, and trim the rest;
    // - Basic: base64-decode (helper below), require UTF-8, split at the FIRST ':'
    //   (a user-id cannot contain ':', a password can);
    // - Bearer: the token must be non-empty and use only the token68 characters
    //   A-Z a-z 0-9 - . _ ~ + / followed by optional '=' padding;
    // - anything else: UnsupportedScheme.
    let header = header.ok_or(AuthError::Missing)?;
    if let Some(token) = header.strip_prefix("Bearer ") {
        return Ok(Credentials::Bearer(token.to_string()));
    }
    Err(AuthError::Malformed)
}

/// Provided: decodes standard base64 (RFC 4648 section 4, with '=' padding).
/// Returns None for anything that is not valid base64.
pub fn base64_decode(input: &str) -> Option<Vec<u8>> {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = input.as_bytes();
    if !bytes.len().is_multiple_of(4) {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3);
    for (i, chunk) in bytes.chunks(4).enumerate() {
        let last = i == bytes.len() / 4 - 1;
        let pad = chunk.iter().rev().take_while(|&&b| b == b'=').count();
        if pad > 2 || (pad > 0 && !last) {
            return None;
        }
        let mut n: u32 = 0;
        for &b in &chunk[..4 - pad] {
            let v = ALPHABET.iter().position(|&a| a == b)? as u32;
            n = (n << 6) | v;
        }
        n <<= 6 * pad as u32;
        let three = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&three[..3 - pad]);
    }
    Some(out)
}

/// Provided: the challenge sent with every 401 (RFC 9110 section 11.6.1).
pub fn www_authenticate() -> &'static str {
    r#"Basic realm="api", Bearer realm="api""#
}

fn main() {
    println!(
        "{:?}",
        parse_authorization(Some("Basic YWxhZGRpbjpvcGVuc2VzYW1l"))
    );
    println!("WWW-Authenticate: {}", www_authenticate());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn basic(user: &str, password: &str) -> Credentials {
        Credentials::Basic {
            user: user.into(),
            password: password.into(),
        }
    }

    #[test]
    fn provided_base64_helper_works() {
        assert_eq!(
            base64_decode("YWxhZGRpbjpvcGVuc2VzYW1l").unwrap(),
            b"aladdin:opensesame"
        );
        assert_eq!(base64_decode("YQ==").unwrap(), b"a");
        assert_eq!(base64_decode("YQ"), None);
    }

    #[test]
    fn basic_auth() {
        // base64("aladdin:opensesame")
        assert_eq!(
            parse_authorization(Some("Basic YWxhZGRpbjpvcGVuc2VzYW1l")),
            Ok(basic("aladdin", "opensesame"))
        );
    }

    #[test]
    fn scheme_is_case_insensitive() {
        assert_eq!(
            parse_authorization(Some("basic YWxhZGRpbjpvcGVuc2VzYW1l")),
            Ok(basic("aladdin", "opensesame")),
            "`basic` and `Basic` are the same scheme (RFC 9110 11.1)"
        );
        assert_eq!(
            parse_authorization(Some("BEARER abc.def")),
            Ok(Credentials::Bearer("abc.def".into())),
            "`BEARER` is `Bearer`"
        );
    }

    #[test]
    fn password_may_contain_colons() {
        // base64("svc:pa:ss:word")
        assert_eq!(
            parse_authorization(Some("Basic c3ZjOnBhOnNzOndvcmQ=")),
            Ok(basic("svc", "pa:ss:word")),
            "split at the FIRST colon: user-ids cannot contain ':', passwords can"
        );
        // base64("bob:")
        assert_eq!(
            parse_authorization(Some("Basic Ym9iOg==")),
            Ok(basic("bob", "")),
            "an empty password is still well-formed (whether to accept it is another question)"
        );
    }

    #[test]
    fn malformed_basic() {
        assert_eq!(
            parse_authorization(Some("Basic bm9jb2xvbg==")),
            Err(AuthError::Malformed),
            "base64(\"nocolon\"): no ':' separator"
        );
        assert_eq!(
            parse_authorization(Some("Basic not*base64")),
            Err(AuthError::Malformed)
        );
        assert_eq!(
            parse_authorization(Some("Basic /w==")),
            Err(AuthError::Malformed),
            "base64 of the byte 0xFF: not UTF-8"
        );
        assert_eq!(
            parse_authorization(Some("Basic Yv9iOnB3")),
            Err(AuthError::Malformed),
            "base64 of b\"b\\xFFb:pw\": a colon, but not UTF-8; refuse it rather than guess"
        );
        assert_eq!(
            parse_authorization(Some("Basic")),
            Err(AuthError::Malformed),
            "the scheme without credentials"
        );
    }

    #[test]
    fn bearer_tokens() {
        let jwt_like = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJl";
        assert_eq!(
            parse_authorization(Some(&format!("Bearer {jwt_like}"))),
            Ok(Credentials::Bearer(jwt_like.into()))
        );
        assert_eq!(
            parse_authorization(Some("Bearer  abc~123+/==  ")),
            Ok(Credentials::Bearer("abc~123+/==".into())),
            "surrounding spaces are not part of the token; '=' padding at the end is allowed"
        );
        for bad in [
            "Bearer",
            "Bearer ",
            "Bearer a b",
            "Bearer tok\"en",
            "Bearer ==abc",
            "Bearer =",
            "Bearer ===",
        ] {
            assert_eq!(
                parse_authorization(Some(bad)),
                Err(AuthError::Malformed),
                "{bad:?}: a bearer token is one non-empty token68"
            );
        }
    }

    #[test]
    fn missing_and_unsupported() {
        assert_eq!(parse_authorization(None), Err(AuthError::Missing));
        assert_eq!(
            parse_authorization(Some("Digest username=\"bob\"")),
            Err(AuthError::UnsupportedScheme("Digest".into())),
            "Digest is a real scheme; we just do not support it"
        );
        assert_eq!(
            parse_authorization(Some("Token abc")),
            Err(AuthError::UnsupportedScheme("Token".into()))
        );
    }

    #[test]
    fn the_scheme_is_the_whole_word() {
        for (header, scheme) in [
            ("Bearerx tok", "Bearerx"),
            ("BEARERTOKEN tok", "BEARERTOKEN"),
            ("Basicx YWxhZGRpbjpvcGVuc2VzYW1l", "Basicx"),
            ("basically YWxhZGRpbjpvcGVuc2VzYW1l", "basically"),
            ("Bear tok", "Bear"),
            ("Basi YWxhZGRpbjpvcGVuc2VzYW1l", "Basi"),
        ] {
            assert_eq!(
                parse_authorization(Some(header)),
                Err(AuthError::UnsupportedScheme(scheme.into())),
                "{header:?}: the scheme is the whole first word, compared with \"Basic\" and \
                 \"Bearer\" ignoring case only; {scheme:?} merely starts like one"
            );
        }
    }

    /// A tiny deterministic generator (xorshift), so the property test needs no crate.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    #[test]
    fn a_bearer_token_is_exactly_one_token68() {
        // token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
        const CHARS: [char; 16] = [
            'a', 'Z', '0', '9', '-', '.', '_', '~', '+', '/', '=', '=', '"', ',', ':', 'é',
        ];
        let mut rng = Rng(0x7430_6b36);
        for _ in 0..3_000 {
            let mut token: String = (0..rng.below(5))
                .map(|_| CHARS[rng.below(CHARS.len())])
                .collect();
            token.extend(std::iter::repeat_n('=', rng.below(4)));
            let padding_from = token.find('=').unwrap_or(token.len());
            let (body, padding) = token.split_at(padding_from);
            let valid = !body.is_empty()
                && body
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-._~+/".contains(c))
                && padding.chars().all(|c| c == '=');
            let got = parse_authorization(Some(&format!("Bearer {token}")));
            if valid {
                assert_eq!(
                    got,
                    Ok(Credentials::Bearer(token.clone())),
                    "{token:?} is a token68"
                );
            } else {
                assert_eq!(
                    got,
                    Err(AuthError::Malformed),
                    "{token:?} is not a token68: at least one of A-Z a-z 0-9 - . _ ~ + /, then \
                     only '=' padding (padding alone is not a token)"
                );
            }
        }
    }
}
