import PalisadeModel

/// Compute must use a VNet in the workspace's subscription, and instances its region.
public struct ComputePlacementRule: Rule {
    public static let description = RuleDescription(
        id: "compute_placement",
        title: "Compute Placement",
        kind: .reliability,
        defaultSeverity: .error,
        rationale: """
        The compute's VNet must be in the workspace's subscription, and a compute instance must be in the \
        workspace's region when the workspace has a private endpoint; only clusters may run in another region \
        (through peering or an extra workspace endpoint, and never in a managed network).
        """,
        source: "https://learn.microsoft.com/azure/machine-learning/how-to-secure-training-vnet; https://learn.microsoft.com/azure/machine-learning/how-to-configure-private-link; https://learn.microsoft.com/azure/machine-learning/how-to-managed-network",
        fix: "create the compute in a VNet of the workspace's subscription and, for instances, in the workspace's region",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.MachineLearningServices/workspaces", "apiVersion": "2024-04-01", "name": "ws", "location": "westeurope",
             "properties": {}},
            {"type": "Microsoft.MachineLearningServices/workspaces/computes", "apiVersion": "2024-04-01", "name": "ws/ci-far",
             "location": "eastus", "dependsOn": ["[resourceId('Microsoft.MachineLearningServices/workspaces', 'ws')]"],
             "properties": {"computeType": "ComputeInstance", "properties": {"enableNodePublicIp": true,
              "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'training')]"}}}},
            {"type": "Microsoft.MachineLearningServices/workspaces/computes", "apiVersion": "2024-04-01", "name": "ws/cluster-other-sub",
             "location": "westeurope", "dependsOn": ["[resourceId('Microsoft.MachineLearningServices/workspaces', 'ws')]"],
             "properties": {"computeType": "AmlCompute", "properties": {"enableNodePublicIp": true,
              "subnet": {"id": "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/training"}}}},
            {"type": "Microsoft.MachineLearningServices/workspaces/computes", "apiVersion": "2024-04-01", "name": "ws/cluster-far",
             "location": "eastus", "dependsOn": ["[resourceId('Microsoft.MachineLearningServices/workspaces', 'ws')]"],
             "properties": {"computeType": "AmlCompute", "properties": {"enableNodePublicIp": true,
              "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'training')]"}}}}
            """, flagging: ["ci-far", "cluster-other-sub", "cluster-far"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        context.graph.all(MachineLearningCompute.self).compactMap { compute in
            guard let subnet = compute.subnet, let workspace = context.graph.resource(compute.workspace, as: MachineLearningWorkspace.self)
            else { return nil }
            if let network = subnet.subscriptionID, let home = workspace.id.subscriptionID, network.lowercased() != home.lowercased() {
                return context.finding(
                    Self.self, compute,
                    "compute '\(compute.name)' uses a VNet in subscription \(network), not workspace '\(workspace.name)''s subscription \(home)",
                    evidence: [.property(compute.id, "properties.properties.subnet.id", subnet.rawValue)])
            }
            guard let region = compute.location.flatMap(AzureRegion.named), let home = workspace.location.flatMap(AzureRegion.named),
                  region != home else { return nil }
            let evidence: [Evidence] = [.property(compute.id, "location", region.name), .property(workspace.id, "location", home.name)]
            if compute.isInstance {
                return context.finding(Self.self, compute,
                                       "compute instance '\(compute.name)' is in \(region.name) but workspace '\(workspace.name)' is in \(home.name); instances must share the workspace's region",
                                       evidence: evidence)
            }
            return context.finding(Self.self, compute,
                                   "cluster '\(compute.name)' is in \(region.name) but workspace '\(workspace.name)' is in \(home.name); it needs peering or a workspace endpoint in its VNet and cannot use a managed network",
                                   evidence: evidence, severity: .note)
        }
    }
}
