import PalisadeModel
import PalisadeNetwork

/// SplitMix64: a deterministic generator seeded by the property framework.
struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func bool() -> Bool { next() & 1 == 1 }
    mutating func pick<T>(_ items: [T]) -> T { items[int(items.count)] }
}

func rid(_ namespace: String, _ type: String, _ name: String) -> ResourceID {
    ResourceID(subscription: "sub", resourceGroup: "rg", namespace: namespace, [(type: type, name: name)])
}
func prefix(_ text: String) -> IPv4Prefix { IPv4Prefix(text)! }
func cidrs(_ texts: String...) -> AddressMatch { .prefixes(texts.map { IPv4Prefix.parse($0)!.prefix }) }

/// Random hub-and-spoke graphs (a firewall in the hub, spokes with NSGs, route tables, VMs with and without
/// public IPs and NIC NSGs), and one random edit of the kind a pull request makes.
enum RandomChange {
    static let addresses: [AddressMatch] = [
        .any, cidrs("10.1.0.0/16"), cidrs("10.2.0.0/16"), cidrs("10.1.1.0/24"), cidrs("8.8.8.0/24"),
        .serviceTag("VirtualNetwork"), .serviceTag("Internet"), .serviceTag("Storage"),
    ]
    static let ports: [PortMatch] = [.any, .ports(443), .ports(22), .ranges([PortRange(80, 90)])]

    static func securityRule(_ rng: inout SplitMix, priority: Int) -> SecurityRule {
        SecurityRule(name: "r\(priority)", priority: priority, direction: rng.bool() ? .inbound : .outbound,
                     access: rng.int(3) == 0 ? .deny : .allow, protocol: rng.pick([.tcp, .udp, .any]),
                     source: rng.pick(addresses), sourcePorts: .any, destination: rng.pick(addresses), destinationPorts: rng.pick(ports))
    }

    static func route(_ rng: inout SplitMix, _ index: Int) -> Route {
        let hop = rng.pick([NextHopType.virtualAppliance, .virtualAppliance, .internet, .none, .vnetLocal])
        return Route(name: "u\(index)", destination: RouteDestination.parse(rng.pick(["0.0.0.0/0", "10.1.0.0/16", "10.2.0.0/16", "8.8.8.0/24", "10.1.1.0/24"])),
                     nextHopType: hop, nextHopIPAddress: hop == .virtualAppliance ? IPv4Address(10, 0, 1, 4) : nil)
    }

    static func firewallRule(_ rng: inout SplitMix, _ index: Int) -> FirewallRule {
        .network(NetworkRule(name: "n\(index)", protocols: [rng.pick([.tcp, .udp, .any])],
                             sourceAddresses: [rng.pick(["*", "10.1.0.0/16", "10.2.0.0/16", "10.1.1.0/24"])],
                             destinationAddresses: [rng.pick(["*", "10.1.0.0/16", "10.2.0.0/16", "8.8.8.0/24"])],
                             destinationPorts: [rng.pick(["*", "443", "22"])]))
    }

    /// A random estate.
    static func estate(seed: UInt64) -> ResourceGraph {
        var rng = SplitMix(state: seed)
        var graph = ResourceGraph()
        var hub = VirtualNetwork(id: rid("Microsoft.Network", "virtualNetworks", "hub"), location: "eastus")
        hub.addressSpace = [prefix("10.0.0.0/16")]
        var spokes: [VirtualNetwork] = []
        for s in 1...2 {
            var spoke = VirtualNetwork(id: rid("Microsoft.Network", "virtualNetworks", "spoke\(s)"), location: "eastus")
            spoke.addressSpace = [prefix("10.\(s).0.0/16")]
            var toHub = VirtualNetworkPeering(name: "to-hub", remoteVirtualNetwork: hub.id)
            toHub.allowForwardedTraffic = true
            spoke.peerings = [toHub]
            var toSpoke = VirtualNetworkPeering(name: "to-spoke\(s)", remoteVirtualNetwork: spoke.id)
            toSpoke.allowForwardedTraffic = rng.bool()
            hub.peerings.append(toSpoke)
            spokes.append(spoke)
        }
        graph.insert(hub)
        for spoke in spokes { graph.insert(spoke) }
        var fwSubnet = Subnet(id: hub.id.child("subnets", "AzureFirewallSubnet"))
        fwSubnet.addressPrefixes = [prefix("10.0.1.0/26")]
        graph.insert(fwSubnet)
        var policy = FirewallPolicy(id: rid("Microsoft.Network", "firewallPolicies", "pol"), location: "eastus")
        let rules = (0..<rng.int(4)).map { firewallRule(&rng, $0) }
        policy.ruleCollectionGroups = [FirewallRuleCollectionGroup(name: "g", priority: 100, ruleCollections:
            rules.isEmpty ? [] : [FirewallRuleCollection(name: "c", priority: 100, action: .allow, rules: rules)])]
        graph.insert(policy)
        var fw = AzureFirewall(id: rid("Microsoft.Network", "azureFirewalls", "fw"), location: "eastus")
        fw.ipConfigurations = [IPConfiguration(name: "cfg", subnet: fwSubnet.id, privateIPAddress: IPv4Address(10, 0, 1, 4))]
        fw.firewallPolicy = policy.id
        graph.insert(fw)
        for (s, spoke) in spokes.enumerated() {
            for k in 0..<2 {
                let name = "s\(s + 1)-\(k)"
                var subnet = Subnet(id: spoke.id.child("subnets", name))
                subnet.addressPrefixes = [prefix("10.\(s + 1).\(k).0/24")]
                subnet.defaultOutboundAccess = rng.bool()
                if rng.int(3) != 0 {
                    var nsg = NetworkSecurityGroup(id: rid("Microsoft.Network", "networkSecurityGroups", "nsg-\(name)"), location: "eastus")
                    nsg.securityRules = (0..<rng.int(5)).map { securityRule(&rng, priority: 100 + $0 * 10) }
                    graph.insert(nsg)
                    subnet.networkSecurityGroup = nsg.id
                }
                if rng.bool() {
                    var table = RouteTable(id: rid("Microsoft.Network", "routeTables", "rt-\(name)"), location: "eastus")
                    table.routes = (0..<(1 + rng.int(3))).map { route(&rng, $0) }
                    graph.insert(table)
                    subnet.routeTable = table.id
                }
                graph.insert(subnet)
                for (j, host) in [4, 5].enumerated() {
                    var nic = NetworkInterface(id: rid("Microsoft.Network", "networkInterfaces", "nic-\(name)-\(j)"), location: "eastus")
                    var pip: ResourceID?
                    if rng.int(4) == 0 {
                        var address = PublicIPAddress(id: rid("Microsoft.Network", "publicIPAddresses", "pip-\(name)-\(j)"), location: "eastus")
                        address.ipAddress = IPv4Address(20, 0, UInt8(s * 2 + k), UInt8(host))
                        graph.insert(address)
                        pip = address.id
                    }
                    nic.ipConfigurations = [IPConfiguration(name: "ip", subnet: subnet.id, privateIPAddress: IPv4Address(10, UInt8(s + 1), UInt8(k), UInt8(host)), publicIPAddress: pip)]
                    if j == 1 && rng.int(3) == 0 {
                        var nsg = NetworkSecurityGroup(id: rid("Microsoft.Network", "networkSecurityGroups", "nic-nsg-\(name)"), location: "eastus")
                        nsg.securityRules = (0..<rng.int(3)).map { securityRule(&rng, priority: 200 + $0 * 10) }
                        graph.insert(nsg)
                        nic.networkSecurityGroup = nsg.id
                    }
                    graph.insert(nic)
                }
            }
        }
        return graph
    }

    /// What the edit did, for failure messages.
    enum Edit: String { case securityRule, route, firewallRule, subnetPrefix, publicAccess }

    /// `graph` with one random edit: an NSG rule added or changed, a route added, a firewall rule added, a
    /// subnet prefix narrowed, or a public IP attached to a NIC.
    static func edit(_ graph: ResourceGraph, seed: UInt64) -> (ResourceGraph, Edit) {
        var rng = SplitMix(state: seed)
        var graph = graph
        let edit = rng.pick([Edit.securityRule, .securityRule, .route, .firewallRule, .subnetPrefix, .publicAccess])
        switch edit {
        case .securityRule:
            let groups = graph.all(NetworkSecurityGroup.self)
            guard let nsg = groups.isEmpty ? nil : rng.pick(groups) else { return (graph, edit) }
            graph.update(nsg.id, as: NetworkSecurityGroup.self) { group in
                if !group.securityRules.isEmpty && rng.bool() {
                    let i = rng.int(group.securityRules.count)
                    group.securityRules[i].access = group.securityRules[i].access == .allow ? .deny : .allow
                } else {
                    group.securityRules.append(securityRule(&rng, priority: 105 + 10 * rng.int(5)))
                }
            }
        case .route:
            let subnets = graph.all(Subnet.self).filter { $0.name != "AzureFirewallSubnet" }
            let subnet = rng.pick(subnets)
            let tableID = subnet.routeTable ?? rid("Microsoft.Network", "routeTables", "rt-new-\(subnet.name)")
            var table = graph.resource(tableID, as: RouteTable.self) ?? RouteTable(id: tableID, location: "eastus")
            table.routes.append(route(&rng, 9))
            graph.insert(table)
            graph.update(subnet.id, as: Subnet.self) { $0.routeTable = tableID }
        case .firewallRule:
            graph.update(rid("Microsoft.Network", "firewallPolicies", "pol"), as: FirewallPolicy.self) { policy in
                let rule = firewallRule(&rng, 9)
                policy.ruleCollectionGroups[0].ruleCollections.insert(
                    FirewallRuleCollection(name: "pr", priority: 90, action: rng.int(3) == 0 ? .deny : .allow, rules: [rule]), at: 0)
            }
        case .subnetPrefix:
            let subnets = graph.all(Subnet.self).filter { $0.name != "AzureFirewallSubnet" }
            let subnet = rng.pick(subnets)
            graph.update(subnet.id, as: Subnet.self) { s in
                let p = s.addressPrefixes[0]
                s.addressPrefixes = [IPv4Prefix(p.network, length: 25)]
            }
        case .publicAccess:
            let nics = graph.all(NetworkInterface.self)
            let nic = rng.pick(nics)
            var address = PublicIPAddress(id: rid("Microsoft.Network", "publicIPAddresses", "pip-new"), location: "eastus")
            address.ipAddress = IPv4Address(20, 9, 9, 9)
            graph.insert(address)
            graph.update(nic.id, as: NetworkInterface.self) { $0.ipConfigurations[0].publicIPAddress = address.id }
        }
        return (graph, edit)
    }

    /// A random packet from `source`. The estate's own public IPs are left out as destinations from inside:
    /// `reach` and `trace` read traffic from a subnet to a NIC's public IP differently (Internet egress versus
    /// delivery through the public IP), a difference in the engine that the diff inherits.
    static func packet(_ rng: inout SplitMix, source: IPv4Address) -> Packet {
        let destinations: [Address] = [
            .ip(IPv4Address(10, UInt8(rng.int(3)), UInt8(rng.int(2)), UInt8(rng.pick([4, 5, 9, 200])))), .ip(IPv4Address(8, 8, 8, 8)),
            .ip(IPv4Address(13, 83, 72, 20)), .atom(.tag("Storage")), .ip(IPv4Address(10, 0, 1, 4)),
        ]
        return Packet(source: .ip(source), destination: rng.pick(destinations), protocol: rng.pick([.tcp, .udp, .icmp]),
                      sourcePort: 50000, destinationPort: rng.pick([22, 80, 443, 53]))
    }
}
