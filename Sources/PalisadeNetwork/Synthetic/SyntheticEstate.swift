import PalisadeModel

/// Synthetic estates for benchmarks (`palisade-bench`) and scale tests.
public enum SyntheticEstate {
    /// A hub with an Azure Firewall (Firewall Policy with `firewallRules` network/application rules) and
    /// `spokes` peered spokes of `subnetsPerSpoke` subnets each; every subnet has its own NSG with
    /// `rulesPerNSG` rules, a route table sending 0.0.0.0/0 and the other spokes to the firewall, and one VM NIC.
    /// Spoke `i` owns the /20 at 10.16.0.0 + i·4096, split evenly into its subnets.
    /// Deterministic: the same arguments give the same graph.
    public static func hubAndSpoke(spokes: Int, subnetsPerSpoke: Int, rulesPerNSG: Int, firewallRules: Int) -> ResourceGraph {
        var graph = ResourceGraph()
        func id(_ namespace: String, _ type: String, _ name: String) -> ResourceID {
            ResourceID(subscription: "00000000-0000-0000-0000-000000000000", resourceGroup: "bench", namespace: namespace, [(type: type, name: name)])
        }
        let location = "eastus"
        var hub = VirtualNetwork(id: id("Microsoft.Network", "virtualNetworks", "hub"), location: location)
        hub.addressSpace = [IPv4Prefix("10.0.0.0/16")!]
        var fwSubnet = Subnet(id: hub.id.child("subnets", "AzureFirewallSubnet"))
        fwSubnet.addressPrefixes = [IPv4Prefix("10.0.0.0/26")!]
        graph.insert(fwSubnet)
        var pip = PublicIPAddress(id: id("Microsoft.Network", "publicIPAddresses", "fw-pip"), location: location)
        pip.ipAddress = IPv4Address(20, 0, 0, 1)
        graph.insert(pip)
        let tags = ["AzureActiveDirectory", "AzureMachineLearning", "Storage.EastUS", "AzureResourceManager", "AzureMonitor",
                    "MicrosoftContainerRegistry", "AzureFrontDoor.FirstParty", "BatchNodeManagement.EastUS"]
        // Firewall policy: alternating network (tag/CIDR) and application rules, 100 per collection.
        var collections: [FirewallRuleCollection] = []
        var rules: [FirewallRule] = []
        for r in 0..<firewallRules {
            let spokeIndex = spokes == 0 ? 0 : r % spokes
            let source = spokeAddress(spokeIndex, subnetsPerSpoke: subnetsPerSpoke).description
            if r % 3 == 2 {
                rules.append(.application(ApplicationRule(name: "app\(r)", protocols: [.https], sourceAddresses: [source],
                                                          targetFqdns: ["*.site\(r).example.com"])))
            } else {
                let destination = r % 3 == 0 ? tags[r % tags.count] : "\(100 + r % 100).\(r / 100 % 250).0.0/16"
                rules.append(.network(NetworkRule(name: "net\(r)", protocols: [r % 2 == 0 ? .tcp : .udp], sourceAddresses: [source],
                                                  destinationAddresses: [destination], destinationPorts: ["\(443 + r % 7)"])))
            }
            if rules.count == 100 || r == firewallRules - 1 {
                let network = rules.filter { if case .network = $0 { true } else { false } }
                let application = rules.filter { if case .application = $0 { true } else { false } }
                let base = 100 + collections.count
                if !network.isEmpty { collections.append(FirewallRuleCollection(name: "net-\(base)", priority: base, action: .allow, rules: network)) }
                if !application.isEmpty { collections.append(FirewallRuleCollection(name: "app-\(base)", priority: base + 1, action: .allow, rules: application)) }
                rules = []
            }
        }
        var policy = FirewallPolicy(id: id("Microsoft.Network", "firewallPolicies", "hub-policy"), location: location)
        policy.ruleCollectionGroups = [FirewallRuleCollectionGroup(name: "bench", priority: 200, ruleCollections: collections)]
        graph.insert(policy)
        var firewall = AzureFirewall(id: id("Microsoft.Network", "azureFirewalls", "hub-fw"), location: location)
        firewall.ipConfigurations = [IPConfiguration(name: "fw", subnet: fwSubnet.id, privateIPAddress: IPv4Address(10, 0, 0, 4), publicIPAddress: pip.id)]
        firewall.firewallPolicy = policy.id
        graph.insert(firewall)
        let firewallIP = IPv4Address(10, 0, 0, 4)
        for s in 0..<spokes {
            let space = spokeAddress(s, subnetsPerSpoke: subnetsPerSpoke)
            var spoke = VirtualNetwork(id: id("Microsoft.Network", "virtualNetworks", "spoke\(s)"), location: location)
            spoke.addressSpace = [space]
            var toHub = VirtualNetworkPeering(name: "to-hub", remoteVirtualNetwork: hub.id)
            toHub.allowForwardedTraffic = true
            spoke.peerings = [toHub]
            var fromHub = VirtualNetworkPeering(name: "to-spoke\(s)", remoteVirtualNetwork: spoke.id)
            fromHub.allowForwardedTraffic = true
            hub.peerings.append(fromHub)
            graph.insert(spoke)
            var table = RouteTable(id: id("Microsoft.Network", "routeTables", "rt-spoke\(s)"), location: location)
            table.routes = [Route(name: "default", destination: .prefix(.all), nextHopType: .virtualAppliance, nextHopIPAddress: firewallIP),
                            Route(name: "spokes", destination: .prefix(IPv4Prefix("10.0.0.0/8")!), nextHopType: .virtualAppliance, nextHopIPAddress: firewallIP)]
            graph.insert(table)
            for k in 0..<subnetsPerSpoke {
                guard let prefix = space.subnet(newBits: bitsFor(subnetsPerSpoke), index: k) else { continue }
                var nsg = NetworkSecurityGroup(id: id("Microsoft.Network", "networkSecurityGroups", "nsg-s\(s)-\(k)"), location: location)
                for r in 0..<rulesPerNSG {
                    let outbound = r % 2 == 0
                    let peerSpoke = spokeAddress((s + r + 1) % max(1, spokes), subnetsPerSpoke: subnetsPerSpoke)
                    nsg.securityRules.append(SecurityRule(
                        name: "r\(r)", priority: 100 + r * 10, direction: outbound ? .outbound : .inbound,
                        access: r % 5 == 4 ? .deny : .allow, protocol: r % 3 == 0 ? .udp : .tcp,
                        source: outbound ? .any : .prefixes([peerSpoke]),
                        destination: outbound ? (r % 4 == 0 ? .serviceTag(tags[r % tags.count]) : .prefixes([peerSpoke])) : .any,
                        destinationPorts: .ports(443 + r % 11)))
                }
                graph.insert(nsg)
                var subnet = Subnet(id: spoke.id.child("subnets", "sn\(k)"))
                subnet.addressPrefixes = [prefix]
                subnet.networkSecurityGroup = nsg.id
                subnet.routeTable = table.id
                subnet.defaultOutboundAccess = false
                graph.insert(subnet)
                var nic = NetworkInterface(id: id("Microsoft.Network", "networkInterfaces", "nic-s\(s)-\(k)"), location: location)
                nic.ipConfigurations = [IPConfiguration(name: "ip", subnet: subnet.id, privateIPAddress: prefix.firstAzureUsable)]
                graph.insert(nic)
            }
        }
        graph.insert(hub)
        return graph
    }

    /// The address space of spoke `index`: a /20 per spoke inside 10.16.0.0/12 and upward (room for 4,000+ spokes).
    static func spokeAddress(_ index: Int, subnetsPerSpoke: Int) -> IPv4Prefix {
        let base = UInt32(10) << 24 | UInt32(16) << 16
        return IPv4Prefix(IPv4Address(base + UInt32(index) << 12), length: 20)
    }

    private static func bitsFor(_ count: Int) -> Int {
        var bits = 0
        while (1 << bits) < count { bits += 1 }
        return max(bits, 1)
    }
}
