// Public surface of re-execution: recompute a receipt's output with the same model and compare hashes.
export { reexecuteReceipt, type ReexecutionRuntime } from './reexecute';
