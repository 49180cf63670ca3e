// The one failure of a contract client created without a key (read-only) that is asked to send a transaction.
import { EngineError } from '../errors';

/**
 * Thrown by a read-only escrow or channel client asked to write. Never retryable: no retry gives the process a key;
 * whoever runs it must configure one. The facilitator answers it 501 `*_facilitator_read_only` (final for the worker).
 */
export class ChainClientReadOnlyError extends EngineError<'chain_client_read_only'> {
  override readonly name = 'ChainClientReadOnlyError';
  constructor(contract: 'escrow' | 'channel', functionName: string) {
    super('chain_client_read_only', `${functionName}: this ${contract} client has no key (read-only)`, {
      retryable: false,
      details: { contract, functionName },
    });
  }
}
