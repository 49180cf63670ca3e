// Public surface of the append-only JSONL journals (node receipts and proofs, payer and facilitator channel books).
export { openJournal, type Journal } from './jsonl-journal';
