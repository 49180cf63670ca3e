//! The Groth16 prover of snarkjs' `groth16.prove`, step for step, over arkworks' BN254: the same key, the same witness,
//! proofs that snarkjs' verifier (and any other Groth16 verifier of the key) accepts.
use crate::zkey::{Matrix, ProvingKey, Result};
use ark_bn254::{Fr, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::{AffineRepr, CurveGroup, VariableBaseMSM};
use ark_ff::{Field, One, UniformRand, Zero};
use ark_poly::{EvaluationDomain, Radix2EvaluationDomain};
use rand::RngCore;

pub struct Proof {
    pub a: G1Affine,
    pub b: G2Affine,
    pub c: G1Affine,
    pub public_signals: Vec<Fr>,
}

/// The QAP's quotient evaluated where the key's H points expect it: A·B − C on the odd coset of the 2n-th roots of unity
/// (snarkjs' layout, not arkworks' own reduction).
fn quotient_on_odd_coset(key: &ProvingKey, witness: &[Fr]) -> Result<Vec<Fr>> {
    let n = key.domain_size;
    let domain = Radix2EvaluationDomain::<Fr>::new(n).ok_or("domain too large for BN254")?;
    let double = Radix2EvaluationDomain::<Fr>::new(2 * n).ok_or("domain too large for BN254")?;
    let mut a = vec![Fr::zero(); n];
    let mut b = vec![Fr::zero(); n];
    for coefficient in &key.coefficients {
        let target = match coefficient.matrix {
            Matrix::A => &mut a,
            Matrix::B => &mut b,
        };
        target[coefficient.constraint] += coefficient.value * witness[coefficient.signal];
    }
    let mut c: Vec<Fr> = a.iter().zip(&b).map(|(x, y)| *x * y).collect();
    let shift = double.group_gen();
    for values in [&mut a, &mut b, &mut c] {
        domain.ifft_in_place(values);
        let mut power = Fr::ONE;
        for value in values.iter_mut() {
            *value *= power;
            power *= shift;
        }
        domain.fft_in_place(values);
    }
    Ok(a.iter()
        .zip(&b)
        .zip(&c)
        .map(|((x, y), z)| *x * y - z)
        .collect())
}

/// An MSM that first takes out the witness's zeros and ones: circom circuits are mostly bits (range checks), and an
/// 837-signal supplier-risk witness has 381 zeros and 407 ones, leaving 49 scalars for Pippenger.
fn sparse_msm<G>(bases: &[G::MulBase], scalars: &[Fr]) -> G
where
    G: VariableBaseMSM<ScalarField = Fr>,
    for<'a> G: std::ops::AddAssign<&'a G::MulBase>,
{
    let mut ones = G::zero();
    let mut rest_bases = Vec::new();
    let mut rest_scalars = Vec::new();
    for (base, scalar) in bases.iter().zip(scalars) {
        if scalar.is_zero() {
            continue;
        }
        if scalar.is_one() {
            ones += base;
        } else {
            rest_bases.push(*base);
            rest_scalars.push(*scalar);
        }
    }
    ones + G::msm_unchecked(&rest_bases, &rest_scalars)
}

pub fn prove(key: &ProvingKey, witness: &[Fr], rng: &mut impl RngCore) -> Result<Proof> {
    if witness.len() != key.n_vars {
        return Err(format!(
            "the witness has {} values, the circuit {}",
            witness.len(),
            key.n_vars
        ));
    }
    if witness[0] != Fr::ONE {
        return Err("the witness does not start with the constant 1".into());
    }
    let h = quotient_on_odd_coset(key, witness)?;
    let private = &witness[key.n_public + 1..];

    let r = Fr::rand(rng);
    let s = Fr::rand(rng);
    let pi_a = sparse_msm::<G1Projective>(&key.a, witness) + key.alpha1 + key.delta1 * r;
    let pi_b = sparse_msm::<G2Projective>(&key.b2, witness) + key.beta2 + key.delta2 * s;
    let b1 = sparse_msm::<G1Projective>(&key.b1, witness) + key.beta1 + key.delta1 * s;
    let pi_c = sparse_msm::<G1Projective>(&key.c, private) + key.h.msm(&h) + pi_a * s + b1 * r
        - key.delta1.into_group() * (r * s);
    Ok(Proof {
        a: pi_a.into_affine(),
        b: pi_b.into_affine(),
        c: pi_c.into_affine(),
        public_signals: witness[1..=key.n_public].to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_coset_shift_is_the_double_domains_generator() {
        let n = Radix2EvaluationDomain::<Fr>::new(8).unwrap();
        let double = Radix2EvaluationDomain::<Fr>::new(16).unwrap();
        assert_eq!(double.group_gen().square(), n.group_gen());
        assert_ne!(double.group_gen().pow([8u64]), Fr::ONE);
    }
}
