// The node's archive of key-birth attestation documents, one per receipt-signing key it ever had, journaled next to the
// receipts: a restarted node (new enclave, new key) still serves the document of the key that signed older receipts.
// Documents are public, signed by the enclave's chain; keeping them outside the enclave reveals nothing.
import type { Hex } from 'viem';
import type { Logger } from '../log';
import type { KeyBirthRecord } from '../verification';
import { openJournal } from '../journal';

export type KeyAttestationArchive = {
  record(signer: Hex, document: Uint8Array): void;
  documentOf(signer: string): Uint8Array | undefined;
};

export function openKeyAttestationArchive(file: string | undefined, logger: Logger): KeyAttestationArchive {
  const journal = file ? openJournal<KeyBirthRecord>(file, logger) : undefined;
  const bySigner = new Map<string, Uint8Array>();
  for (const r of journal?.replay() ?? [])
    bySigner.set(r.signer.toLowerCase(), new Uint8Array(Buffer.from(r.document, 'base64')));
  return {
    record(signer, document) {
      if (bySigner.has(signer.toLowerCase())) return;
      bySigner.set(signer.toLowerCase(), document);
      journal?.append({ signer, document: Buffer.from(document).toString('base64'), at: new Date().toISOString() });
    },
    documentOf: (signer) => bySigner.get(signer.toLowerCase()),
  };
}
