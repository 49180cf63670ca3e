// The deployed contract addresses (`<stateDir>/contracts.json`), written by `contracts-deploy` and read by every process.
import { z } from 'zod';

const AddressSchema = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/)
  .transform((v) => v as `0x${string}`);

export const ChainDeploymentSchema = z.object({
  chainId: z.number().int().positive(),
  rpcUrl: z.string(),
  /** sha256 of the compiler version and Solidity sources the contracts were built from. */
  sourceHash: z.string(),
  deployedAt: z.iso.datetime(),
  deployer: AddressSchema,
  token: z.object({
    address: AddressSchema,
    name: z.string(),
    version: z.string(),
    symbol: z.string(),
    decimals: z.number().int(),
  }),
  registry: z.object({ address: AddressSchema }),
  /** Our Multicall3 stand-in, placed at the canonical Multicall3 address. */
  multicall3: z.object({ address: AddressSchema }),
  registeredNodes: z.array(AddressSchema),
});

export type ChainDeployment = z.infer<typeof ChainDeploymentSchema>;
