import PalisadeModel

/// Anonymous blob access lets anyone read containers marked public (checkov TF CKV_AZURE_190; PSRule Azure.Storage.BlobPublicAccess).
public struct StorageBlobPublicAccessRule: Rule {
    public static let description = RuleDescription(
        id: "storage_blob_public_access",
        title: "Storage Blob Public Access",
        kind: .security,
        defaultSeverity: .warning,
        rationale: """
        With allowBlobPublicAccess on, any container can be switched to anonymous read, and its blobs are then \
        readable by anyone who can reach the account's endpoint, without credentials.
        """,
        source: "https://learn.microsoft.com/azure/storage/blobs/anonymous-read-access-prevent; checkov CKV_AZURE_190; PSRule Azure.Storage.BlobPublicAccess",
        fix: "set allowBlobPublicAccess to false",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "stexample", "location": "westeurope",
             "kind": "StorageV2", "sku": {"name": "Standard_ZRS"}, "properties": {"allowBlobPublicAccess": true}}
            """, flagging: ["stexample"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        context.graph.all(StorageAccount.self).filter(\.allowBlobPublicAccess).map { account in
            context.finding(Self.self, account, "storage account '\(account.name)' allows anonymous blob access",
                            evidence: [.property(account.id, "properties.allowBlobPublicAccess", "true")], property: "properties.allowBlobPublicAccess")
        }
    }
}

// MARK: - Fix

extension StorageBlobPublicAccessRule {
    /// Disallows anonymous read access at the account level
    /// (https://learn.microsoft.com/azure/storage/blobs/anonymous-read-access-prevent).
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard context.graph.resource(finding.subject, as: StorageAccount.self) != nil else { return nil }
        return context.propose("set allowBlobPublicAccess to false on '\(finding.subject.name)'") {
            $0.update(finding.subject, as: StorageAccount.self) { $0.allowBlobPublicAccess = false }
        }
    }
}
