import PalisadeModel

/// Bastion, Azure Firewall and VNet gateways must sit in their exactly named subnets (docs/semantics.md#bastion, #gateway-subnet, #firewall-placement).
public struct SpecialSubnetPlacementRule: Rule {
    public static let description = RuleDescription(
        id: "special_subnet_placement",
        title: "Special Subnet Placement",
        kind: .reliability,
        defaultSeverity: .error,
        rationale: """
        Azure Bastion deploys only into a subnet named exactly AzureBastionSubnet, Azure Firewall into \
        AzureFirewallSubnet, and VPN or ExpressRoute gateways into GatewaySubnet; any other subnet fails the deployment.
        """,
        source: "https://learn.microsoft.com/azure/bastion/configuration-settings; https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-about-vpn-gateway-settings; https://learn.microsoft.com/azure/firewall/firewall-faq",
        fix: "place the service's IP configuration in the subnet with the required name",
        passingExamples: [.spec("{}"), .spec("access: {vpn: {enabled: true}}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet", "location": "westeurope",
             "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
              "subnets": [{"name": "bastion", "properties": {"addressPrefix": "10.0.250.0/26"}},
                          {"name": "AzureFirewallSubnet", "properties": {"addressPrefix": "10.0.252.0/26"}}]}},
            {"type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2023-09-01", "name": "pip-bas", "location": "westeurope",
             "sku": {"name": "Standard"}, "properties": {"publicIPAllocationMethod": "Static"}},
            {"type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2023-09-01", "name": "pip-fw", "location": "westeurope",
             "sku": {"name": "Standard"}, "properties": {"publicIPAllocationMethod": "Static"}},
            {"type": "Microsoft.Network/bastionHosts", "apiVersion": "2023-09-01", "name": "bas", "location": "westeurope",
             "sku": {"name": "Standard"}, "properties": {"ipConfigurations": [{"name": "ipconfig", "properties": {
               "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'bastion')]"},
               "publicIPAddress": {"id": "[resourceId('Microsoft.Network/publicIPAddresses', 'pip-bas')]"}}}]}},
            {"type": "Microsoft.Network/azureFirewalls", "apiVersion": "2023-09-01", "name": "fw", "location": "westeurope",
             "properties": {"sku": {"name": "AZFW_VNet", "tier": "Standard"}, "ipConfigurations": [{"name": "ipconfig", "properties": {
               "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'AzureFirewallSubnet')]"},
               "publicIPAddress": {"id": "[resourceId('Microsoft.Network/publicIPAddresses', 'pip-fw')]"}}}]}}
            """, flagging: ["bas"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        var findings: [Finding] = []
        for bastion in context.graph.all(BastionHost.self) {
            findings += check(context, bastion, bastion.ipConfigurations, required: "AzureBastionSubnet", what: "bastion host")
        }
        for firewall in context.graph.all(AzureFirewall.self) where firewall.skuName.lowercased() != "azfw_hub" {
            findings += check(context, firewall, firewall.ipConfigurations.filter { $0.subnet != nil }.prefix(1).map { $0 },
                              required: "AzureFirewallSubnet", what: "firewall")
        }
        for gateway in context.graph.all(VirtualNetworkGateway.self) {
            findings += check(context, gateway, gateway.ipConfigurations, required: "GatewaySubnet", what: "gateway")
        }
        return findings
    }

    private func check<T: AzureResource>(_ context: RuleContext, _ resource: T, _ configs: [IPConfiguration], required: String,
                                         what: String) -> [Finding] {
        let wrong = configs.compactMap(\.subnet).filter { $0.name.lowercased() != required.lowercased() }
        guard let subnet = wrong.first else { return [] }
        return [context.finding(
            Self.self, resource,
            "\(what) '\(resource.name)' is placed in subnet '\(subnet.name)'; it deploys only into a subnet named \(required)",
            evidence: [.property(resource.id, "properties.ipConfigurations[0].properties.subnet", subnet.rawValue)])]
    }
}
