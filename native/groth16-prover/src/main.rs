//! proofpath's native Groth16 prover: a long-lived process that reads one JSON job per line on stdin
//! (`{"id", "zkey": path, "wtns": base64}`) and writes one JSON line per job on stdout, the proof in snarkjs' format
//! (`{"id", "proof", "publicSignals"}`) or `{"id", "error"}`. Proving keys stay loaded, keyed by path, size and mtime.
//! A verification job (`{"id", "verify": {"key", "proof", "publicSignals"}}`, all in snarkjs' JSON) is answered
//! `{"id", "verified": true|false}` (src/verify.rs); verification keys stay prepared, keyed by their JSON text.
//! `--version` prints the name and the build stamp the engine compiled it with (PROOFPATH_PROVER_STAMP), which the
//! engine checks before it uses a binary.
mod bounded_cache;
mod fixed_base;
mod prove;
mod verify;
mod zkey;

use base64::Engine;
use bounded_cache::BoundedCache;
use serde::Deserialize;
use serde_json::{json, Value};
use std::io::{BufRead, Write};
use std::sync::Arc;
use std::time::SystemTime;
use zkey::{parse_witness, ProvingKey, Result};

#[derive(Deserialize)]
struct Job {
    id: Value,
    #[serde(flatten)]
    work: Work,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Work {
    Prove { zkey: String, wtns: String },
    Verify { verify: VerifyJob },
}

#[derive(Deserialize)]
struct VerifyJob {
    key: Value,
    proof: Value,
    #[serde(rename = "publicSignals")]
    public_signals: Value,
}

#[derive(Default)]
struct State {
    proving: Keys,
    verifying: verify::VerifyingKeys,
}

const KEYS_KEPT: usize = 16;

/// A key file's length and modification time: a file rewritten in place is loaded again.
type FileStamp = (u64, SystemTime);

struct Keys(BoundedCache<String, (FileStamp, Arc<ProvingKey>)>);

impl Default for Keys {
    fn default() -> Self {
        Keys(BoundedCache::new(KEYS_KEPT))
    }
}

impl Keys {
    fn get(&mut self, path: &str) -> Result<Arc<ProvingKey>> {
        let meta = std::fs::metadata(path).map_err(|e| format!("{path}: {e}"))?;
        let stamp = (meta.len(), meta.modified().map_err(|e| e.to_string())?);
        if let Some((kept, key)) = self.0.get(path) {
            if *kept == stamp {
                return Ok(key.clone());
            }
        }
        let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
        let key = Arc::new(ProvingKey::parse(&bytes).map_err(|e| format!("{path}: {e}"))?);
        self.0.insert(path.to_string(), (stamp, key.clone()));
        Ok(key)
    }
}

fn decimal<T: ark_ff::PrimeField>(value: T) -> String {
    value.into_bigint().to_string()
}

fn answer(state: &mut State, line: &str) -> Value {
    let job: Job = match serde_json::from_str(line) {
        Ok(job) => job,
        Err(error) => {
            // A job of neither shape is still answered under its own id when it has one, so the caller fails that job
            // rather than taking the answer for another one's.
            let id = serde_json::from_str::<Value>(line)
                .ok()
                .and_then(|v| v.get("id").cloned())
                .unwrap_or(Value::Null);
            return json!({ "id": id, "error": format!("malformed job: {error}") });
        }
    };
    let result = match &job.work {
        Work::Prove { zkey, wtns } => prove_job(&mut state.proving, zkey, wtns),
        Work::Verify { verify } => state
            .verifying
            .get(&verify.key)
            .map(|key| json!({ "verified": key.verify(&verify.proof, &verify.public_signals) })),
    };
    match result {
        Ok(mut value) => {
            value["id"] = job.id;
            value
        }
        Err(error) => json!({ "id": job.id, "error": error }),
    }
}

fn prove_job(keys: &mut Keys, zkey: &str, wtns: &str) -> Result<Value> {
    let key = keys.get(zkey)?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(wtns.as_bytes())
        .map_err(|e| format!("witness is not base64: {e}"))?;
    let witness = parse_witness(&bytes)?;
    let proof = prove::prove(&key, &witness, &mut rand::rngs::OsRng)?;
    Ok(json!({
        "proof": {
            "pi_a": [decimal(proof.a.x), decimal(proof.a.y), "1"],
            "pi_b": [
                [decimal(proof.b.x.c0), decimal(proof.b.x.c1)],
                [decimal(proof.b.y.c0), decimal(proof.b.y.c1)],
                ["1", "0"]
            ],
            "pi_c": [decimal(proof.c.x), decimal(proof.c.y), "1"],
            "protocol": "groth16",
            "curve": "bn128"
        },
        "publicSignals": proof.public_signals.iter().map(|v| decimal(*v)).collect::<Vec<_>>(),
    }))
}

const NAME: &str = "proofpath-groth16-prover";

fn main() {
    if std::env::args().nth(1).as_deref() == Some("--version") {
        println!(
            "{NAME} {}",
            option_env!("PROOFPATH_PROVER_STAMP").unwrap_or("unstamped")
        );
        return;
    }
    // A panic in one job (a bug, here or in arkworks) is that job's error, not the end of the process; it is also
    // written to stderr with its location (one line), as is one outside a job, which does end the process.
    std::panic::set_hook(Box::new(|info| eprintln!("{NAME}: {info}")));
    let mut state = State::default();
    let stdin = std::io::stdin();
    let mut stdout = std::io::stdout().lock();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        if line.trim().is_empty() {
            continue;
        }
        let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            answer(&mut state, &line)
        }))
        .unwrap_or_else(|panic| {
            let why = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown".into());
            let id = serde_json::from_str::<Value>(&line)
                .ok()
                .and_then(|v| v.get("id").cloned());
            json!({ "id": id.unwrap_or(Value::Null), "error": format!("prover panicked: {why}") })
        });
        if writeln!(stdout, "{out}")
            .and_then(|_| stdout.flush())
            .is_err()
        {
            break;
        }
    }
}
