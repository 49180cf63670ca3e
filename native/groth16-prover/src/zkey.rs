//! Reading the two iden3 binary files a proof needs: the proving key (`.zkey`, written by snarkjs) and the witness
//! (`.wtns`, written by circom's witness calculator). Both are "binfiles": a 4-byte magic, a version, a section count,
//! then sections of (type u32, size u64, bytes). Field elements are 32-byte little-endian; the key's curve points and
//! coefficients are in Montgomery form, the witness in standard form.
use crate::fixed_base::FixedBaseMsm;
use ark_bn254::{Fq, Fq2, Fr, G1Affine, G2Affine};
use ark_ff::{BigInt, PrimeField};
use std::collections::HashMap;

pub type Result<T> = std::result::Result<T, String>;

const GROTH16_PROTOCOL: u32 = 1;
const N8: usize = 32;

struct BinFile<'a> {
    sections: HashMap<u32, &'a [u8]>,
}

impl<'a> BinFile<'a> {
    fn parse(bytes: &'a [u8], magic: &[u8; 4]) -> Result<Self> {
        if bytes.len() < 12 || &bytes[0..4] != magic {
            return Err(format!("not a {} file", String::from_utf8_lossy(magic)));
        }
        let count = u32_at(bytes, 8)?;
        let mut sections = HashMap::new();
        let mut at = 12usize;
        for _ in 0..count {
            let kind = u32_at(bytes, at)?;
            let size = usize::try_from(u64_at(bytes, at + 4)?)
                .map_err(|_| "section too large".to_string())?;
            let start = at + 12;
            let end = start
                .checked_add(size)
                .filter(|end| *end <= bytes.len())
                .ok_or("truncated section")?;
            if sections.insert(kind, &bytes[start..end]).is_some() {
                return Err(format!("section {kind} appears twice"));
            }
            at = end;
        }
        Ok(Self { sections })
    }

    fn section(&self, kind: u32) -> Result<&'a [u8]> {
        self.sections
            .get(&kind)
            .copied()
            .ok_or_else(|| format!("section {kind} is missing"))
    }
}

fn u32_at(bytes: &[u8], at: usize) -> Result<u32> {
    let slice = bytes.get(at..at + 4).ok_or("truncated file")?;
    Ok(u32::from_le_bytes(slice.try_into().unwrap()))
}

fn u64_at(bytes: &[u8], at: usize) -> Result<u64> {
    let slice = bytes.get(at..at + 8).ok_or("truncated file")?;
    Ok(u64::from_le_bytes(slice.try_into().unwrap()))
}

fn limbs(bytes: &[u8]) -> BigInt<4> {
    let mut out = [0u64; 4];
    for (i, limb) in out.iter_mut().enumerate() {
        *limb = u64::from_le_bytes(bytes[i * 8..i * 8 + 8].try_into().unwrap());
    }
    BigInt::new(out)
}

/// A base-field element stored in Montgomery form (arkworks keeps the same form, R = 2^256), refused when its
/// representation is not below the field's modulus (arkworks' arithmetic assumes reduced limbs).
fn fq_montgomery(bytes: &[u8]) -> Result<Fq> {
    let value = limbs(bytes);
    if value >= Fq::MODULUS {
        return Err("proving key: a coordinate is not below the base field's modulus".to_string());
    }
    Ok(Fq::new_unchecked(value))
}

/// A scalar in standard form, refused when it is not below the group order.
fn fr_standard(bytes: &[u8]) -> Result<Fr> {
    Fr::from_bigint(limbs(bytes)).ok_or_else(|| "witness value out of range".to_string())
}

/// snarkjs stores the QAP coefficients multiplied by R twice (its prover multiplies them with standard-form witness
/// values in Montgomery arithmetic); one reading as Montgomery and a second one undoes both factors.
fn fr_coefficient(bytes: &[u8]) -> Fr {
    Fr::new_unchecked(Fr::new_unchecked(limbs(bytes)).into_bigint())
}

/// A G1 point of the proving key, refused when it is not on the curve (BN254's G1 has cofactor 1, so a point on the
/// curve is in the group). A malformed key would otherwise give proofs that fail only at the verifier.
fn g1(bytes: &[u8]) -> Result<G1Affine> {
    if bytes.iter().all(|b| *b == 0) {
        return Ok(G1Affine::identity());
    }
    let point = G1Affine::new_unchecked(
        fq_montgomery(&bytes[0..N8])?,
        fq_montgomery(&bytes[N8..2 * N8])?,
    );
    if !point.is_on_curve() {
        return Err("proving key: a G1 point is not on the curve".to_string());
    }
    Ok(point)
}

/// A G2 point of the proving key, refused when it is not on the twist. (Subgroup membership is not checked per point:
/// it costs a scalar multiplication each; a key from outside the subgroup gives proofs the first-proof check and the
/// verifier refuse.)
fn g2(bytes: &[u8]) -> Result<G2Affine> {
    if bytes.iter().all(|b| *b == 0) {
        return Ok(G2Affine::identity());
    }
    let fq2 = |b: &[u8]| -> Result<Fq2> {
        Ok(Fq2::new(
            fq_montgomery(&b[0..N8])?,
            fq_montgomery(&b[N8..2 * N8])?,
        ))
    };
    let point = G2Affine::new_unchecked(fq2(&bytes[0..2 * N8])?, fq2(&bytes[2 * N8..4 * N8])?);
    if !point.is_on_curve() {
        return Err("proving key: a G2 point is not on the twist".to_string());
    }
    Ok(point)
}

fn points<T>(
    section: &[u8],
    size: usize,
    count: usize,
    read: impl Fn(&[u8]) -> Result<T>,
) -> Result<Vec<T>> {
    if section.len() != size * count {
        return Err(format!(
            "expected {count} points of {size} bytes, found {} bytes",
            section.len()
        ));
    }
    section.chunks_exact(size).map(read).collect()
}

/// Which matrix a coefficient belongs to.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Matrix {
    A,
    B,
}

pub struct Coefficient {
    pub matrix: Matrix,
    pub constraint: usize,
    pub signal: usize,
    pub value: Fr,
}

/// A Groth16 proving key as snarkjs lays it out.
pub struct ProvingKey {
    pub n_vars: usize,
    pub n_public: usize,
    pub domain_size: usize,
    pub alpha1: G1Affine,
    pub beta1: G1Affine,
    pub beta2: G2Affine,
    pub delta1: G1Affine,
    pub delta2: G2Affine,
    pub coefficients: Vec<Coefficient>,
    pub a: Vec<G1Affine>,
    pub b1: Vec<G1Affine>,
    pub b2: Vec<G2Affine>,
    pub c: Vec<G1Affine>,
    /// The H points, with their window shifts for the proof's one dense MSM (fixed_base.rs).
    pub h: FixedBaseMsm,
}

fn expect_bn254(section: &[u8], at: usize, modulus: BigInt<4>, what: &str) -> Result<usize> {
    let n8 = u32_at(section, at)? as usize;
    let value = section.get(at + 4..at + 4 + n8).ok_or("truncated header")?;
    if n8 != N8 || limbs(value) != modulus {
        return Err(format!("the {what} is not BN254's"));
    }
    Ok(at + 4 + n8)
}

impl ProvingKey {
    pub fn parse(bytes: &[u8]) -> Result<Self> {
        let file = BinFile::parse(bytes, b"zkey")?;
        if u32_at(file.section(1)?, 0)? != GROTH16_PROTOCOL {
            return Err("the key is not a Groth16 key".into());
        }
        let header = file.section(2)?;
        let mut at = expect_bn254(header, 0, Fq::MODULUS, "base field")?;
        at = expect_bn254(header, at, Fr::MODULUS, "scalar field")?;
        let n_vars = u32_at(header, at)? as usize;
        let n_public = u32_at(header, at + 4)? as usize;
        let domain_size = u32_at(header, at + 8)? as usize;
        if !domain_size.is_power_of_two() || n_public + 1 > n_vars {
            return Err("inconsistent key header".into());
        }
        at += 12;
        let mut take = |len: usize| -> Result<&[u8]> {
            let slice = header.get(at..at + len).ok_or("truncated key header")?;
            at += len;
            Ok(slice)
        };
        let alpha1 = g1(take(2 * N8)?)?;
        let beta1 = g1(take(2 * N8)?)?;
        let beta2 = g2(take(4 * N8)?)?;
        let _gamma2 = g2(take(4 * N8)?)?;
        let delta1 = g1(take(2 * N8)?)?;
        let delta2 = g2(take(4 * N8)?)?;

        let raw = file.section(4)?;
        let count = u32_at(raw, 0)? as usize;
        let entry = 12 + N8;
        if raw.len() != 4 + count * entry {
            return Err("the coefficient section has the wrong size".into());
        }
        let mut coefficients = Vec::with_capacity(count);
        for chunk in raw[4..].chunks_exact(entry) {
            let matrix = match u32_at(chunk, 0)? {
                0 => Matrix::A,
                1 => Matrix::B,
                other => return Err(format!("coefficient of unknown matrix {other}")),
            };
            let constraint = u32_at(chunk, 4)? as usize;
            let signal = u32_at(chunk, 8)? as usize;
            if constraint >= domain_size || signal >= n_vars {
                return Err("coefficient outside the circuit".into());
            }
            coefficients.push(Coefficient {
                matrix,
                constraint,
                signal,
                value: fr_coefficient(&chunk[12..]),
            });
        }
        Ok(Self {
            n_vars,
            n_public,
            domain_size,
            alpha1,
            beta1,
            beta2,
            delta1,
            delta2,
            coefficients,
            a: points(file.section(5)?, 2 * N8, n_vars, g1)?,
            b1: points(file.section(6)?, 2 * N8, n_vars, g1)?,
            b2: points(file.section(7)?, 4 * N8, n_vars, g2)?,
            c: points(file.section(8)?, 2 * N8, n_vars - n_public - 1, g1)?,
            h: FixedBaseMsm::new(&points(file.section(9)?, 2 * N8, domain_size, g1)?),
        })
    }
}

/// The witness values of one circuit run, in signal order (signal 0 is the constant 1).
pub fn parse_witness(bytes: &[u8]) -> Result<Vec<Fr>> {
    let file = BinFile::parse(bytes, b"wtns")?;
    let header = file.section(1)?;
    let after = expect_bn254(header, 0, Fr::MODULUS, "witness field")?;
    let count = u32_at(header, after)? as usize;
    let values = file.section(2)?;
    if values.len() != count * N8 {
        return Err("the witness section has the wrong size".into());
    }
    values.chunks_exact(N8).map(fr_standard).collect()
}
