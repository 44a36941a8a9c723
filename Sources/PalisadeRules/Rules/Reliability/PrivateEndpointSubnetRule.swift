import PalisadeModel

/// Private endpoints cannot go into delegated subnets or the special subnets (docs/semantics.md#subnet-delegation, #bastion, #gateway-subnet, #firewall-placement).
public struct PrivateEndpointSubnetRule: Rule {
    public static let description = RuleDescription(
        id: "private_endpoint_subnet",
        title: "Private Endpoint Subnet",
        kind: .reliability,
        defaultSeverity: .error,
        rationale: """
        A subnet delegated to a service cannot host private endpoints, and AzureBastionSubnet, AzureFirewallSubnet, \
        AzureFirewallManagementSubnet and GatewaySubnet are dedicated to their service; a private endpoint there \
        fails to deploy (and a delegation added later fails with "Delegations of subnet … cannot be changed").
        """,
        source: "https://learn.microsoft.com/azure/bastion/configuration-settings; https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-about-vpn-gateway-settings; https://learn.microsoft.com/azure/virtual-network/subnet-delegation-overview; https://learn.microsoft.com/azure/firewall/firewall-faq",
        fix: "create the private endpoint in an ordinary, undelegated subnet",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet", "location": "westeurope",
             "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
              "subnets": [{"name": "aci", "properties": {"addressPrefix": "10.0.5.0/24",
                "delegations": [{"name": "aci", "properties": {"serviceName": "Microsoft.ContainerInstance/containerGroups"}}]}},
                {"name": "endpoints", "properties": {"addressPrefix": "10.0.6.0/24"}}]}},
            {"type": "Microsoft.Network/privateEndpoints", "apiVersion": "2023-09-01", "name": "pe-ws", "location": "westeurope",
             "dependsOn": ["[resourceId('Microsoft.Network/virtualNetworks', 'vnet')]"],
             "properties": {"subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'aci')]"},
              "privateLinkServiceConnections": [{"name": "ws", "properties": {"groupIds": ["amlworkspace"],
                "privateLinkServiceId": "[resourceId('Microsoft.MachineLearningServices/workspaces', 'ws')]"}}]}},
            {"type": "Microsoft.Network/privateEndpoints", "apiVersion": "2023-09-01", "name": "pe-kv", "location": "westeurope",
             "dependsOn": ["[resourceId('Microsoft.Network/virtualNetworks', 'vnet')]"],
             "properties": {"subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'endpoints')]"},
              "privateLinkServiceConnections": [{"name": "kv", "properties": {"groupIds": ["vault"],
                "privateLinkServiceId": "[resourceId('Microsoft.KeyVault/vaults', 'kv')]"}}]}}
            """, flagging: ["pe-ws"]),
        ]
    )

    public init() {}

    private static let dedicated: Set<String> = ["azurebastionsubnet", "azurefirewallsubnet", "azurefirewallmanagementsubnet", "gatewaysubnet"]

    public func check(_ context: RuleContext) -> [Finding] {
        context.graph.all(PrivateEndpoint.self).compactMap { endpoint in
            guard let id = endpoint.subnet else { return nil }
            let subnet = context.graph.resource(id, as: Subnet.self)
            let delegations = subnet?.delegations ?? []
            guard !delegations.isEmpty || Self.dedicated.contains(id.name.lowercased()) else { return nil }
            let why = delegations.isEmpty ? "a subnet dedicated to its service" : "delegated to \(delegations.joined(separator: ", "))"
            return context.finding(Self.self, endpoint, "private endpoint '\(endpoint.name)' is placed in subnet '\(id.name)', \(why); it cannot host private endpoints",
                                   evidence: [.property(endpoint.id, "properties.subnet.id", id.rawValue)]
                                       + (delegations.isEmpty ? [] : [.property(id, "properties.delegations", delegations.joined(separator: ", "))]))
        }
    }
}

// MARK: - Fix

extension PrivateEndpointSubnetRule {
    /// Moves the endpoint to an ordinary subnet of the same VNet, preferring one that already holds endpoints
    /// (https://learn.microsoft.com/azure/private-link/private-endpoint-overview#private-endpoint-properties). The
    /// endpoint's new address is the fix's purpose.
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard let endpoint = context.graph.resource(finding.subject, as: PrivateEndpoint.self), let vnet = endpoint.subnet?.parent else { return nil }
        let candidates = context.graph.subnets(of: vnet).filter { $0.delegations.isEmpty && !Self.dedicated.contains($0.name.lowercased()) && $0.id != endpoint.subnet }
        let holders = Set(context.graph.all(PrivateEndpoint.self).compactMap(\.subnet))
        guard let target = candidates.first(where: { holders.contains($0.id) }) ?? candidates.first else { return nil }
        return context.propose("move private endpoint '\(endpoint.name)' to subnet '\(target.name)'", opens: .subnets([target])) {
            $0.update(endpoint.id, as: PrivateEndpoint.self) {
                $0.subnet = target.id
                $0.ipConfigurations = []
            }
        }
    }
}
