import PalisadeModel
import PalisadeNetwork

/// Azure Firewall needs direct internet egress unless it was created in forced-tunnel mode (docs/semantics.md#firewall-placement).
public struct FirewallSubnetDefaultRouteRule: Rule {
    public static let description = RuleDescription(
        id: "firewall_subnet_default_route",
        title: "Firewall Subnet Default Route",
        kind: .connectivity,
        defaultSeverity: .error,
        rationale: """
        A firewall without a management IP configuration (forced-tunnel mode) must reach the internet directly. A \
        0.0.0.0/0 route on AzureFirewallSubnet to anything but Internet cuts that path: the firewall's data and \
        management traffic is black-holed and every subnet that routes through it loses egress.
        """,
        source: "https://learn.microsoft.com/azure/firewall/firewall-faq; https://learn.microsoft.com/azure/firewall/forced-tunneling; https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview",
        fix: "remove the default route from AzureFirewallSubnet (or set its next hop to Internet), or create the firewall in forced-tunnel mode with AzureFirewallManagementSubnet",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Network/routeTables", "apiVersion": "2023-09-01", "name": "rt-fw", "location": "westeurope",
             "properties": {"routes": [{"name": "to-onprem", "properties": {"addressPrefix": "0.0.0.0/0", "nextHopType": "VirtualNetworkGateway"}}]}},
            {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet", "location": "westeurope",
             "dependsOn": ["[resourceId('Microsoft.Network/routeTables', 'rt-fw')]"],
             "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
              "subnets": [{"name": "AzureFirewallSubnet", "properties": {"addressPrefix": "10.0.1.0/26",
                "routeTable": {"id": "[resourceId('Microsoft.Network/routeTables', 'rt-fw')]"}}}]}},
            {"type": "Microsoft.Network/azureFirewalls", "apiVersion": "2023-09-01", "name": "fw", "location": "westeurope",
             "dependsOn": ["[resourceId('Microsoft.Network/virtualNetworks', 'vnet')]"],
             "properties": {"sku": {"name": "AZFW_VNet", "tier": "Standard"}, "threatIntelMode": "Deny", "ipConfigurations": [{"name": "ipconfig",
               "properties": {"subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'AzureFirewallSubnet')]"}}}]}}
            """, flagging: ["AzureFirewallSubnet"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        let firewalls = context.graph.all(AzureFirewall.self)
        return context.graph.all(Subnet.self).compactMap { subnet in
            guard subnet.name.lowercased() == "azurefirewallsubnet", let table = context.graph.resource(subnet.routeTable, as: RouteTable.self),
                  let route = table.routes.first(where: { route in
                      if case .prefix(let p) = route.destination { return p.length == 0 && route.nextHopType != .internet }
                      return false
                  }) else { return nil }
            let here = firewalls.filter { $0.ipConfigurations.contains { $0.subnet == subnet.id } }
            guard !here.isEmpty, here.allSatisfy({ $0.managementIPConfiguration == nil }) else { return nil }
            return context.finding(
                Self.self, subnet,
                "subnet 'AzureFirewallSubnet' sends 0.0.0.0/0 to \(route.nextHopType.rawValue) but firewall \(here.map { "'\($0.name)'" }.joined(separator: ", ")) is not in forced-tunnel mode; it loses its internet egress",
                evidence: [.property(table.id, "properties.routes[\(route.name)]", "\(route.destination) → \(route.nextHopType.rawValue)")]
                    + here.map { .related($0.id, "no managementIpConfiguration") })
        }
    }
}

// MARK: - Fix

extension FirewallSubnetDefaultRouteRule {
    /// Sends AzureFirewallSubnet's default route to the Internet again, as the firewall needs outside forced-tunnel
    /// mode (https://learn.microsoft.com/azure/firewall/firewall-faq#is-there-a-way-to-force-tunnel-to-on-premises,
    /// https://learn.microsoft.com/azure/firewall/forced-tunneling).
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard let subnet = context.graph.resource(finding.subject, as: Subnet.self), let tableID = subnet.routeTable,
              let table = context.graph.resource(tableID, as: RouteTable.self) else { return nil }
        let shared = context.graph.all(Subnet.self).contains { $0.routeTable == tableID && $0.id != subnet.id }
        let isDefault: (Route) -> Bool = { route in
            if case .prefix(let p) = route.destination { return p.length == 0 && route.nextHopType != .internet }
            return false
        }
        let names = table.routes.filter(isDefault).map(\.name)
        if shared {
            // Another subnet uses the same table: give AzureFirewallSubnet its own copy.
            let copyID = tableID.sibling(namespace: "Microsoft.Network", type: "routeTables", name: "rt-\(subnet.virtualNetwork.name)-firewall".lowercased())
            return context.propose("give '\(subnet.name)' its own route table '\(copyID.name)' whose 0.0.0.0/0 goes to Internet") { graph in
                var copy = RouteTable(id: copyID, location: table.location)
                copy.routes = table.routes.map { route in
                    var r = route
                    if isDefault(route) { r.nextHopType = .internet; r.nextHopIPAddress = nil }
                    return r
                }
                copy.disableBgpRoutePropagation = table.disableBgpRoutePropagation
                graph.insert(copy)
                graph.update(subnet.id, as: Subnet.self) { $0.routeTable = copyID }
            }
        }
        return context.propose("set the next hop of \(names.map { "'\($0)'" }.joined(separator: ", ")) in '\(table.name)' to Internet", opens: .all) { graph in
            graph.update(tableID, as: RouteTable.self) { table in
                for index in table.routes.indices where isDefault(table.routes[index]) {
                    table.routes[index].nextHopType = .internet
                    table.routes[index].nextHopIPAddress = nil
                }
            }
        }
    }
}
