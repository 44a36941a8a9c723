import PalisadeModel
import PropertyBased
import Testing
@testable import PalisadeNetwork

extension Estate {
    /// A network manager whose one security admin configuration has the given collections, each targeting a
    /// network group with these member VNets.
    @discardableResult
    mutating func networkManager(_ name: String, groups: [String: [ResourceID]], collections: [(String, [String], [AdminRule])],
                                 connectivity: [ConnectivityConfiguration] = [], scopeAccesses: [String] = ["SecurityAdmin", "Connectivity"]) -> ResourceID {
        var m = NetworkManager(id: id("Microsoft.Network", [("networkManagers", name)]), location: location)
        m.scopeAccesses = scopeAccesses
        for (group, members) in groups.sorted(by: { $0.key < $1.key }) {
            var g = NetworkGroup(id: m.id.child("networkGroups", group))
            g.staticMembers = members
            m.networkGroups.append(g)
        }
        var config = SecurityAdminConfiguration(id: m.id.child("securityAdminConfigurations", "baseline"))
        for (collection, targets, rules) in collections {
            var c = AdminRuleCollection(id: config.id.child("ruleCollections", collection))
            c.appliesToGroups = targets.map { m.id.child("networkGroups", $0) }
            c.rules = rules
            config.ruleCollections.append(c)
        }
        m.securityAdminConfigurations = [config]
        m.connectivityConfigurations = connectivity
        graph.insert(m)
        return m.id
    }
}

/// Security admin rules, from https://learn.microsoft.com/azure/virtual-network-manager/concept-security-admins:
/// evaluated before NSGs; Deny drops whatever the NSG says, Always Allow lets traffic through whatever the NSG
/// says, Allow hands the traffic to the NSG; the lowest priority number wins across the configuration's collections.
@Suite struct AdminRuleTests {
    /// A spoke whose NSG allows RDP from anywhere and denies SSH, and a hub VM that sends to it.
    static func estate(_ rules: [AdminRule], scope: [String] = ["SecurityAdmin"], secondCollection: [AdminRule] = []) -> NetworkModel {
        var e = Estate()
        let hub = e.vnet("hub", ["10.0.0.0/16"])
        let spoke = e.vnet("spoke", ["10.1.0.0/16"])
        e.peer(hub, spoke)
        e.nic("hubvm", subnet: e.subnet(hub, "vms", "10.0.0.0/24"), ip: "10.0.0.4")
        let nsg = e.nsg("nsg-app", [rule("allow-rdp", 100, .inbound, .allow, .tcp, ports: .ports(3389)),
                                    rule("deny-ssh", 110, .inbound, .deny, .tcp, ports: .ports(22))])
        e.nic("appvm", subnet: e.subnet(spoke, "app", "10.1.0.0/24", nsg: nsg), ip: "10.1.0.4")
        var collections = [("c1", ["spokes"], rules)]
        if !secondCollection.isEmpty { collections.append(("c2", ["spokes"], secondCollection)) }
        e.networkManager("avnm", groups: ["spokes": [spoke]], collections: collections, scopeAccesses: scope)
        return e.compile()
    }

    static func trace(_ model: NetworkModel, port: Int) -> Trace {
        model.trace(from: .address(ip("10.0.0.4")), to: .address(ip("10.1.0.4")), port: port)
    }

    /// "deny all high-risk ports … because these security admin rules will be evaluated prior to all NSG rules".
    @Test func denyWinsOverAnNSGAllow() {
        let model = Self.estate([AdminRule(name: "deny-rdp", priority: 10, action: .deny, direction: .inbound, protocol: .tcp,
                                           destinationPorts: .ports(3389))])
        let trace = Self.trace(model, port: 3389)
        #expect(trace.verdict == .denied, "\(trace.text)")
        #expect(trace.hops.contains { $0.kind == "SecurityAdminRule" && $0.rule == "deny-rdp" })
        #expect(!trace.hops.contains { $0.kind == "NSG" })
        // Other ports: no admin rule matches, the NSG decides (port 443 falls to the NSG's AllowVNetInBound).
        #expect(Self.trace(model, port: 443).verdict == .allowed)
    }

    /// Always Allow "terminates further (and possibly conflicting) evaluation by NSG rules".
    @Test func alwaysAllowSkipsTheNSG() {
        let model = Self.estate([AdminRule(name: "scanner", priority: 10, action: .alwaysAllow, direction: .inbound, protocol: .tcp,
                                           sources: [.prefix(IPv4Prefix("10.0.0.0/24")!)], destinationPorts: .ports(22))])
        let trace = Self.trace(model, port: 22)
        #expect(trace.verdict == .allowed, "\(trace.text)")
        #expect(!trace.hops.contains { $0.kind == "NSG" })
    }

    /// Allow: "the traffic is allowed by a security admin rule, it will then be evaluated by the NSG".
    @Test func allowHandsOverToTheNSG() {
        let model = Self.estate([AdminRule(name: "allow-ssh", priority: 10, action: .allow, direction: .inbound, protocol: .tcp,
                                           destinationPorts: .ports(22))])
        let trace = Self.trace(model, port: 22)
        #expect(trace.verdict == .denied, "\(trace.text)")
        #expect(trace.hops.contains { $0.kind == "NSG" && $0.rule == "deny-ssh" })
    }

    /// Priorities are compared across the configuration's rule collections: priority 5 in the second collection wins.
    @Test func lowestPriorityAcrossCollectionsWins() {
        let deny = AdminRule(name: "deny-ssh", priority: 20, action: .deny, direction: .inbound, protocol: .tcp, destinationPorts: .ports(22))
        let always = AdminRule(name: "always-ssh", priority: 5, action: .alwaysAllow, direction: .inbound, protocol: .tcp, destinationPorts: .ports(22))
        #expect(Self.trace(Self.estate([deny], secondCollection: [always]), port: 22).verdict == .allowed)
        let lateAlways = AdminRule(name: "always-ssh", priority: 30, action: .alwaysAllow, direction: .inbound, protocol: .tcp, destinationPorts: .ports(22))
        #expect(Self.trace(Self.estate([deny], secondCollection: [lateAlways]), port: 22).verdict == .denied)
    }

    /// Outbound admin rules apply at the source VNet's egress; VNets outside the group are untouched.
    @Test func outboundDenyAppliesToMembersOnly() {
        let model = Self.estate([AdminRule(name: "deny-out", priority: 10, action: .deny, direction: .outbound, protocol: .any,
                                           destinations: [.prefix(IPv4Prefix("10.0.0.0/16")!)])])
        #expect(model.trace(from: .address(ip("10.1.0.4")), to: .address(ip("10.0.0.4")), port: 443).verdict == .denied)
        #expect(Self.trace(model, port: 443).verdict == .allowed)
    }

    /// A manager whose scope access lacks SecurityAdmin cannot deploy admin rules.
    @Test func scopeAccessWithoutSecurityAdminDeploysNothing() {
        let model = Self.estate([AdminRule(name: "deny-rdp", priority: 10, action: .deny, direction: .inbound, protocol: .tcp,
                                           destinationPorts: .ports(3389))], scope: ["Connectivity"])
        #expect(Self.trace(model, port: 3389).verdict == .allowed)
    }

    /// Reach sees the same: the spoke is not reachable on 3389 under the Deny rule.
    @Test func reachHonoursAdminRules() {
        let model = Self.estate([AdminRule(name: "deny-rdp", priority: 10, action: .deny, direction: .inbound, protocol: .tcp,
                                           destinationPorts: .ports(3389)),
                                 AdminRule(name: "scanner", priority: 20, action: .alwaysAllow, direction: .inbound, protocol: .tcp,
                                           destinationPorts: .ports(22))])
        let hub = model.reach(from: .address(ip("10.0.0.4"))).sources[0]
        let rdp = Packet(source: .ip(ip("10.0.0.4")), destination: .ip(ip("10.1.0.4")), protocol: .tcp, sourcePort: 50000, destinationPort: 3389)
        let ssh = Packet(source: .ip(ip("10.0.0.4")), destination: .ip(ip("10.1.0.4")), protocol: .tcp, sourcePort: 50000, destinationPort: 22)
        #expect(!hub.allowed.contains(rdp))
        #expect(hub.allowed.contains(ssh))
    }
}

/// Random estates with security admin rules on top of NSGs: reach and trace agree packet by packet.
@Suite("reach agrees with trace under security admin rules")
struct AdminRuleReachAgreesWithTraceTests {
    static let addresses: [AdminRule.Address] = [
        .any, .prefix(IPv4Prefix("10.1.0.0/16")!), .prefix(IPv4Prefix("10.2.0.0/24")!), .prefix(IPv4Prefix("10.0.0.0/8")!),
        .serviceTag("VirtualNetwork"), .serviceTag("Internet"), .prefix(IPv4Prefix("8.8.8.0/24")!),
    ]

    static func make(seed: UInt64) -> NetworkModel {
        var rng = SplitMix(state: seed)
        var e = Estate()
        let hub = e.vnet("hub", ["10.0.0.0/16"])
        let spokes = [e.vnet("spoke1", ["10.1.0.0/16"]), e.vnet("spoke2", ["10.2.0.0/16"])]
        for spoke in spokes { e.peer(hub, spoke, forwardedIntoA: rng.bool(), forwardedIntoB: rng.bool()) }
        let fwSubnet = e.subnet(hub, "AzureFirewallSubnet", "10.0.1.0/26")
        let pol = e.policy("pol", [FirewallRuleCollectionGroup(name: "g", priority: 100, ruleCollections: [
            FirewallRuleCollection(name: "c", priority: 100, action: .allow, rules: [
                .network(NetworkRule(name: "n", protocols: [.any], sourceAddresses: ["10.0.0.0/8"], destinationAddresses: [rng.pick(["*", "10.0.0.0/8"])],
                                     destinationPorts: ["*"])),
            ]),
        ])])
        e.firewall("fw", subnet: fwSubnet, ip: "10.0.1.4", policy: pol)
        e.nic("hubvm", subnet: e.subnet(hub, "shared", "10.0.2.0/24"), ip: "10.0.2.4")
        for (s, spoke) in spokes.enumerated() {
            for k in 0..<2 {
                let name = "s\(s + 1)-\(k)"
                let nsg: ResourceID? = rng.int(3) == 0 ? nil : e.nsg("nsg-\(name)", (0..<rng.int(5)).map { RandomEstate.randomRule(&rng, priority: 100 + $0 * 10) })
                let routes = rng.bool() ? [udr("u", rng.pick(["0.0.0.0/0", "10.0.0.0/8", "10.2.0.0/16"]), .virtualAppliance, "10.0.1.4")] : []
                let table: ResourceID? = routes.isEmpty ? nil : e.routeTable("rt-\(name)", routes)
                let subnet = e.subnet(spoke, name, "10.\(s + 1).\(k).0/24", nsg: nsg, routeTable: table, defaultOutbound: rng.bool())
                e.nic("vm-\(name)", subnet: subnet, ip: "10.\(s + 1).\(k).4")
            }
        }
        func randomAdminRule(_ i: Int) -> AdminRule {
            AdminRule(name: "a\(i)", priority: 1 + rng.int(40), action: rng.pick(AdminRule.Action.allCases),
                      direction: rng.bool() ? .inbound : .outbound, protocol: rng.pick([.tcp, .udp, .any]),
                      sources: rng.int(3) == 0 ? [] : [rng.pick(addresses)], destinations: rng.int(3) == 0 ? [] : [rng.pick(addresses)],
                      destinationPorts: rng.pick(RandomEstate.portPool))
        }
        let members = [[spokes[0]], [spokes[1]], spokes, [hub, spokes[0]]]
        // Sometimes a connectivity configuration connects the spokes directly (a connected group).
        let managerID = e.id("Microsoft.Network", [("networkManagers", "avnm")])
        var connectivity = ConnectivityConfiguration(id: managerID.child("connectivityConfigurations", "cc"), topology: rng.bool() ? .mesh : .hubAndSpoke)
        connectivity.hubs = [hub]
        connectivity.groups = [.init(networkGroup: managerID.child("networkGroups", "g2"), directlyConnected: rng.bool())]
        e.networkManager("avnm", groups: ["g1": rng.pick(members), "g2": rng.pick(members)],
                         collections: [("c1", ["g1"], (0..<rng.int(5)).map(randomAdminRule)),
                                       ("c2", [rng.pick(["g1", "g2"])], (5..<(5 + rng.int(4))).map(randomAdminRule))],
                         connectivity: rng.bool() ? [connectivity] : [])
        return e.compile()
    }

    @Test func symbolicReachMatchesConcreteTrace() async {
        await propertyCheck(count: 40, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            let model = Self.make(seed: seed)
            var rng = SplitMix(state: seed ^ 0xAD41)
            let report = model.reach()
            for id in model.subnetOrder {
                guard let subnet = model.subnets[id], subnet.id.name != "AzureFirewallSubnet",
                      let sourceReach = report.sources.first(where: { $0.source == subnet.displayName }) else { continue }
                for _ in 0..<8 {
                    let source = subnet.prefixes[0].network.advanced(by: 4 + rng.int(6))
                    let packet = RandomEstate.randomPacket(&rng, source: source)
                    let trace = model.trace(packet: packet, from: .address(source))
                    #expect((trace.verdict == .allowed) == sourceReach.allowed.contains(packet), "seed \(seed): \(packet)\n\(trace.text)")
                }
            }
        }
    }
}

/// Connectivity configurations, from https://learn.microsoft.com/azure/virtual-network-manager/concept-connectivity-configuration:
/// hub-and-spoke peers each spoke with the hub; spokes reach each other only with direct connectivity (a connected
/// group); a mesh connects every VNet of the group, in one region unless global.
@Suite struct ConnectivityConfigurationTests {
    static func estate(_ topology: ConnectivityConfiguration.Topology, directlyConnected: Bool = false, global: Bool = false,
                       farRegion: Bool = false, useHubGateway: Bool = false) -> NetworkModel {
        var e = Estate()
        let hub = e.vnet("hub", ["10.0.0.0/16"])
        let spoke1 = e.vnet("spoke1", ["10.1.0.0/16"])
        if farRegion { e.location = "westeurope" }
        let spoke2 = e.vnet("spoke2", ["10.2.0.0/16"])
        e.location = "eastus"
        e.nic("hubvm", subnet: e.subnet(hub, "vms", "10.0.0.0/24"), ip: "10.0.0.4")
        e.nic("vm1", subnet: e.subnet(spoke1, "app", "10.1.0.0/24"), ip: "10.1.0.4")
        e.nic("vm2", subnet: e.subnet(spoke2, "app", "10.2.0.0/24"), ip: "10.2.0.4")
        let gatewaySubnet = e.subnet(hub, "GatewaySubnet", "10.0.255.0/27")
        var gw = VirtualNetworkGateway(id: e.id("Microsoft.Network", [("virtualNetworkGateways", "vpngw")]))
        gw.ipConfigurations = [IPConfiguration(name: "g", subnet: gatewaySubnet, privateIPAddress: ip("10.0.255.4"))]
        gw.vpnClientConfiguration = VpnClientConfiguration(addressPool: [IPv4Prefix("172.16.201.0/24")!])
        e.graph.insert(gw)
        let managerID = e.id("Microsoft.Network", [("networkManagers", "avnm")])
        var config = ConnectivityConfiguration(id: managerID.child("connectivityConfigurations", "cc"), topology: topology)
        config.hubs = topology == .hubAndSpoke ? [hub] : []
        config.isGlobal = global
        config.groups = [.init(networkGroup: managerID.child("networkGroups", "spokes"), directlyConnected: directlyConnected,
                               useHubGateway: useHubGateway)]
        e.networkManager("avnm", groups: ["spokes": [spoke1, spoke2]], collections: [], connectivity: [config])
        return e.compile()
    }

    static func verdict(_ model: NetworkModel, _ from: String, _ to: String) -> Verdict {
        model.trace(from: .address(ip(from)), to: .address(ip(to)), port: 443).verdict
    }

    @Test func hubAndSpokePeersSpokesWithTheHubOnly() {
        let model = Self.estate(.hubAndSpoke)
        #expect(Self.verdict(model, "10.1.0.4", "10.0.0.4") == .allowed, "\(model.trace(from: .address(ip("10.1.0.4")), to: .address(ip("10.0.0.4")), port: 443).text) \(model.notes)")
        #expect(Self.verdict(model, "10.0.0.4", "10.2.0.4") == .allowed)
        #expect(Self.verdict(model, "10.1.0.4", "10.2.0.4") == .denied)  // peering is not transitive
    }

    @Test func directConnectivityLinksTheSpokes() {
        let model = Self.estate(.hubAndSpoke, directlyConnected: true)
        #expect(Self.verdict(model, "10.1.0.4", "10.2.0.4") == .allowed)
        let route = model.subnets.values.first { $0.displayName == "spoke1/app" }?.routes.lookup(.ip(ip("10.2.0.4")))
        #expect(route?.name == "Peering spoke2")
    }

    @Test func meshIsRegionalUnlessGlobal() {
        #expect(Self.verdict(Self.estate(.mesh), "10.1.0.4", "10.2.0.4") == .allowed)
        #expect(Self.verdict(Self.estate(.mesh), "10.1.0.4", "10.0.0.4") == .denied)  // the hub is not in the group
        #expect(Self.verdict(Self.estate(.mesh, farRegion: true), "10.1.0.4", "10.2.0.4") == .denied)
        #expect(Self.verdict(Self.estate(.mesh, global: true, farRegion: true), "10.1.0.4", "10.2.0.4") == .allowed)
    }

    /// "Use hub as a gateway": spokes learn the hub gateway's routes (here the point-to-site pool).
    @Test func useHubAsGatewayGivesSpokesTheGatewayRoutes() {
        func hop(_ model: NetworkModel) -> NextHop? {
            model.subnets.values.first { $0.displayName == "spoke1/app" }?.routes.lookup(.ip(ip("172.16.201.10")))?.nextHop
        }
        #expect(hop(Self.estate(.hubAndSpoke, useHubGateway: true)) == .virtualNetworkGateway)
        #expect(hop(Self.estate(.hubAndSpoke)) != .virtualNetworkGateway)
        // The learned route leads somewhere: the hub's gateway is reachable through the managed connection, so the
        // packet is handed to it (trace and reach alike), not dropped as if the spoke had no gateway.
        let model = Self.estate(.hubAndSpoke, useHubGateway: true)
        #expect(model.hasGateway(for: model.subnets.values.first { $0.displayName == "spoke1/app" }!.virtualNetwork))
        let trace = model.trace(from: .address(ip("10.1.0.4")), to: .address(ip("172.16.201.10")), port: 443)
        #expect(!trace.text.contains("no virtual network gateway"), "\(trace.text)")
    }
}
