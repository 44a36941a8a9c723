import PalisadeModel

/// Access policies instead of Azure RBAC for the vault's data plane (PSRule Azure.KeyVault.RBAC).
public struct KeyVaultRbacAuthorizationRule: Rule {
    public static let description = RuleDescription(
        id: "key_vault_rbac_authorization",
        title: "Key Vault RBAC Authorization",
        kind: .security,
        defaultSeverity: .warning,
        rationale: """
        Access policies grant vault-wide permissions managed outside Azure RBAC, so they escape role reviews, \
        Privileged Identity Management and deny assignments; Azure RBAC scopes access per secret and is audited \
        with every other role.
        """,
        source: "https://learn.microsoft.com/azure/key-vault/general/rbac-guide; docs/defaults.md (key vault RBAC)",
        fix: "set enableRbacAuthorization to true and grant Key Vault data roles instead of access policies",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .spec("keyVault: {rbacAuthorization: false}", flagging: ["kv-test-9889"]),
            .arm("""
            {"type": "Microsoft.KeyVault/vaults", "apiVersion": "2023-07-01", "name": "kv-example", "location": "westeurope",
             "properties": {"tenantId": "00000000-0000-0000-0000-000000000000", "sku": {"family": "A", "name": "standard"},
              "enablePurgeProtection": true, "accessPolicies": []}}
            """, flagging: ["kv-example"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        context.graph.all(KeyVault.self).filter { !$0.enableRbacAuthorization }.map { vault in
            context.finding(Self.self, vault, "key vault '\(vault.name)' uses access policies instead of Azure RBAC",
                            evidence: [.property(vault.id, "properties.enableRbacAuthorization", "false")], property: "properties.enableRbacAuthorization")
        }
    }
}

// MARK: - Fix

extension KeyVaultRbacAuthorizationRule {
    /// Switches the vault's data plane to Azure RBAC
    /// (https://learn.microsoft.com/azure/key-vault/general/rbac-migration): access policies stop applying, so the
    /// principals that used them need role assignments such as Key Vault Secrets User.
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard context.graph.resource(finding.subject, as: KeyVault.self) != nil else { return nil }
        return context.propose("set enableRbacAuthorization to true on '\(finding.subject.name)' (grant the former access-policy holders Key Vault roles)",
                               spec: [SpecPatch("keyVault.rbacAuthorization", "true")]) {
            $0.update(finding.subject, as: KeyVault.self) { $0.enableRbacAuthorization = true }
        }
    }
}
