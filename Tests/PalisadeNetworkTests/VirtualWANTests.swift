import PalisadeModel
import PropertyBased
import Testing
@testable import PalisadeNetwork

extension Estate {
    /// A virtual hub at `prefix` with connections to `spokes`, optionally secured by a firewall at `firewallIP`.
    @discardableResult
    mutating func virtualHub(_ name: String, _ prefix: String, connections: [HubVirtualNetworkConnection], tables: [HubRouteTable] = [],
                             firewall: (ip: String, rules: [FirewallRule])? = nil, intent: [RoutingIntent.Policy.Destination] = []) -> ResourceID {
        var hub = VirtualHub(id: id("Microsoft.Network", [("virtualHubs", name)]), location: location)
        hub.addressPrefix = IPv4Prefix(prefix)!
        hub.virtualNetworkConnections = connections
        hub.routeTables = tables
        if let firewall {
            let policy = self.policy("pol-\(name)", [FirewallRuleCollectionGroup(name: "g", priority: 100, ruleCollections: firewall.rules.isEmpty ? [] : [
                FirewallRuleCollection(name: "c", priority: 100, action: .allow, rules: firewall.rules)])])
            var fw = AzureFirewall(id: id("Microsoft.Network", [("azureFirewalls", "fw-\(name)")]), location: location)
            fw.skuName = "AZFW_Hub"
            fw.virtualHub = hub.id
            fw.hubPrivateIPAddress = IPv4Address(firewall.ip)!
            fw.firewallPolicy = policy
            graph.insert(fw)
            hub.azureFirewall = fw.id
            if !intent.isEmpty {
                hub.routingIntent = RoutingIntent(name: "intent", policies: intent.map { .init(name: $0.rawValue, destinations: [$0], nextHop: fw.id) })
            }
        }
        graph.insert(hub)
        return hub.id
    }
}

func connection(_ vnet: ResourceID, associated: ResourceID? = nil, propagated: [ResourceID]? = nil, labels: [String]? = nil,
                internet: Bool = false) -> HubVirtualNetworkConnection {
    var c = HubVirtualNetworkConnection(name: "conn-\(vnet.name)", remoteVirtualNetwork: vnet)
    c.associatedRouteTable = associated
    c.propagatedRouteTables = propagated
    c.propagatedLabels = labels
    c.enableInternetSecurity = internet
    return c
}

/// Virtual WAN hub routing, from https://learn.microsoft.com/azure/virtual-wan/about-virtual-hub-routing,
/// https://learn.microsoft.com/azure/virtual-wan/scenario-isolate-vnets and
/// https://learn.microsoft.com/azure/virtual-wan/how-to-routing-policies.
@Suite struct VirtualWANTests {
    static let hubID = ResourceID(subscription: "sub", resourceGroup: "rg", namespace: "Microsoft.Network", [(type: "virtualHubs", name: "hub")])
    static func table(_ name: String) -> ResourceID { hubID.child("hubRouteTables", name) }

    /// Two spokes (10.1/16, 10.2/16) and a third (10.3/16), each with one VM at .0.4.
    static func estate(_ build: (inout Estate, [ResourceID]) -> Void) -> NetworkModel {
        var e = Estate()
        let spokes = (1...3).map { e.vnet("spoke\($0)", ["10.\($0).0.0/16"]) }
        for (i, spoke) in spokes.enumerated() { e.nic("vm\(i + 1)", subnet: e.subnet(spoke, "app", "10.\(i + 1).0.0/24"), ip: "10.\(i + 1).0.4") }
        build(&e, spokes)
        return e.compile()
    }

    static func verdict(_ model: NetworkModel, _ from: String, _ to: String, port: Int = 443) -> Trace {
        model.trace(from: .address(ip(from)), to: .address(ip(to)), port: port)
    }

    /// "All connections are associated with and propagate to the Default route table" by default: any-to-any.
    @Test func defaultRouteTableConnectsEveryVNet() {
        let model = Self.estate { e, spokes in e.virtualHub("hub", "10.100.0.0/23", connections: spokes.map { connection($0) }) }
        let trace = Self.verdict(model, "10.1.0.4", "10.2.0.4")
        #expect(trace.verdict == .allowed, "\(trace.text)")
        let route = model.subnets.values.first { $0.displayName == "spoke1/app" }?.routes.lookup(.ip(ip("10.3.0.4")))
        #expect(route?.origin == .virtualNetworkGateway)
        // The hub's own range is reached over the hub connection (a peering).
        #expect(model.subnets.values.first { $0.displayName == "spoke1/app" }?.routes.lookup(.ip(ip("10.100.0.10")))?.nextHop.typeName == "VNetPeering")
    }

    /// Isolating VNets: VNets associated with RT_VNet and propagating only to the default table reach no other VNet.
    @Test func isolatedVNetsDoNotReachEachOther() {
        let model = Self.estate { e, spokes in
            e.virtualHub("hub", "10.100.0.0/23", connections: spokes.map { connection($0, associated: Self.table("RT_VNet"), propagated: [Self.table("defaultRouteTable")]) },
                         tables: [HubRouteTable(id: Self.table("RT_VNet"), labels: ["vnet"])])
        }
        #expect(Self.verdict(model, "10.1.0.4", "10.2.0.4").verdict == .denied)
    }

    /// Propagating to a table by label: spoke3 propagates with label "shared" to RT_Shared, which spoke1 is associated with.
    @Test func labelsPropagateToTablesCarryingThem() {
        let model = Self.estate { e, spokes in
            e.virtualHub("hub", "10.100.0.0/23", connections: [
                connection(spokes[0], associated: Self.table("RT_Shared"), propagated: []),
                connection(spokes[1], associated: Self.table("RT_Shared"), propagated: []),
                connection(spokes[2], propagated: [], labels: ["shared"]),
            ], tables: [HubRouteTable(id: Self.table("RT_Shared"), labels: ["shared"])])
        }
        #expect(Self.verdict(model, "10.1.0.4", "10.3.0.4").verdict == .allowed)
        #expect(Self.verdict(model, "10.1.0.4", "10.2.0.4").verdict == .denied)  // spoke2 propagates nowhere
        #expect(Self.verdict(model, "10.3.0.4", "10.1.0.4").verdict == .denied)  // spoke3 is associated with the default table, which learns nothing
    }

    /// Routing intent for private traffic: spoke-to-spoke goes through the hub firewall, whose rules decide.
    @Test func privateRoutingIntentSendsSpokeTrafficThroughTheFirewall() {
        func model(allowing ports: [String]) -> NetworkModel {
            Self.estate { e, spokes in
                e.virtualHub("hub", "10.100.0.0/23", connections: spokes.map { connection($0) },
                             firewall: (ip: "10.100.0.132", rules: [.network(NetworkRule(name: "spokes", protocols: [.tcp], sourceAddresses: ["10.0.0.0/8"],
                                                                                        destinationAddresses: ["10.0.0.0/8"], destinationPorts: ports))]),
                             intent: [.privateTraffic])
            }
        }
        let open = Self.verdict(model(allowing: ["443"]), "10.1.0.4", "10.2.0.4")
        #expect(open.verdict == .allowed, "\(open.text)")
        #expect(open.hops.contains { $0.kind == "AzureFirewall" })
        #expect(Self.verdict(model(allowing: ["22"]), "10.1.0.4", "10.2.0.4").verdict == .denied)
        let learned = model(allowing: ["443"]).subnets.values.first { $0.displayName == "spoke1/app" }?.routes.lookup(.ip(ip("10.2.0.4")))
        #expect(learned?.nextHop == .virtualAppliance(ip("10.100.0.132")))
        #expect(learned?.addressPrefix == "10.0.0.0/8")
    }

    /// Routing intent for Internet traffic reaches only connections that propagate the default route.
    @Test func internetRoutingIntentNeedsEnableInternetSecurity() {
        let model = Self.estate { e, spokes in
            e.virtualHub("hub", "10.100.0.0/23", connections: [connection(spokes[0], internet: true), connection(spokes[1], internet: false)],
                         firewall: (ip: "10.100.0.132", rules: []), intent: [.internet])
        }
        let secured = Self.verdict(model, "10.1.0.4", "8.8.8.8")
        #expect(secured.verdict == .denied, "\(secured.text)")  // the firewall has no rule for it
        #expect(secured.hops.contains { $0.kind == "AzureFirewall" })
        let direct = Self.verdict(model, "10.2.0.4", "8.8.8.8")
        #expect(!direct.hops.contains { $0.kind == "AzureFirewall" })
    }

    /// A spoke route table with gateway route propagation off learns nothing from the hub.
    @Test func disabledGatewayPropagationIgnoresHubRoutes() {
        var e = Estate()
        let spoke1 = e.vnet("spoke1", ["10.1.0.0/16"])
        let spoke2 = e.vnet("spoke2", ["10.2.0.0/16"])
        var table = RouteTable(id: e.id("Microsoft.Network", [("routeTables", "rt")]))
        table.disableBgpRoutePropagation = true
        e.graph.insert(table)
        e.nic("vm1", subnet: e.subnet(spoke1, "app", "10.1.0.0/24", routeTable: table.id), ip: "10.1.0.4")
        e.nic("vm2", subnet: e.subnet(spoke2, "app", "10.2.0.0/24"), ip: "10.2.0.4")
        e.virtualHub("hub", "10.100.0.0/23", connections: [connection(spoke1), connection(spoke2)])
        let model = e.compile()
        #expect(Self.verdict(model, "10.1.0.4", "10.2.0.4").verdict == .denied)
        #expect(model.subnets.values.first { $0.displayName == "spoke1/app" }?.routes.lookup(.ip(ip("10.2.0.4")))?.nextHop == NextHop.none)
        #expect(model.subnets.values.first { $0.displayName == "spoke2/app" }?.routes.lookup(.ip(ip("10.1.0.4")))?.origin == .virtualNetworkGateway)
    }
}

/// Random Virtual WAN estates: reach and trace agree packet by packet.
@Suite("reach agrees with trace through virtual hubs")
struct VirtualWANReachAgreesWithTraceTests {
    static func make(seed: UInt64) -> NetworkModel {
        var rng = SplitMix(state: seed)
        var e = Estate()
        let spokes = (1...3).map { e.vnet("spoke\($0)", ["10.\($0).0.0/16"]) }
        for (i, spoke) in spokes.enumerated() {
            let nsg: ResourceID? = rng.bool() ? e.nsg("nsg\(i)", (0..<rng.int(4)).map { RandomEstate.randomRule(&rng, priority: 100 + $0 * 10) }) : nil
            e.nic("vm\(i + 1)", subnet: e.subnet(spoke, "app", "10.\(i + 1).0.0/24", nsg: nsg, defaultOutbound: rng.bool()), ip: "10.\(i + 1).0.4")
        }
        let tables = ["defaultRouteTable", "RT_A", "RT_B"].map { VirtualWANTests.table($0) }
        let connections = spokes.map { spoke in
            connection(spoke, associated: rng.bool() ? nil : rng.pick(tables),
                       propagated: rng.bool() ? nil : Array(tables.filter { _ in rng.bool() }),
                       labels: rng.int(3) == 0 ? [rng.pick(["a", "default"])] : nil, internet: rng.bool())
        }
        let secured = rng.bool()
        let rules: [FirewallRule] = (0..<rng.int(4)).map { i in
            .network(NetworkRule(name: "n\(i)", protocols: [rng.pick([.tcp, .udp, .any])], sourceAddresses: [rng.pick(["*", "10.1.0.0/16", "10.0.0.0/8"])],
                                 destinationAddresses: [rng.pick(["*", "10.2.0.0/16", "8.8.8.0/24", "10.0.0.0/8"])], destinationPorts: [rng.pick(["*", "443", "80-90"])]))
        }
        var staticRoutes: [HubRoute] = []
        let firewallID = e.id("Microsoft.Network", [("azureFirewalls", "fw-hub")])
        if secured && rng.bool() { staticRoutes.append(HubRoute(name: "all", destinations: [IPv4Prefix(rng.pick(["0.0.0.0/0", "10.2.0.0/16"]))!], nextHop: firewallID)) }
        e.virtualHub("hub", "10.100.0.0/23", connections: connections,
                     tables: [HubRouteTable(id: tables[0], labels: ["default"], routes: staticRoutes), HubRouteTable(id: tables[1], labels: ["a"]),
                              HubRouteTable(id: tables[2], labels: ["b"], routes: staticRoutes)],
                     firewall: secured ? (ip: "10.100.0.132", rules: rules) : nil,
                     intent: secured ? Array([RoutingIntent.Policy.Destination.internet, .privateTraffic].filter { _ in rng.bool() }) : [])
        return e.compile()
    }

    @Test func symbolicReachMatchesConcreteTrace() async {
        await propertyCheck(count: 40, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            let model = Self.make(seed: seed)
            var rng = SplitMix(state: seed ^ 0x7A11)
            for k in 1...3 {
                let source = ip("10.\(k).0.4")
                let reach = model.reach(from: .address(source)).sources[0]
                for _ in 0..<10 {
                    let destination: Address = rng.pick([.ip(IPv4Address(10, UInt8(1 + rng.int(3)), 0, 4)), .ip(ip("8.8.8.8")), .ip(ip("10.100.0.132")),
                                                         .ip(ip("10.100.1.254")), .ip(IPv4Address(10, UInt8(1 + rng.int(3)), 0, 9))])
                    let packet = Packet(source: .ip(source), destination: destination, protocol: rng.pick([.tcp, .udp, .icmp]),
                                        sourcePort: 50000, destinationPort: rng.pick([22, 85, 443]))
                    let trace = model.trace(packet: packet, from: .address(source))
                    #expect((trace.verdict == .allowed) == reach.allowed.contains(packet), "seed \(seed): \(packet)\n\(trace.text)")
                }
            }
        }
    }
}
