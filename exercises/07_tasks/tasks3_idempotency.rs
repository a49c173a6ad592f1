// Scenario: the mobile app sends `POST /charges`. On a flaky train connection the request
// reaches the server, the card is charged, but the response is lost; the app retries and the
// customer is charged twice. The fix is an `Idempotency-Key` header: the client sends a unique
// key per logical operation and reuses it on retries. The server remembers the result per key.
//
// Done means:
// - The first request with a key charges the card and stores the receipt under the key.
// - A retry with the same key and the same request returns the stored receipt, marked as a
//   replay, and does NOT charge again.
// - The same key with a *different* request is a client bug: reject it (Stripe answers 422)
//   instead of silently returning the receipt of another charge. To notice, store a
//   fingerprint of the request: the SHA-256 of its JSON.
// - A request without a key, or with an empty one (`Idempotency-Key:` with no value), is
//   rejected (400): this endpoint is too dangerous without one.
// - Keys belong to a customer: two customers who both use "k1" are two different operations.

use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChargeRequest {
    pub customer: String,
    pub amount_cents: u64,
    pub currency: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Receipt {
    pub charge_id: usize,
    pub amount_cents: u64,
}

#[derive(Debug, PartialEq)]
pub struct Charged {
    pub receipt: Receipt,
    /// True when the receipt comes from the store (sent as `Idempotent-Replayed: true`).
    pub replayed: bool,
}

#[derive(Debug, PartialEq)]
pub enum IdempotencyError {
    /// 400 Bad Request
    MissingKey,
    /// 422 Unprocessable Content
    KeyReusedWithDifferentRequest,
}

/// A fake payment gateway: the side effect we must not repeat.
#[derive(Default)]
pub struct Gateway {
    charges: Vec<ChargeRequest>,
}

impl Gateway {
    fn charge(&mut self, request: &ChargeRequest) -> Receipt {
        self.charges.push(request.clone());
        Receipt {
            charge_id: self.charges.len(),
            amount_cents: request.amount_cents,
        }
    }
}

struct StoredResult {
    fingerprint: String,
    receipt: Receipt,
}

/// Hex SHA-256 of the request's JSON form.
pub fn fingerprint(request: &ChargeRequest) -> String {
    // TODO: serialize the request to JSON with serde_json, hash it with sha2's `Sha256` and
    // format the 32 bytes as lowercase hex.
    todo!("fingerprint {request:?}")
}

#[derive(Default)]
pub struct PaymentService {
    gateway: Gateway,
    /// (customer, idempotency key) -> what happened the first time
    results: HashMap<(String, String), StoredResult>,
}

impl PaymentService {
    pub fn charge(
        &mut self,
        idempotency_key: Option<&str>,
        request: &ChargeRequest,
    ) -> Result<Charged, IdempotencyError> {
        // TODO: today every request charges the card, retries included.
        // - no key, or an empty one: MissingKey;
        // - (customer, key) seen before: same fingerprint -> the stored receipt as a replay,
        //   different fingerprint -> KeyReusedWithDifferentRequest;
        // - new (customer, key): charge, store fingerprint and receipt, return it.
        let receipt = self.gateway.charge(request);
        Ok(Charged {
            receipt,
            replayed: false,
        })
    }

    pub fn charges_made(&self) -> usize {
        self.gateway.charges.len()
    }
}

fn main() {
    let mut service = PaymentService::default();
    let request = ChargeRequest {
        customer: "cus_42".into(),
        amount_cents: 1_999,
        currency: "EUR".into(),
    };
    println!("{:?}", service.charge(Some("order-1001"), &request));
    println!("{:?}", service.charge(Some("order-1001"), &request));
    println!("card charged {} time(s)", service.charges_made());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(customer: &str, amount_cents: u64) -> ChargeRequest {
        ChargeRequest {
            customer: customer.to_string(),
            amount_cents,
            currency: "EUR".to_string(),
        }
    }

    #[test]
    fn first_request_charges() {
        let mut service = PaymentService::default();
        let charged = service.charge(Some("k1"), &request("alice", 500)).unwrap();
        assert!(!charged.replayed, "a new key is not a replay");
        assert_eq!(charged.receipt.amount_cents, 500);
        assert_eq!(service.charges_made(), 1);
    }

    #[test]
    fn retry_returns_stored_result_without_charging_again() {
        let mut service = PaymentService::default();
        let first = service.charge(Some("k1"), &request("alice", 500)).unwrap();
        let retry = service.charge(Some("k1"), &request("alice", 500)).unwrap();
        assert_eq!(
            retry.receipt, first.receipt,
            "the retry gets the receipt of the first charge"
        );
        assert!(retry.replayed, "and it is marked as a replay");
        assert_eq!(
            service.charges_made(),
            1,
            "the whole point: the card is charged once, however often the client retries"
        );
    }

    #[test]
    fn different_keys_are_different_charges() {
        let mut service = PaymentService::default();
        let a = service.charge(Some("k1"), &request("alice", 500)).unwrap();
        let b = service.charge(Some("k2"), &request("alice", 500)).unwrap();
        assert_ne!(
            a.receipt.charge_id, b.receipt.charge_id,
            "a new key means a new operation, even for the same amount"
        );
        assert_eq!(service.charges_made(), 2);
    }

    #[test]
    fn same_key_with_different_request_is_rejected() {
        let mut service = PaymentService::default();
        service.charge(Some("k1"), &request("alice", 500)).unwrap();
        assert_eq!(
            service.charge(Some("k1"), &request("alice", 50_000)),
            Err(IdempotencyError::KeyReusedWithDifferentRequest),
            "k1 was used for 5.00 EUR; reusing it for 500.00 EUR is a client bug: 422, \
             not the old receipt and not a new charge"
        );
        let in_dollars = ChargeRequest {
            currency: "USD".to_string(),
            ..request("alice", 500)
        };
        assert_eq!(
            service.charge(Some("k1"), &in_dollars),
            Err(IdempotencyError::KeyReusedWithDifferentRequest),
            "same amount in another currency is another request: the whole request counts"
        );
        assert_eq!(service.charges_made(), 1);
    }
    #[test]
    fn a_rejected_reuse_does_not_replace_what_the_key_stands_for() {
        let mut service = PaymentService::default();
        let first = service.charge(Some("k"), &request("alice", 500)).unwrap();
        for _ in 0..2 {
            assert_eq!(
                service.charge(Some("k"), &request("alice", 900)),
                Err(IdempotencyError::KeyReusedWithDifferentRequest),
                "k stands for the 5.00 EUR charge: a 9.00 EUR request under it is refused, \
                 the second time too"
            );
        }
        let retry = service.charge(Some("k"), &request("alice", 500)).unwrap();
        assert_eq!(
            (retry.receipt, retry.replayed),
            (first.receipt, true),
            "a refused request stores nothing: the retry of the original request still gets \
             its receipt, replayed"
        );
        assert_eq!(service.charges_made(), 1);
    }

    #[test]
    fn missing_key_is_rejected() {
        let mut service = PaymentService::default();
        assert_eq!(
            service.charge(None, &request("alice", 500)),
            Err(IdempotencyError::MissingKey),
            "no Idempotency-Key header: 400, and no charge"
        );
        assert_eq!(service.charges_made(), 0);
        for _ in 0..2 {
            assert_eq!(
                service.charge(Some(""), &request("alice", 500)),
                Err(IdempotencyError::MissingKey),
                "an empty Idempotency-Key is no key: every client sending it would share one \
                 operation (the second charge a replay of the first)"
            );
        }
        assert_eq!(service.charges_made(), 0);
    }

    #[test]
    fn keys_are_scoped_per_customer() {
        let mut service = PaymentService::default();
        service.charge(Some("k1"), &request("alice", 500)).unwrap();
        let bob = service.charge(Some("k1"), &request("bob", 700)).unwrap();
        assert!(
            !bob.replayed,
            "bob's 'k1' has nothing to do with alice's 'k1': a new charge, not an error"
        );
        assert_eq!(service.charges_made(), 2);
    }

    #[test]
    fn keys_are_opaque_case_sensitive_strings() {
        let mut service = PaymentService::default();
        service
            .charge(Some("Order-1"), &request("alice", 500))
            .unwrap();
        for other_key in ["order-1", "ORDER-1", " Order-1", "Order-1 "] {
            let charged = service
                .charge(Some(other_key), &request("alice", 500))
                .unwrap();
            assert!(
                !charged.replayed,
                "{other_key:?} is not \"Order-1\": keys are opaque strings, compared exactly \
                 (no trimming, no case folding); a different key is a different operation"
            );
        }
        assert_eq!(service.charges_made(), 5);
    }

    #[test]
    fn customer_and_key_cannot_run_into_each_other() {
        let mut service = PaymentService::default();
        service.charge(Some("c"), &request("a:b", 500)).unwrap();
        let other = service.charge(Some("b:c"), &request("a", 500));
        assert_eq!(
            other.map(|charged| charged.replayed),
            Ok(false),
            "customer \"a:b\" with key \"c\" and customer \"a\" with key \"b:c\" are two \
             operations: keep the pair, not the two joined into one string"
        );
        assert_eq!(service.charges_made(), 2);
    }

    #[test]
    fn fingerprint_is_sha256_hex_of_the_json() {
        let a = fingerprint(&request("alice", 500));
        assert_eq!(a.len(), 64, "SHA-256 is 32 bytes: 64 hex characters");
        assert_eq!(
            a, "609d1625832ee7aa852c205208d8a834ed2c25c12a19cdbdebdda965bada58c0",
            "lower-case hex SHA-256 of the JSON \
             {{\"customer\":\"alice\",\"amount_cents\":500,\"currency\":\"EUR\"}} \
             (serde_json's compact form, fields in declaration order)"
        );
        assert_eq!(
            a,
            fingerprint(&request("alice", 500)),
            "equal requests give equal fingerprints"
        );
        assert_ne!(
            a,
            fingerprint(&request("alice", 501)),
            "one cent makes a different request"
        );
    }
}
