import PalisadeModel
import PalisadeNetwork

/// No-public-IP compute needs an explicit way out: a NAT gateway or a default route to a firewall.
public struct ComputeEgressPathRule: Rule {
    public static let description = RuleDescription(
        id: "compute_egress_path",
        title: "Compute Egress Path",
        kind: .connectivity,
        defaultSeverity: .error,
        rationale: """
        Compute without public IPs still needs outbound access to Microsoft Entra ID, Azure Resource Manager, Azure \
        Batch and package repositories. Without a NAT gateway or a 0.0.0.0/0 route to a firewall or gateway it has \
        only Azure's default outbound access, which Microsoft is retiring and which private subnets \
        (defaultOutboundAccess false) do not have at all; nodes then fail to start ("unusable node") and image \
        builds cannot download packages.
        """,
        source: "https://learn.microsoft.com/azure/machine-learning/how-to-secure-training-vnet; https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access; https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview",
        fix: "attach a NAT gateway to the compute subnet, or route 0.0.0.0/0 to the firewall's private IP",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet", "location": "westeurope",
             "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
              "subnets": [{"name": "private", "properties": {"addressPrefix": "10.0.0.0/24", "defaultOutboundAccess": false,
                "privateEndpointNetworkPolicies": "Disabled", "privateLinkServiceNetworkPolicies": "Disabled"}},
                {"name": "legacy", "properties": {"addressPrefix": "10.0.1.0/24",
                "privateEndpointNetworkPolicies": "Disabled", "privateLinkServiceNetworkPolicies": "Disabled"}}]}},
            {"type": "Microsoft.MachineLearningServices/workspaces/computes", "apiVersion": "2024-04-01", "name": "ws/cluster",
             "location": "westeurope", "properties": {"computeType": "AmlCompute", "properties": {"enableNodePublicIp": false,
              "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'private')]"}}}},
            {"type": "Microsoft.MachineLearningServices/workspaces/computes", "apiVersion": "2024-04-01", "name": "ws/ci",
             "location": "westeurope", "properties": {"computeType": "ComputeInstance", "properties": {"enableNodePublicIp": false,
              "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'legacy')]"}}}}
            """, flagging: ["private", "legacy"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        context.computeSubnets.compactMap { subnet in
            let noPublicIP = context.computes(in: subnet.id).filter { !$0.enableNodePublicIP }
            guard !noPublicIP.isEmpty, subnet.natGateway == nil else { return nil }
            let table = context.graph.resource(subnet.routeTable, as: RouteTable.self)
            let tunnel = table?.routes.contains { route in
                guard case .prefix(let p) = route.destination, p.length == 0 else { return false }
                return route.nextHopType == .virtualAppliance || route.nextHopType == .virtualNetworkGateway
            } ?? false
            guard !tunnel else { return nil }
            // A default route learned from a virtual hub (routing intent's Internet policy through the secured hub's
            // firewall) is a way out too: https://learn.microsoft.com/azure/virtual-wan/how-to-routing-policies
            if let learned = context.network.subnets[subnet.id]?.routes.lookup(.ip(IPv4Address("8.8.8.8")!)),
               learned.origin == .virtualNetworkGateway, case .virtualAppliance = learned.nextHop {
                return nil
            }
            let names = noPublicIP.map(\.name).joined(separator: ", ")
            let evidence: [Evidence] = [
                .property(subnet.id, "properties.natGateway", "(none)"),
                .property(subnet.id, "properties.routeTable", table.map { "\($0.name) (no 0.0.0.0/0 to a firewall or gateway)" } ?? "(none)"),
                .property(subnet.id, "properties.defaultOutboundAccess", subnet.defaultOutboundAccess.map { String($0) } ?? "(not set)"),
            ]
            if subnet.defaultOutboundAccess == false {
                return context.finding(
                    Self.self, subnet,
                    "subnet '\(subnet.name)' hosts no-public-IP compute (\(names)) but is private and has no NAT gateway or default route to a firewall; nodes cannot reach Entra ID, Resource Manager or Batch (\"encountered an unusable node\")",
                    evidence: evidence)
            }
            return context.finding(
                Self.self, subnet,
                "subnet '\(subnet.name)' hosts no-public-IP compute (\(names)) whose only way out is Azure's default outbound access, which is being retired and bypasses any firewall",
                evidence: evidence, severity: .warning)
        }
    }
}

// MARK: - Fix

extension ComputeEgressPathRule {
    /// Gives the compute subnet an explicit way out: 0.0.0.0/0 to the estate's Azure Firewall; for a private subnet
    /// without one, a NAT gateway that lets out only the required service tags (in a spec: the spec's firewall
    /// switched on); else (default outbound access, already
    /// open to the Internet) a NAT gateway
    /// (https://learn.microsoft.com/azure/machine-learning/how-to-secure-training-vnet#compute-instancecluster-with-no-public-ip,
    /// https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access). Reaching the Internet is the
    /// fix's purpose.
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard let subnet = context.graph.resource(finding.subject, as: Subnet.self) else { return nil }
        if let firewall = context.firewallAddress(for: subnet) {
            return context.propose("route 0.0.0.0/0 from '\(subnet.name)' to the firewall (\(firewall))", opens: .internet) { $0.routeDefault(of: subnet, to: firewall) }
        }
        // A private subnet has no way out at all: a NAT gateway alone would open the whole Internet past any
        // firewall, so only the required service tags are let out (routes to the Internet for them, 0.0.0.0/0 to
        // None, and NSG rules for their protocols and ports; required host names need a firewall's application rules).
        if subnet.defaultOutboundAccess == false {
            let flows = RequiredDestinationBlockedRule.blocked(subnet, context).map(\.flow).filter { flow in
                FlowOpener.targets(of: flow, network: context.network)?.allSatisfy { if case .host = $0 { false } else { true } } ?? false
            }
            let narrow = FlowOpener.open(flows, in: context.graph).map {
                FixProposal(summary: $0.steps.joined(separator: "; "), graph: $0.graph, opens: $0.opens, opensNames: $0.opensNames)
            }
            // A spec says the same by switching its firewall on; other inputs get the narrow egress.
            guard context.graph.all(AzureFirewall.self).isEmpty else { return narrow }
            var proposal = context.enableSpecFirewall()
            proposal.forOtherInputs = narrow.map { [$0] } ?? []
            return proposal
        }
        return context.propose("attach a NAT gateway (with a Standard public IP) to '\(subnet.name)'", opens: .internet) { $0.attachNatGateway(to: subnet) }
    }
}
