// The pinned AWS Nitro Enclaves root certificate (G1), the production root of trust for attestation documents.
//
// Provenance: AWS documentation "Verifying the root of trust" (https://docs.aws.amazon.com/enclaves/latest/user/verify-root.html)
// publishes it as https://aws-nitro-enclaves.amazonaws.com/AWS_NitroEnclaves_Root-G1.zip with the SHA-256 fingerprint
// 64:1A:03:21:A3:E2:44:EF:E4:56:46:31:95:D6:06:31:7E:D7:CD:CC:3C:17:56:E0:98:93:F3:C6:8F:79:BB:5B. The PEM below is that
// certificate (CN=aws.nitro-enclaves, valid 2019-10-28 to 2049-10-28); `awsNitroRoot()` re-checks the fingerprint at load,
// so an edit to this text cannot silently change the root of trust. Operators may pin another PEM file (verification.rootPemPath).
import crypto from 'node:crypto';

export const AWS_NITRO_ROOT_G1_SHA256 = '641A0321A3E244EFE456463195D606317ED7CDCC3C1756E09893F3C68F79BB5B';

export const AWS_NITRO_ROOT_G1_PEM = `-----BEGIN CERTIFICATE-----
MIICETCCAZagAwIBAgIRAPkxdWgbkK/hHUbMtOTn+FYwCgYIKoZIzj0EAwMwSTEL
MAkGA1UEBhMCVVMxDzANBgNVBAoMBkFtYXpvbjEMMAoGA1UECwwDQVdTMRswGQYD
VQQDDBJhd3Mubml0cm8tZW5jbGF2ZXMwHhcNMTkxMDI4MTMyODA1WhcNNDkxMDI4
MTQyODA1WjBJMQswCQYDVQQGEwJVUzEPMA0GA1UECgwGQW1hem9uMQwwCgYDVQQL
DANBV1MxGzAZBgNVBAMMEmF3cy5uaXRyby1lbmNsYXZlczB2MBAGByqGSM49AgEG
BSuBBAAiA2IABPwCVOumCMHzaHDimtqQvkY4MpJzbolL//Zy2YlES1BR5TSksfbb
48C8WBoyt7F2Bw7eEtaaP+ohG2bnUs990d0JX28TcPQXCEPZ3BABIeTPYwEoCWZE
h8l5YoQwTcU/9KNCMEAwDwYDVR0TAQH/BAUwAwEB/zAdBgNVHQ4EFgQUkCW1DdkF
R+eWw5b6cp3PmanfS5YwDgYDVR0PAQH/BAQDAgGGMAoGCCqGSM49BAMDA2kAMGYC
MQCjfy+Rocm9Xue4YnwWmNJVA44fA0P5W2OpYow9OYCVRaEevL8uO1XYru5xtMPW
rfMCMQCi85sWBbJwKKXdS6BptQFuZbT73o/gBh1qUxl/nNr12UO8Yfwr6wPLb+6N
IwLz3/Y=
-----END CERTIFICATE-----
`;

/** A trusted root: its certificate and whether it is the development stand-in (refused in production). */
export type TrustedRoot = { certificate: crypto.X509Certificate; kind: 'aws-nitro' | 'development' | 'custom' };

export function awsNitroRoot(): TrustedRoot {
  const certificate = new crypto.X509Certificate(AWS_NITRO_ROOT_G1_PEM);
  if (certificate.fingerprint256.replace(/:/g, '') !== AWS_NITRO_ROOT_G1_SHA256) {
    throw new Error('the embedded AWS Nitro root does not match its published SHA-256 fingerprint');
  }
  return { certificate, kind: 'aws-nitro' };
}

export function rootFromPem(pem: string, kind: TrustedRoot['kind'] = 'custom'): TrustedRoot {
  return { certificate: new crypto.X509Certificate(pem), kind };
}
