import PalisadeModel
import PalisadeNetwork

/// The workspace's private endpoint and its storage's share a VNet; key vault and registry should too.
public struct WorkspaceDependencyNetworkRule: Rule {
    public static let description = RuleDescription(
        id: "workspace_dependency_network",
        title: "Workspace Dependency Network",
        kind: .connectivity,
        defaultSeverity: .warning,
        rationale: """
        Azure Machine Learning requires the workspace's private endpoint and its default storage account's private \
        endpoint in the same VNet (subnets may differ), and recommends the key vault and registry there too; with \
        them in different VNets, studio, datastores and image builds break unless peering and DNS are set up for it.
        """,
        source: "https://learn.microsoft.com/azure/machine-learning/how-to-secure-workspace-vnet; https://learn.microsoft.com/azure/machine-learning/how-to-enable-studio-virtual-network; https://learn.microsoft.com/azure/machine-learning/how-to-configure-private-link",
        fix: "create the storage (and key vault, registry) private endpoints in a VNet that also holds a workspace private endpoint",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "stexample", "location": "westeurope",
             "kind": "StorageV2", "sku": {"name": "Standard_LRS"}, "properties": {"publicNetworkAccess": "Disabled"}},
            {"type": "Microsoft.KeyVault/vaults", "apiVersion": "2023-07-01", "name": "kv-example", "location": "westeurope",
             "properties": {"tenantId": "00000000-0000-0000-0000-000000000000", "sku": {"family": "A", "name": "standard"}}},
            {"type": "Microsoft.MachineLearningServices/workspaces", "apiVersion": "2024-04-01", "name": "ws", "location": "westeurope",
             "properties": {"publicNetworkAccess": "Disabled",
              "storageAccount": "[resourceId('Microsoft.Storage/storageAccounts', 'stexample')]",
              "keyVault": "[resourceId('Microsoft.KeyVault/vaults', 'kv-example')]"}},
            {"type": "Microsoft.Network/privateEndpoints", "apiVersion": "2023-09-01", "name": "pe-ws", "location": "westeurope",
             "properties": {"subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-a', 'endpoints')]"},
              "privateLinkServiceConnections": [{"name": "ws", "properties": {"groupIds": ["amlworkspace"],
                "privateLinkServiceId": "[resourceId('Microsoft.MachineLearningServices/workspaces', 'ws')]"}}]}},
            {"type": "Microsoft.Network/privateEndpoints", "apiVersion": "2023-09-01", "name": "pe-st", "location": "westeurope",
             "properties": {"subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-b', 'endpoints')]"},
              "privateLinkServiceConnections": [{"name": "st", "properties": {"groupIds": ["blob"],
                "privateLinkServiceId": "[resourceId('Microsoft.Storage/storageAccounts', 'stexample')]"}}]}},
            {"type": "Microsoft.Network/privateEndpoints", "apiVersion": "2023-09-01", "name": "pe-kv", "location": "westeurope",
             "properties": {"subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-a', 'other')]"},
              "privateLinkServiceConnections": [{"name": "kv", "properties": {"groupIds": ["vault"],
                "privateLinkServiceId": "[resourceId('Microsoft.KeyVault/vaults', 'kv-example')]"}}]}}
            """, flagging: ["stexample"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        var findings: [Finding] = []
        for workspace in context.graph.all(MachineLearningWorkspace.self) {
            let home = context.endpointNetworks(of: workspace.id)
            guard !home.isEmpty else { continue }
            let dependencies: [(ResourceID?, String, FindingSeverity)] = [
                (workspace.storageAccount, "storage account", .warning),
                (workspace.keyVault, "key vault", .note),
                (workspace.containerRegistry, "registry", .note),
            ]
            for case let (id?, kind, severity) in dependencies {
                let networks = context.endpointNetworks(of: id)
                guard !networks.isEmpty, networks.isDisjoint(with: home), let resource = context.graph[id]?.payload else { continue }
                findings.append(context.finding(
                    Self.self, resource,
                    "\(kind) '\(id.name)' of workspace '\(workspace.name)' has private endpoints only in \(networks.map { "'\($0.name)'" }.sorted().joined(separator: ", ")), not in the workspace endpoint's VNet \(home.map { "'\($0.name)'" }.sorted().joined(separator: ", "))",
                    evidence: context.privateEndpoints(targeting: id).map { .related($0.id, "in VNet '\($0.subnet?.parent?.name ?? "?")'") }
                        + context.privateEndpoints(targeting: workspace.id).map { .related($0.id, "workspace endpoint in VNet '\($0.subnet?.parent?.name ?? "?")'") },
                    severity: severity))
            }
        }
        return findings
    }
}

// MARK: - Fix

extension WorkspaceDependencyNetworkRule {
    /// Adds private endpoints for the dependency beside the workspace's own endpoint
    /// (https://learn.microsoft.com/azure/machine-learning/how-to-secure-workspace-vnet); their addresses are the fix's purpose.
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        let graph = context.graph
        guard let workspace = graph.all(MachineLearningWorkspace.self).first(where: {
            [$0.storageAccount, $0.keyVault, $0.containerRegistry].contains(finding.subject)
        }), let subnet = graph.privateEndpoints(targeting: workspace.id).compactMap(\.subnet).sorted().first,
              graph.privateLinkGroups(for: finding.subject) != nil else { return nil }
        let opens = graph.resource(subnet, as: Subnet.self).map { AddressSet.subnets([$0]) } ?? .empty
        return context.propose("add private endpoint(s) for '\(finding.subject.name)' in '\(subnet.name)', beside the workspace's endpoint", opens: opens) {
            $0.addPrivateEndpoints(to: finding.subject, in: subnet, linkedTo: graph.resolvingNetworks)
        }
    }
}
