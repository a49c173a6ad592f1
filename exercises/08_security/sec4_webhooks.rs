// Verifying webhook signatures (HMAC-SHA256) and refusing replays
//
// Our payment provider POSTs `invoice.paid` events to `/webhooks/payments`, and we mark invoices
// paid. Anyone who finds that URL can do the same: we never check who sent the request. The
// provider signs each delivery with a secret we share: the header
// `Webhook-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`. Signing the
// timestamp lets us refuse old deliveries that an attacker recorded and replays. During a
// secret rotation the header may carry several `v1=` entries; one valid is enough.
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
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

fn mac_for(secret: &WebhookSecret, timestamp: u64, body: &[u8]) -> KeyedMac {
    // TODO: a keyed MAC (`secret.mac()`) fed with "<timestamp>.<body>".
    let _ = (secret, timestamp, body);
    todo!()
}

/// The header value the provider sends: `t=<timestamp>,v1=<hex signature>`.
pub fn sign(secret: &WebhookSecret, timestamp: u64, body: &[u8]) -> String {
    // TODO: read the finished tag and format the header with the hex signature.
    let _ = (secret, timestamp, body);
    todo!()
}

/// Checks a delivery. Order: parse the header, then the timestamp, then the signature(s).
/// Unknown `key=value` entries are ignored (future schemes); entries without `=` are malformed.
pub fn verify(
    secret: &WebhookSecret,
    header: &str,
    body: &[u8],
    now: u64,
) -> Result<(), WebhookError> {
    // TODO: split the header on ',' into key=value entries (trim spaces); collect `t` and
    // every `v1` (hex-decoded). Then check the tolerance window against `now`, then accept if
    // any signature passes `verify_slice`. Never compare MACs with `==`.
    let _ = (secret, header, body, now);
    todo!()
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
        ] {
            assert_eq!(
                verify(&secret(), header, BODY, T),
                Err(WebhookError::MalformedHeader),
                "{header:?} is not a valid signature header"
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
}
