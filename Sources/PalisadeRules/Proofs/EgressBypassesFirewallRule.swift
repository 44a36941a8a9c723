import PalisadeModel
import PalisadeNetwork

/// Proof: compute and jumpbox subnets reach the Internet only through the firewall, and the firewall does not
/// let an arbitrary Internet address through.
public struct EgressBypassesFirewallRule: Rule {
    public static let description = RuleDescription(
        id: "egress_bypasses_firewall",
        title: "Egress Bypasses Firewall",
        kind: .security,
        defaultSeverity: .error,
        rationale: """
        Data leaves through the Internet. The engine traces a packet from each subnet that hosts compute or VMs to \
        an arbitrary Internet address (203.0.113.10:443, TEST-NET-3). Allowed without passing an Azure Firewall \
        means egress is uncontrolled (default outbound access, a public IP, NAT gateway or an Internet route); \
        allowed through the firewall means the allow-list admits any destination.
        """,
        source: "https://learn.microsoft.com/azure/machine-learning/how-to-prevent-data-loss-exfiltration; https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview; https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access",
        fix: "route 0.0.0.0/0 to the firewall (VirtualAppliance) and allow only the required destinations there",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet", "location": "westeurope",
             "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
              "subnets": [{"name": "training", "properties": {"addressPrefix": "10.0.1.0/24",
                "privateEndpointNetworkPolicies": "Disabled", "privateLinkServiceNetworkPolicies": "Disabled"}}]}},
            {"type": "Microsoft.MachineLearningServices/workspaces/computes", "apiVersion": "2024-04-01", "name": "ws/cluster",
             "location": "westeurope", "properties": {"computeType": "AmlCompute", "properties": {"enableNodePublicIp": true,
              "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'training')]"}}}}
            """, flagging: ["training"]),
        ]
    )

    /// An arbitrary Internet destination (RFC 5737 TEST-NET-3).
    static let probe = IPv4Address(203, 0, 113, 10)

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        let hostSubnets = Set(context.computeSubnets.map(\.id))
            .union(context.network.endpoints.values.filter { $0.kind == .networkInterface }.map(\.subnet))
        var findings: [Finding] = []
        for subnet in context.graph.all(Subnet.self) where hostSubnets.contains(subnet.id) {
            let trace = context.network.trace(from: .subnet(subnet.id), to: .address(Self.probe), port: 443, protocol: .tcp)
            guard trace.verdict == .allowed else { continue }
            let message = trace.passesFirewall
                ? "the firewall lets subnet '\(subnet.name)' reach an arbitrary Internet address (\(Self.probe):443)"
                : "subnet '\(subnet.name)' reaches the Internet (\(Self.probe):443) without passing a firewall"
            findings.append(context.finding(Self.self, subnet, message, evidence: [.trace(trace)]))
        }
        for workspace in context.graph.all(MachineLearningWorkspace.self)
        where workspace.managedNetwork.isolationMode == .allowInternetOutbound {
            let trace = context.network.trace(from: .managedNetwork(workspace.id), to: .address(Self.probe), port: 443, protocol: .tcp)
            guard trace.verdict == .allowed else { continue }
            findings.append(context.finding(
                Self.self, workspace, "compute in the managed network of '\(workspace.name)' reaches any Internet address (AllowInternetOutbound)",
                evidence: [.property(workspace.id, "properties.managedNetwork.isolationMode", "AllowInternetOutbound"), .trace(trace)],
                severity: .warning, fix: "use isolationMode AllowOnlyApprovedOutbound with FQDN rules for what compute needs (docs/semantics.md#managed-network-outbound-rules)"))
        }
        return findings
    }
}

// MARK: - Fix

extension EgressBypassesFirewallRule {
    /// Sends the subnet's 0.0.0.0/0 to an Azure Firewall: the one its traffic can reach, else one deployed in its VNet
    /// (AzureFirewallSubnet in a free /26, a Standard public IP, a policy with threat intelligence Deny and DNS proxy).
    /// The firewall denies what no rule allows, so the required destinations of the subnet's compute that it reached
    /// before get network rules (service tags) and application rules (host names) for exactly their ports
    /// (https://learn.microsoft.com/azure/machine-learning/how-to-access-azureml-behind-firewall,
    /// https://learn.microsoft.com/azure/firewall/tutorial-firewall-deploy-portal-policy). Nothing opens that was not
    /// reachable before; a new firewall's own subnet hosts no workload. A firewall that already lets anything through,
    /// and compute in a managed network, get no automatic change.
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard let subnet = context.graph.resource(finding.subject, as: Subnet.self) else { return nil }
        let probe = context.network.trace(from: .subnet(subnet.id), to: .address(Self.probe), port: 443, protocol: .tcp)
        guard !probe.passesFirewall else { return nil }
        var graph = context.graph
        var steps: [String] = []
        var added: Set<String> = []
        let address: IPv4Address
        if let existing = context.firewallAddress(for: subnet) {
            address = existing
        } else {
            guard let vnet = graph.resource(subnet.virtualNetwork, as: VirtualNetwork.self),
                  let (firewall, ip) = graph.deployFirewall(in: vnet.id) else { return nil }
            address = ip
            added.insert("\(vnet.name)/AzureFirewallSubnet")
            steps.append("deploy Azure Firewall '\(firewall.name)' (Standard, policy with threat intelligence Deny and DNS proxy) in a new AzureFirewallSubnet of '\(vnet.name)'")
        }
        guard let current = graph.resource(subnet.id, as: Subnet.self) else { return nil }
        graph.routeDefault(of: current, to: address)
        steps.append("route 0.0.0.0/0 from '\(subnet.name)' to the firewall (\(address))")
        // The required flows the subnet had before keep working through the firewall.
        let before = RequiredDestinationBlockedRule.requiredFlows(subnet, context).map(\.flow).filter { flow in
            context.network.trace(from: flow.source, to: flow.destination, port: flow.port, protocol: flow.proto).verdict == .allowed
        }
        // A new firewall's addresses are new to everything in the VNet; reaching the firewall is the fix's purpose.
        var opens = added.isEmpty ? AddressSet.empty
            : .subnets(graph.subnets(of: subnet.virtualNetwork).filter { $0.name.lowercased() == "azurefirewallsubnet" })
        var names = false
        let routed = NetworkModel.compile(graph)
        let cut = before.filter { routed.trace(from: $0.source, to: $0.destination, port: $0.port, protocol: $0.proto).verdict != .allowed }
        if !cut.isEmpty {
            guard let opening = FlowOpener.open(cut, in: graph) else { return nil }
            graph = opening.graph
            opens = opens.union(opening.opens)
            names = opening.opensNames
            steps += opening.steps
        }
        var proposal = FixProposal(summary: steps.joined(separator: "; "), graph: graph, opens: opens, opensNames: names)
        proposal.addedSources = added
        return proposal
    }
}
