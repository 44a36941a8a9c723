import PalisadeModel

/// Locally redundant storage loses the workspace's data with one datacenter (checkov CKV_AZURE_206).
public struct StorageReplicationRule: Rule {
    public static let description = RuleDescription(
        id: "storage_replication",
        title: "Storage Replication",
        kind: .hygiene,
        defaultSeverity: .note,
        rationale: """
        Locally redundant storage (LRS) keeps all copies in one datacenter, so a datacenter outage makes the \
        workspace's datasets, models and notebooks unavailable or lost; zone- or geo-redundant SKUs survive it.
        """,
        source: "https://learn.microsoft.com/azure/storage/common/storage-redundancy; docs/defaults.md (storage Standard_ZRS); checkov CKV_AZURE_206",
        fix: "use a zone- or geo-redundant SKU such as Standard_ZRS or Standard_GZRS",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .spec("storage: {sku: Standard_LRS}", flagging: ["sttest9889"]),
            .arm("""
            {"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "stexample", "location": "westeurope",
             "kind": "StorageV2", "sku": {"name": "Premium_LRS"}, "properties": {}}
            """, flagging: ["stexample"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        context.graph.all(StorageAccount.self).filter { $0.sku.uppercased().hasSuffix("_LRS") }.map { account in
            // Without availability zones only geo-redundancy is on offer
            // (https://learn.microsoft.com/azure/storage/common/storage-redundancy).
            let zoneless = account.location.flatMap(AzureRegion.named).map { !$0.hasAvailabilityZones } ?? false
            return context.finding(Self.self, account, "storage account '\(account.name)' is locally redundant (\(account.sku))",
                                   evidence: [.property(account.id, "sku.name", account.sku)],
                                   fix: zoneless ? "use a geo-redundant SKU such as Standard_GRS (the region has no availability zones)" : nil,
                                   property: "sku.name")
        }
    }
}

// MARK: - Fix

extension StorageReplicationRule {
    /// Moves to zone-redundant storage, or geo-redundant where the region has no zones
    /// (https://learn.microsoft.com/azure/storage/common/redundancy-migration).
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard let account = context.graph.resource(finding.subject, as: StorageAccount.self) else { return nil }
        let zoneless = account.location.flatMap(AzureRegion.named).map { !$0.hasAvailabilityZones } ?? false
        // Premium accounts offer LRS and ZRS only.
        if zoneless, account.sku.lowercased().hasPrefix("premium") { return nil }
        let sku = String(account.sku.dropLast(4)) + (zoneless ? "_GRS" : "_ZRS")
        return context.propose("set the SKU of '\(account.name)' to \(sku)", spec: [SpecPatch("storage.sku", sku)]) {
            $0.update(finding.subject, as: StorageAccount.self) { $0.sku = sku }
        }
    }
}
