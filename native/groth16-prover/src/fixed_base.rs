//! A multi-scalar multiplication over bases fixed for the key's lifetime (the H points of a proving key): every base is
//! stored with its shifts 2^(c·j)·P for each c-bit window j, so one proof's MSM is one round of signed-digit bucket
//! additions over all windows at once. Against arkworks' windowed MSM (a bucket round and c doublings per window) it
//! drops the per-window bucket sums and the doublings: about 2.5 times fewer group operations on a 1024-point H, for
//! about 1.6 MB of table for a 1,024-point H (22 windows of 12 bits, 72 bytes an affine point; 3.2 MB for 2,048).
//! The buckets are summed in affine coordinates, pairwise in rounds with one batched field inversion per round (about
//! six multiplications an addition, against eleven for a projective-plus-affine one): 10 → 6 ms per 1,024-point MSM.
use ark_bn254::{Fq, Fr, G1Affine, G1Projective};
use ark_ec::{AdditiveGroup, CurveGroup};
use ark_ff::{batch_inversion, Field, PrimeField, Zero};

/// Window width in bits. 12 minimises mixed additions (n·⌈255/c⌉) plus the one bucket sum (2·2^(c−1)) for keys of
/// 1,000 to 4,000 H points, the sizes of the engine's circuits.
const WINDOW_BITS: usize = 12;

pub struct FixedBaseMsm {
    /// Shifted bases, base-major: `table[i * windows + j]` = 2^(WINDOW_BITS·j)·bases[i].
    table: Vec<G1Affine>,
    windows: usize,
    len: usize,
}

/// Signed c-bit digits of a scalar, least significant first, each in [−2^(c−1), 2^(c−1)): a digit at or above half the
/// window borrows from the next one. One window more than the scalar's bits need leaves room for the last carry.
fn signed_digits(scalar: &Fr, c: usize, windows: usize, out: &mut Vec<i32>) {
    let limbs = scalar.into_bigint().0;
    let limb = |k: usize| limbs.get(k).copied().unwrap_or(0);
    let mask = (1u64 << c) - 1;
    let half = 1i64 << (c - 1);
    let mut carry = 0i64;
    for j in 0..windows {
        let (at, off) = ((j * c) / 64, (j * c) % 64);
        let mut window = limb(at) >> off;
        if off + c > 64 {
            window |= limb(at + 1) << (64 - off);
        }
        let mut digit = (window & mask) as i64 + carry;
        carry = 0;
        if digit >= half {
            digit -= 1 << c;
            carry = 1;
        }
        out.push(digit as i32);
    }
    debug_assert_eq!(carry, 0, "the scalar needs more windows than allotted");
}

impl FixedBaseMsm {
    pub fn new(bases: &[G1Affine]) -> Self {
        let windows = (Fr::MODULUS_BIT_SIZE as usize + 1).div_ceil(WINDOW_BITS);
        let mut shifted = Vec::with_capacity(bases.len() * windows);
        for base in bases {
            let mut point = G1Projective::from(*base);
            for _ in 0..windows {
                shifted.push(point);
                for _ in 0..WINDOW_BITS {
                    point.double_in_place();
                }
            }
        }
        FixedBaseMsm {
            table: G1Projective::normalize_batch(&shifted),
            windows,
            len: bases.len(),
        }
    }

    /// Σ scalars[i]·bases[i] over the first min(len, scalars.len()) pairs, as arkworks' `msm_unchecked` would give.
    pub fn msm(&self, scalars: &[Fr]) -> G1Projective {
        let buckets = 1usize << (WINDOW_BITS - 1);
        // Each nonzero digit d of scalar i in window j puts ±table[i][j] into bucket |d| − 1. The points are laid out bucket
        // by bucket (a counting sort on the digits), so each bucket's points can be summed in affine coordinates below.
        let count = scalars.len().min(self.len);
        let mut digits = Vec::with_capacity(count * self.windows);
        for scalar in &scalars[..count] {
            signed_digits(scalar, WINDOW_BITS, self.windows, &mut digits);
        }
        // Bucket b holds the points of digits ±(b + 1): its points are points[starts[b] .. starts[b + 1]].
        let mut starts = vec![0usize; buckets + 1];
        for &digit in &digits {
            if digit != 0 {
                starts[digit.unsigned_abs() as usize] += 1;
            }
        }
        for b in 1..=buckets {
            starts[b] += starts[b - 1];
        }
        let mut next = starts.clone();
        let mut points = vec![G1Affine::identity(); starts[buckets]];
        for (entry, &digit) in digits.iter().enumerate() {
            if digit == 0 {
                continue;
            }
            let b = digit.unsigned_abs() as usize - 1;
            let point = self.table[entry];
            points[next[b]] = if digit > 0 { point } else { -point };
            next[b] += 1;
        }
        let mut lens: Vec<usize> = (0..buckets).map(|b| starts[b + 1] - starts[b]).collect();
        sum_segments_affine(&mut points, &starts[..buckets], &mut lens);
        // Σ (b + 1)·bucket[b] as running sums from the top: 2·2^(c−1) additions.
        let mut running = G1Projective::zero();
        let mut total = G1Projective::zero();
        for b in (0..buckets).rev() {
            if lens[b] == 1 {
                running += &points[starts[b]];
            }
            total += &running;
        }
        total
    }
}

/// Sums each segment `points[starts[k] .. starts[k] + lens[k]]` into its first point, leaving `lens[k]` 1 (or 0 for
/// an empty segment). In rounds: every segment adds its points in pairs, and all the pairs of a round share one field
/// inversion (Montgomery's trick), so an addition costs about six multiplications instead of a mixed addition's eleven.
/// Equal points are doubled, opposite points cancel, the identity is skipped.
fn sum_segments_affine(points: &mut [G1Affine], starts: &[usize], lens: &mut [usize]) {
    // Per pair: (segment, pair index within it), its denominator in `denominators` at the same position.
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut denominators: Vec<Fq> = Vec::new();
    loop {
        pairs.clear();
        denominators.clear();
        for (k, &len) in lens.iter().enumerate() {
            for pair in 0..len / 2 {
                let (a, b) = (
                    points[starts[k] + 2 * pair],
                    points[starts[k] + 2 * pair + 1],
                );
                pairs.push((k, pair));
                // A zero denominator (an identity, or opposite points) needs no inversion: batch_inversion skips it.
                denominators.push(if a.infinity || b.infinity {
                    Fq::ZERO
                } else if a.x != b.x {
                    b.x - a.x
                } else if a.y == b.y {
                    a.y.double()
                } else {
                    Fq::ZERO
                });
            }
        }
        if pairs.is_empty() {
            return;
        }
        batch_inversion(&mut denominators);
        for (&(k, pair), inverse) in pairs.iter().zip(&denominators) {
            let (a, b) = (
                points[starts[k] + 2 * pair],
                points[starts[k] + 2 * pair + 1],
            );
            points[starts[k] + pair] = add_affine(a, b, inverse);
        }
        for (k, len) in lens.iter_mut().enumerate() {
            if *len >= 2 {
                // An odd last point moves up behind the pair sums.
                if *len % 2 == 1 {
                    points[starts[k] + *len / 2] = points[starts[k] + *len - 1];
                }
                *len = len.div_ceil(2);
            }
        }
    }
}

/// a + b in affine coordinates, given the inverse of the denominator sum_segments_affine chose for them (zero when none
/// was needed: an identity, or a + b = 0).
fn add_affine(a: G1Affine, b: G1Affine, inverse: &Fq) -> G1Affine {
    if a.infinity {
        return b;
    }
    if b.infinity {
        return a;
    }
    let lambda = if a.x != b.x {
        (b.y - a.y) * inverse
    } else if a.y == b.y {
        // Doubling on y² = x³ + 3: λ = 3x² / 2y.
        let xx = a.x.square();
        (xx.double() + xx) * inverse
    } else {
        return G1Affine::identity();
    };
    let x = lambda.square() - a.x - b.x;
    let y = lambda * (a.x - x) - a.y;
    G1Affine::new_unchecked(x, y)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ec::{AffineRepr, VariableBaseMSM};
    use ark_ff::{Field, One, UniformRand};

    #[test]
    fn agrees_with_arkworks_msm_on_random_and_edge_scalars() {
        let mut rng = ark_std::test_rng();
        let bases: Vec<G1Affine> = (0..300)
            .map(|_| G1Projective::rand(&mut rng).into_affine())
            .collect();
        let table = FixedBaseMsm::new(&bases);
        let half = Fr::from(1u64 << (WINDOW_BITS - 1));
        let edges = [
            Fr::zero(),
            Fr::one(),
            -Fr::one(),
            half,
            half - Fr::one(),
            -half,
            Fr::from(u64::MAX),
            Fr::from(2u64).pow([253u64]),
        ];
        let mut scalars: Vec<Fr> = (0..300).map(|_| Fr::rand(&mut rng)).collect();
        for (slot, edge) in scalars.iter_mut().zip(edges.iter().cycle()).step_by(7) {
            *slot = *edge;
        }
        let expected = G1Projective::msm_unchecked(&bases, &scalars);
        assert_eq!(table.msm(&scalars), expected);
        // Fewer scalars than bases: only the pairs there are.
        assert_eq!(
            table.msm(&scalars[..17]),
            G1Projective::msm_unchecked(&bases[..17], &scalars[..17])
        );
        // A single base times r − 1 is its negation.
        let single = FixedBaseMsm::new(&[G1Affine::generator()]);
        assert_eq!(
            single.msm(&[-Fr::one()]),
            -G1Projective::from(G1Affine::generator())
        );
    }

    #[test]
    fn equal_opposite_and_identity_points_sum_right() {
        // The same base twice, its negation, the identity and another point: with equal scalars their shifted points
        // meet in the same buckets, so the affine sums double, cancel and skip the identity.
        let mut rng = ark_std::test_rng();
        let p = G1Projective::rand(&mut rng).into_affine();
        let q = G1Projective::rand(&mut rng).into_affine();
        let bases = vec![p, p, -p, G1Affine::identity(), q, p, -q];
        let table = FixedBaseMsm::new(&bases);
        for scalars in [
            vec![Fr::from(5u64); 7],
            vec![-Fr::from(5u64); 7],
            (0..7).map(|_| Fr::rand(&mut rng)).collect(),
        ] {
            assert_eq!(
                table.msm(&scalars),
                G1Projective::msm_unchecked(&bases, &scalars)
            );
        }
    }

    #[test]
    fn segment_sums_agree_with_projective_sums() {
        let mut rng = ark_std::test_rng();
        let p = G1Projective::rand(&mut rng).into_affine();
        // Segments of 0 to 40 points, among them repeats, negations and identities.
        let mut points = Vec::new();
        let mut starts = Vec::new();
        let mut lens = Vec::new();
        let o = G1Affine::identity();
        let mut segment = |members: Vec<G1Affine>| {
            starts.push(points.len());
            lens.push(members.len());
            points.extend(members);
        };
        // Pairs that double, cancel or meet the identity in the first round, and again in a later one.
        for members in [
            vec![p, p],
            vec![p, p, p],
            vec![p, -p],
            vec![o, o],
            vec![p, o],
            vec![p, p, -p, -p],
            vec![p, p, p, p],
            vec![p, -p, p, p, o],
        ] {
            segment(members);
        }
        for len in 0..41usize {
            segment(
                (0..len)
                    .map(|i| match i % 5 {
                        0 => p,
                        1 => -p,
                        2 => o,
                        _ => G1Projective::rand(&mut rng).into_affine(),
                    })
                    .collect(),
            );
        }
        let expected: Vec<G1Projective> = starts
            .iter()
            .zip(&lens)
            .map(|(&s, &l)| {
                points[s..s + l]
                    .iter()
                    .map(|a| G1Projective::from(*a))
                    .sum()
            })
            .collect();
        sum_segments_affine(&mut points, &starts, &mut lens);
        for (k, want) in expected.iter().enumerate() {
            let got = if lens[k] == 1 {
                G1Projective::from(points[starts[k]])
            } else {
                G1Projective::zero()
            };
            assert!(lens[k] <= 1);
            assert_eq!(got, *want, "segment {k}");
        }
    }

    #[test]
    fn digits_recompose_to_the_scalar() {
        let mut rng = ark_std::test_rng();
        let windows = (Fr::MODULUS_BIT_SIZE as usize + 1).div_ceil(WINDOW_BITS);
        for scalar in (0..200)
            .map(|_| Fr::rand(&mut rng))
            .chain([-Fr::one(), Fr::zero()])
        {
            let mut digits = Vec::new();
            signed_digits(&scalar, WINDOW_BITS, windows, &mut digits);
            let shift = Fr::from(1u64 << WINDOW_BITS);
            let recomposed = digits
                .iter()
                .rev()
                .fold(Fr::zero(), |acc, d| acc * shift + Fr::from(*d as i64));
            assert_eq!(recomposed, scalar);
            assert!(digits
                .iter()
                .all(|d| (-(1 << (WINDOW_BITS - 1))..(1 << (WINDOW_BITS - 1))).contains(d)));
        }
    }
}
