import PalisadeModel
import Testing
@testable import PalisadeNetwork

/// Azure Firewall (F4–F24).
@Suite("Azure Firewall (F-rules)")
struct FirewallRuleTests {
    func firewall(_ groups: [FirewallRuleCollectionGroup], base: [FirewallRuleCollectionGroup]? = nil, dnsProxy: Bool = false,
                  privateRanges: [String]? = nil, extra: (inout Estate) -> Void = { _ in }) -> (NetworkModel, CompiledFirewall) {
        var e = Estate()
        let hub = e.vnet("hub", ["10.0.0.0/16"])
        let fwSubnet = e.subnet(hub, "AzureFirewallSubnet", "10.0.0.0/26")
        let pol = e.policy("pol", groups, dnsProxy: dnsProxy)
        if let base {
            let parent = e.policy("parent", base)
            e.graph.update(pol, as: FirewallPolicy.self) { $0.basePolicy = parent }
        }
        e.graph.update(pol, as: FirewallPolicy.self) { $0.privateRanges = privateRanges }
        e.firewall("fw", subnet: fwSubnet, ip: "10.0.0.4", policy: pol, pip: e.pip("fw-pip", "20.0.0.1"))
        extra(&e)
        let model = e.compile()
        return (model, model.firewalls[0])
    }

    func net(_ name: String, _ protocols: [NetworkProtocol] = [.tcp], from: [String] = ["*"], to: [String], ports: [String] = ["443"]) -> FirewallRule {
        .network(NetworkRule(name: name, protocols: protocols, sourceAddresses: from, destinationAddresses: to, destinationPorts: ports))
    }
    func group(_ name: String, _ priority: Int, _ collections: [FirewallRuleCollection]) -> FirewallRuleCollectionGroup {
        FirewallRuleCollectionGroup(name: name, priority: priority, ruleCollections: collections)
    }
    func packet(_ dst: String, _ port: Int = 443, _ proto: IPProtocol = .tcp, from src: String = "10.1.0.4") -> Packet {
        Packet(source: .ip(ip(src)), destination: .ip(ip(dst)), protocol: proto, destinationPort: port)
    }

    @Test func f4DefaultDeny() {
        let (_, fw) = firewall([])
        #expect(!fw.decide(packet("8.8.8.8")).allowed)
        #expect(fw.decide(packet("8.8.8.8")).rule.contains("#firewall-default-deny"))
    }

    @Test func f7F8PriorityAndBasePolicyFirst() {
        let (_, fw) = firewall([
            group("late", 300, [FirewallRuleCollection(name: "allow", priority: 100, action: .allow, rules: [net("a", to: ["*"])])]),
            group("early", 200, [FirewallRuleCollection(name: "deny", priority: 100, action: .deny, rules: [net("d", to: ["8.8.8.0/24"])])]),
        ], base: [group("parent", 60000, [FirewallRuleCollection(name: "p", priority: 65000, action: .allow, rules: [net("p", to: ["8.8.8.8"])])])])
        #expect(fw.decide(packet("8.8.8.8")).rule == "parent/p/p")  // F8: parent policy first
        #expect(fw.decide(packet("8.8.8.9")).rule == "early/deny/d")
        #expect(fw.decide(packet("1.1.1.1")).rule == "late/allow/a")
    }

    @Test func f6ClassicCollectionsByPriority() {
        var e = Estate()
        let hub = e.vnet("hub", ["10.0.0.0/16"])
        let fwSubnet = e.subnet(hub, "AzureFirewallSubnet", "10.0.0.0/26")
        e.firewall("fw", subnet: fwSubnet, ip: "10.0.0.4") { f in
            f.networkRuleCollections = [
                FirewallRuleCollection(name: "allow", priority: 300, action: .allow, rules: [self.net("a", to: ["*"])]),
                FirewallRuleCollection(name: "deny", priority: 200, action: .deny, rules: [self.net("d", to: ["8.8.8.8"])]),
            ]
        }
        let fw = e.compile().firewalls[0]
        #expect(fw.decide(packet("8.8.8.8")).rule == "deny/d")
        #expect(fw.decide(packet("8.8.4.4")).rule == "allow/a")
    }

    @Test func f11DNATFromTheInternet() {
        let (model, _) = firewall([group("dnat", 100, [FirewallRuleCollection(name: "in", priority: 100, action: .dnat, rules: [
            .nat(NatRule(name: "rdp", protocols: [.tcp], sourceAddresses: ["*"], destinationAddresses: ["20.0.0.1"], destinationPorts: ["3389"],
                         translatedAddress: "10.1.0.4", translatedPort: "3389"))])])]) { e in
            let spoke = e.vnet("spoke", ["10.1.0.0/16"])
            e.peer(e.id("Microsoft.Network", [("virtualNetworks", "hub")]), spoke)
            e.nic("vm", subnet: e.subnet(spoke, "s", "10.1.0.0/24"), ip: "10.1.0.4")
        }
        let allowed = model.trace(from: .internet, to: .address(ip("20.0.0.1")), port: 3389)
        #expect(allowed.verdict == .allowed, "\(allowed.text)")
        #expect(allowed.hops.contains { $0.result == "DNAT" })
        #expect(model.trace(from: .internet, to: .address(ip("20.0.0.1")), port: 22).verdict == .denied)
        #expect(model.reach(from: .internet).sources[0].rows.map(\.ports) == ["3389"])
    }

    @Test func f13AnyWithPortsMeansTCPAndUDP() {
        let (_, fw) = firewall([group("g", 100, [FirewallRuleCollection(name: "c", priority: 100, action: .allow, rules: [
            net("any-443", [.any], to: ["*"]), net("any-all", [.any], to: ["9.9.9.9"], ports: ["*"])])])])
        #expect(fw.decide(packet("8.8.8.8", 443, .udp)).allowed)
        #expect(!fw.decide(packet("8.8.8.8", 443, .icmp)).allowed)
        #expect(fw.decide(packet("9.9.9.9", 0, .icmp)).allowed)
    }

    @Test func f14F15ServiceTagsAndIPGroups() {
        var groupID: ResourceID?
        var emptyID: ResourceID?
        let (_, fw) = firewall([]) { e in
            var g = IPGroup(id: e.id("Microsoft.Network", [("ipGroups", "spokes")]))
            g.ipAddresses = ["10.1.0.0/16", "10.3.0.1-10.3.0.9"]
            e.graph.insert(g)
            groupID = g.id
            let empty = IPGroup(id: e.id("Microsoft.Network", [("ipGroups", "empty")]))
            e.graph.insert(empty)
            emptyID = empty.id
        }
        _ = fw
        let (_, fw2) = firewall([group("g", 100, [FirewallRuleCollection(name: "c", priority: 100, action: .allow, rules: [
            { var r = NetworkRule(name: "empty", protocols: [.tcp], sourceAddresses: [], destinationAddresses: ["*"], destinationPorts: ["*"]); r.sourceIPGroups = [emptyID!]; return .network(r) }(),
            { var r = NetworkRule(name: "tag", protocols: [.tcp], sourceAddresses: [], destinationAddresses: ["Storage"], destinationPorts: ["443"]); r.sourceIPGroups = [groupID!]; return .network(r) }(),
        ])])]) { e in
            var g = IPGroup(id: e.id("Microsoft.Network", [("ipGroups", "spokes")]))
            g.ipAddresses = ["10.1.0.0/16", "10.3.0.1-10.3.0.9"]
            e.graph.insert(g)
            e.graph.insert(IPGroup(id: e.id("Microsoft.Network", [("ipGroups", "empty")])))
        }
        var p = Packet(source: .ip(ip("10.3.0.5")), destination: .atom(.tag("Storage")), protocol: .tcp, destinationPort: 443)
        #expect(fw2.decide(p).rule == "g/c/tag")
        #expect(fw2.networkRules[0].notes.contains { $0.contains("empty IP group") })
        p.source = .ip(ip("10.3.0.10"))
        #expect(!fw2.decide(p).allowed)
    }

    @Test func f16FQDNInNetworkRulesNeedsDNSProxy() {
        let rule = FirewallRule.network(NetworkRule(name: "sql", protocols: [.tcp], sourceAddresses: ["*"], destinationFqdns: ["acct.blob.core.windows.net"], destinationPorts: ["443"]))
        let groups = [group("g", 100, [FirewallRuleCollection(name: "c", priority: 100, action: .allow, rules: [rule])])]
        let add: (inout Estate) -> Void = { e in
            let hub = e.id("Microsoft.Network", [("virtualNetworks", "hub")])
            let peSubnet = e.subnet(hub, "pe", "10.0.2.0/24")
            let zone = e.zone("privatelink.blob.core.windows.net", links: [(hub, "Default")])
            e.privateEndpoint("pe", subnet: peSubnet, target: e.storage("acct"), group: "blob", ip: "10.0.2.5", zones: [zone])
        }
        let (_, withProxy) = firewall(groups, dnsProxy: true, extra: add)
        #expect(withProxy.decide(packet("10.0.2.5")).allowed)  // resolved through the firewall's view to the PE
        let (_, without) = firewall(groups, dnsProxy: false, extra: add)
        #expect(!without.decide(packet("10.0.2.5")).allowed)
        #expect(without.networkRules[0].notes.contains { $0.contains("#firewall-network-rules") })
    }

    @Test func f19ApplicationRuleWildcardsAndFQDNGrantsInReach() {
        let (_, fw) = firewall([group("g", 100, [
            FirewallRuleCollection(name: "deny", priority: 100, action: .deny, rules: [
                .application(ApplicationRule(name: "bad", protocols: [.https], sourceAddresses: ["*"], targetFqdns: ["evil.github.com"]))]),
            FirewallRuleCollection(name: "allow", priority: 200, action: .allow, rules: [
                .application(ApplicationRule(name: "gh", protocols: [.https], sourceAddresses: ["*"], targetFqdns: ["*.github.com"]))]),
        ])])
        func web(_ host: String, _ port: Int = 443) -> Packet {
            Packet(source: .ip(ip("10.1.0.4")), destination: .atom(.host(host)), protocol: .tcp, destinationPort: port, hostName: host)
        }
        #expect(fw.decide(web("api.github.com")).allowed)
        #expect(!fw.decide(web("evil.github.com")).allowed)
        #expect(!fw.decide(web("github.com")).allowed)  // apex not covered (F19)
        #expect(!fw.decide(web("api.github.com", 80)).allowed)  // protocol port must match (F17)
    }

    @Test func f24PrivateRangesControlSNAT() {
        let groups = [group("g", 100, [FirewallRuleCollection(name: "c", priority: 100, action: .allow, rules: [net("all", to: ["*"])])])]
        let (_, defaults) = firewall(groups)
        #expect(defaults.decide(packet("10.9.0.1")).snat == nil)
        #expect(defaults.decide(packet("8.8.8.8")).snat == ip("10.0.0.4"))
        let (_, always) = firewall(groups, privateRanges: ["255.255.255.255/32"])
        #expect(always.decide(packet("10.9.0.1")).snat == ip("10.0.0.4"))
        let (_, never) = firewall(groups, privateRanges: ["0.0.0.0/0"])
        #expect(never.decide(packet("8.8.8.8")).snat == nil)
    }
}

extension FirewallRuleTests {
    /// F9 doc example: network rule "allow TCP 80,443 to *" + app rule "deny google.com" ⇒ google.com allowed.
    @Test func f9NetworkMatchEndsProcessing() {
        let (_, fw) = firewall([group("g", 100, [
            FirewallRuleCollection(name: "deny-app", priority: 100, action: .deny, rules: [
                .application(ApplicationRule(name: "google", protocols: [.https], sourceAddresses: ["*"], targetFqdns: ["google.com"]))]),
            FirewallRuleCollection(name: "allow-net", priority: 200, action: .allow, rules: [net("web", to: ["*"], ports: ["80", "443"])]),
        ])])
        let packet = Packet(source: .ip(ip("10.1.0.4")), destination: .atom(.host("google.com")), protocol: .tcp, destinationPort: 443, hostName: "google.com")
        #expect(fw.decide(packet).allowed)
        #expect(fw.decide(packet).ruleType == "Network")
    }

    @Test func traceJSONHasVerdictAndHops() throws {
        let (model, _) = firewall([])
        let json = try model.trace(from: .internet, to: .address(ip("20.0.0.1")), port: 443).json()
        #expect(json.contains("\"verdict\" : \"denied\""))
        #expect(json.contains("\"hops\""))
    }
}

extension RoutingRuleTests {
    /// R14: VNet and peering system routes beat gateway routes even when the gateway prefix is more specific
    /// (here the point-to-site pool overlaps the VNet range).
    @Test func r14VNetRoutesBeatGatewayRoutes() {
        var e = Estate()
        let vnet = e.vnet("vnet", ["10.0.0.0/16"])
        e.subnet(vnet, "s", "10.0.1.0/24")
        e.subnet(vnet, "GatewaySubnet", "10.0.255.0/27")
        var gw = VirtualNetworkGateway(id: e.id("Microsoft.Network", [("virtualNetworkGateways", "gw")]))
        gw.ipConfigurations = [IPConfiguration(name: "g", subnet: vnet.child("subnets", "GatewaySubnet"))]
        gw.vpnClientConfiguration = VpnClientConfiguration(addressPool: [IPv4Prefix("10.0.128.0/24")!, IPv4Prefix("172.16.201.0/24")!])
        e.graph.insert(gw)
        let s = e.compile().subnets.values.first { $0.id.name == "s" }!
        #expect(s.routes.lookup(.ip(ip("10.0.128.5")))?.nextHop == .vnetLocal)
        #expect(s.routes.lookup(.ip(ip("172.16.201.5")))?.nextHop == .virtualNetworkGateway)
    }

    /// P4 in isolation: a hub NVA forwards spoke traffic into a spoke whose peering refuses forwarded traffic.
    @Test func p4ForwardedTrafficNeedsAllowForwardedTraffic() {
        for allow in [false, true] {
            var e = Estate()
            let hub = e.vnet("hub", ["10.0.0.0/16"])
            let a = e.vnet("a", ["10.1.0.0/16"])
            let b = e.vnet("b", ["10.2.0.0/16"])
            e.peer(hub, a, forwardedIntoA: true, forwardedIntoB: true)
            e.peer(hub, b, forwardedIntoA: true, forwardedIntoB: allow)
            e.nic("nva", subnet: e.subnet(hub, "nva", "10.0.1.0/24"), ip: "10.0.1.4", forwarding: true)
            e.subnet(a, "s", "10.1.0.0/24", routeTable: e.routeTable("rta", [udr("b", "10.2.0.0/16", .virtualAppliance, "10.0.1.4")]))
            e.subnet(b, "s", "10.2.0.0/24", routeTable: e.routeTable("rtb", [udr("a", "10.1.0.0/16", .virtualAppliance, "10.0.1.4")]))
            let trace = e.compile().trace(from: .address(ip("10.1.0.4")), to: .address(ip("10.2.0.4")), port: 443)
            #expect(trace.verdict == (allow ? .allowed : .denied), "\(trace.text)")
        }
    }
}
