//! Groth16 verification of snarkjs-format proofs under a snarkjs-format verification key, over arkworks' BN254: the
//! check snarkjs' `groth16.verify` makes (public inputs reduced below r, proof points well formed, then
//! e(A, B) = e(α, β) · e(Σ xᵢ·ICᵢ, γ) · e(C, δ)), at native speed, and stricter on one point: every G2 point (the proof's B
//! and the key's β, γ, δ) must lie in the prime-order subgroup, not only on the twist.
//!
//! Prepared keys (α·β paired once, −γ and −δ prepared for the Miller loop) are kept by the key's JSON text.
use crate::bounded_cache::BoundedCache;
use ark_bn254::{Bn254, Fq, Fq2, Fr, G1Affine, G1Projective, G2Affine};
use ark_ec::pairing::{Pairing, PairingOutput};
use ark_ec::{AffineRepr, CurveGroup, VariableBaseMSM};
use ark_ff::{One, PrimeField};
use serde_json::Value;
use std::sync::Arc;

pub type Result<T> = std::result::Result<T, String>;

/// Why a proof is refused (a proof that does not verify is `Ok(false)`; these are the shapes that never could).
fn refuse<T>(what: &str) -> Result<T> {
    Err(what.to_string())
}

/// A decimal field element, accepted only in canonical form: digits only, no leading zeros, below the modulus.
/// (arkworks' `from_str` reduces modulo p; a value ≥ p would otherwise pass as its remainder.)
fn canonical<F: PrimeField>(text: &str) -> Option<F> {
    if text.is_empty() || text.len() > 80 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value = F::from_str(text).ok()?;
    (value.into_bigint().to_string() == text).then_some(value)
}

fn text(value: &Value) -> Option<&str> {
    value.as_str()
}

fn fq(value: &Value) -> Option<Fq> {
    canonical::<Fq>(text(value)?)
}

/// A G1 point in snarkjs' projective JSON, `[x, y, "1"]`: affine (z = 1) and on the curve. BN254's G1 has cofactor 1,
/// so on the curve is in the group.
fn g1(value: &Value) -> Option<G1Affine> {
    let [x, y, z] = value.as_array()?.as_slice() else {
        return None;
    };
    if text(z)? != "1" {
        return None;
    }
    let point = G1Affine::new_unchecked(fq(x)?, fq(y)?);
    point.is_on_curve().then_some(point)
}

/// A G2 point, `[[x.c0, x.c1], [y.c0, y.c1], ["1", "0"]]`: affine, on the twist and in the r-torsion subgroup.
fn g2(value: &Value) -> Option<G2Affine> {
    let [x, y, z] = value.as_array()?.as_slice() else {
        return None;
    };
    let pair = |v: &Value| -> Option<Fq2> {
        let [c0, c1] = v.as_array()?.as_slice() else {
            return None;
        };
        Some(Fq2::new(fq(c0)?, fq(c1)?))
    };
    if pair(z)? != Fq2::one() {
        return None;
    }
    let point = G2Affine::new_unchecked(pair(x)?, pair(y)?);
    (point.is_on_curve() && point.is_in_correct_subgroup_assuming_on_curve()).then_some(point)
}

pub struct PreparedKey {
    alpha_beta: PairingOutput<Bn254>,
    neg_gamma: <Bn254 as Pairing>::G2Prepared,
    neg_delta: <Bn254 as Pairing>::G2Prepared,
    ic: Vec<G1Affine>,
}

impl PreparedKey {
    pub fn parse(key: &Value) -> Result<Self> {
        if key.get("protocol").and_then(Value::as_str) != Some("groth16")
            || key.get("curve").and_then(Value::as_str) != Some("bn128")
        {
            return refuse("verification key: not a groth16 key on bn128");
        }
        let point2 = |name: &str| {
            key.get(name)
                .and_then(g2)
                .ok_or_else(|| format!("verification key: {name} is not a point of G2"))
        };
        let alpha = key
            .get("vk_alpha_1")
            .and_then(g1)
            .ok_or("verification key: vk_alpha_1 is not a point of G1")?;
        let beta = point2("vk_beta_2")?;
        let gamma = point2("vk_gamma_2")?;
        let delta = point2("vk_delta_2")?;
        let ic = key
            .get("IC")
            .and_then(Value::as_array)
            .ok_or("verification key: IC is missing")?
            .iter()
            .map(g1)
            .collect::<Option<Vec<_>>>()
            .ok_or("verification key: an IC point is not a point of G1")?;
        if ic.is_empty() {
            return refuse("verification key: IC is empty");
        }
        if let Some(n) = key.get("nPublic").and_then(Value::as_u64) {
            if n as usize + 1 != ic.len() {
                return refuse("verification key: nPublic does not match IC");
            }
        }
        Ok(PreparedKey {
            alpha_beta: Bn254::pairing(alpha, beta),
            neg_gamma: (-gamma).into(),
            neg_delta: (-delta).into(),
            ic,
        })
    }

    /// Whether the proof verifies for these public signals. A malformed proof (points off the curve or outside the
    /// subgroup, coordinates not canonical, signals ≥ r or of the wrong count) does not verify.
    pub fn verify(&self, proof: &Value, public_signals: &Value) -> bool {
        let Some(signals) = public_signals.as_array() else {
            return false;
        };
        if signals.len() + 1 != self.ic.len() {
            return false;
        }
        let Some(scalars) = signals
            .iter()
            .map(|s| canonical::<Fr>(text(s)?))
            .collect::<Option<Vec<Fr>>>()
        else {
            return false;
        };
        let (Some(a), Some(b), Some(c)) = (
            proof.get("pi_a").and_then(g1),
            proof.get("pi_b").and_then(g2),
            proof.get("pi_c").and_then(g1),
        ) else {
            return false;
        };
        if a.is_zero() || b.is_zero() || c.is_zero() {
            return false;
        }
        let inputs = G1Projective::msm(&self.ic[1..], &scalars).map(|sum| sum + self.ic[0]);
        let Ok(inputs) = inputs else { return false };
        let product = Bn254::multi_pairing(
            [a, inputs.into_affine(), c],
            [
                <Bn254 as Pairing>::G2Prepared::from(b),
                self.neg_gamma.clone(),
                self.neg_delta.clone(),
            ],
        );
        product == self.alpha_beta
    }
}

const KEYS_KEPT: usize = 64;

/// Prepared verification keys by their JSON text (a few kilobytes each), oldest dropped first.
pub struct VerifyingKeys(BoundedCache<String, Arc<PreparedKey>>);

impl Default for VerifyingKeys {
    fn default() -> Self {
        VerifyingKeys(BoundedCache::new(KEYS_KEPT))
    }
}

impl VerifyingKeys {
    pub fn get(&mut self, key: &Value) -> Result<Arc<PreparedKey>> {
        let text = key.to_string();
        if let Some(found) = self.0.get(&text) {
            return Ok(found.clone());
        }
        let prepared = Arc::new(PreparedKey::parse(key)?);
        self.0.insert(text, prepared.clone());
        Ok(prepared)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ff::Zero;

    #[test]
    fn canonical_refuses_values_at_or_above_the_modulus_and_leading_zeros() {
        let r = Fr::MODULUS.to_string();
        assert!(canonical::<Fr>(&r).is_none());
        assert!(canonical::<Fr>("007").is_none());
        assert!(canonical::<Fr>("-7").is_none());
        assert!(canonical::<Fr>("").is_none());
        assert_eq!(canonical::<Fr>("7"), Some(Fr::from(7u64)));
        assert_eq!(canonical::<Fr>("0"), Some(Fr::zero()));
    }

    #[test]
    fn g1_refuses_a_point_off_the_curve_and_a_projective_z() {
        let generator = G1Affine::generator();
        let d = |v: Fq| v.into_bigint().to_string();
        let good = serde_json::json!([d(generator.x), d(generator.y), "1"]);
        assert!(g1(&good).is_some());
        let off = serde_json::json!([d(generator.x), d(generator.y + Fq::one()), "1"]);
        assert!(g1(&off).is_none());
        let projective = serde_json::json!([d(generator.x), d(generator.y), "2"]);
        assert!(g1(&projective).is_none());
    }

    #[test]
    fn g2_refuses_a_twist_point_outside_the_subgroup() {
        // Search the twist for a point whose order is not r: BN254's G2 cofactor is large, so almost every point qualifies.
        let mut x = Fq2::new(Fq::from(1u64), Fq::zero());
        let outside = loop {
            if let Some(point) = G2Affine::get_point_from_x_unchecked(x, false) {
                if !point.is_in_correct_subgroup_assuming_on_curve() {
                    break point;
                }
            }
            x += Fq2::one();
        };
        let d = |v: Fq| v.into_bigint().to_string();
        let json = |p: G2Affine| {
            serde_json::json!([[d(p.x.c0), d(p.x.c1)], [d(p.y.c0), d(p.y.c1)], ["1", "0"]])
        };
        assert!(g2(&json(G2Affine::generator())).is_some());
        assert!(g2(&json(outside)).is_none());
    }
}
