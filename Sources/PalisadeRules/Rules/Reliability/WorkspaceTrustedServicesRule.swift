import PalisadeModel

/// A workspace's storage and registry firewalls must admit the workspace as a trusted service.
public struct WorkspaceTrustedServicesRule: Rule {
    public static let description = RuleDescription(
        id: "workspace_trusted_services",
        title: "Workspace Trusted Services",
        kind: .reliability,
        defaultSeverity: .error,
        rationale: """
        Azure Machine Learning reaches the workspace's storage account and registry from its own service as well as \
        from the VNet. A storage firewall set to Deny needs the AzureServices bypass or a resource-instance rule for \
        Microsoft.MachineLearningServices/workspaces, and a closed registry needs the AzureServices bypass, or \
        datastores, studio and image builds fail.
        """,
        source: "https://learn.microsoft.com/azure/machine-learning/how-to-secure-workspace-vnet; https://learn.microsoft.com/azure/machine-learning/how-to-managed-network; https://learn.microsoft.com/azure/machine-learning/how-to-enable-studio-virtual-network",
        fix: "set the storage account's networkAcls.bypass to AzureServices (or add a resource-instance rule for the workspace) and the registry's networkRuleBypassOptions to AzureServices",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "stexample", "location": "westeurope",
             "kind": "StorageV2", "sku": {"name": "Standard_ZRS"}, "properties": {"networkAcls": {"defaultAction": "Deny", "bypass": "None"}}},
            {"type": "Microsoft.ContainerRegistry/registries", "apiVersion": "2023-07-01", "name": "crexample", "location": "westeurope",
             "sku": {"name": "Premium"}, "properties": {"publicNetworkAccess": "Disabled", "networkRuleBypassOptions": "None"}},
            {"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "stinstance", "location": "westeurope",
             "kind": "StorageV2", "sku": {"name": "Standard_ZRS"}, "properties": {"networkAcls": {"defaultAction": "Deny", "bypass": "None",
              "resourceAccessRules": [{"tenantId": "00000000-0000-0000-0000-000000000000",
                "resourceId": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/*"}]}}},
            {"type": "Microsoft.MachineLearningServices/workspaces", "apiVersion": "2024-04-01", "name": "ws", "location": "westeurope",
             "properties": {"storageAccount": "[resourceId('Microsoft.Storage/storageAccounts', 'stexample')]",
              "containerRegistry": "[resourceId('Microsoft.ContainerRegistry/registries', 'crexample')]"}},
            {"type": "Microsoft.MachineLearningServices/workspaces", "apiVersion": "2024-04-01", "name": "ws2", "location": "westeurope",
             "properties": {"storageAccount": "[resourceId('Microsoft.Storage/storageAccounts', 'stinstance')]"}}
            """, flagging: ["stexample", "crexample"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        let workspaces = context.graph.all(MachineLearningWorkspace.self)
        let storage: [Finding] = context.graph.all(StorageAccount.self).compactMap { account in
            let users = workspaces.filter { $0.storageAccount == account.id }
            let acl = account.networkACLs
            guard !users.isEmpty, acl.defaultAction == .deny || account.publicNetworkAccess == .disabled,
                  !acl.bypass.contains(where: { $0.lowercased() == "azureservices" }),
                  !acl.resourceAccessRules.contains(where: { $0.resourceID.lowercased().contains("microsoft.machinelearningservices/workspaces") })
            else { return nil }
            return context.finding(
                Self.self, account,
                "storage account '\(account.name)' of workspace '\(users.map(\.name).joined(separator: ", "))' denies public traffic without the AzureServices bypass or a workspace resource-instance rule",
                evidence: [.property(account.id, "properties.networkAcls.bypass", acl.bypass.isEmpty ? "None" : acl.bypass.joined(separator: ",")),
                           .property(account.id, "properties.networkAcls.resourceAccessRules", "(none for Microsoft.MachineLearningServices/workspaces)")])
        }
        let registries: [Finding] = context.graph.all(ContainerRegistry.self).compactMap { registry in
            let users = workspaces.filter { $0.containerRegistry == registry.id }
            guard !users.isEmpty, registry.networkRuleDefaultAction == .deny || registry.publicNetworkAccess == .disabled,
                  registry.networkRuleBypassOptions.lowercased() != "azureservices" else { return nil }
            return context.finding(
                Self.self, registry,
                "registry '\(registry.name)' of workspace '\(users.map(\.name).joined(separator: ", "))' is closed without the AzureServices bypass",
                evidence: [.property(registry.id, "properties.networkRuleBypassOptions", registry.networkRuleBypassOptions)])
        }
        return storage + registries
    }
}

// MARK: - Fix

extension WorkspaceTrustedServicesRule {
    /// Lets trusted Azure services through: `networkAcls.bypass: AzureServices` on the storage account,
    /// `networkRuleBypassOptions: AzureServices` on the registry
    /// (https://learn.microsoft.com/azure/machine-learning/how-to-secure-workspace-vnet#secure-azure-storage-accounts,
    /// https://learn.microsoft.com/azure/container-registry/allow-access-trusted-services).
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        if context.graph.resource(finding.subject, as: StorageAccount.self) != nil {
            return context.propose("set networkAcls.bypass to AzureServices on '\(finding.subject.name)'") {
                $0.update(finding.subject, as: StorageAccount.self) { $0.networkACLs.bypass = ["AzureServices"] }
            }
        }
        guard context.graph.resource(finding.subject, as: ContainerRegistry.self) != nil else { return nil }
        return context.propose("set networkRuleBypassOptions to AzureServices on '\(finding.subject.name)'") {
            $0.update(finding.subject, as: ContainerRegistry.self) { $0.networkRuleBypassOptions = "AzureServices" }
        }
    }
}
