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
            {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet", "location": "westeurope",
             "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
              "subnets": [{"name": "training", "properties": {"addressPrefix": "10.0.0.0/24"}}]}},
            {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet-east", "location": "eastus",
             "properties": {"addressSpace": {"addressPrefixes": ["10.1.0.0/16"]},
              "subnets": [{"name": "training", "properties": {"addressPrefix": "10.1.0.0/24"}}]}},
            {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "network-team",
             "subscriptionId": "11111111-1111-1111-1111-111111111111", "resourceGroup": "rg-net",
             "properties": {"mode": "Incremental", "template": {
              "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0",
              "resources": [{"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet-shared", "location": "westeurope",
               "properties": {"addressSpace": {"addressPrefixes": ["10.2.0.0/16"]},
                "subnets": [{"name": "training", "properties": {"addressPrefix": "10.2.0.0/24"}}]}}]}}},
            {"type": "Microsoft.MachineLearningServices/workspaces/computes", "apiVersion": "2024-04-01", "name": "ws/cluster-home",
             "location": "westeurope", "dependsOn": ["[resourceId('Microsoft.MachineLearningServices/workspaces', 'ws')]"],
             "properties": {"computeType": "AmlCompute", "properties": {"enableNodePublicIp": true,
              "scaleSettings": {"minNodeCount": 0, "maxNodeCount": 4},
              "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'training')]"}}}},
            {"type": "Microsoft.MachineLearningServices/workspaces/computes", "apiVersion": "2024-04-01", "name": "ws/ci-far",
             "location": "eastus", "dependsOn": ["[resourceId('Microsoft.MachineLearningServices/workspaces', 'ws')]"],
             "properties": {"computeType": "ComputeInstance", "properties": {"enableNodePublicIp": true,
              "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-east', 'training')]"}}}},
            {"type": "Microsoft.MachineLearningServices/workspaces/computes", "apiVersion": "2024-04-01", "name": "ws/cluster-other-sub",
             "location": "westeurope", "dependsOn": ["[resourceId('Microsoft.MachineLearningServices/workspaces', 'ws')]"],
             "properties": {"computeType": "AmlCompute", "properties": {"enableNodePublicIp": true,
              "subnet": {"id": "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-shared/subnets/training"}}}},
            {"type": "Microsoft.MachineLearningServices/workspaces/computes", "apiVersion": "2024-04-01", "name": "ws/cluster-far",
             "location": "eastus", "dependsOn": ["[resourceId('Microsoft.MachineLearningServices/workspaces', 'ws')]"],
             "properties": {"computeType": "AmlCompute", "properties": {"enableNodePublicIp": true,
              "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-east', 'training')]"}}}}
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

extension ComputePlacementRule {
    /// Recreates the compute in the workspace's subscription and region: in a subnet of a VNet there that already
    /// holds the workspace's compute, else in an ordinary subnet (no delegation, not a platform subnet) with room for
    /// it, else in a new subnet from free space in such a VNet. The compute keeps its settings; its subnet and, for a
    /// region change, its location change.
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        let graph = context.graph
        guard let compute = graph.resource(finding.subject, as: MachineLearningCompute.self),
              let workspace = graph.resource(compute.workspace, as: MachineLearningWorkspace.self),
              let home = workspace.location.flatMap(AzureRegion.named), let subscription = workspace.id.subscriptionID else { return nil }
        let vnets = graph.all(VirtualNetwork.self).filter { vnet in
            vnet.id.subscriptionID?.lowercased() == subscription.lowercased() && vnet.location.flatMap(AzureRegion.named) == home
        }.sorted { $0.id < $1.id }
        guard !vnets.isEmpty else { return nil }
        let homeNetworks = Set(vnets.map(\.id))
        let needed = compute.isInstance ? 1 : max(compute.maxNodes, 1)
        let platform: Set<String> = ["azurefirewallsubnet", "azurefirewallmanagementsubnet", "gatewaysubnet", "azurebastionsubnet", "routeserversubnet"]
        let candidates = graph.all(Subnet.self).filter { subnet in
            homeNetworks.contains(subnet.virtualNetwork) && subnet.delegations.isEmpty && !platform.contains(subnet.name.lowercased())
                && ComputeSubnetCapacityRule.room(in: subnet, context: context) >= needed
        }.sorted { $0.id < $1.id }
        let used = Set(graph.all(MachineLearningCompute.self).filter { $0.workspace == workspace.id && $0.id != compute.id }.compactMap(\.subnet))
        let chosen = candidates.first { used.contains($0.id) } ?? candidates.first
        var newSubnet: Subnet?
        var added: IPv4Prefix?
        if chosen == nil {
            // A new subnet, sized for the compute, from free space in the first home VNet.
            guard let length = AddressAllocator.subnetLength(forUsable: needed), let vnet = vnets.first else { return nil }
            var name = "compute"
            var n = 2
            while graph.subnets(of: vnet.id).contains(where: { $0.name.lowercased() == name }) { name = "compute-\(n)"; n += 1 }
            var subnet = Subnet(id: vnet.id.child("subnets", name))
            guard case .success(let found) = graph.freeBlock(length: length, in: vnet, for: subnet.id) else { return nil }
            subnet.addressPrefixes = [found.block]
            added = found.addedSpace
            newSubnet = subnet
        }
        guard let target = chosen ?? newSubnet else { return nil }
        let location = workspace.location ?? home.name
        var summary = "recreate compute '\(compute.name)' in subnet '\(target.name)' of virtual network '\(target.virtualNetwork.name)' "
            + "(workspace '\(workspace.name)''s subscription and region \(home.name))"
        if let prefix = target.addressPrefixes.first, newSubnet != nil { summary += ", a new subnet \(prefix)" }
        if let added { summary += " in address space \(added) added to the VNet" }
        summary += "; a compute's subnet and region cannot change in place: delete the compute and create it again"
        return context.propose(summary) { graph in
            if let newSubnet {
                if let added { graph.update(newSubnet.virtualNetwork, as: VirtualNetwork.self) { $0.addressSpace.append(added) } }
                graph.insert(newSubnet)
            }
            graph.update(compute.id, as: MachineLearningCompute.self) {
                $0.subnet = target.id
                if compute.location.flatMap(AzureRegion.named) != home { $0.location = location }
            }
        }
    }
}

extension ComputePlacementRule: FixExplaining {
    /// Says when the model has no VNet in the workspace's subscription and region to move the compute to.
    public func whyNoFix(for finding: Finding, in context: RuleContext) -> String? {
        guard let compute = context.graph.resource(finding.subject, as: MachineLearningCompute.self),
              let workspace = context.graph.resource(compute.workspace, as: MachineLearningWorkspace.self),
              let region = workspace.location, let subscription = workspace.id.subscriptionID else { return nil }
        let home = context.graph.all(VirtualNetwork.self).contains { vnet in
            vnet.id.subscriptionID?.lowercased() == subscription.lowercased() && vnet.location.flatMap(AzureRegion.named) == AzureRegion.named(region)
        }
        return home ? nil : "no virtual network in workspace '\(workspace.name)''s subscription and region \(region) is in the input to move the compute to"
    }
}
