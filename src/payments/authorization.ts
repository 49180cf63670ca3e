// Reading the EIP-3009 authorization out of an x402 exact/evm payment payload, and the identifiers derived from it.
import { encodePacked, getAddress, keccak256, type Hex } from 'viem';
import { z } from 'zod';

const Hex32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/);
const Address = z.string().regex(/^0x[0-9a-fA-F]{40}$/);
const Uint = z.string().regex(/^\d+$/);

/** The EIP-3009 authorization fields as x402 puts them on the wire (exact/evm and auth-capture alike). */
export const Eip3009AuthorizationSchema = z.object({
  from: Address,
  to: Address,
  value: Uint,
  validAfter: Uint,
  validBefore: Uint,
  nonce: Hex32,
});

/** x402 exact/evm EIP-3009 payload: `{authorization: {from,to,value,validAfter,validBefore,nonce}, signature}`. */
export const Eip3009PayloadSchema = z.object({
  authorization: Eip3009AuthorizationSchema,
  signature: z.string().regex(/^0x[0-9a-fA-F]+$/),
});

export type Eip3009Payload = z.infer<typeof Eip3009PayloadSchema>;
export type Eip3009Authorization = Eip3009Payload['authorization'];

export function eip3009PayloadOf(payload: Record<string, unknown>): Eip3009Payload | undefined {
  const parsed = Eip3009PayloadSchema.safeParse(payload);
  return parsed.success ? parsed.data : undefined;
}

/** `<network>/<asset>/<payer>/<nonce>`: names the authorization; anyone can check it with authorizationState(payer, nonce). */
export function paymentRefOf(network: string, asset: string, payer: string, nonce: string): string {
  return `${network}/${getAddress(asset)}/${getAddress(payer)}/${nonce.toLowerCase()}`;
}

/** The key the node caches responses under and the facilitator files settlement jobs under: one per authorization. */
export function authorizationKeyOf(asset: string, payer: string, nonce: string): Hex {
  return keccak256(
    encodePacked(['address', 'address', 'bytes32'], [getAddress(asset), getAddress(payer), nonce as Hex]),
  );
}
