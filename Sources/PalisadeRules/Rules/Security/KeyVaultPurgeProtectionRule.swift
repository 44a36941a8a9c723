import PalisadeModel

/// Without purge protection a deleted vault's keys and secrets can be destroyed for good (PSRule Azure.KeyVault.PurgeProtect).
public struct KeyVaultPurgeProtectionRule: Rule {
    public static let description = RuleDescription(
        id: "key_vault_purge_protection",
        title: "Key Vault Purge Protection",
        kind: .security,
        defaultSeverity: .warning,
        rationale: """
        Soft delete keeps a deleted vault recoverable, but without purge protection anyone with purge rights can \
        erase it immediately, taking the workspace's secrets and customer-managed keys with it.
        """,
        source: "https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview; docs/defaults.md (key vault); checkov CKV_AZURE_110, CKV_AZURE_42",
        fix: "set enablePurgeProtection to true (it cannot be turned off again)",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .spec("keyVault: {purgeProtection: false}", flagging: ["kv-test-9889"]),
            .arm("""
            {"type": "Microsoft.KeyVault/vaults", "apiVersion": "2023-07-01", "name": "kv-example", "location": "westeurope",
             "properties": {"tenantId": "00000000-0000-0000-0000-000000000000", "sku": {"family": "A", "name": "standard"},
              "enableRbacAuthorization": true}}
            """, flagging: ["kv-example"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        context.graph.all(KeyVault.self).filter { !$0.enablePurgeProtection }.map { vault in
            context.finding(Self.self, vault, "key vault '\(vault.name)' has no purge protection",
                            evidence: [.property(vault.id, "properties.enablePurgeProtection", "false")], property: "properties.enablePurgeProtection")
        }
    }
}

// MARK: - Fix

extension KeyVaultPurgeProtectionRule {
    /// Turns purge protection on, which needs soft delete (https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview).
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard context.graph.resource(finding.subject, as: KeyVault.self) != nil else { return nil }
        return context.propose("set enablePurgeProtection to true on '\(finding.subject.name)'", spec: [SpecPatch("keyVault.purgeProtection", "true")]) {
            $0.update(finding.subject, as: KeyVault.self) {
                $0.enablePurgeProtection = true
                $0.enableSoftDelete = true
            }
        }
    }
}
