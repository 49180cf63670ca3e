// The node registry: a signed allow-list of {nodeId, PCR measurements, allowed model ids}, signed by an operator key.
// Chosen over an on-chain registry so verification needs no RPC round trip and no contract from another team; the operator
// signs it with an Ethereum key (EIP-191 personal_sign over canonical JSON), so the same key could later anchor it on chain.
import { EngineError } from '../../errors';
import fs from 'node:fs/promises';
import { recoverMessageAddress, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { z } from 'zod';
import { canonicalJson } from '../../contracts/canonical-json';

const hex48 = z.string().regex(/^[0-9a-f]{96}$/, 'PCR values are 48-byte lowercase hex (SHA-384)');

export const NodeEntrySchema = z.object({
  nodeId: z.string().min(1),
  /** PCR index (as a string key) → expected measurement; every listed PCR must match. PCR0–2 (code, kernel and
   *  boot ramfs, application) are required: an entry without them would accept any enclave. */
  pcrs: z
    .record(z.string().regex(/^\d+$/), hex48)
    .refine((p) => ['0', '1', '2'].every((k) => k in p), 'must list PCR0, PCR1 and PCR2'),
  modelIds: z.array(z.string().regex(/^[0-9a-f]{64}$/)),
});
export const AllowListPayloadSchema = z.object({
  version: z.literal(1),
  issuedAt: z.iso.datetime(),
  nodes: z.array(NodeEntrySchema),
});
export const SignedAllowListSchema = z.object({
  payload: AllowListPayloadSchema,
  signer: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
  signature: z.string().regex(/^0x[0-9a-fA-F]+$/),
});

export type NodeEntry = z.infer<typeof NodeEntrySchema>;
export type AllowListPayload = z.infer<typeof AllowListPayloadSchema>;
export type SignedAllowList = z.infer<typeof SignedAllowListSchema>;
/** A registry whose operator signature has been checked. */
export type NodeRegistry = { lookup(nodeId: string): NodeEntry | undefined; signer: Hex };

export class AllowListError extends EngineError<'allow_list_signature_invalid'> {
  override readonly name = 'AllowListError';
  constructor(message: string) {
    super('allow_list_signature_invalid', message);
  }
}

export async function signAllowList(payload: AllowListPayload, operatorKey: Hex): Promise<SignedAllowList> {
  const account = privateKeyToAccount(operatorKey);
  const signature = await account.signMessage({ message: canonicalJson(AllowListPayloadSchema.parse(payload)) });
  return { payload, signer: account.address, signature };
}

/** Checks the operator's signature and that the signer is the pinned operator; throws AllowListError otherwise. */
export async function openAllowList(signed: unknown, trustedSigner: string): Promise<NodeRegistry> {
  const parsed = SignedAllowListSchema.safeParse(signed);
  if (!parsed.success) throw new AllowListError(`allow-list is malformed: ${parsed.error.issues[0]?.message ?? ''}`);
  const { payload, signature } = parsed.data;
  const recovered = await recoverMessageAddress({ message: canonicalJson(payload), signature: signature as Hex }).catch(
    () => undefined,
  );
  if (!recovered || recovered.toLowerCase() !== trustedSigner.toLowerCase()) {
    throw new AllowListError('allow-list is not signed by the pinned operator key');
  }
  const byId = new Map(payload.nodes.map((n) => [n.nodeId, n]));
  return { lookup: (nodeId) => byId.get(nodeId), signer: recovered };
}

export async function readAllowList(filePath: string, trustedSigner: string): Promise<NodeRegistry> {
  let text: string;
  try {
    text = await fs.readFile(filePath, 'utf8');
  } catch (error) {
    // No allow-list means no node is registered: refuse with the named reason rather than a file-system code.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new NoAllowListError(`no node allow-list at ${filePath}: no node is registered`);
    throw error;
  }
  return openAllowList(JSON.parse(text), trustedSigner);
}

export class NoAllowListError extends EngineError<'node_not_registered'> {
  override readonly name = 'NoAllowListError';
  constructor(message: string) {
    super('node_not_registered', message);
  }
}
