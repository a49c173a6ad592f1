// Signed, expiring tokens: payload.expiry.signature
//
// Password-reset links contain `?user=42`, so anyone can reset anyone's password by editing the
// URL. We switch to signed tokens: `<payload>.<expiry>.<signature>` where payload is the
// base64url user data, expiry is a unix timestamp, and signature is the base64url
// HMAC-SHA256 of `<purpose>.<payload>.<expiry>` with a server-side key. The purpose (e.g.
// "password-reset") is signed but not sent, so a token minted for email verification cannot be
// replayed as a password reset. Nothing in a token is trusted until the signature checks out.
//
// Done means: `issue` mints tokens; `verify` returns the payload only for an untampered token
// of the right purpose with `now < expiry`, and says why otherwise. Time is injected.
//
// The key comes sealed (module `sealed` below, which you must not edit): you never see its
// bytes, only keyed MACs. `verify` must not read a finished tag (`finalize_bytes`) to compare
// it itself; the tests check that. What they cannot check is timing: that `verify_slice` takes
// the same time whatever the first wrong byte is the hmac crate's promise (it compares with the
// `subtle` crate), not something a test here measures.

use sealed::{KeyedMac, ServerKey};

/// The server-side key, sealed. LOCKED: the grader restores this module as the course ships it.
/// Like a key kept in a KMS or an HSM, its bytes never leave the module: code outside asks for a
/// keyed MAC, checks a received tag with `verify_slice`, and has to call `finalize_bytes` to
/// read a finished tag (what `issue` needs to mint a token). The tests count those reads.
pub mod sealed {
    use hmac::digest::MacError;
    use hmac::{Hmac, Mac};
    use sha2::Sha256;

    pub struct ServerKey(Vec<u8>);

    impl ServerKey {
        pub fn new(key: &[u8]) -> Self {
            Self(key.to_vec())
        }

        /// A fresh HMAC-SHA256 keyed with the server key.
        pub fn mac(&self) -> KeyedMac {
            KeyedMac(Hmac::new_from_slice(&self.0).expect("HMAC accepts keys of any length"))
        }
    }

    pub struct KeyedMac(Hmac<Sha256>);

    impl KeyedMac {
        pub fn update(&mut self, data: &[u8]) {
            self.0.update(data);
        }

        /// Compares the finished tag with `tag` in constant time (`hmac::Mac::verify_slice`).
        pub fn verify_slice(self, tag: &[u8]) -> Result<(), MacError> {
            self.0.verify_slice(tag)
        }

        /// The finished tag, to put in a token you hand out.
        pub fn finalize_bytes(self) -> Vec<u8> {
            #[cfg(test)]
            TAGS_READ.with(|count| count.set(count.get() + 1));
            self.0.finalize().into_bytes().to_vec()
        }
    }

    #[cfg(test)]
    thread_local! {
        /// How many finished tags code outside this module has read, on this thread.
        pub static TAGS_READ: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }
}

#[derive(Debug, PartialEq)]
pub enum TokenError {
    /// Not three parts, bad base64url, non-numeric expiry, payload not UTF-8.
    Malformed,
    BadSignature,
    Expired,
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// base64url without padding (RFC 4648 section 5). Encoding, not encryption: anyone can read it.
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

pub fn b64url_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in text.bytes() {
        let value = ALPHABET.iter().position(|&a| a == c)? as u32;
        acc = (acc << 6) | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // Leftover bits must be zero padding, and a lone 6-bit group cannot be a byte.
    (acc == 0 && bits < 6).then_some(out)
}

fn mac_for(key: &ServerKey, purpose: &str, payload: &str, expiry: &str) -> KeyedMac {
    let mut mac = key.mac();
    mac.update(format!("{purpose}.{payload}.{expiry}").as_bytes());
    mac
}

pub fn issue(key: &ServerKey, purpose: &str, payload: &str, expires_at: u64) -> String {
    let payload = b64url_encode(payload.as_bytes());
    let expiry = expires_at.to_string();
    let signature = mac_for(key, purpose, &payload, &expiry).finalize_bytes();
    format!("{payload}.{expiry}.{}", b64url_encode(&signature))
}

/// Order matters: check the shape, then the signature, and only then trust the expiry.
pub fn verify(key: &ServerKey, purpose: &str, token: &str, now: u64) -> Result<String, TokenError> {
    let parts: Vec<&str> = token.split('.').collect();
    let [payload, expiry, signature] = parts[..] else {
        return Err(TokenError::Malformed);
    };
    let signature = b64url_decode(signature).ok_or(TokenError::Malformed)?;
    mac_for(key, purpose, payload, expiry)
        .verify_slice(&signature)
        .map_err(|_| TokenError::BadSignature)?;
    let expires_at: u64 = expiry.parse().map_err(|_| TokenError::Malformed)?;
    if now >= expires_at {
        return Err(TokenError::Expired);
    }
    let bytes = b64url_decode(payload).ok_or(TokenError::Malformed)?;
    String::from_utf8(bytes).map_err(|_| TokenError::Malformed)
}

fn main() {
    let key = ServerKey::new(b"server-key");
    let token = issue(&key, "password-reset", "user:42", 1_700_000_900);
    println!("https://example.com/reset?token={token}");
    println!(
        "{:?}",
        verify(&key, "password-reset", &token, 1_700_000_000)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"0123456789abcdef0123456789abcdef";
    const RESET: &str = "password-reset";
    const NOW: u64 = 1_700_000_000;

    fn key() -> ServerKey {
        ServerKey::new(KEY)
    }

    fn tags_read() -> usize {
        sealed::TAGS_READ.with(|count| count.get())
    }

    #[test]
    fn base64url_helpers_round_trip() {
        assert_eq!(b64url_encode(b"user:42"), "dXNlcjo0Mg");
        assert_eq!(b64url_decode("dXNlcjo0Mg"), Some(b"user:42".to_vec()));
        assert_eq!(
            b64url_encode(&[0xfb, 0xff]),
            "-_8",
            "url-safe alphabet, no padding"
        );
    }

    #[test]
    fn payloads_of_every_length_round_trip() {
        // base64url packs 3 bytes into 4 characters: payloads of every length modulo 3 (the
        // empty one too) end the encoding differently. A seeded walk over lengths and bytes.
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let alphabet: Vec<char> = "abc:XYZ09-_.é~ ".chars().collect();
        for _ in 0..200 {
            let payload: String = (0..next(24))
                .map(|_| alphabet[next(alphabet.len())])
                .collect();
            let token = issue(&key(), RESET, &payload, NOW + 900);
            assert_eq!(
                verify(&key(), RESET, &token, NOW),
                Ok(payload.clone()),
                "{payload:?} ({} bytes) as {token:?}",
                payload.len()
            );
        }
    }

    #[test]
    fn a_signature_has_one_spelling() {
        // 32 bytes are 43 base64url characters: 258 bits for 256, so the last character
        // carries 2 padding bits, which must be zero. A decoder that ignores them accepts
        // four spellings of every signature; `AA` appended leaves 6 bits that are no byte.
        let token = issue(&key(), RESET, "user:42", NOW + 900);
        let (rest, signature) = token.rsplit_once('.').unwrap();
        let (body, last) = signature.split_at(signature.len() - 1);
        let index = ALPHABET
            .iter()
            .position(|&c| c == last.as_bytes()[0])
            .unwrap();
        assert_eq!(
            index & 3,
            0,
            "the reference signature has zero padding bits"
        );
        for variant in [
            format!("{rest}.{body}{}", ALPHABET[index | 1] as char),
            format!("{rest}.{body}{}", ALPHABET[index | 2] as char),
            format!("{rest}.{signature}AA"),
        ] {
            assert_eq!(
                verify(&key(), RESET, &variant, NOW),
                Err(TokenError::Malformed),
                "{variant:?} is not the canonical base64url of any byte string: leftover \
                 bits must be zero, and a lone character is not a byte"
            );
        }
    }

    #[test]
    fn token_has_three_parts() {
        let token = issue(&key(), RESET, "user:42", NOW + 900);
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3, "payload.expiry.signature, got {token}");
        assert_eq!(
            parts[0], "dXNlcjo0Mg",
            "the payload is base64url, readable by anyone"
        );
        assert_eq!(
            parts[1], "1700000900",
            "the expiry is a plain unix timestamp"
        );
        assert_eq!(
            b64url_decode(parts[2]).map(|s| s.len()),
            Some(32),
            "the signature is a base64url HMAC-SHA256 (32 bytes)"
        );
    }

    #[test]
    fn fresh_token_verifies() {
        let token = issue(&key(), RESET, "user:42", NOW + 900);
        assert_eq!(
            verify(&key(), RESET, &token, NOW),
            Ok("user:42".to_string())
        );
        assert_eq!(
            verify(&key(), RESET, &token, NOW + 899),
            Ok("user:42".to_string())
        );
    }

    #[test]
    fn expired_token_is_refused() {
        let token = issue(&key(), RESET, "user:42", NOW + 900);
        assert_eq!(
            verify(&key(), RESET, &token, NOW + 900),
            Err(TokenError::Expired),
            "valid while now < expiry; at the expiry second it is over"
        );
    }

    #[test]
    fn tampering_is_detected() {
        let token = issue(&key(), RESET, "user:42", NOW + 900);
        let other_user = token.replacen("dXNlcjo0Mg", &b64url_encode(b"user:1"), 1);
        assert_eq!(
            verify(&key(), RESET, &other_user, NOW),
            Err(TokenError::BadSignature),
            "changing the payload breaks the signature"
        );
        let extended = token.replacen("1700000900", "1800000000", 1);
        assert_eq!(
            verify(&key(), RESET, &extended, NOW + 1000),
            Err(TokenError::BadSignature),
            "extending the expiry breaks the signature: check it BEFORE trusting the expiry"
        );
        assert_eq!(
            verify(&ServerKey::new(b"another key"), RESET, &token, NOW),
            Err(TokenError::BadSignature)
        );
        assert_eq!(
            verify(&ServerKey::new(b"another key"), RESET, &token, NOW + 5000),
            Err(TokenError::BadSignature),
            "a forged token says nothing true, not even that it expired: signature first"
        );
    }

    #[test]
    fn purpose_is_bound_into_the_signature() {
        let token = issue(&key(), "email-verify", "user:42", NOW + 900);
        assert_eq!(
            verify(&key(), RESET, &token, NOW),
            Err(TokenError::BadSignature),
            "an email-verification token must not work as a password-reset token"
        );
    }

    #[test]
    fn fields_cannot_slide_across_their_boundaries() {
        // Signed without separators, `<payload><expiry>` reads the same when a digit moves
        // from the expiry to the payload: the signature would still check out.
        let token = issue(&key(), RESET, "user:42", 17_000_009_000);
        let (payload, rest) = token.split_once('.').unwrap();
        let (expiry, signature) = rest.split_once('.').unwrap();
        let (first_digit, other_digits) = expiry.split_at(1);
        let forged = format!("{payload}{first_digit}.{other_digits}.{signature}");
        assert_eq!(
            verify(&key(), RESET, &forged, NOW),
            Err(TokenError::BadSignature),
            "the signed text must keep the fields apart (`purpose.payload.expiry`): {forged:?} \
             moved a digit from the expiry into the payload"
        );
    }

    /// A token the server itself signed over these exact parts, whatever they hold.
    fn server_signed(payload: &[u8], expiry: &str) -> String {
        let payload = b64url_encode(payload);
        let signature = mac_for(&key(), RESET, &payload, expiry).finalize_bytes();
        format!("{payload}.{expiry}.{}", b64url_encode(&signature))
    }

    #[test]
    fn the_expiry_is_signed_as_the_text_received() {
        // The signature covers the expiry digits that travel in the token. Parsing them and
        // signing the number printed back would make `01700000900` and `+1700000900` two more
        // valid spellings of the same token: anyone could mint variants of a token.
        let token = issue(&key(), RESET, "user:42", NOW + 900);
        for spelling in ["01700000900", "001700000900", "+1700000900"] {
            let respelled = token.replacen(".1700000900.", &format!(".{spelling}."), 1);
            assert_eq!(
                verify(&key(), RESET, &respelled, NOW),
                Err(TokenError::BadSignature),
                "{respelled:?}: the expiry was signed as \"1700000900\"; {spelling:?} is \
                 another text, so the signature does not match it"
            );
        }
    }

    #[test]
    fn payloads_that_are_not_utf8_are_malformed() {
        // A seeded walk over byte strings, signed by the server itself so that the signature
        // is fine: the payload is returned exactly when its bytes are UTF-8, and refused as
        // Malformed otherwise (never repaired with U+FFFD).
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let pieces: [&[u8]; 8] = [
            b"user:",
            b"42",
            "\u{e9}".as_bytes(),
            "\u{1f600}".as_bytes(),
            &[0xff],
            &[0xc3],
            &[0x80],
            &[0xed, 0xa0, 0x80],
        ];
        let mut refused = 0;
        for _ in 0..300 {
            let mut payload = Vec::new();
            for _ in 0..next(5) {
                payload.extend_from_slice(pieces[next(pieces.len())]);
            }
            let token = server_signed(&payload, "1700000900");
            let expected = String::from_utf8(payload.clone()).map_err(|_| TokenError::Malformed);
            refused += usize::from(expected.is_err());
            assert_eq!(
                verify(&key(), RESET, &token, NOW),
                expected,
                "payload bytes {payload:?}: a payload that is not UTF-8 is Malformed, not \
                 repaired (from_utf8_lossy would hand back a different string than was signed)"
            );
        }
        assert!(refused > 50, "the walk must reach invalid UTF-8 often");
    }

    #[test]
    fn malformed_tokens() {
        let token = issue(&key(), RESET, "user:42", NOW + 900);
        let signature = token.rsplit('.').next().unwrap();
        for bad in [
            String::new(),
            "abc".to_string(),
            "a.b".to_string(),
            format!("{token}.extra"),
            format!("{token}."),
            format!(".{token}"),
            format!("{token}="),
            format!("{token}=="),
            format!("{token} "),
            token.replacen(signature, "not*base64", 1),
        ] {
            assert_eq!(
                verify(&key(), RESET, &bad, NOW),
                Err(TokenError::Malformed),
                "{bad:?} does not have the payload.expiry.signature shape (base64url here has \
                 no `=` padding: a signature with `=` after it is not the signature)"
            );
        }
    }

    #[test]
    fn verify_leaves_the_comparison_to_verify_slice() {
        let token = issue(&key(), RESET, "user:42", NOW + 900);
        let forged = token.replacen("dXNlcjo0Mg", &b64url_encode(b"user:1"), 1);
        let before = tags_read();
        for candidate in [&token, &forged] {
            let _ = verify(&key(), RESET, candidate, NOW);
        }
        assert_eq!(
            tags_read(),
            before,
            "verify read a finished tag (finalize_bytes), to compare it with the token's \
             signature itself: `==` on bytes or text stops at the first difference, and that \
             timing tells an attacker how much of a forged signature is right. Check the \
             signature with `verify_slice` instead."
        );
    }
}
