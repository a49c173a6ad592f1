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
// with `Mac::verify_slice` (constant time: comparing with `==` leaks, through timing, how many
// leading bytes were right).

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

pub const TOLERANCE_SECS: u64 = 300;

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

fn mac_for(secret: &[u8], timestamp: u64, body: &[u8]) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC accepts keys of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// The header value the provider sends: `t=<timestamp>,v1=<hex signature>`.
pub fn sign(secret: &[u8], timestamp: u64, body: &[u8]) -> String {
    let signature = mac_for(secret, timestamp, body).finalize().into_bytes();
    format!("t={timestamp},v1={}", to_hex(&signature))
}

/// Checks a delivery. Order: parse the header, then the timestamp, then the signature(s).
/// Unknown `key=value` entries are ignored (future schemes); entries without `=` are malformed.
pub fn verify(secret: &[u8], header: &str, body: &[u8], now: u64) -> Result<(), WebhookError> {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for entry in header.split(',') {
        let (key, value) = entry
            .trim()
            .split_once('=')
            .ok_or(WebhookError::MalformedHeader)?;
        match key {
            "t" => {
                timestamp = Some(
                    value
                        .parse::<u64>()
                        .map_err(|_| WebhookError::MalformedHeader)?,
                )
            }
            "v1" => signatures.push(from_hex(value).ok_or(WebhookError::MalformedHeader)?),
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or(WebhookError::MalformedHeader)?;
    if signatures.is_empty() {
        return Err(WebhookError::MalformedHeader);
    }
    if now.abs_diff(timestamp) > TOLERANCE_SECS {
        return Err(WebhookError::Stale);
    }
    let valid = signatures.iter().any(|signature| {
        mac_for(secret, timestamp, body)
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
    let header = sign(b"whsec_demo", 1_700_000_000, br#"{"event":"invoice.paid"}"#);
    println!("Webhook-Signature: {header}");
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"whsec_test_secret";
    const BODY: &[u8] = br#"{"event":"invoice.paid","id":"evt_1"}"#;
    const T: u64 = 1_700_000_000;

    #[test]
    fn sign_matches_the_provider_format() {
        assert_eq!(
            sign(SECRET, T, BODY),
            "t=1700000000,v1=38df24d7c846f957a5ca0b90ab4cc65e2cf0366636defe85f3801cda6df8b115",
            "HMAC-SHA256 over \"<t>.<body>\", lower-case hex (this value comes from Python's hmac module)"
        );
    }

    #[test]
    fn genuine_delivery_is_accepted() {
        let header = sign(SECRET, T, BODY);
        assert_eq!(verify(SECRET, &header, BODY, T), Ok(()));
        assert_eq!(
            verify(SECRET, &header, BODY, T + 299),
            Ok(()),
            "delivered a little late is fine"
        );
    }

    #[test]
    fn tampered_body_or_wrong_secret_is_refused() {
        let header = sign(SECRET, T, BODY);
        let forged = br#"{"event":"invoice.paid","id":"evt_2"}"#;
        assert_eq!(
            verify(SECRET, &header, forged, T),
            Err(WebhookError::BadSignature),
            "one changed byte in the body breaks the signature"
        );
        assert_eq!(
            verify(b"another_secret", &header, BODY, T),
            Err(WebhookError::BadSignature)
        );
    }

    #[test]
    fn replayed_old_delivery_is_refused() {
        let header = sign(SECRET, T, BODY);
        assert_eq!(
            verify(SECRET, &header, BODY, T + 301),
            Err(WebhookError::Stale),
            "a valid signature from more than 5 minutes ago is a replay"
        );
        assert_eq!(
            verify(SECRET, &header, BODY, T - 301),
            Err(WebhookError::Stale),
            "timestamps far in the future are refused too"
        );
    }

    #[test]
    fn changing_the_timestamp_breaks_the_signature() {
        let header = sign(SECRET, T, BODY);
        let moved = header.replace("t=1700000000", "t=1700000900");
        assert_eq!(
            verify(SECRET, &moved, BODY, T + 900),
            Err(WebhookError::BadSignature),
            "the timestamp is signed, so an attacker cannot freshen an old delivery"
        );
    }

    #[test]
    fn any_of_several_signatures_may_match() {
        let good = sign(SECRET, T, BODY);
        let good_hex = good.split_once("v1=").unwrap().1;
        let header = format!("t={T}, v1={}, v0=legacy, v1={good_hex}", "ab".repeat(32));
        assert_eq!(
            verify(SECRET, &header, BODY, T),
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
                verify(SECRET, header, BODY, T),
                Err(WebhookError::MalformedHeader),
                "{header:?} is not a valid signature header"
            );
        }
    }
}
