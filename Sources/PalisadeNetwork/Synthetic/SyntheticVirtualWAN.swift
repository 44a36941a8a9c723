import PalisadeModel

extension SyntheticEstate {
    /// A Virtual WAN with `hubs` hubs and `connections` VNets spread evenly over them. Each VNet has two subnets
    /// with an NSG of `rulesPerNSG` rules and a VM NIC; even hubs are secured by an Azure Firewall with routing
    /// intent for private and Internet traffic, odd hubs route through their default route table. Hub `h` owns
    /// 10.(200+h).0.0/23; its `k`-th VNet owns 10.(100+h).k.0/24. Deterministic.
    public static func virtualWAN(hubs: Int, connections: Int, rulesPerNSG: Int = 20) -> ResourceGraph {
        var graph = ResourceGraph()
        func id(_ type: String, _ name: String) -> ResourceID {
            ResourceID(subscription: "00000000-0000-0000-0000-000000000000", resourceGroup: "bench", namespace: "Microsoft.Network", [(type: type, name: name)])
        }
        let location = "eastus"
        let wan = VirtualWAN(id: id("virtualWans", "wan"), location: location)
        graph.insert(wan)
        let perHub = hubs == 0 ? 0 : (connections + hubs - 1) / hubs
        for h in 0..<hubs {
            var hub = VirtualHub(id: id("virtualHubs", "hub\(h)"), location: location)
            hub.virtualWAN = wan.id
            hub.addressPrefix = IPv4Prefix(IPv4Address(10, UInt8(200 + h), 0, 0), length: 23)
            if h % 2 == 0 {
                var policy = FirewallPolicy(id: id("firewallPolicies", "pol\(h)"), location: location)
                policy.ruleCollectionGroups = [FirewallRuleCollectionGroup(name: "g", priority: 100, ruleCollections: [
                    FirewallRuleCollection(name: "spokes", priority: 100, action: .allow, rules: [
                        .network(NetworkRule(name: "https", protocols: [.tcp], sourceAddresses: ["10.0.0.0/8"], destinationAddresses: ["10.0.0.0/8"], destinationPorts: ["443"])),
                        .network(NetworkRule(name: "dns", protocols: [.udp], sourceAddresses: ["10.0.0.0/8"], destinationAddresses: ["*"], destinationPorts: ["53"])),
                    ]),
                ])]
                graph.insert(policy)
                var fw = AzureFirewall(id: id("azureFirewalls", "fw\(h)"), location: location)
                fw.skuName = "AZFW_Hub"
                fw.virtualHub = hub.id
                fw.hubPrivateIPAddress = IPv4Address(10, UInt8(200 + h), 0, 132)
                fw.firewallPolicy = policy.id
                graph.insert(fw)
                hub.azureFirewall = fw.id
                hub.routingIntent = RoutingIntent(name: "intent", policies: [
                    .init(name: "private", destinations: [.privateTraffic], nextHop: fw.id), .init(name: "internet", destinations: [.internet], nextHop: fw.id),
                ])
            }
            for k in 0..<min(perHub, connections - h * perHub) where k < 250 {
                var vnet = VirtualNetwork(id: id("virtualNetworks", "spoke\(h)-\(k)"), location: location)
                vnet.addressSpace = [IPv4Prefix(IPv4Address(10, UInt8(100 + h), UInt8(k), 0), length: 24)]
                graph.insert(vnet)
                for s in 0..<2 {
                    var nsg = NetworkSecurityGroup(id: id("networkSecurityGroups", "nsg\(h)-\(k)-\(s)"), location: location)
                    nsg.securityRules = (0..<rulesPerNSG).map { r in
                        SecurityRule(name: "r\(r)", priority: 100 + r, direction: r % 2 == 0 ? .inbound : .outbound, access: r % 5 == 0 ? .deny : .allow,
                                     protocol: r % 3 == 0 ? .udp : .tcp, source: .prefixes([IPv4Prefix(IPv4Address(10, UInt8(100 + (r % hubs)), UInt8(r % 250), 0), length: 24)]),
                                     destination: .any, destinationPorts: .ports(1000 + r))
                    }
                    graph.insert(nsg)
                    var subnet = Subnet(id: vnet.id.child("subnets", "s\(s)"))
                    subnet.addressPrefixes = [IPv4Prefix(IPv4Address(10, UInt8(100 + h), UInt8(k), UInt8(s * 128)), length: 25)]
                    subnet.networkSecurityGroup = nsg.id
                    subnet.defaultOutboundAccess = false
                    graph.insert(subnet)
                    var nic = NetworkInterface(id: id("networkInterfaces", "nic\(h)-\(k)-\(s)"), location: location)
                    nic.ipConfigurations = [IPConfiguration(name: "ip", subnet: subnet.id, privateIPAddress: IPv4Address(10, UInt8(100 + h), UInt8(k), UInt8(s * 128 + 4)))]
                    graph.insert(nic)
                }
                var connection = HubVirtualNetworkConnection(name: "conn\(k)", remoteVirtualNetwork: vnet.id)
                connection.enableInternetSecurity = true
                hub.virtualNetworkConnections.append(connection)
            }
            graph.insert(hub)
        }
        return graph
    }
}
