// The part of snarkjs 0.7 (which ships no types) that the proof module uses.
declare module 'snarkjs' {
  export type Groth16Proof = { pi_a: string[]; pi_b: string[][]; pi_c: string[]; protocol: string; curve: string };
  export type VerificationKey = { protocol: string; curve: string; nPublic: number; [key: string]: unknown };
  type Logger = { info?(m: string): void; debug?(m: string): void; error?(m: string): void } | undefined;
  export const groth16: {
    fullProve(
      input: Record<string, unknown>,
      wasmFile: string,
      zkeyFile: string,
      logger?: Logger,
    ): Promise<{ proof: Groth16Proof; publicSignals: string[] }>;
    verify(vk: VerificationKey, publicSignals: string[], proof: Groth16Proof, logger?: Logger): Promise<boolean>;
  };
  export const powersOfTau: {
    newAccumulator(curve: unknown, power: number, fileName: string, logger?: Logger): Promise<unknown>;
    contribute(oldPtau: string, newPtau: string, name: string, entropy: string, logger?: Logger): Promise<unknown>;
    preparePhase2(oldPtau: string, newPtau: string, logger?: Logger): Promise<unknown>;
  };
  export const zKey: {
    newZKey(r1cs: string, ptau: string, zkey: string, logger?: Logger): Promise<unknown>;
    contribute(oldZkey: string, newZkey: string, name: string, entropy: string, logger?: Logger): Promise<unknown>;
    exportVerificationKey(zkey: string, logger?: Logger): Promise<VerificationKey>;
  };
  export const r1cs: {
    info(
      r1cs: string,
      logger?: Logger,
    ): Promise<{ nConstraints: number; nPubInputs: number; nOutputs: number; nVars: number }>;
  };
  export const curves: {
    getCurveFromName(name: string, options?: { singleThread?: boolean }): Promise<{ terminate(): Promise<void> }>;
  };
}
