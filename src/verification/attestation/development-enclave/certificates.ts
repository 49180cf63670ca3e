// P-384 certificates for the development enclave (a stand-in for Nitro hardware). The DER structures come from
// @peculiar/asn1-x509 (RFC 5280 §4.1 schema); node:crypto makes the keys and the ECDSA-with-SHA384 signatures.
// (@peculiar/x509's generator would need a Reflect metadata polyfill that is not installed; its ASN.1 layer needs none.)
import crypto from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  BasicConstraints,
  Certificate,
  Extension,
  Extensions,
  KeyUsage,
  KeyUsageFlags,
  Name,
  RelativeDistinguishedName,
  SubjectKeyIdentifier,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
  id_ce_basicConstraints,
  id_ce_keyUsage,
  id_ce_subjectKeyIdentifier,
} from '@peculiar/asn1-x509';
import { DEVELOPMENT_ROOT_ORGANISATION } from '../chain';

/** RFC 5758 §3.2: ecdsa-with-SHA384, the signature algorithm of every certificate in a Nitro chain. */
const ECDSA_WITH_SHA384 = '1.2.840.10045.4.3.3';
const OID_COMMON_NAME = '2.5.4.3';
const OID_ORGANISATION = '2.5.4.10';

export type CertifiedKey = { certificate: crypto.X509Certificate; privateKey: crypto.KeyObject };
type Validity_ = { notBefore: Date; notAfter: Date };

function name(commonName: string, organisation: string): Name {
  const rdn = (type: string, value: string) =>
    new RelativeDistinguishedName([
      new AttributeTypeAndValue({ type, value: new AttributeValue({ utf8String: value }) }),
    ]);
  return new Name([rdn(OID_ORGANISATION, organisation), rdn(OID_COMMON_NAME, commonName)]);
}

function extension(extnID: string, critical: boolean, value: unknown): Extension {
  return new Extension({ extnID, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
}

function sign(tbs: TBSCertificate, issuerKey: crypto.KeyObject): crypto.X509Certificate {
  const tbsDer = AsnConvert.serialize(tbs);
  // X.509 carries ECDSA signatures DER-encoded (RFC 5758 §3.2), unlike COSE's raw r||s.
  const signature = crypto.sign('sha384', Buffer.from(tbsDer), { key: issuerKey, dsaEncoding: 'der' });
  const certificate = new Certificate({
    tbsCertificate: tbs,
    signatureAlgorithm: new AlgorithmIdentifier({ algorithm: ECDSA_WITH_SHA384 }),
    signatureValue: new Uint8Array(signature).buffer,
  });
  return new crypto.X509Certificate(Buffer.from(AsnConvert.serialize(certificate)));
}

function tbsCertificate(
  subject: Name,
  issuer: Name,
  publicKey: crypto.KeyObject,
  validity: Validity_,
  extensions: Extension[],
): TBSCertificate {
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  const serial = crypto.randomBytes(16);
  serial[0] = ((serial[0] as number) & 0x7f) | 0x40; // RFC 5280 §4.1.2.2: positive, and no leading zero byte to trim (minimal DER)
  return new TBSCertificate({
    version: Version.v3,
    serialNumber: new Uint8Array(serial).buffer,
    signature: new AlgorithmIdentifier({ algorithm: ECDSA_WITH_SHA384 }),
    issuer,
    validity: new Validity(validity),
    subject,
    subjectPublicKeyInfo: AsnConvert.parse(spki, SubjectPublicKeyInfo),
    extensions: new Extensions(extensions),
  });
}

const newP384Key = () => crypto.generateKeyPairSync('ec', { namedCurve: 'P-384' });
const keyId = (publicKey: crypto.KeyObject) =>
  crypto
    .createHash('sha1')
    .update(publicKey.export({ format: 'der', type: 'spki' }))
    .digest();

/** A self-signed root CA. The organisation marks the development root, which production refuses. */
export function createRootCa(label: string, validity: Validity_, development = true): CertifiedKey {
  const keys = newP384Key();
  const subject = name(label, development ? DEVELOPMENT_ROOT_ORGANISATION : 'proofpath test CA');
  const tbs = tbsCertificate(subject, subject, keys.publicKey, validity, [
    extension(id_ce_basicConstraints, true, new BasicConstraints({ cA: true, pathLenConstraint: 2 })),
    extension(id_ce_keyUsage, true, new KeyUsage(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign)),
    extension(id_ce_subjectKeyIdentifier, false, new SubjectKeyIdentifier(new Uint8Array(keyId(keys.publicKey)))),
  ]);
  return { certificate: sign(tbs, keys.privateKey), privateKey: keys.privateKey };
}

/** An end-entity certificate under `issuer`, like the per-enclave leaf that signs Nitro documents. */
export function issueLeaf(issuer: CertifiedKey, commonName: string, validity: Validity_): CertifiedKey {
  const keys = newP384Key();
  const issuerName = AsnConvert.parse(issuer.certificate.raw, Certificate).tbsCertificate.subject;
  const tbs = tbsCertificate(name(commonName, DEVELOPMENT_ROOT_ORGANISATION), issuerName, keys.publicKey, validity, [
    extension(id_ce_basicConstraints, true, new BasicConstraints({ cA: false })),
    extension(id_ce_keyUsage, true, new KeyUsage(KeyUsageFlags.digitalSignature)),
  ]);
  return { certificate: sign(tbs, issuer.privateKey), privateKey: keys.privateKey };
}

/** Rebuilds a CertifiedKey from PEM files (certificate + PKCS#8 private key). */
export function certifiedKeyFromPem(certificatePem: string, privateKeyPem: string): CertifiedKey {
  return {
    certificate: new crypto.X509Certificate(certificatePem),
    privateKey: crypto.createPrivateKey(privateKeyPem),
  };
}
