import PalisadeModel

/// Every ordinary subnet has an NSG (docs/semantics.md#nsg-subnet-and-nic); AzureFirewallSubnet, GatewaySubnet and friends must not.
public struct SubnetWithoutNetworkSecurityGroupRule: Rule {
    public static let description = RuleDescription(
        id: "subnet_without_nsg",
        title: "Subnet Without NSG",
        kind: .security,
        defaultSeverity: .warning,
        rationale: """
        Without an NSG a subnet accepts everything the VNet and its peers send and leaves outbound to the default \
        rules, so nothing limits lateral movement. AzureFirewallSubnet, AzureFirewallManagementSubnet, GatewaySubnet \
        and RouteServerSubnet are exempt: Azure does not support NSGs on them.
        """,
        source: "https://learn.microsoft.com/azure/virtual-network/network-security-group-how-it-works; https://learn.microsoft.com/azure/firewall/firewall-faq; https://learn.microsoft.com/azure/bastion/bastion-nsg; https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-about-vpn-gateway-settings",
        fix: "attach an NSG to the subnet (for AzureBastionSubnet, one with the documented Bastion rules)",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet", "location": "westeurope",
             "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
              "subnets": [{"name": "training", "properties": {"addressPrefix": "10.0.0.0/24"}},
                          {"name": "AzureBastionSubnet", "properties": {"addressPrefix": "10.0.250.0/26"}},
                          {"name": "AzureFirewallSubnet", "properties": {"addressPrefix": "10.0.252.0/26"}},
                          {"name": "GatewaySubnet", "properties": {"addressPrefix": "10.0.253.0/27"}}]}}
            """, flagging: ["training", "AzureBastionSubnet"]),
        ]
    )

    public init() {}

    /// Subnets that must not or need not carry an NSG.
    private static let exempt: Set<String> = ["azurefirewallsubnet", "azurefirewallmanagementsubnet", "gatewaysubnet", "routeserversubnet"]

    public func check(_ context: RuleContext) -> [Finding] {
        context.graph.all(Subnet.self).compactMap { subnet in
            guard subnet.networkSecurityGroup == nil, !Self.exempt.contains(subnet.name.lowercased()) else { return nil }
            return context.finding(Self.self, subnet, "subnet '\(subnet.name)' has no network security group",
                                   evidence: [.property(subnet.id, "properties.networkSecurityGroup", "(none)")])
        }
    }
}

// MARK: - Fix

extension SubnetWithoutNetworkSecurityGroupRule {
    /// Adds an NSG to the subnet: Azure's default rules only, or for AzureBastionSubnet the rules Bastion needs
    /// (https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#default-security-rules,
    /// https://learn.microsoft.com/azure/bastion/bastion-nsg).
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard let subnet = context.graph.resource(finding.subject, as: Subnet.self) else { return nil }
        let name = "nsg-\(subnet.virtualNetwork.name)-\(subnet.name)".lowercased()
        let nsgID = subnet.id.sibling(namespace: "Microsoft.Network", type: "networkSecurityGroups", name: name)
        let bastion = subnet.name.lowercased() == "azurebastionsubnet"
        return context.propose("create network security group '\(name)'\(bastion ? " with the rules Azure Bastion needs" : "") and attach it to '\(subnet.name)'",
                               opens: bastion ? .subnets([subnet]) : .empty) { graph in
            var nsg = NetworkSecurityGroup(id: nsgID, location: context.graph.resource(subnet.virtualNetwork, as: VirtualNetwork.self)?.location)
            if bastion { for rule in BastionNetworkSecurityRules.rules { _ = nsg.insert(rule) } }
            graph.insert(nsg)
            graph.update(subnet.id, as: Subnet.self) { $0.networkSecurityGroup = nsgID }
        }
    }
}
