import PalisadeModel
import PalisadeNetwork

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

// MARK: - Fix

extension SpecialSubnetPlacementRule {
    /// Moves the service into the subnet with the required name: an existing one in the same VNet, or the current
    /// subnet recreated under that name with the same address range (a subnet cannot be renamed in place)
    /// (https://learn.microsoft.com/azure/bastion/configuration-settings#subnet,
    /// https://learn.microsoft.com/azure/firewall/firewall-faq, https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-about-vpn-gateway-settings#gwsub).
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        let graph = context.graph
        let (required, configs): (String, [IPConfiguration])
        if let bastion = graph.resource(finding.subject, as: BastionHost.self) { (required, configs) = ("AzureBastionSubnet", bastion.ipConfigurations) }
        else if let firewall = graph.resource(finding.subject, as: AzureFirewall.self) { (required, configs) = ("AzureFirewallSubnet", firewall.ipConfigurations) }
        else if let gateway = graph.resource(finding.subject, as: VirtualNetworkGateway.self) { (required, configs) = ("GatewaySubnet", gateway.ipConfigurations) }
        else { return nil }
        guard let wrong = configs.compactMap(\.subnet).first(where: { $0.name.lowercased() != required.lowercased() }), let vnet = wrong.parent else { return nil }
        let existing = graph.subnets(of: vnet).first { $0.name.lowercased() == required.lowercased() }
        let users = graph.resources.filter { $0.id != finding.subject && $0.payload.references.contains(wrong) }
        guard existing != nil || users.isEmpty, let old = graph.resource(wrong, as: Subnet.self) ?? existing else { return nil }
        let target = existing?.id ?? vnet.child("subnets", required)
        let summary = existing != nil ? "move '\(finding.subject.name)' into subnet '\(required)'"
            : "recreate subnet '\(wrong.name)' as '\(required)' (same range \(old.addressPrefixes.map(\.description).joined(separator: ", "))) and move '\(finding.subject.name)' into it"
        var proposal = context.propose(summary, opens: .subnets([old])) { graph in
            if existing == nil {
                var renamed = Subnet(id: target)
                renamed.location = old.location
                renamed.addressPrefixes = old.addressPrefixes
                renamed.networkSecurityGroup = old.networkSecurityGroup
                renamed.routeTable = old.routeTable
                renamed.serviceEndpoints = old.serviceEndpoints
                renamed.defaultOutboundAccess = old.defaultOutboundAccess
                graph.remove(wrong)
                graph.insert(renamed)
            }
            func moved(_ configs: [IPConfiguration]) -> [IPConfiguration] {
                configs.map { config in
                    var copy = config
                    if copy.subnet == wrong { copy.subnet = target }
                    return copy
                }
            }
            graph.update(finding.subject, as: BastionHost.self) { $0.ipConfigurations = moved($0.ipConfigurations) }
            graph.update(finding.subject, as: AzureFirewall.self) { $0.ipConfigurations = moved($0.ipConfigurations) }
            graph.update(finding.subject, as: VirtualNetworkGateway.self) { $0.ipConfigurations = moved($0.ipConfigurations) }
        }
        if existing == nil { proposal.renamedSources = ["\(vnet.name)/\(wrong.name)": "\(vnet.name)/\(required)"] }
        return proposal
    }
}
