import PalisadeModel
import Testing
@testable import PalisadeNetwork

/// NSG rules N4–N27 (azure-network-semantics.md §1).
@Suite("NSG semantics (N-rules)")
struct SecurityGroupRuleTests {
    func oneSubnet(_ rules: [SecurityRule], nicRules: [SecurityRule]? = nil, routes: [Route] = [],
                   options: (inout NetworkOptions) -> Void = { _ in }) -> NetworkModel {
        var e = Estate()
        let vnet = e.vnet("vnet", ["10.0.0.0/16"])
        let nsg = e.nsg("nsg", rules)
        let table: ResourceID? = routes.isEmpty ? nil : e.routeTable("rt", routes)
        let s = e.subnet(vnet, "s", "10.0.1.0/24", nsg: nsg, routeTable: table)
        let other = e.subnet(vnet, "other", "10.0.2.0/24")
        e.nic("vm", subnet: s, ip: "10.0.1.4", nsg: nicRules.map { e.nsg("nic-nsg", $0) })
        e.nic("peer", subnet: other, ip: "10.0.2.4")
        e.nic("nva", subnet: other, ip: "10.0.2.10", forwarding: true)
        return e.compile(options)
    }

    func outbound(_ model: NetworkModel, to destination: String, port: Int = 443, proto: IPProtocol = .tcp) -> Trace {
        model.trace(from: .address(ip("10.0.1.4")), to: .address(ip(destination)), port: port, protocol: proto)
    }

    @Test func n4AnyCoversIPsecByDefault() {
        let rules = [rule("deny-any", 100, .outbound, .deny, .any, to: cidrs("10.0.2.0/24"))]
        let packet = Packet(source: .ip(ip("10.0.1.4")), destination: .ip(ip("10.0.2.4")), protocol: .esp, destinationPort: 0)
        #expect(oneSubnet(rules).ipFlowVerify(packet, direction: .outbound).hops.last?.rule == "deny-any")
        let narrow = oneSubnet(rules) { $0.nsgAnyCoversIPsec = false }
        // Default rules' Any is TCP/UDP/ICMP too (N4): no rule matches, so nothing allows ESP.
        #expect(narrow.ipFlowVerify(packet, direction: .outbound).verdict == .denied)
    }

    @Test func n6N7LowestPriorityFirstMatchWins() {
        let model = oneSubnet([
            rule("allow-late", 200, .outbound, .allow, .tcp, to: cidrs("10.0.2.0/24"), ports: .ports(443)),
            rule("deny-early", 100, .outbound, .deny, .tcp, to: cidrs("10.0.2.4/32"), ports: .any),
        ])
        #expect(outbound(model, to: "10.0.2.4").hops.first?.rule == "deny-early")
        #expect(outbound(model, to: "10.0.2.5").verdict == .allowed)
    }

    @Test func n9DefaultRules() {
        let model = oneSubnet([])
        #expect(outbound(model, to: "10.0.2.4").hops.first?.rule == "AllowVnetOutBound")
        #expect(outbound(model, to: "8.8.8.8").hops.first?.rule == "AllowInternetOutBound")
        // 172.16.0.1 is neither VirtualNetwork nor Internet: DenyAllOutBound.
        #expect(outbound(model, to: "172.16.0.1").hops.first?.rule == "DenyAllOutBound")
    }

    @Test func n3PluralPrefixesAndPorts() {
        let model = oneSubnet([rule("multi", 100, .outbound, .deny, .tcp, to: cidrs("10.0.2.4/32", "10.0.2.6/32"), ports: .ranges([PortRange(80), PortRange(8000, 8010)]))])
        #expect(outbound(model, to: "10.0.2.6", port: 8005).hops.first?.rule == "multi")
        #expect(outbound(model, to: "10.0.2.6", port: 443).hops.first?.rule == "AllowVnetOutBound")
        #expect(outbound(model, to: "10.0.2.5", port: 80).hops.first?.rule == "AllowVnetOutBound")
    }

    @Test func n11OutboundNICThenSubnet() {
        let model = oneSubnet([rule("subnet-deny", 100, .outbound, .deny, to: cidrs("10.0.2.0/24"))],
                              nicRules: [rule("nic-deny", 100, .outbound, .deny, to: cidrs("10.0.2.4/32"))])
        let trace = outbound(model, to: "10.0.2.4")
        #expect(trace.hops.map(\.resource) == ["nic-nsg"])
        #expect(trace.hops.first?.rule == "nic-deny")
        let second = outbound(model, to: "10.0.2.5")
        #expect(second.hops.prefix(2).map(\.rule) == ["AllowVnetOutBound", "subnet-deny"])
    }

    @Test func n17N18ApplicationSecurityGroups() {
        var e = Estate()
        let vnet = e.vnet("vnet", ["10.0.0.0/16"])
        let asg = ApplicationSecurityGroup(id: e.id("Microsoft.Network", [("applicationSecurityGroups", "web")]))
        e.graph.insert(asg)
        let nsg = e.nsg("nsg", [rule("web-https", 100, .inbound, .allow, .tcp, from: cidrs("8.8.8.0/24"), to: .applicationSecurityGroups([asg.id]), ports: .ports(443))])
        let s = e.subnet(vnet, "s", "10.0.1.0/24", nsg: nsg)
        e.nic("web", subnet: s, ip: "10.0.1.4", asgs: [asg.id])
        e.nic("db", subnet: s, ip: "10.0.1.5")
        let model = e.compile()
        let toWeb = Packet(source: .ip(ip("8.8.8.8")), destination: .ip(ip("10.0.1.4")), protocol: .tcp, destinationPort: 443)
        var toDB = toWeb
        toDB.destination = .ip(ip("10.0.1.5"))
        #expect(model.ipFlowVerify(toWeb, direction: .inbound).verdict == .allowed)
        #expect(model.ipFlowVerify(toDB, direction: .inbound).verdict == .denied)  // N17: only members
    }

    @Test func n20RouteDerivedTagAndPeeringBlock() {
        var e = Estate()
        let a = e.vnet("a", ["10.0.0.0/16"])
        let b = e.vnet("b", ["10.5.0.0/16"])
        let c = e.vnet("c", ["10.6.0.0/16"])
        e.peer(a, b)
        e.peer(a, c)
        e.graph.update(a, as: VirtualNetwork.self) { v in v.peerings[1].allowVirtualNetworkAccess = false }  // P3: block c
        let table = e.routeTable("rt", [udr("onprem", "192.168.10.0/24", .virtualNetworkGateway)])
        e.subnet(a, "s", "10.0.1.0/24", routeTable: table)
        let model = e.compile()
        let tag = model.subnets.values.first { $0.virtualNetwork == a }!.virtualNetworkTag
        #expect(tag.contains(.ip(ip("10.5.1.1"))))  // peer
        #expect(!tag.contains(.ip(ip("10.6.1.1"))))  // P3 blocked
        #expect(tag.contains(.ip(ip("192.168.10.7"))))  // UDR prefix
        #expect(tag.contains(.ip(.azureHost)))
        #expect(!tag.contains(.ip(ip("8.8.8.8"))))
    }

    @Test func n21InternetIsPublicUnicast() {
        let subnet = oneSubnet([]).subnets.values.first!
        #expect(subnet.internetTag.contains(.ip(ip("8.8.8.8"))))
        #expect(subnet.internetTag.contains(.atom(.host("pypi.org"))))
        for text in ["10.1.1.1", "172.20.0.1", "192.168.1.1", "100.64.0.1", "127.0.0.1", "169.254.1.1", "224.0.0.1"] {
            #expect(!subnet.internetTag.contains(.ip(ip(text))), "\(text)")
        }
    }

    @Test func n22AzureLoadBalancerIsHostIP() {
        let model = oneSubnet([])
        let probe = Packet(source: .ip(.azureHost), destination: .ip(ip("10.0.1.4")), protocol: .tcp, destinationPort: 80)
        #expect(model.ipFlowVerify(probe, direction: .inbound).hops.first?.rule == "AllowVNetInBound")  // 168.63.129.16 ∈ VirtualNetwork
        let nsgOnly = oneSubnet([rule("deny-vnet", 100, .inbound, .deny, from: .serviceTag("VirtualNetwork"))])
        #expect(nsgOnly.ipFlowVerify(probe, direction: .inbound).verdict == .denied)
    }

    @Test func n23PlatformTrafficBypassesNSGs() {
        let model = oneSubnet([rule("deny-all", 100, .outbound, .deny)])
        let dns = outbound(model, to: "168.63.129.16", port: 53, proto: .udp)
        #expect(dns.verdict == .allowed)
        #expect(dns.hops.last?.kind == "Platform")
        let blocked = oneSubnet([rule("no-dns", 100, .outbound, .deny, to: .serviceTag("AzurePlatformDNS"))])
        #expect(outbound(blocked, to: "168.63.129.16", port: 53, proto: .udp).verdict == .denied)
    }

    @Test func n26TagsThatCannotBeUDRPrefixes() {
        let model = oneSubnet([], routes: [udr("bad", "VirtualNetwork", .none)])
        let route = model.subnets.values.first { $0.id.name == "s" }!.routes.routes.first { $0.name == "bad" }!
        #expect(!route.active)
        #expect(route.invalidReason?.contains("#service-tags-in-routes") == true)
    }

    @Test func n27TagRoutesOutsideInternetOption() {
        let routes = [udr("storage", "Storage", .internet)]
        let on = oneSubnet([], routes: routes) { $0.udrTagsOutsideInternetTag = true }
        #expect(!on.subnets.values.first { $0.id.name == "s" }!.internetTag.contains(.atom(.tag("Storage"))))
        let off = oneSubnet([], routes: routes)
        #expect(off.subnets.values.first { $0.id.name == "s" }!.internetTag.contains(.atom(.tag("Storage"))))
    }

    @Test func n19ServiceTagsWithRealPrefixes() throws {
        try #require(Fixtures.serviceTags.isLoaded)
        let model = oneSubnet([rule("deny-storage", 100, .outbound, .deny, to: .serviceTag("Storage.WestUS"))]) { $0.serviceTags = Fixtures.serviceTags }
        let storagePrefix = Fixtures.serviceTags.entry("Storage.WestUS")!.prefixes.sorted()[0]
        #expect(outbound(model, to: storagePrefix.network.description).hops.first?.rule == "deny-storage")
        #expect(outbound(model, to: "8.8.8.8").hops.first?.rule == "AllowInternetOutBound")
        // T7: regional ⊂ global.
        let global = AddressSet.prefixes(Fixtures.serviceTags.entry("Storage")!.prefixes)
        #expect(AddressSet.prefixes(Fixtures.serviceTags.entry("Storage.WestUS")!.prefixes).subtracting(global).isEmpty)
    }
}
