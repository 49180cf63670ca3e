// What a node puts in the attestation's user_data: its node id and the model ids it serves, as UTF-8 JSON.
// (The Nitro NSM lets the enclave choose user_data freely, up to 1 KiB; JSON keeps it readable in any decoder.)
import { z } from 'zod';

export const NodeIdentitySchema = z.object({
  nodeId: z.string().min(1).max(128),
  modelIds: z.array(z.string().regex(/^[0-9a-f]{64}$/, 'model ids are sha256 hex')).max(12),
});
export type NodeIdentity = z.infer<typeof NodeIdentitySchema>;

export function encodeNodeIdentity(identity: NodeIdentity): Buffer {
  return Buffer.from(JSON.stringify(NodeIdentitySchema.parse(identity)), 'utf8');
}

export function decodeNodeIdentity(userData: Uint8Array | undefined): NodeIdentity | undefined {
  if (!userData) return undefined;
  try {
    const parsed = NodeIdentitySchema.safeParse(JSON.parse(Buffer.from(userData).toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
