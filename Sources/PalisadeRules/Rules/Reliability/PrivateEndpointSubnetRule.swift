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
