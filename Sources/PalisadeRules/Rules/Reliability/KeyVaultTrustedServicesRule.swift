import PalisadeModel

/// A workspace's key vault firewall must let trusted Microsoft services through.
public struct KeyVaultTrustedServicesRule: Rule {
    public static let description = RuleDescription(
        id: "key_vault_trusted_services",
        title: "Key Vault Trusted Services",
        kind: .reliability,
        defaultSeverity: .error,
        rationale: """
        Azure Machine Learning reaches the workspace key vault from its own service, not from the VNet. With the \
        vault's firewall set to Deny and no AzureServices bypass, workspace operations and key-authenticated online \
        endpoint creation fail.
        """,
        source: "https://learn.microsoft.com/azure/machine-learning/how-to-secure-workspace-vnet; https://learn.microsoft.com/azure/machine-learning/concept-secure-online-endpoint; https://learn.microsoft.com/azure/key-vault/general/network-security",
        fix: "set networkAcls.bypass to AzureServices on the workspace's key vault",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.KeyVault/vaults", "apiVersion": "2023-07-01", "name": "kv-example", "location": "westeurope",
             "properties": {"tenantId": "00000000-0000-0000-0000-000000000000", "sku": {"family": "A", "name": "standard"},
              "networkAcls": {"defaultAction": "Deny", "bypass": "None"}}},
            {"type": "Microsoft.KeyVault/vaults", "apiVersion": "2023-07-01", "name": "kv-other", "location": "westeurope",
             "properties": {"tenantId": "00000000-0000-0000-0000-000000000000", "sku": {"family": "A", "name": "standard"},
              "networkAcls": {"defaultAction": "Deny", "bypass": "None"}}},
            {"type": "Microsoft.MachineLearningServices/workspaces", "apiVersion": "2024-04-01", "name": "ws", "location": "westeurope",
             "properties": {"keyVault": "[resourceId('Microsoft.KeyVault/vaults', 'kv-example')]"}}
            """, flagging: ["kv-example"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        let workspaces = context.graph.all(MachineLearningWorkspace.self)
        return context.graph.all(KeyVault.self).compactMap { vault in
            let users = workspaces.filter { $0.keyVault == vault.id }
            let acl = vault.networkACLs
            let closed = acl.defaultAction == .deny || vault.publicNetworkAccess == .disabled
            guard !users.isEmpty, closed, !acl.bypass.contains(where: { $0.lowercased() == "azureservices" }) else { return nil }
            return context.finding(
                Self.self, vault,
                "key vault '\(vault.name)' of workspace '\(users.map(\.name).joined(separator: ", "))' denies public traffic without the AzureServices bypass; Azure Machine Learning cannot reach it",
                evidence: [.property(vault.id, "properties.networkAcls.defaultAction", acl.defaultAction.rawValue),
                           .property(vault.id, "properties.networkAcls.bypass", acl.bypass.isEmpty ? "None" : acl.bypass.joined(separator: ","))]
                    + users.map { .related($0.id, "uses this key vault") },
                property: "properties.networkAcls.bypass")
        }
    }
}

// MARK: - Fix

extension KeyVaultTrustedServicesRule {
    /// Lets trusted Microsoft services through the vault firewall
    /// (https://learn.microsoft.com/azure/key-vault/general/overview-vnet-service-endpoints#trusted-services).
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard context.graph.resource(finding.subject, as: KeyVault.self) != nil else { return nil }
        return context.propose("set networkAcls.bypass to AzureServices on '\(finding.subject.name)'") {
            $0.update(finding.subject, as: KeyVault.self) { $0.networkACLs.bypass = ["AzureServices"] }
        }
    }
}
