import PalisadeModel
import PalisadeNetwork

/// A VirtualAppliance route must point at something that forwards: a firewall, or a NIC with IP forwarding (docs/semantics.md#ip-forwarding, #next-hop-reachability).
public struct RouteNextHopApplianceRule: Rule {
    public static let description = RuleDescription(
        id: "route_next_hop_appliance",
        title: "Route Next Hop Appliance",
        kind: .connectivity,
        defaultSeverity: .error,
        rationale: """
        A route with next hop VirtualAppliance sends the subnet's traffic to one private IP. If no next-hop address is \
        given, the route is invalid; if the address belongs to a NIC without IP forwarding, Azure drops the packets; \
        if nothing in the VNet has that address, the traffic disappears (for a 0.0.0.0/0 route: all egress).
        """,
        source: "https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview; docs/semantics.md#ip-forwarding",
        fix: "point the route at the firewall's private IP (or an NVA NIC with enableIPForwarding)",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet", "location": "westeurope",
             "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
              "subnets": [{"name": "nva", "properties": {"addressPrefix": "10.0.5.0/24"}}]}},
            {"type": "Microsoft.Network/networkInterfaces", "apiVersion": "2023-09-01", "name": "nic-nva", "location": "westeurope",
             "dependsOn": ["[resourceId('Microsoft.Network/virtualNetworks', 'vnet')]"],
             "properties": {"enableIPForwarding": false, "ipConfigurations": [{"name": "ipconfig1", "properties": {
               "privateIPAllocationMethod": "Static", "privateIPAddress": "10.0.5.10",
               "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'nva')]"}}}]}},
            {"type": "Microsoft.Network/routeTables", "apiVersion": "2023-09-01", "name": "rt-nva", "location": "westeurope",
             "properties": {"routes": [{"name": "default", "properties": {"addressPrefix": "0.0.0.0/0", "nextHopType": "VirtualAppliance",
               "nextHopIpAddress": "10.0.5.10"}}]}},
            {"type": "Microsoft.Network/routeTables", "apiVersion": "2023-09-01", "name": "rt-void", "location": "westeurope",
             "properties": {"routes": [{"name": "default", "properties": {"addressPrefix": "0.0.0.0/0", "nextHopType": "VirtualAppliance",
               "nextHopIpAddress": "10.0.9.4"}}]}},
            {"type": "Microsoft.Network/routeTables", "apiVersion": "2023-09-01", "name": "rt-onprem", "location": "westeurope",
             "properties": {"routes": [{"name": "default", "properties": {"addressPrefix": "0.0.0.0/0", "nextHopType": "VirtualAppliance",
               "nextHopIpAddress": "192.168.50.4"}}]}}
            """, flagging: ["rt-nva", "rt-void"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        let firewalls = context.graph.all(AzureFirewall.self).compactMap { Self.address(of: $0, context) }
        // The first NIC (in ID order) holding each private address, and every VNet prefix: looked up per route
        // instead of scanning every NIC and VNet for each one.
        var nicAt: [IPv4Address: NetworkInterface] = [:]
        for nic in context.graph.all(NetworkInterface.self) {
            for address in nic.ipConfigurations.compactMap(\.privateIPAddress) where nicAt[address] == nil { nicAt[address] = nic }
        }
        let spaces = Set(context.graph.all(VirtualNetwork.self).flatMap(\.addressSpace))
        let lengths = Set(spaces.map(\.length)).sorted()
        return context.graph.all(RouteTable.self).compactMap { table in
            var problems: [(route: Route, why: String)] = []
            for route in table.routes where route.nextHopType == .virtualAppliance {
                guard let hop = route.nextHopIPAddress else {
                    problems.append((route, "has no next-hop IP address"))
                    continue
                }
                if firewalls.contains(hop) { continue }
                if let nic = nicAt[hop] {
                    if !nic.enableIPForwarding { problems.append((route, "points at \(hop) on NIC '\(nic.name)', which has IP forwarding off, so Azure drops the packets")) }
                    continue
                }
                // Addresses outside every modelled VNet (on-premises or another deployment) cannot be checked.
                guard lengths.contains(where: { spaces.contains(IPv4Prefix(hop, length: $0)) }) else { continue }
                problems.append((route, "points at \(hop), where no firewall or NIC of the VNet sits"))
            }
            guard !problems.isEmpty else { return nil }
            return context.finding(
                Self.self, table,
                "route table '\(table.name)': \(problems.map { "route '\($0.route.name)' (\($0.route.destination)) \($0.why)" }.joined(separator: "; "))",
                evidence: problems.map { .property(table.id, "properties.routes[\($0.route.name)].nextHopIpAddress", $0.route.nextHopIPAddress?.description ?? "(none)") })
        }
    }

    /// The firewall's private IP: as given, or the first usable address of its subnet (how Azure assigns it).
    private static func address(of firewall: AzureFirewall, _ context: RuleContext) -> IPv4Address? {
        if let ip = firewall.privateIPAddress { return ip }
        guard let subnet = context.graph.resource(firewall.ipConfigurations.first?.subnet, as: Subnet.self) else { return nil }
        return subnet.addressPrefixes.first?.firstAzureUsable
    }
}

// MARK: - Fix

extension RouteNextHopApplianceRule {
    /// Repairs each broken virtual-appliance route: a NIC with IP forwarding off gets it on
    /// (https://learn.microsoft.com/azure/virtual-network/virtual-network-network-interface#enable-or-disable-ip-forwarding),
    /// a route to an empty address points at the estate's one Azure Firewall
    /// (https://learn.microsoft.com/azure/firewall/tutorial-firewall-deploy-portal#create-a-default-route), or, without
    /// one, becomes an explicit `None` route, which drops the same packets Azure drops today
    /// (https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#user-defined).
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard let table = context.graph.resource(finding.subject, as: RouteTable.self) else { return nil }
        let firewalls = context.graph.all(AzureFirewall.self).compactMap { Self.address(of: $0, context) }
        let firewall = firewalls.count == 1 ? firewalls.first : nil
        let nics = context.graph.all(NetworkInterface.self)
        var forwarding: [ResourceID] = []
        var repointed: [String] = []
        var dropped: [String] = []
        for route in table.routes where route.nextHopType == .virtualAppliance {
            if let hop = route.nextHopIPAddress, firewalls.contains(hop) { continue }
            if let hop = route.nextHopIPAddress, let nic = nics.first(where: { $0.ipConfigurations.contains { $0.privateIPAddress == hop } }) {
                if !nic.enableIPForwarding, !forwarding.contains(nic.id) { forwarding.append(nic.id) }
                continue
            }
            if firewall != nil { repointed.append(route.name) } else { dropped.append(route.name) }
        }
        guard !forwarding.isEmpty || !repointed.isEmpty || !dropped.isEmpty else { return nil }
        var parts: [String] = []
        if !forwarding.isEmpty { parts.append("turn IP forwarding on for \(forwarding.map { "'\($0.name)'" }.joined(separator: ", "))") }
        if let firewall, !repointed.isEmpty { parts.append("point \(repointed.map { "'\($0)'" }.joined(separator: ", ")) at the firewall (\(firewall))") }
        if !dropped.isEmpty { parts.append("make \(dropped.map { "'\($0)'" }.joined(separator: ", ")) an explicit None route (it drops today)") }
        // Traffic the appliance now forwards is the purpose of turning forwarding on.
        return context.propose(parts.joined(separator: "; ") + " in '\(table.name)'", opens: forwarding.isEmpty && repointed.isEmpty ? .empty : .all) { graph in
            for nic in forwarding { graph.update(nic, as: NetworkInterface.self) { $0.enableIPForwarding = true } }
            graph.update(table.id, as: RouteTable.self) { table in
                for index in table.routes.indices {
                    if repointed.contains(table.routes[index].name) { table.routes[index].nextHopIPAddress = firewall }
                    if dropped.contains(table.routes[index].name) {
                        table.routes[index].nextHopType = NextHopType.none
                        table.routes[index].nextHopIPAddress = nil
                    }
                }
            }
        }
    }
}
