import PalisadeModel

/// The compute subnet must hold every node and instance plus what else lives there.
public struct ComputeSubnetCapacityRule: Rule {
    public static let description = RuleDescription(
        id: "compute_subnet_capacity",
        title: "Compute Subnet Capacity",
        kind: .reliability,
        defaultSeverity: .error,
        rationale: """
        Each compute instance and each cluster node at its maximum takes one private IP in the subnet, next to the \
        NICs and private endpoints already there, and Azure reserves 5 addresses in every subnet. When the subnet \
        runs out, Azure Batch allocates the pool only partly and scaling fails with a resize error ("pool partially \
        allocates the compute nodes").
        """,
        source: "https://learn.microsoft.com/azure/machine-learning/how-to-secure-training-vnet; https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq",
        fix: "enlarge the compute subnet, lower the clusters' maximum node count, or move endpoints and VMs to another subnet",
        passingExamples: [.spec("{}"), .spec("compute: {cluster: {maxNodes: 100}}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet", "location": "westeurope",
             "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
              "subnets": [{"name": "training", "properties": {"addressPrefix": "10.0.0.0/28"}}]}},
            {"type": "Microsoft.MachineLearningServices/workspaces/computes", "apiVersion": "2024-04-01", "name": "ws/cluster",
             "location": "westeurope", "properties": {"computeType": "AmlCompute", "properties": {"enableNodePublicIp": true,
              "scaleSettings": {"minNodeCount": 0, "maxNodeCount": 10},
              "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'training')]"}}}},
            {"type": "Microsoft.Network/privateEndpoints", "apiVersion": "2023-09-01", "name": "pe-ws", "location": "westeurope",
             "properties": {"subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'training')]"},
              "privateLinkServiceConnections": [{"name": "ws", "properties": {"groupIds": ["amlworkspace"],
                "privateLinkServiceId": "[resourceId('Microsoft.MachineLearningServices/workspaces', 'ws')]"}}]}}
            """, flagging: ["training"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        context.computeSubnets.compactMap { subnet in
            guard !subnet.addressPrefixes.isEmpty else { return nil }
            let usable = subnet.addressPrefixes.map(\.azureUsableCount).reduce(0, +)
            let (computes, endpoints, nodes, nics, endpointIPs) = Self.demand(of: subnet, in: context)
            let needed = nodes + nics + endpointIPs
            guard needed > usable else { return nil }
            return context.finding(
                Self.self, subnet,
                "subnet '\(subnet.name)' has \(usable) usable addresses but needs \(needed) (\(nodes) for compute nodes and instances, \(nics) for NICs, \(endpointIPs) for private endpoints); clusters will only partly allocate",
                evidence: [.property(subnet.id, "properties.addressPrefix", subnet.addressPrefixes.map(\.description).joined(separator: ", "))]
                    + computes.map { .related($0.id, $0.isInstance ? "compute instance: 1 address" : "cluster: up to \($0.maxNodes) nodes") }
                    + endpoints.map { .related($0.id, "private endpoint: \(Self.addresses($0)) address(es)") })
        }
    }

    /// Addresses a private endpoint takes: its static configurations, or one per DNS name its sub-resource needs.
    private static func addresses(_ endpoint: PrivateEndpoint) -> Int {
        if !endpoint.ipConfigurations.isEmpty { return endpoint.ipConfigurations.count }
        let groups = endpoint.groupIDs.map { $0.lowercased() }
        if groups.contains("amlworkspace") { return 3 }  // api, notebooks, inference
        if groups.contains("registry") { return 2 }  // registry and its regional data endpoint
        return max(groups.count, 1)
    }
}

extension ComputeSubnetCapacityRule {
    /// What the subnet must hold: its compute, private endpoints, and the addresses of nodes, NICs and endpoints.
    static func demand(of subnet: Subnet, in context: RuleContext)
        -> (computes: [MachineLearningCompute], endpoints: [PrivateEndpoint], nodes: Int, nics: Int, endpointIPs: Int) {
        let computes = context.computes(in: subnet.id)
        let nodes = computes.map { $0.isInstance ? 1 : max($0.maxNodes, 1) }.reduce(0, +)
        let nics = context.graph.all(NetworkInterface.self)
            .map { $0.ipConfigurations.filter { $0.subnet == subnet.id }.count }.reduce(0, +)
        let endpoints = context.graph.all(PrivateEndpoint.self).filter { $0.subnet == subnet.id }
        return (computes, endpoints, nodes, nics, endpoints.map(Self.addresses).reduce(0, +))
    }

    /// Gives the subnet the smallest range that holds what it must (nodes at their maximum, NICs, endpoints, and
    /// the five addresses Azure reserves): grown in place when the aligned block around it is free, else moved to
    /// a free block of the VNet or of a new address prefix.
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard let subnet = context.graph.resource(finding.subject, as: Subnet.self) else { return nil }
        let demand = Self.demand(of: subnet, in: context)
        let needed = demand.nodes + demand.nics + demand.endpointIPs
        guard let length = AddressAllocator.subnetLength(forUsable: needed) else { return nil }
        return context.proposeRelocation(of: subnet, length: length, because: "\(subnet.name) must hold \(needed) addresses")
    }
}

extension ComputeSubnetCapacityRule {
    /// Addresses still free in `subnet` for more compute nodes: usable addresses less what it must already hold.
    static func room(in subnet: Subnet, context: RuleContext) -> Int {
        let demand = demand(of: subnet, in: context)
        return subnet.addressPrefixes.map(\.azureUsableCount).reduce(0, +) - demand.nodes - demand.nics - demand.endpointIPs
    }
}

extension ComputeSubnetCapacityRule: FixExplaining {
    /// Says when no free block large enough is left, or when no IPv4 subnet is that large.
    public func whyNoFix(for finding: Finding, in context: RuleContext) -> String? {
        guard let subnet = context.graph.resource(finding.subject, as: Subnet.self) else { return nil }
        let demand = Self.demand(of: subnet, in: context)
        let needed = demand.nodes + demand.nics + demand.endpointIPs
        guard let length = AddressAllocator.subnetLength(forUsable: needed) else {
            return "no subnet holds \(needed) addresses; lower the clusters' maximum node count or spread them over subnets"
        }
        return context.relocationFailure(of: subnet, length: length)
    }
}
