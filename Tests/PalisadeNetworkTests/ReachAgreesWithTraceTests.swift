import PalisadeModel
import PropertyBased
import Testing
@testable import PalisadeNetwork

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

/// Random hub-and-spoke topologies with NSGs, UDRs, a firewall, a private endpoint and peerings.
enum RandomEstate {
    static let addressPool: [AddressMatch] = [
        .any, cidrs("10.1.0.0/16"), cidrs("10.2.0.0/16"), cidrs("10.1.0.0/24", "10.2.1.0/24"), cidrs("8.8.8.0/24"),
        .serviceTag("VirtualNetwork"), .serviceTag("Internet"), .serviceTag("Storage"), cidrs("10.0.0.0/8"),
    ]
    static let portPool: [PortMatch] = [.any, .ports(443), .ranges([PortRange(80, 90)]), .ports(22, 443)]

    static func randomRule(_ rng: inout SplitMix, priority: Int) -> SecurityRule {
        rule("r\(priority)", priority, rng.bool() ? .inbound : .outbound, rng.int(3) == 0 ? .deny : .allow,
             rng.pick([.tcp, .udp, .any]), from: rng.pick(addressPool), to: rng.pick(addressPool), ports: rng.pick(portPool),
             sourcePorts: rng.int(8) == 0 ? .ranges([PortRange(1024, 65535)]) : .any)
    }

    static func make(seed: UInt64) -> NetworkModel {
        var rng = SplitMix(state: seed)
        var e = Estate()
        let hub = e.vnet("hub", ["10.0.0.0/16"])
        let spokes = [e.vnet("spoke1", ["10.1.0.0/16"]), e.vnet("spoke2", ["10.2.0.0/16"])]
        if rng.int(4) != 0 { e.peer(hub, spokes[0], forwardedIntoA: rng.bool(), forwardedIntoB: rng.bool()) }
        if rng.int(4) != 0 { e.peer(hub, spokes[1], forwardedIntoA: rng.bool(), forwardedIntoB: rng.bool()) }
        if rng.int(3) == 0 { e.peer(spokes[0], spokes[1], forwardedIntoA: rng.bool(), forwardedIntoB: rng.bool()) }
        let fwSubnet = e.subnet(hub, "AzureFirewallSubnet", "10.0.1.0/26")
        var rules: [FirewallRule] = []
        for i in 0..<rng.int(5) {
            rules.append(.network(NetworkRule(
                name: "n\(i)", protocols: [rng.pick([.tcp, .udp, .any])],
                sourceAddresses: [rng.pick(["*", "10.1.0.0/16", "10.2.0.0/16", "10.1.1.0/24"])],
                destinationAddresses: [rng.pick(["*", "10.1.0.0/16", "10.2.0.0/16", "8.8.8.0/24", "Storage"])],
                destinationPorts: [rng.pick(["*", "443", "80-90"])])))
        }
        let collections = rules.isEmpty ? [] : [FirewallRuleCollection(name: "c", priority: 100, action: rng.int(4) == 0 ? .deny : .allow, rules: rules)]
        let pol = e.policy("pol", [FirewallRuleCollectionGroup(name: "g", priority: 100, ruleCollections: collections)])
        e.firewall("fw", subnet: fwSubnet, ip: "10.0.1.4", policy: pol)
        e.subnet(hub, "shared", "10.0.2.0/24", nsg: rng.bool() ? e.nsg("nsg-shared", (0..<rng.int(4)).map { randomRule(&rng, priority: 100 + $0 * 10) }) : nil)
        e.nic("shared-vm", subnet: hub.child("subnets", "shared"), ip: "10.0.2.4")
        let gatewayRoutes: [Route] = rng.bool() ? [udr("to-fw", rng.pick(["10.1.0.0/16", "10.2.0.0/16", "10.0.2.0/24"]), .virtualAppliance, "10.0.1.4")] : []
        let gatewaySubnet = e.subnet(hub, "GatewaySubnet", "10.0.255.0/27", routeTable: gatewayRoutes.isEmpty ? nil : e.routeTable("rt-gw", gatewayRoutes))
        var gw = VirtualNetworkGateway(id: e.id("Microsoft.Network", [("virtualNetworkGateways", "vpngw")]))
        gw.ipConfigurations = [IPConfiguration(name: "g", subnet: gatewaySubnet, privateIPAddress: ip("10.0.255.4"))]
        gw.vpnClientConfiguration = VpnClientConfiguration(addressPool: [IPv4Prefix("172.16.201.0/24")!])
        e.graph.insert(gw)
        for (s, spoke) in spokes.enumerated() {
            for k in 0..<2 {
                let name = "s\(s + 1)-\(k)"
                let nsg: ResourceID? = rng.int(3) == 0 ? nil : e.nsg("nsg-\(name)", (0..<rng.int(6)).map { randomRule(&rng, priority: 100 + $0 * 10) })
                var routes: [Route] = []
                for j in 0..<rng.int(4) {
                    let destination = rng.pick(["0.0.0.0/0", "10.1.0.0/16", "10.2.0.0/16", "10.0.2.0/24", "Storage", "8.8.8.0/24", "10.\(s + 1).1.0/24"])
                    let hop = rng.pick([NextHopType.virtualAppliance, .virtualAppliance, .internet, .none, .vnetLocal])
                    routes.append(udr("u\(j)", destination, hop, hop == .virtualAppliance ? rng.pick(["10.0.1.4", "10.0.1.4", "10.\(s + 1).0.5"]) : nil))
                }
                let table: ResourceID? = routes.isEmpty ? nil : e.routeTable("rt-\(name)", routes)
                let subnet = e.subnet(spoke, name, "10.\(s + 1).\(k).0/24", nsg: nsg, routeTable: table,
                                      policies: rng.pick(PrivateEndpointNetworkPolicies.allCases), defaultOutbound: rng.bool())
                e.nic("vm-\(name)-a", subnet: subnet, ip: "10.\(s + 1).\(k).4")
                e.nic("vm-\(name)-b", subnet: subnet, ip: "10.\(s + 1).\(k).5", nsg: rng.bool() ? e.nsg("nic-\(name)", (0..<rng.int(4)).map { randomRule(&rng, priority: 200 + $0 * 10) }) : nil,
                      forwarding: rng.bool())
                if k == 1 && s == 0 {
                    let account = e.storage("acct")
                    e.privateEndpoint("pe", subnet: subnet, target: account, group: "blob", ip: "10.1.1.9")
                }
            }
        }
        // NAT gateways on some subnets, the firewall's included (TCP and UDP only, docs/semantics.md#nat-gateway-protocols);
        // drawn from their own generator so the rest of the estate stays what the seed made before.
        var natRNG = SplitMix(state: seed ^ 0x4A7_6A7E)
        var nat = NatGateway(id: e.id("Microsoft.Network", [("natGateways", "natgw")]))
        nat.publicIPAddresses = [e.pip("nat-pip", "20.9.0.1")]
        e.graph.insert(nat)
        for subnet in e.graph.all(Subnet.self) where subnet.name != "GatewaySubnet" && natRNG.int(3) == 0 {
            e.graph.update(subnet.id, as: Subnet.self) { $0.natGateway = nat.id }
        }
        // An internal load balancer in spoke1 whose pool holds one VM of each of its subnets (docs/semantics.md#load-balancers).
        if natRNG.bool() {
            var lb = LoadBalancer(id: e.id("Microsoft.Network", [("loadBalancers", "ilb")]))
            lb.frontends = [LoadBalancerFrontend(name: "fe", subnet: spokes[0].child("subnets", "s1-0"), privateIPAddress: ip("10.1.0.100"))]
            var pool = LoadBalancerBackendPool(name: "pool")
            pool.addresses = [ip("10.1.0.4"), ip("10.1.1.4")]
            lb.backendPools = [pool]
            var web = LoadBalancingRule(name: "web", frontend: "fe", backendPool: "pool", frontendPort: 80, backendPort: natRNG.pick([80, 8080, 443]))
            web.probe = natRNG.bool() ? "probe" : nil
            lb.rules = [web, LoadBalancingRule(name: "dns", frontend: "fe", backendPool: "pool", protocol: "Udp", frontendPort: 53, backendPort: 53)]
            lb.probes = [LoadBalancerProbe(name: "probe", port: natRNG.pick([80, 443, 22]))]
            e.graph.insert(lb)
        }
        // An on-premises site behind the hub's gateway, sometimes its default site (forced tunnelling), gateway transit
        // for spoke1, and route tables that sometimes stop gateway route propagation (docs/semantics.md#on-premises-networks).
        if natRNG.int(3) != 0 {
            var site = LocalNetworkGateway(id: e.id("Microsoft.Network", [("localNetworkGateways", "onprem")]))
            site.addressPrefixes = [IPv4Prefix("192.168.10.0/24")!]
            e.graph.insert(site)
            var connection = VirtualNetworkGatewayConnection(id: e.id("Microsoft.Network", [("connections", "to-onprem")]))
            connection.virtualNetworkGateway = gw.id
            connection.localNetworkGateway = site.id
            e.graph.insert(connection)
            if natRNG.bool() { e.graph.update(gw.id, as: VirtualNetworkGateway.self) { $0.gatewayDefaultSite = site.id } }
            if natRNG.bool() {
                e.graph.update(hub, as: VirtualNetwork.self) { v in for i in v.peerings.indices where v.peerings[i].remoteVirtualNetwork == spokes[0] { v.peerings[i].allowGatewayTransit = true } }
                e.graph.update(spokes[0], as: VirtualNetwork.self) { v in for i in v.peerings.indices where v.peerings[i].remoteVirtualNetwork == hub { v.peerings[i].useRemoteGateways = true } }
            }
            for table in e.graph.all(RouteTable.self) where natRNG.int(3) == 0 {
                e.graph.update(table.id, as: RouteTable.self) { $0.disableBgpRoutePropagation = true }
            }
        }
        return e.compile()
    }

    static func randomPacket(_ rng: inout SplitMix, source: IPv4Address) -> Packet {
        let destinations: [Address] = [
            .ip(IPv4Address(10, UInt8(rng.int(3)), UInt8(rng.int(3)), UInt8(rng.int(12)))), .ip(ip("10.1.1.9")), .ip(ip("8.8.8.8")),
            .ip(ip("13.83.72.20")), .ip(.azureHost), .atom(.tag("Storage")), .atom(.host("example.org")), .ip(ip("10.0.1.4")),
            .ip(ip("172.16.0.1")), .ip(ip("192.168.10.5")), .ip(ip("10.1.0.100")),
        ]
        return Packet(source: .ip(source), destination: rng.pick(destinations), protocol: rng.pick([.tcp, .udp, .icmp]),
                      sourcePort: rng.pick([50000, 80, 1000]), destinationPort: rng.pick([22, 80, 85, 443, 53, 8080]))
    }
}

@Suite("reach agrees with trace")
struct ReachAgreesWithTraceTests {
    /// Every packet a random source sends is allowed by `trace` exactly when the symbolic `reach` set holds it.
    @Test func symbolicReachMatchesConcreteTrace() async {
        await propertyCheck(count: 40, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            let model = RandomEstate.make(seed: seed)
            var rng = SplitMix(state: seed ^ 0xABCDEF)
            let report = model.reach()
            for id in model.subnetOrder {
                guard let subnet = model.subnets[id], let sourceReach = report.sources.first(where: { $0.source == subnet.displayName }) else { continue }
                let candidates = (4...12).map { subnet.prefixes[0].network.advanced(by: $0) }
                    .filter { model.endpoints[$0]?.networkSecurityGroup == nil && model.endpoints[$0]?.kind != .azureFirewall && model.endpoints[$0]?.kind != .privateEndpoint }
                for _ in 0..<6 {
                    let source = rng.pick(candidates)
                    let packet = RandomEstate.randomPacket(&rng, source: source)
                    let trace = model.trace(packet: packet, from: .address(source))
                    #expect((trace.verdict == .allowed) == sourceReach.allowed.contains(packet),
                            "seed \(seed): \(packet)\n\(trace.text)")
                }
            }
            // Point-to-site clients (P4 exemption, gateway routes, return path to the pool).
            let vpnReach = report.sources.first { $0.source == "vpn-client" }
            #expect(vpnReach != nil)
            for _ in 0..<6 {
                let packet = RandomEstate.randomPacket(&rng, source: IPv4Address(172, 16, 201, UInt8(2 + rng.int(200))))
                let trace = model.trace(packet: packet, from: .vpnClient)
                #expect((trace.verdict == .allowed) == (vpnReach?.allowed.contains(packet) ?? false), "seed \(seed): \(packet)\n\(trace.text)")
            }
            // NICs with their own NSG: reach from the NIC.
            for endpoint in model.endpoints.values.sorted(by: { $0.address < $1.address }) where endpoint.networkSecurityGroup != nil {  // sorted: a seed replays exactly
                let nicReach = model.reach(from: .address(endpoint.address)).sources[0]
                for _ in 0..<4 {
                    let packet = RandomEstate.randomPacket(&rng, source: endpoint.address)
                    let trace = model.trace(packet: packet, from: .address(endpoint.address))
                    #expect((trace.verdict == .allowed) == nicReach.allowed.contains(packet), "seed \(seed): \(packet)\n\(trace.text)")
                }
            }
        }
    }
}

/// Random estates with public fronts: NIC public IPs, a Bastion and firewall DNAT rules.
enum RandomFrontEstate {
    static func make(seed: UInt64) -> NetworkModel {
        var rng = SplitMix(state: seed)
        var e = Estate()
        let hub = e.vnet("hub", ["10.0.0.0/16"])
        let spoke = e.vnet("spoke", ["10.1.0.0/16"])
        e.peer(hub, spoke, forwardedIntoA: rng.bool(), forwardedIntoB: rng.bool())
        let fwSubnet = e.subnet(hub, "AzureFirewallSubnet", "10.0.0.0/26")
        var nat: [FirewallRule] = []
        for i in 0..<rng.int(4) {
            nat.append(.nat(NatRule(name: "d\(i)", protocols: [rng.pick([.tcp, .udp])], sourceAddresses: [rng.pick(["*", "8.8.8.0/24"])],
                                    destinationAddresses: ["20.0.0.1"], destinationPorts: [rng.pick(["3389", "22", "443"])],
                                    translatedAddress: rng.pick(["10.1.0.4", "10.1.1.4", "10.0.2.4"]), translatedPort: rng.pick(["3389", "22"]))))
        }
        let pol = e.policy("pol", [FirewallRuleCollectionGroup(name: "g", priority: 100, ruleCollections: nat.isEmpty ? [] : [
            FirewallRuleCollection(name: "dnat", priority: 100, action: .dnat, rules: nat)])])
        e.firewall("fw", subnet: fwSubnet, ip: "10.0.0.4", policy: pol, pip: e.pip("fw-pip", "20.0.0.1"))
        let bastionNSG: ResourceID? = rng.bool() ? e.nsg("nsg-bastion", (0..<rng.int(3)).map { RandomEstate.randomRule(&rng, priority: 100 + $0 * 10) }) : nil
        let bastionSubnet = e.subnet(hub, "AzureBastionSubnet", "10.0.1.0/26", nsg: bastionNSG)
        var bastion = BastionHost(id: e.id("Microsoft.Network", [("bastionHosts", "bastion")]))
        bastion.ipConfigurations = [IPConfiguration(name: "b", subnet: bastionSubnet, publicIPAddress: e.pip("bastion-pip", "20.0.0.2"))]
        e.graph.insert(bastion)
        e.nic("hubvm", subnet: e.subnet(hub, "vms", "10.0.2.0/24"), ip: "10.0.2.4", pip: rng.bool() ? e.pip("hub-pip", "20.0.0.3") : nil)
        for k in 0..<2 {
            let nsg: ResourceID? = rng.int(3) == 0 ? nil : e.nsg("nsg-\(k)", (0..<rng.int(5)).map { RandomEstate.randomRule(&rng, priority: 100 + $0 * 10) })
            let routes = rng.bool() ? [udr("u", rng.pick(["0.0.0.0/0", "8.8.8.0/24", "10.0.0.0/16"]), .virtualAppliance, "10.0.0.4")] : []
            let table: ResourceID? = routes.isEmpty ? nil : e.routeTable("rt-\(k)", routes)
            let subnet = e.subnet(spoke, "s\(k)", "10.1.\(k).0/24", nsg: nsg, routeTable: table)
            e.nic("vm\(k)", subnet: subnet, ip: "10.1.\(k).4", pip: rng.bool() ? e.pip("pip\(k)", "20.0.1.\(k + 1)") : nil)
        }
        // A public load balancer in front of both VMs, with an inbound NAT rule to vm0 (docs/semantics.md#load-balancers).
        var lbRNG = SplitMix(state: seed ^ 0x10AD)
        var lb = LoadBalancer(id: e.id("Microsoft.Network", [("loadBalancers", "plb")]))
        lb.frontends = [LoadBalancerFrontend(name: "fe", publicIPAddress: e.pip("plb-pip", "20.0.2.1"))]
        var pool = LoadBalancerBackendPool(name: "pool")
        pool.networkInterfaceIPConfigurations = (0..<2).filter { _ in lbRNG.int(4) != 0 }.map {
            e.id("Microsoft.Network", [("networkInterfaces", "vm\($0)")]).child("ipConfigurations", "ipconfig1")
        }
        lb.backendPools = [pool]
        var web = LoadBalancingRule(name: "web", frontend: "fe", backendPool: "pool", frontendPort: lbRNG.pick([80, 443]), backendPort: lbRNG.pick([22, 443, 3389]))
        web.probe = lbRNG.bool() ? "probe" : nil
        lb.rules = [web]
        lb.probes = [LoadBalancerProbe(name: "probe", port: lbRNG.pick([22, 443, 3389]))]
        var rdp = InboundNatRule(name: "rdp", frontend: "fe", frontendPort: 3389, backendPort: lbRNG.pick([3389, 22]))
        rdp.backendIPConfiguration = e.id("Microsoft.Network", [("networkInterfaces", "vm0")]).child("ipConfigurations", "ipconfig1")
        lb.inboundNatRules = [rdp]
        e.graph.insert(lb)
        return e.compile()
    }
}

@Suite("reach agrees with trace from the Internet")
struct InternetReachAgreesWithTraceTests {
    @Test func internetReachMatchesTrace() async {
        await propertyCheck(count: 40, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            let model = RandomFrontEstate.make(seed: seed)
            var rng = SplitMix(state: seed ^ 0x5EED)
            let reach = model.reach(from: .internet).sources[0]
            for _ in 0..<25 {
                let packet = Packet(source: .ip(rng.pick([ip("8.8.8.8"), ip("203.0.113.10"), ip("52.1.2.3")])),
                                    destination: .ip(rng.pick([ip("20.0.0.1"), ip("20.0.0.2"), ip("20.0.0.3"), ip("20.0.1.1"), ip("20.0.1.2"), ip("10.1.0.4"), ip("20.0.2.1")])),
                                    protocol: rng.pick([.tcp, .udp]), sourcePort: rng.pick([50000, 80]),
                                    destinationPort: rng.pick([22, 443, 3389, 80]))
                let trace = model.trace(packet: packet, from: .internet)
                #expect((trace.verdict == .allowed) == reach.allowed.contains(packet), "seed \(seed): \(packet)\n\(trace.text)")
            }
        }
    }
}
