// Receipts are EIP-712 signed by the node's ephemeral key; any change to a signed field breaks the signature.
import { hashTypedData, keccak256, toHex, type Hex } from 'viem';
import { generatePrivateKey } from 'viem/accounts';
import {
  RECEIPT_EIP712_DOMAIN,
  RECEIPT_EIP712_TYPES,
  ReceiptSchema,
  type UnsignedReceipt,
} from '../../../src/contracts';
import { createEphemeralReceiptSigner, receiptIdOf } from '../../../src/inference-node';
import { SignatureUnrecoverableError } from '../../../src/signatures';
import { receiptDigest, recoverReceiptSigner, verifyReceiptSignature } from '../../../src/verification';

const buildReceipt = (overrides: Partial<UnsignedReceipt> = {}): UnsignedReceipt => ({
  receiptId: receiptIdOf('0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC', 'eip155:31337/0xToken/0xPayer/0x01'),
  modelId: '118246ba88355aa9622cdd6d96d1272199428e3434813591d1ee439af7c9301c',
  inputHash: keccak256(toHex('input')),
  outputHash: keccak256(toHex('output')),
  nodeId: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC',
  issuedAt: '2026-03-01T12:00:00.000Z',
  paymentRef: 'eip155:31337/0xToken/0xPayer/0x01',
  settlementMode: 'deferred',
  ...overrides,
});

describe('receipt signing', () => {
  it('signs the EIP-712 digest with a fresh key per signer, recoverable to its address', async () => {
    const signer = createEphemeralReceiptSigner();
    expect(createEphemeralReceiptSigner().address).not.toBe(signer.address);
    const signed = await signer.sign(buildReceipt());
    const receipt = ReceiptSchema.parse(signed.receipt);
    // The digest handed back (journaled and committed by the node) is the receipt's own.
    expect(signed.digest).toBe(receiptDigest(receipt));
    expect(receiptDigest(receipt)).toBe(
      hashTypedData({
        domain: RECEIPT_EIP712_DOMAIN,
        types: RECEIPT_EIP712_TYPES,
        primaryType: 'Receipt',
        message: buildReceipt(),
      }),
    );
    await expect(recoverReceiptSigner(receipt)).resolves.toBe(signer.address);
    await expect(verifyReceiptSignature(receipt)).resolves.toBe(true);
    expect(signer.publicKey).toMatch(/^0x04[0-9a-f]{128}$/);
  });

  it.each<[string, Partial<UnsignedReceipt>]>([
    ['outputHash', { outputHash: keccak256(toHex('other output')) }],
    ['modelId', { modelId: 'another-model' }],
    ['paymentRef', { paymentRef: 'eip155:31337/0xToken/0xPayer/0x02' }],
    ['settlementMode', { settlementMode: 'batch' }],
  ])('fails verification when %s is changed after signing', async (_field, change) => {
    const { receipt } = await createEphemeralReceiptSigner().sign(buildReceipt());
    await expect(verifyReceiptSignature({ ...receipt, ...change })).resolves.toBe(false);
  });

  it('fails verification against another key', async () => {
    const { receipt } = await createEphemeralReceiptSigner(generatePrivateKey()).sign(buildReceipt());
    await expect(verifyReceiptSignature(receipt, createEphemeralReceiptSigner().address)).resolves.toBe(false);
  });

  it('rejects, by name, a receipt whose signature recovers to no key', async () => {
    const { receipt } = await createEphemeralReceiptSigner().sign(buildReceipt());
    const unrecoverable = { ...receipt, signature: `${receipt.signature.slice(0, 130)}1d` as Hex };
    await expect(recoverReceiptSigner(unrecoverable)).rejects.toThrow(SignatureUnrecoverableError);
    await expect(verifyReceiptSignature(unrecoverable)).resolves.toBe(false);
  });

  it('names one receipt per node and payment', () => {
    expect(receiptIdOf('node-a', 'ref-1')).toBe(receiptIdOf('node-a', 'ref-1'));
    expect(receiptIdOf('node-a', 'ref-1')).not.toBe(receiptIdOf('node-b', 'ref-1'));
  });
});
