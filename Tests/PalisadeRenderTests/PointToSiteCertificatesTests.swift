import Foundation
import PalisadeModel
import PalisadeRender
import PalisadeSpec
import Testing
import X509

/// The P2S certificates chain correctly, come out in the gateway's format, and reach the hub's rendered gateway.
@Suite struct PointToSiteCertificatesTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    @Test func clientCertificateVerifiesAgainstRoot() async throws {
        let certificates = try PointToSiteCertificates.generate(now: Self.now)
        #expect(await PointToSiteCertificates.verify(client: certificates.clientCertificate, root: certificates.rootCertificate, at: Self.now))
        let other = try PointToSiteCertificates.generate(now: Self.now)
        #expect(!(await PointToSiteCertificates.verify(client: certificates.clientCertificate, root: other.rootCertificate, at: Self.now)))
        let root = certificates.rootCertificate
        #expect(root.issuer == root.subject)
        #expect(try root.extensions.basicConstraints == .isCertificateAuthority(maxPathLength: 0))
        #expect(try certificates.clientCertificate.extensions.extendedKeyUsage?.contains(.clientAuth) == true)
    }

    @Test func rootDataIsOneLineOfBase64DER() throws {
        let certificates = try PointToSiteCertificates.generate(now: Self.now)
        let data = try certificates.rootPublicCertData
        #expect(!data.contains("-----") && !data.contains("\n"))
        let der = try #require(Data(base64Encoded: data))
        #expect(try Certificate(derEncoded: Array(der)) == certificates.rootCertificate)
        let files = try certificates.files()
        #expect(files.map(\.path) == ["README.txt", "client-chain.pem", "client.key.pem", "client.pem", "root.b64", "root.cer", "root.key.pem"])
        #expect(Set(files.filter(\.isSecret).map(\.path)) == ["client.key.pem", "root.key.pem"])
        #expect(files.first { $0.path == "root.b64" }?.contents == data + "\n")
    }

    @Test func hubGatewayCarriesTheRootGivenInTheSpec() throws {
        let data = try PointToSiteCertificates.generate(now: Self.now).rootPublicCertData
        let hub = try String(contentsOf: Fixtures.repository.appendingPathComponent("examples/hub.yaml"), encoding: .utf8)
        let spec = hub.replacingOccurrences(of: "    clientAddressPool: 172.16.201.0/24",
                                            with: "    clientAddressPool: 172.16.201.0/24\n    rootCertificateData: \(data)")
        #expect(spec != hub)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("palisade-hub-\(UUID().uuidString).yaml")
        try Data(spec.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let graph = try #require(SpecLoader().design(file: file.path).design).graph
        let terraform = Renderer.render(graph, target: .terraform).files.map(\.contents).joined()
        #expect(terraform.contains("public_cert_data = \"\(data)\""))
        #expect(!terraform.contains("variable \"vpn_root_certificate"))
        let arm = Renderer.render(graph, target: .arm).files.map(\.contents).joined()
        #expect(arm.contains("\"publicCertData\": \"\(data)\""))
    }
}
