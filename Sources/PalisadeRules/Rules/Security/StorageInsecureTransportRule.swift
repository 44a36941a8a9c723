import PalisadeModel

/// Storage must refuse plain HTTP and TLS below 1.2 (checkov CKV_AZURE_3, CKV_AZURE_44).
public struct StorageInsecureTransportRule: Rule {
    public static let description = RuleDescription(
        id: "storage_insecure_transport",
        title: "Storage Insecure Transport",
        kind: .security,
        defaultSeverity: .warning,
        rationale: """
        With supportsHttpsTrafficOnly false the account accepts unencrypted HTTP, and a minimum TLS version below 1.2 \
        admits protocols with known weaknesses; either exposes keys, SAS tokens and data on the wire.
        """,
        source: "https://learn.microsoft.com/azure/storage/common/transport-layer-security-configure-minimum-version; checkov CKV_AZURE_3, CKV_AZURE_44; PSRule Azure.Storage.SecureTransfer, Azure.Storage.MinTLS",
        fix: "set supportsHttpsTrafficOnly to true and minimumTlsVersion to TLS1_2",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "stexample", "location": "westeurope",
             "kind": "StorageV2", "sku": {"name": "Standard_ZRS"}, "properties": {"minimumTlsVersion": "TLS1_0", "supportsHttpsTrafficOnly": false}},
            {"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "stgood", "location": "westeurope",
             "kind": "StorageV2", "sku": {"name": "Standard_ZRS"}, "properties": {"minimumTlsVersion": "TLS1_2"}}
            """, flagging: ["stexample"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        context.graph.all(StorageAccount.self).compactMap { account in
            var problems: [String] = []
            var evidence: [Evidence] = []
            if !account.httpsOnly {
                problems.append("plain HTTP")
                evidence.append(.property(account.id, "properties.supportsHttpsTrafficOnly", "false"))
            }
            if ["TLS1_0", "TLS1_1"].contains(account.minimumTLSVersion.uppercased()) {
                problems.append("\(account.minimumTLSVersion) (below TLS 1.2)")
                evidence.append(.property(account.id, "properties.minimumTlsVersion", account.minimumTLSVersion))
            }
            guard !problems.isEmpty else { return nil }
            return context.finding(Self.self, account, "storage account '\(account.name)' accepts \(problems.joined(separator: " and "))",
                                   evidence: evidence, property: account.httpsOnly ? "properties.minimumTlsVersion" : "properties.supportsHttpsTrafficOnly")
        }
    }
}

// MARK: - Fix

extension StorageInsecureTransportRule {
    /// Requires HTTPS and TLS 1.2 (https://learn.microsoft.com/azure/storage/common/storage-require-secure-transfer,
    /// https://learn.microsoft.com/azure/storage/common/transport-layer-security-configure-minimum-version).
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard context.graph.resource(finding.subject, as: StorageAccount.self) != nil else { return nil }
        return context.propose("set supportsHttpsTrafficOnly to true and minimumTlsVersion to TLS1_2 on '\(finding.subject.name)'") {
            $0.update(finding.subject, as: StorageAccount.self) {
                $0.httpsOnly = true
                if ["TLS1_0", "TLS1_1"].contains($0.minimumTLSVersion.uppercased()) { $0.minimumTLSVersion = "TLS1_2" }
            }
        }
    }
}
