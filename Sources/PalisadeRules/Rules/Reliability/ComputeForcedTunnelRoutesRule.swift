import PalisadeModel
import PalisadeNetwork

/// Public-IP compute behind a forced tunnel needs Internet routes for AML and Batch management.
public struct ComputeForcedTunnelRoutesRule: Rule {
    public static let description = RuleDescription(
        id: "compute_forced_tunnel_routes",
        title: "Compute Forced Tunnel Routes",
        kind: .reliability,
        defaultSeverity: .error,
        rationale: """
        Compute with a public IP is managed by Azure Machine Learning and Azure Batch through that public IP. A \
        0.0.0.0/0 route to a firewall or gateway sends the replies the wrong way (asymmetric routing), so the \
        subnet needs routes with next hop Internet for the AzureMachineLearning and BatchNodeManagement.<region> \
        service tags; without them nodes fail with "The specified Azure ML Compute Instance … encountered an \
        unusable node" or compute deployment fails.
        """,
        source: "https://learn.microsoft.com/azure/machine-learning/how-to-access-azureml-behind-firewall; https://learn.microsoft.com/azure/machine-learning/how-to-secure-training-vnet; microsoft/AzureTRE#2645",
        fix: "add routes AzureMachineLearning → Internet and BatchNodeManagement.<region> → Internet to the compute subnet's route table, or use no-public-IP compute",
        passingExamples: [.spec("{}"), .spec("compute: {publicIp: true}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Network/routeTables", "apiVersion": "2023-09-01", "name": "rt-training", "location": "westeurope",
             "properties": {"routes": [
               {"name": "default", "properties": {"addressPrefix": "0.0.0.0/0", "nextHopType": "VirtualAppliance", "nextHopIpAddress": "10.0.1.4"}},
               {"name": "aml", "properties": {"addressPrefix": "AzureMachineLearning", "nextHopType": "Internet"}}]}},
            {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet", "location": "westeurope",
             "dependsOn": ["[resourceId('Microsoft.Network/routeTables', 'rt-training')]"],
             "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
              "subnets": [{"name": "training", "properties": {"addressPrefix": "10.0.0.0/24",
                "routeTable": {"id": "[resourceId('Microsoft.Network/routeTables', 'rt-training')]"}}}]}},
            {"type": "Microsoft.MachineLearningServices/workspaces/computes", "apiVersion": "2024-04-01", "name": "ws/cluster",
             "location": "westeurope", "properties": {"computeType": "AmlCompute", "properties": {"enableNodePublicIp": true,
              "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'training')]"}}}}
            """, flagging: ["training"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        context.computeSubnets.compactMap { subnet in
            let publicCompute = context.computes(in: subnet.id).filter(\.enableNodePublicIP)
            guard !publicCompute.isEmpty, let table = context.graph.resource(subnet.routeTable, as: RouteTable.self),
                  let tunnel = table.routes.first(where: Self.isForcedTunnel) else { return nil }
            let region = context.graph.resource(subnet.virtualNetwork, as: VirtualNetwork.self)?.location
                ?? publicCompute.first?.location
            let batchTag = region.flatMap(AzureRegion.named).map { $0.tag("BatchNodeManagement") } ?? "BatchNodeManagement.<region>"
            var missing: [String] = []
            if !Self.hasInternetRoute(table, tag: "AzureMachineLearning") { missing.append("AzureMachineLearning") }
            if !Self.hasInternetRoute(table, tag: "BatchNodeManagement") { missing.append(batchTag) }
            guard !missing.isEmpty else { return nil }
            return context.finding(
                Self.self, subnet,
                "subnet '\(subnet.name)' hosts public-IP compute (\(publicCompute.map(\.name).joined(separator: ", "))) and sends 0.0.0.0/0 to \(tunnel.nextHopType.rawValue) but has no Internet route for \(missing.joined(separator: " and ")); nodes will become unusable (\"encountered an unusable node\")",
                evidence: [.property(table.id, "properties.routes[\(tunnel.name)]", "0.0.0.0/0 → \(tunnel.nextHopType.rawValue) \(tunnel.nextHopIPAddress?.description ?? "")"),
                           .related(table.id, "missing routes \(missing.map { "\($0) → Internet" }.joined(separator: ", "))")]
                    + publicCompute.map { .related($0.id, "enableNodePublicIp = true") })
        }
    }

    private static func isForcedTunnel(_ route: Route) -> Bool {
        guard case .prefix(let prefix) = route.destination, prefix.length == 0 else { return false }
        return route.nextHopType == .virtualAppliance || route.nextHopType == .virtualNetworkGateway
    }

    /// A route with next hop Internet for the tag or one of its regional forms.
    private static func hasInternetRoute(_ table: RouteTable, tag: String) -> Bool {
        table.routes.contains { route in
            guard route.nextHopType == .internet, case .serviceTag(let name) = route.destination else { return false }
            let folded = name.lowercased()
            return folded == tag.lowercased() || folded.hasPrefix(tag.lowercased() + ".")
        }
    }
}

// MARK: - Fix

extension ComputeForcedTunnelRoutesRule {
    /// Adds AzureMachineLearning → Internet and BatchNodeManagement.<region> → Internet routes to the subnet's table
    /// (https://learn.microsoft.com/azure/machine-learning/how-to-access-azureml-behind-firewall#forced-tunneling); those
    /// tags are the fix's purpose.
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard let subnet = context.graph.resource(finding.subject, as: Subnet.self),
              let table = context.graph.resource(subnet.routeTable, as: RouteTable.self) else { return nil }
        let region = context.graph.resource(subnet.virtualNetwork, as: VirtualNetwork.self)?.location ?? context.computes(in: subnet.id).first?.location
        guard let batch = region.flatMap(AzureRegion.named).map({ $0.tag("BatchNodeManagement") }) else { return nil }
        var routes: [Route] = []
        if !Self.hasInternetRoute(table, tag: "AzureMachineLearning") {
            routes.append(Route(name: "AzureMachineLearning", destination: .serviceTag("AzureMachineLearning"), nextHopType: .internet))
        }
        if !Self.hasInternetRoute(table, tag: "BatchNodeManagement") {
            routes.append(Route(name: "BatchNodeManagement", destination: .serviceTag(batch), nextHopType: .internet))
        }
        guard !routes.isEmpty else { return nil }
        let opens = routes.reduce(AddressSet.empty) { set, route in set.union(.atom(.tag(route.destination.description))) }
        return context.propose("add \(routes.map { "\($0.destination) → Internet" }.joined(separator: " and ")) to route table '\(table.name)'", opens: opens) { graph in
            graph.update(table.id, as: RouteTable.self) { $0.routes += routes }
        }
    }
}
