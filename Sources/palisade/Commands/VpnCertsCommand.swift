import ArgumentParser
import Foundation
import PalisadeRender

/// `palisade vpn-certs --out DIR`: a point-to-site root certificate and a client certificate signed by it.
struct VpnCertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vpn-certs",
        abstract: "Create a point-to-site VPN root certificate and a client certificate signed by it.",
        discussion: """
            Writes root.b64 (the gateway's root certificate data: base64 DER, no PEM markers), root.cer, \
            client.pem, client.key.pem, client-chain.pem, root.key.pem and a README. Put root.b64 into the spec \
            (access.vpn.rootCertificateData) or pass it to the rendered Terraform/ARM/Bicep as the root certificate \
            variable. Private keys are written with mode 0600.
            """)

    @Option(name: .outputNames, help: "Directory to write the certificates into, created if missing (`--out` is accepted too).")
    var out: String

    @Option(help: "Common name of the root certificate (also its name in the gateway).")
    var rootName = "P2SRootCert"

    @Option(help: "Common name of the client certificate.")
    var clientName = "P2SChildCert"

    @Flag(help: "Overwrite existing certificate files in the output directory.")
    var force = false

    func run() throws {
        let manager = FileManager.default
        let rootKey = (out as NSString).appendingPathComponent("root.key.pem")
        if manager.fileExists(atPath: rootKey), !force {
            throw InputError(description: "error: '\(rootKey)' exists; use --force to replace the certificates")
        }
        do {
            try manager.createDirectory(atPath: out, withIntermediateDirectories: true)
        } catch {
            throw InputError(description: "error: cannot create '\(out)': \(error.localizedDescription)")
        }
        let certificates = try PointToSiteCertificates.generate(rootName: rootName, clientName: clientName, now: Date())
        for file in try certificates.files() {
            let path = (out as NSString).appendingPathComponent(file.path)
            guard file.isSecret else {
                try Output.write(file.contents, to: path)
                continue
            }
            // Private keys are created with mode 0600, never readable by others even for a moment.
            try? manager.removeItem(atPath: path)
            guard manager.createFile(atPath: path, contents: Data(file.contents.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw InputError(description: "error: cannot write '\(path)'")
            }
        }
        let message = "wrote point-to-site certificates to \(out); gateway root data: \(out)/root.b64\n"
        Output.message(message)
    }
}
