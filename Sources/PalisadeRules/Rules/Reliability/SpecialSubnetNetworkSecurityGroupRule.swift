import PalisadeModel
import PalisadeNetwork

/// GatewaySubnet, AzureFirewallSubnet and AzureFirewallManagementSubnet must not carry an NSG (docs/semantics.md#firewall-placement, #gateway-subnet).
public struct SpecialSubnetNetworkSecurityGroupRule: Rule {
    public static let description = RuleDescription(
        id: "special_subnet_nsg",
        title: "Special Subnet NSG",
        kind: .reliability,
        defaultSeverity: .error,
        rationale: """
        Azure Firewall does not support an NSG on AzureFirewallSubnet or AzureFirewallManagementSubnet, and VPN and \
        ExpressRoute gateways do not support one on GatewaySubnet; the deployment is rejected or the gateway stops \
        passing traffic.
        """,
        source: "https://learn.microsoft.com/azure/firewall/firewall-faq; https://learn.microsoft.com/azure/firewall/forced-tunneling; https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-about-vpn-gateway-settings",
        fix: "remove the NSG from the subnet and filter traffic with the firewall's rules or in the spoke subnets",
        passingExamples: [.spec("{}"), .spec("access: {vpn: {enabled: true}}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-09-01", "name": "nsg-any", "location": "westeurope",
             "properties": {"securityRules": []}},
            {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet", "location": "westeurope",
             "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
              "subnets": [{"name": "GatewaySubnet", "properties": {"addressPrefix": "10.0.253.0/27",
                "networkSecurityGroup": {"id": "[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-any')]"}}},
                {"name": "training", "properties": {"addressPrefix": "10.0.0.0/24",
                "networkSecurityGroup": {"id": "[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-any')]"}}}]}}
            """, flagging: ["GatewaySubnet"]),
        ]
    )

    public init() {}

    private static let names: Set<String> = ["azurefirewallsubnet", "azurefirewallmanagementsubnet", "gatewaysubnet"]

    public func check(_ context: RuleContext) -> [Finding] {
        context.graph.all(Subnet.self).compactMap { subnet in
            guard Self.names.contains(subnet.name.lowercased()), let nsg = subnet.networkSecurityGroup else { return nil }
            return context.finding(Self.self, subnet, "subnet '\(subnet.name)' has NSG '\(nsg.name)', which this subnet does not support",
                                   evidence: [.property(subnet.id, "properties.networkSecurityGroup", nsg.rawValue)])
        }
    }
}

// MARK: - Fix

extension SpecialSubnetNetworkSecurityGroupRule {
    /// Removes the NSG from the subnet; what it filtered is filtered by the firewall or the spokes' NSGs, so the
    /// flows it blocked are the fix's purpose (https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-about-vpn-gateway-settings#gwsub,
    /// https://learn.microsoft.com/azure/firewall/firewall-faq#are-network-security-groups--nsgs--supported-on-the-azurefirewallsubnet).
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard let subnet = context.graph.resource(finding.subject, as: Subnet.self), let nsg = subnet.networkSecurityGroup else { return nil }
        return context.propose("detach network security group '\(nsg.name)' from '\(subnet.name)' (filter in the firewall or the spokes instead)", opens: .all) {
            $0.update(subnet.id, as: Subnet.self) { $0.networkSecurityGroup = nil }
        }
    }
}
