// The node's facilitator port when it verifies in process: verify stays local, settle and /supported go to the
// facilitator; the verify reads go over WebSocket on a local chain unless told otherwise.
import type { FacilitatorClient } from '@x402/core/server';
import { verifyingPaymentsInProcess, paymentVerificationRpcUrlOf } from '../../../src/payments';

const buildConfig = (overrides: { rpcUrl?: string; chainId?: number; verifyRpcUrl?: string } = {}) =>
  ({
    chain: { rpcUrl: overrides.rpcUrl ?? 'http://127.0.0.1:8545', chainId: overrides.chainId ?? 31337 },
    payments: { verifyRpcUrl: overrides.verifyRpcUrl },
  }) as Parameters<typeof paymentVerificationRpcUrlOf>[0];

describe('in-process verification', () => {
  it('verifies locally and settles and lists kinds through the wrapped facilitator', async () => {
    const calls: string[] = [];
    const remote: FacilitatorClient = {
      verify: async () => {
        calls.push('remote verify');
        return { isValid: true };
      },
      settle: async () => {
        calls.push('remote settle');
        return { success: true, transaction: '0x1', network: 'eip155:31337' };
      },
      getSupported: async () => {
        calls.push('remote supported');
        return { kinds: [], extensions: [], signers: {} };
      },
    };
    const local = {
      verify: async () => {
        calls.push('local verify');
        return { isValid: false, invalidReason: 'invalid_exact_evm_signature' };
      },
    };
    const client = verifyingPaymentsInProcess(remote, local);
    const [payload, requirements] = [{} as never, {} as never];
    await expect(client.verify(payload, requirements)).resolves.toMatchObject({
      isValid: false,
      invalidReason: 'invalid_exact_evm_signature',
    });
    await client.settle(payload, requirements);
    await client.getSupported();
    expect(calls).toEqual(['local verify', 'remote settle', 'remote supported']);
  });

  it('reads over the chain URL unless a verify RPC URL (e.g. ws://) is configured', () => {
    expect(paymentVerificationRpcUrlOf(buildConfig())).toBe('http://127.0.0.1:8545');
    expect(paymentVerificationRpcUrlOf(buildConfig({ rpcUrl: 'https://rpc.example/v1', chainId: 8453 }))).toBe(
      'https://rpc.example/v1',
    );
    expect(paymentVerificationRpcUrlOf(buildConfig({ verifyRpcUrl: 'wss://ws.example/v1', chainId: 8453 }))).toBe(
      'wss://ws.example/v1',
    );
  });
});
