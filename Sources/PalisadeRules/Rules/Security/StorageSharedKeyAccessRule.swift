import PalisadeModel

/// Storage account keys bypass identity-based access and its audit trail (PSRule Azure.Storage.LocalAuth).
public struct StorageSharedKeyAccessRule: Rule {
    public static let description = RuleDescription(
        id: "storage_shared_key_access",
        title: "Storage Shared Key Access",
        kind: .security,
        defaultSeverity: .warning,
        rationale: """
        With shared key access on (Azure's default), anyone holding an account key or a SAS signed with it has full \
        data access that Entra ID cannot scope, audit or revoke per user; the workspace can use its identity instead \
        (systemDatastoresAuthMode identity).
        """,
        source: "https://learn.microsoft.com/azure/storage/common/shared-key-authorization-prevent; docs/defaults.md (storage shared key off)",
        fix: "set allowSharedKeyAccess to false and use identity-based datastores",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .spec("storage: {sharedKeyAccess: true}", flagging: ["sttest9889"]),
            .arm("""
            {"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "stexample", "location": "westeurope",
             "kind": "StorageV2", "sku": {"name": "Standard_LRS"}, "properties": {"publicNetworkAccess": "Disabled"}}
            """, flagging: ["stexample"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        context.graph.all(StorageAccount.self).filter(\.allowSharedKeyAccess).map { account in
            context.finding(Self.self, account, "storage account '\(account.name)' allows shared key access",
                            evidence: [.property(account.id, "properties.allowSharedKeyAccess", "true (Azure's default when unset)")], property: "properties.allowSharedKeyAccess")
        }
    }
}

// MARK: - Fix

extension StorageSharedKeyAccessRule {
    /// Turns shared key authorization off, so every request needs Microsoft Entra ID
    /// (https://learn.microsoft.com/azure/storage/common/shared-key-authorization-prevent).
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard context.graph.resource(finding.subject, as: StorageAccount.self) != nil else { return nil }
        return context.propose("set allowSharedKeyAccess to false on '\(finding.subject.name)'", spec: [SpecPatch("storage.sharedKeyAccess", "false")]) {
            $0.update(finding.subject, as: StorageAccount.self) { $0.allowSharedKeyAccess = false }
        }
    }
}
