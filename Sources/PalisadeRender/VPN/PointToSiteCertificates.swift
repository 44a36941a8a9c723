import Crypto
import Foundation
@_spi(FixedExpiryValidationTime) import X509
import _CryptoExtras

/// A point-to-site root certificate (self-signed CA) and a client certificate it signed, as Azure VPN Gateway
/// certificate authentication expects them: RSA 2048 keys with SHA-256 signatures (Microsoft's P2S how-tos create
/// the same with `New-SelfSignedCertificate -KeyAlgorithm RSA -KeyLength 2048` or strongSwan's `pki`), the client
/// certificate carrying the clientAuth extended key usage.
public struct PointToSiteCertificates: Sendable {
    /// The self-signed root (CA) certificate; its public data goes to the gateway.
    public let rootCertificate: Certificate
    /// The client certificate signed by the root.
    public let clientCertificate: Certificate
    /// The root's private key, PKCS#8 PEM (keep it to issue more client certificates).
    public let rootPrivateKeyPEM: String
    /// The client's private key, PKCS#8 PEM.
    public let clientPrivateKeyPEM: String

    /// Creates a root and a client certificate valid from `now` (minus an hour of clock skew).
    public static func generate(rootName: String = "P2SRootCert", clientName: String = "P2SChildCert", now: Date,
                                rootValidityDays: Int = 3650, clientValidityDays: Int = 730) throws -> PointToSiteCertificates {
        let notBefore = now.addingTimeInterval(-3600)
        let rootKey = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let rootPrivate = Certificate.PrivateKey(rootKey)
        let rootName = try DistinguishedName { CommonName(rootName) }
        let rootPublic = rootPrivate.publicKey
        let root = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: rootPublic,
            notValidBefore: notBefore, notValidAfter: now.addingTimeInterval(Double(rootValidityDays) * 86_400),
            issuer: rootName, subject: rootName, signatureAlgorithm: .sha256WithRSAEncryption,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: rootPublic)
            },
            issuerPrivateKey: rootPrivate)

        let clientKey = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let clientPrivate = Certificate.PrivateKey(clientKey)
        let rootIdentifier = try root.extensions.subjectKeyIdentifier?.keyIdentifier
        let client = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: clientPrivate.publicKey,
            notValidBefore: notBefore, notValidAfter: now.addingTimeInterval(Double(clientValidityDays) * 86_400),
            issuer: rootName, subject: try DistinguishedName { CommonName(clientName) },
            signatureAlgorithm: .sha256WithRSAEncryption,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
                try ExtendedKeyUsage([.clientAuth])
                SubjectKeyIdentifier(hash: clientPrivate.publicKey)
                if let rootIdentifier { AuthorityKeyIdentifier(keyIdentifier: rootIdentifier) }
            },
            issuerPrivateKey: rootPrivate)

        return PointToSiteCertificates(rootCertificate: root, clientCertificate: client,
                                       rootPrivateKeyPEM: rootKey.pkcs8PEMRepresentation + "\n",
                                       clientPrivateKeyPEM: clientKey.pkcs8PEMRepresentation + "\n")
    }

    /// The root's DER as one line of base64, no PEM markers or newlines: what the gateway's
    /// `publicCertData` / azurerm `public_cert_data` and the spec key `access.vpn.rootCertificateData` take.
    public var rootPublicCertData: String {
        get throws { Data(try rootCertificate.serializeAsPEM().derBytes).base64EncodedString() }
    }

    /// The files `palisade vpn-certs` writes, sorted by path. Private keys are marked by `isSecret`.
    public func files() throws -> [(path: String, contents: String, isSecret: Bool)] {
        let rootPEM = try rootCertificate.serializeAsPEM().pemString + "\n"
        let clientPEM = try clientCertificate.serializeAsPEM().pemString + "\n"
        let readme = """
            Point-to-site certificates for Azure VPN Gateway (certificate authentication).

            root.b64         Root public data: base64 DER on one line, no PEM markers. Give it to the gateway:
                             spec key access.vpn.rootCertificateData, Terraform variable vpn_root_certificate_<name>,
                             or ARM/Bicep parameter vpnRootCertificate<Name>.
            root.cer         The same root certificate as Base-64 encoded X.509 (.cer), for the portal or a client trust store.
            root.key.pem     Root private key (PKCS#8). Keep it offline; it issues more client certificates.
            client.pem       Client certificate (clientAuth), signed by the root.
            client.key.pem   Client private key (PKCS#8).
            client-chain.pem Client certificate followed by the root.

            PKCS#12: Palisade does not write .pfx/.p12 files. Windows and macOS clients import one; make it with
              openssl pkcs12 -export -in client.pem -inkey client.key.pem -certfile root.cer -out client.p12
            Linux (strongSwan/OpenVPN) clients use client.pem and client.key.pem directly.

            """
        return [
            ("README.txt", readme, false),
            ("client-chain.pem", clientPEM + rootPEM, false),
            ("client.key.pem", clientPrivateKeyPEM, true),
            ("client.pem", clientPEM, false),
            ("root.b64", try rootPublicCertData + "\n", false),
            ("root.cer", rootPEM, false),
            ("root.key.pem", rootPrivateKeyPEM, true),
        ]
    }

    /// Whether `client` chains to `root` under RFC 5280 rules at `time`.
    public static func verify(client: Certificate, root: Certificate, at time: Date) async -> Bool {
        var verifier = Verifier(rootCertificates: CertificateStore([root])) { RFC5280Policy(fixedExpiryValidationTime: time) }
        let result = await verifier.validate(leaf: client, intermediates: CertificateStore([]))
        if case .validCertificate = result { return true }
        return false
    }
}
