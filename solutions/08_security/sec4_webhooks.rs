// Verifying webhook signatures (HMAC-SHA256) and refusing replays
//
// Our payment provider POSTs `invoice.paid` events to `/webhooks/payments`, and we mark invoices
// paid. Anyone who finds that URL can do the same: we never check who sent the request. The
// provider signs each delivery with a secret we share: the header
// `Webhook-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, where `<t>`
// is the `t` text exactly as it appears in the header. Signing the timestamp lets us refuse old
// deliveries that an attacker recorded and replays. During a secret rotation the header may
// carry several `v1=` entries; one valid is enough.
//
// Done means: `sign` produces the header, `verify` parses it, refuses timestamps more than
// `TOLERANCE_SECS` away from `now` (injected: no wall clock in tests) and checks the signature
// with `verify_slice` (constant time: comparing with `==` leaks, through timing, how many
// leading bytes were right).
//
// The secret comes sealed (module `sealed` below, which you must not edit): you never see its
// bytes, only keyed MACs. `verify` must not read a finished tag (`finalize_bytes`) to compare it
// itself; the tests check that. What they cannot check is timing: that `verify_slice` takes the
// same time whatever the first wrong byte is the hmac crate's promise (it compares with the
// `subtle` crate), not something a test here measures.

use sealed::{KeyedMac, WebhookSecret};

pub const TOLERANCE_SECS: u64 = 300;

/// The shared secret, sealed. LOCKED: the grader restores this module as the course ships it.
/// Like a key kept in a KMS or an HSM, its bytes never leave the module: code outside asks for a
/// keyed MAC, checks a received tag with `verify_slice`, and has to call `finalize_bytes` to
/// read a finished tag (what `sign` needs to send one). The tests count those reads.
pub mod sealed {
    use hmac::digest::MacError;
    use hmac::{Hmac, Mac};
    use sha2::Sha256;

    pub struct WebhookSecret(Vec<u8>);

    impl WebhookSecret {
        pub fn new(key: &[u8]) -> Self {
            Self(key.to_vec())
        }

        /// A fresh HMAC-SHA256 keyed with the secret.
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

        /// The finished tag, to put in a message you send.
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
pub enum WebhookError {
    /// Missing `t`, no `v1`, non-numeric timestamp, bad hex...
    MalformedHeader,
    /// Timestamp outside the tolerance window (too old, or too far in the future).
    Stale,
    BadSignature,
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

/// `timestamp` is the text of `t`, as sent: the MAC covers the bytes received, not a number
/// printed back (`t=01700000000` is not `1700000000` once signed).
fn mac_for(secret: &WebhookSecret, timestamp: &str, body: &[u8]) -> KeyedMac {
    let mut mac = secret.mac();
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// The header value the provider sends: `t=<timestamp>,v1=<hex signature>`.
pub fn sign(secret: &WebhookSecret, timestamp: u64, body: &[u8]) -> String {
    let signature = mac_for(secret, &timestamp.to_string(), body).finalize_bytes();
    format!("t={timestamp},v1={}", to_hex(&signature))
}

/// Checks a delivery. Order: parse the header, then the timestamp, then the signature(s).
/// Keys are exact and lower case (`T=` or `V1=` is an unknown key). Unknown `key=value` entries
/// are ignored (future schemes); entries without `=` and a second `t` entry are malformed.
pub fn verify(
    secret: &WebhookSecret,
    header: &str,
    body: &[u8],
    now: u64,
) -> Result<(), WebhookError> {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for entry in header.split(',') {
        let (key, value) = entry
            .trim()
            .split_once('=')
            .ok_or(WebhookError::MalformedHeader)?;
        match key {
            "t" => {
                if timestamp.is_some() {
                    // Two timestamps: the MAC and the window must not read different ones.
                    return Err(WebhookError::MalformedHeader);
                }
                let seconds = value
                    .parse::<u64>()
                    .map_err(|_| WebhookError::MalformedHeader)?;
                timestamp = Some((value, seconds));
            }
            "v1" => signatures.push(from_hex(value).ok_or(WebhookError::MalformedHeader)?),
            _ => {}
        }
    }
    let (signed_timestamp, timestamp) = timestamp.ok_or(WebhookError::MalformedHeader)?;
    if signatures.is_empty() {
        return Err(WebhookError::MalformedHeader);
    }
    if now.abs_diff(timestamp) > TOLERANCE_SECS {
        return Err(WebhookError::Stale);
    }
    let valid = signatures.iter().any(|signature| {
        mac_for(secret, signed_timestamp, body)
            .verify_slice(signature)
            .is_ok()
    });
    if valid {
        Ok(())
    } else {
        Err(WebhookError::BadSignature)
    }
}

fn main() {
    let header = sign(
        &WebhookSecret::new(b"whsec_demo"),
        1_700_000_000,
        br#"{"event":"invoice.paid"}"#,
    );
    println!("Webhook-Signature: {header}");
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"whsec_test_secret";
    const BODY: &[u8] = br#"{"event":"invoice.paid","id":"evt_1"}"#;
    const T: u64 = 1_700_000_000;

    fn secret() -> WebhookSecret {
        WebhookSecret::new(SECRET)
    }

    fn tags_read() -> usize {
        sealed::TAGS_READ.with(|count| count.get())
    }

    /// The hex HMAC a provider holding `secret` sends for `"<t text>.<body>"`.
    fn tag_hex(secret: &WebhookSecret, t_text: &str, body: &[u8]) -> String {
        let mut mac = secret.mac();
        mac.update(format!("{t_text}.").as_bytes());
        mac.update(body);
        to_hex(&mac.finalize_bytes())
    }

    #[test]
    fn sign_matches_the_provider_format() {
        assert_eq!(
            sign(&secret(), T, BODY),
            "t=1700000000,v1=38df24d7c846f957a5ca0b90ab4cc65e2cf0366636defe85f3801cda6df8b115",
            "HMAC-SHA256 over \"<t>.<body>\", lower-case hex (this value comes from Python's hmac module)"
        );
    }

    #[test]
    fn genuine_delivery_is_accepted() {
        let header = sign(&secret(), T, BODY);
        assert_eq!(verify(&secret(), &header, BODY, T), Ok(()));
        assert_eq!(
            verify(&secret(), &header, BODY, T + 299),
            Ok(()),
            "delivered a little late is fine"
        );
        assert_eq!(
            verify(&secret(), &header, BODY, T + 300),
            Ok(()),
            "exactly 300 s away is not MORE than 300 s away"
        );
        assert_eq!(
            verify(&secret(), &header, BODY, T - 300),
            Ok(()),
            "a clock 300 s behind the provider's is within the window too"
        );
    }

    #[test]
    fn tampered_body_or_wrong_secret_is_refused() {
        let header = sign(&secret(), T, BODY);
        let forged = br#"{"event":"invoice.paid","id":"evt_2"}"#;
        assert_eq!(
            verify(&secret(), &header, forged, T),
            Err(WebhookError::BadSignature),
            "one changed byte in the body breaks the signature"
        );
        assert_eq!(
            verify(&WebhookSecret::new(b"another_secret"), &header, BODY, T),
            Err(WebhookError::BadSignature)
        );
    }

    #[test]
    fn replayed_old_delivery_is_refused() {
        let header = sign(&secret(), T, BODY);
        assert_eq!(
            verify(&secret(), &header, BODY, T + 301),
            Err(WebhookError::Stale),
            "a valid signature from more than 5 minutes ago is a replay"
        );
        assert_eq!(
            verify(&secret(), &header, BODY, T - 301),
            Err(WebhookError::Stale),
            "timestamps far in the future are refused too"
        );
        let forged = format!("t={T},v1={}", "00".repeat(32));
        assert_eq!(
            verify(&secret(), &forged, BODY, T + 10 * TOLERANCE_SECS),
            Err(WebhookError::Stale),
            "order: parse, then the time window, then the signature; a stale delivery is \
             refused as stale without spending a MAC on it"
        );
    }

    #[test]
    fn the_signed_timestamp_is_the_text_as_sent() {
        // The provider signs the `t` text it puts in the header. `t=01700000000` and
        // `t=+1700000000` are the number 1700000000, but not the text "1700000000".
        let good = sign(&secret(), T, BODY);
        let good_hex = good.split_once("v1=").unwrap().1;
        assert_eq!(
            verify(&secret(), &format!("t=01700000000,v1={good_hex}"), BODY, T),
            Err(WebhookError::BadSignature),
            "t=01700000000 with the signature of \"1700000000.<body>\": the MAC covers the \
             text of t as received, not the number printed back"
        );
        let signed = verify(&secret(), &format!("t=+1700000000,v1={good_hex}"), BODY, T);
        assert!(
            matches!(
                signed,
                Err(WebhookError::BadSignature | WebhookError::MalformedHeader)
            ),
            "t=+1700000000 with the signature of \"1700000000.<body>\" is no genuine delivery \
             (refusing the sign as malformed is fine too), got {signed:?}"
        );
        let padded = format!(
            "t=01700000000,v1={}",
            tag_hex(&secret(), "01700000000", BODY)
        );
        assert_eq!(
            verify(&secret(), &padded, BODY, T),
            Ok(()),
            "signed over \"01700000000.<body>\", sent as t=01700000000: genuine"
        );
    }

    #[test]
    fn changing_the_timestamp_breaks_the_signature() {
        let header = sign(&secret(), T, BODY);
        let moved = header.replace("t=1700000000", "t=1700000900");
        assert_eq!(
            verify(&secret(), &moved, BODY, T + 900),
            Err(WebhookError::BadSignature),
            "the timestamp is signed, so an attacker cannot freshen an old delivery"
        );
    }

    #[test]
    fn any_of_several_signatures_may_match() {
        let good = sign(&secret(), T, BODY);
        let good_hex = good.split_once("v1=").unwrap().1;
        let header = format!("t={T}, v1={}, v0=legacy, v1={good_hex}", "ab".repeat(32));
        assert_eq!(
            verify(&secret(), &header, BODY, T),
            Ok(()),
            "during rotation: several v1 entries (one valid), unknown schemes ignored, spaces allowed"
        );
    }

    #[test]
    fn malformed_headers() {
        for header in [
            "",
            "v1=abcd",
            "t=1700000000",
            "t=soon,v1=abcd",
            "t=1700000000,v1=xyz",
            "t=1700000000,v1=abc",
            "t=1700000000;v1=abcd",
            "t=1700000000,v1=+f",
            "t=1700000000,v1=-1",
        ] {
            assert_eq!(
                verify(&secret(), header, BODY, T),
                Err(WebhookError::MalformedHeader),
                "{header:?} is not a valid signature header"
            );
        }
    }

    #[test]
    fn a_second_timestamp_is_malformed() {
        // Replay: an old delivery's `t` and signature, plus a fresh `t` appended by the attacker.
        // If the MAC reads one `t` and the window the other, the old delivery passes as new.
        let old = T - 10_000;
        let old_sig = tag_hex(&secret(), &old.to_string(), BODY);
        let fresh_sig = tag_hex(&secret(), &T.to_string(), BODY);
        for header in [
            format!("t={old},v1={old_sig},t={T}"),
            format!("t={T},t={old},v1={old_sig}"),
            format!("t={old},t={T},v1={old_sig},v1={fresh_sig}"),
            format!("t={T},v1={fresh_sig},t={T}"),
        ] {
            assert_eq!(
                verify(&secret(), &header, BODY, T),
                Err(WebhookError::MalformedHeader),
                "{header:?}: two `t` entries; which one was signed? Refuse the header rather \
                 than let the MAC and the time window read different timestamps"
            );
        }
    }

    #[test]
    fn keys_are_exact_lower_case() {
        let sig = tag_hex(&secret(), &T.to_string(), BODY);
        for header in [
            format!("T={T},V1={sig}"),
            format!("t={T},V1={sig}"),
            format!("T={T},v1={sig}"),
            format!("T={T},t={T},v1={sig}"),
        ] {
            let expected = if header.contains(",t=") {
                Ok(())
            } else {
                Err(WebhookError::MalformedHeader)
            };
            assert_eq!(
                verify(&secret(), &header, BODY, T),
                expected,
                "{header:?}: keys are exact: `T` and `V1` are unknown keys (ignored), not `t` \
                 and `v1`"
            );
        }
    }

    #[test]
    fn header_entries_follow_the_grammar() {
        // A seeded walk over the header grammar: `t` and, in any order and with spaces around
        // them, v1 entries that are genuine, signed with another secret or not hex at all,
        // entries of unknown schemes (upper-case `V1` and `T` among them), entries without `=`
        // and a second `t`. The answer follows from the parts: anything malformed is
        // MalformedHeader, then one genuine v1 is enough.
        let good = tag_hex(&secret(), "1700000000", BODY);
        let other = tag_hex(&WebhookSecret::new(b"whsec_old_secret"), "1700000000", BODY);
        let malformed = ["v1=zz", "v1=abc", "v1=+f", "garbage", "v1"];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..400 {
            let mut entries = vec![format!("t={T}")];
            let (mut genuine, mut signatures, mut broken) = (false, false, false);
            for _ in 0..next(5) {
                let entry = match next(10) {
                    0 | 1 => {
                        (genuine, signatures) = (true, true);
                        format!("v1={good}")
                    }
                    2 | 3 => {
                        signatures = true;
                        format!("v1={other}")
                    }
                    4 => format!("v0={good}"),
                    5 => "scheme=future".to_string(),
                    6 => format!("V1={good}"),
                    7 => format!("T={}", T + 1),
                    8 => {
                        broken = true;
                        format!("t={}", [T, T - 10_000][next(2)])
                    }
                    _ => {
                        broken = true;
                        malformed[next(malformed.len())].to_string()
                    }
                };
                let at = next(entries.len() + 1);
                entries.insert(at, entry);
            }
            let header = entries
                .iter()
                .map(|entry| format!("{}{entry}{}", " ".repeat(next(2)), " ".repeat(next(2))))
                .collect::<Vec<_>>()
                .join(",");
            let expected = if broken || !signatures {
                Err(WebhookError::MalformedHeader)
            } else if genuine {
                Ok(())
            } else {
                Err(WebhookError::BadSignature)
            };
            assert_eq!(
                verify(&secret(), &header, BODY, T),
                expected,
                "{header:?}: an entry without `=`, a v1 that is not hex or a second t makes \
                 the header malformed; keys are exact (`V1`, `T` are unknown, ignored); \
                 otherwise any one genuine v1, wherever it stands, is enough"
            );
        }
    }

    #[test]
    fn verify_leaves_the_comparison_to_verify_slice() {
        let good = sign(&secret(), T, BODY);
        let good_hex = good.split_once("v1=").unwrap().1;
        let rotation = format!("t={T},v1={},v1={good_hex}", "ab".repeat(32));
        let before = tags_read();
        for (header, body) in [
            (&good, BODY),
            (&good, b"forged".as_slice()),
            (&rotation, BODY),
        ] {
            let _ = verify(&secret(), header, body, T);
        }
        assert_eq!(
            tags_read(),
            before,
            "verify read a finished tag (finalize_bytes), to compare it with the received one \
             itself: `==` on bytes or hex stops at the first difference, and that timing tells \
             an attacker how much of a forged signature is right. Check each candidate with \
             `verify_slice` instead."
        );
    }

    #[test]
    fn the_window_holds_at_the_ends_of_u64() {
        // `t` is whatever a sender writes: the window check must not overflow (a panic in a
        // debug build, a wrapped comparison in release). Compare the distance, `abs_diff`.
        let far = format!("t={},v1={}", u64::MAX, "00".repeat(32));
        assert_eq!(
            verify(&secret(), &far, BODY, T),
            Err(WebhookError::Stale),
            "t=u64::MAX is far in the future: stale, no panic"
        );
        let zero = sign(&secret(), 0, BODY);
        assert_eq!(
            verify(&secret(), &zero, BODY, u64::MAX),
            Err(WebhookError::Stale),
            "t=0 at now=u64::MAX: stale, no panic"
        );
        for (t, now) in [
            (u64::MAX - 10, u64::MAX),
            (u64::MAX, u64::MAX - TOLERANCE_SECS),
            (u64::MAX, u64::MAX),
            (0, TOLERANCE_SECS),
            (TOLERANCE_SECS, 0),
        ] {
            let header = sign(&secret(), t, BODY);
            assert_eq!(
                verify(&secret(), &header, BODY, now),
                Ok(()),
                "t={t}, now={now}: within {TOLERANCE_SECS} s, a genuine delivery"
            );
        }
    }
}
