import PalisadeModel

/// Bastion, Firewall and Gateway subnets have documented minimum sizes (docs/semantics.md#bastion, #gateway-subnet, #firewall-placement).
public struct SpecialSubnetSizeRule: Rule {
    public static let description = RuleDescription(
        id: "special_subnet_size",
        title: "Special Subnet Size",
        kind: .reliability,
        defaultSeverity: .error,
        rationale: """
        AzureBastionSubnet must be /26 or larger for hosts created since November 2021; AzureFirewallSubnet and \
        AzureFirewallManagementSubnet need /26; GatewaySubnet needs /27 for every SKU but Basic. Smaller subnets \
        fail the deployment of the service.
        """,
        source: "https://learn.microsoft.com/azure/bastion/configuration-settings; https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-about-vpn-gateway-settings; https://learn.microsoft.com/azure/firewall/firewall-faq; https://learn.microsoft.com/azure/firewall/forced-tunneling",
        fix: "give the subnet the documented minimum prefix length (/26 for Bastion and Firewall, /27 for GatewaySubnet)",
        passingExamples: [.spec("{}"), .spec("access: {vpn: {enabled: true}}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet", "location": "westeurope",
             "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
              "subnets": [{"name": "AzureBastionSubnet", "properties": {"addressPrefix": "10.0.250.0/27"}},
                          {"name": "AzureFirewallSubnet", "properties": {"addressPrefix": "10.0.252.0/26"}},
                          {"name": "GatewaySubnet", "properties": {"addressPrefix": "10.0.253.0/28"}}]}}
            """, flagging: ["AzureBastionSubnet", "GatewaySubnet"]),
        ]
    )

    public init() {}

    /// Minimum prefix length per special subnet name.
    private static let minimums: [String: Int] = [
        "azurebastionsubnet": 26, "azurefirewallsubnet": 26, "azurefirewallmanagementsubnet": 26, "gatewaysubnet": 27,
    ]

    public func check(_ context: RuleContext) -> [Finding] {
        context.graph.all(Subnet.self).compactMap { subnet in
            guard let minimum = Self.minimums[subnet.name.lowercased()],
                  let largest = subnet.addressPrefixes.map(\.length).min(), largest > minimum else { return nil }
            return context.finding(
                Self.self, subnet,
                "subnet '\(subnet.name)' is /\(largest) but needs /\(minimum) or larger",
                evidence: [.property(subnet.id, "properties.addressPrefix", subnet.addressPrefixes.map(\.description).joined(separator: ", "))])
        }
    }
}

extension SpecialSubnetSizeRule {
    /// Moves the subnet to a free block of the documented size: grown in place when the aligned block around it is
    /// free, else the lowest free block in the VNet's address space, else a new address prefix for the VNet from
    /// private space nothing else uses.
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard let subnet = context.graph.resource(finding.subject, as: Subnet.self),
              let minimum = Self.minimums[subnet.name.lowercased()] else { return nil }
        return context.proposeRelocation(of: subnet, length: minimum, because: "\(subnet.name) needs /\(minimum) or larger")
    }
}

extension SpecialSubnetSizeRule: FixExplaining {
    /// Says when no free block of the documented size is left.
    public func whyNoFix(for finding: Finding, in context: RuleContext) -> String? {
        guard let subnet = context.graph.resource(finding.subject, as: Subnet.self), let minimum = Self.minimums[subnet.name.lowercased()] else { return nil }
        return context.relocationFailure(of: subnet, length: minimum)
    }
}
