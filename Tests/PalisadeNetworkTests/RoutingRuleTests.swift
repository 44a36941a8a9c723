import PalisadeModel
import Testing
@testable import PalisadeNetwork

/// Effective routes and peering (R1–R21, P1–P4).
@Suite("Routing and peering (R- and P-rules)")
struct RoutingRuleTests {
    func subnetRoutes(space: [String] = ["10.0.0.0/16"], routes: [Route] = [], options: (inout NetworkOptions) -> Void = { _ in }) -> RouteTableView {
        var e = Estate()
        let vnet = e.vnet("vnet", space)
        let table: ResourceID? = routes.isEmpty ? nil : e.routeTable("rt", routes)
        e.subnet(vnet, "s", "\(space[0].split(separator: "/")[0])/24", routeTable: table)
        e.nic("nva", subnet: vnet.child("subnets", "s"), ip: nil, forwarding: true)
        return e.compile(options).subnets.values.first!.routes
    }

    /// R8, §9 step 4: a UDR to VirtualNetworkGateway leads nowhere without a gateway (in the VNet or via P5
    /// gateway transit); with one, the packet is handed to it.
    @Test func r8GatewayNextHopNeedsAGateway() {
        func model(gateway: Bool) -> NetworkModel {
            var e = Estate()
            let vnet = e.vnet("vnet", ["10.0.0.0/16"])
            let table = e.routeTable("rt", [udr("onprem", "192.168.0.0/16", .virtualNetworkGateway)])
            e.subnet(vnet, "s", "10.0.1.0/24", routeTable: table)
            e.nic("vm", subnet: vnet.child("subnets", "s"), ip: "10.0.1.4")
            if gateway {
                let gatewaySubnet = e.subnet(vnet, "GatewaySubnet", "10.0.255.0/27")
                var gw = VirtualNetworkGateway(id: e.id("Microsoft.Network", [("virtualNetworkGateways", "gw")]))
                gw.ipConfigurations = [IPConfiguration(name: "g", subnet: gatewaySubnet, privateIPAddress: ip("10.0.255.4"))]
                e.graph.insert(gw)
            }
            return e.compile()
        }
        let packet = Packet(source: .ip(ip("10.0.1.4")), destination: .ip(ip("192.168.1.1")), protocol: .tcp, destinationPort: 443)
        for gateway in [false, true] {
            let m = model(gateway: gateway)
            let trace = m.trace(packet: packet, from: .address(ip("10.0.1.4")))
            #expect(trace.verdict == (gateway ? .allowed : .denied), "\(trace.text)")
            #expect(m.reach(from: .address(ip("10.0.1.4"))).sources[0].allowed.contains(packet) == gateway)
        }
    }

    /// R18 matrix: PE subnet policy × client UDRs × client location. The /32 is invalidated only when the policy
    /// applies route tables and a client UDR containing the PE is at least as long as the PE VNet's range.
    @Test(arguments: PrivateEndpointNetworkPolicies.allCases)
    func r18PrivateEndpointRouteVersusUDRs(policy: PrivateEndpointNetworkPolicies) {
        let cases: [(udr: String?, invalidates: Bool)] = [(nil, false), ("10.1.2.0/24", true), ("10.1.0.0/16", true), ("10.0.0.0/12", false)]
        for peered in [false, true] {
            for (extra, invalidates) in cases {
                var e = Estate()
                let peVNet = e.vnet("pe-vnet", ["10.1.0.0/16"])
                let clientVNet = peered ? e.vnet("client-vnet", ["10.2.0.0/16"]) : peVNet
                if peered { e.peer(peVNet, clientVNet) }
                let peSubnet = e.subnet(peVNet, "pe", "10.1.2.0/24", policies: policy)
                e.privateEndpoint("pe", subnet: peSubnet, target: e.storage("acct"), group: "blob", ip: "10.1.2.5")
                var routes = [udr("default", "0.0.0.0/0", .virtualAppliance, "10.1.9.4")]
                if let extra { routes.append(udr("extra", extra, .virtualAppliance, "10.1.9.4")) }
                let client = e.subnet(clientVNet, "client", peered ? "10.2.1.0/24" : "10.1.1.0/24", routeTable: e.routeTable("rt", routes))
                let model = e.compile()
                let hop = model.subnets[client]?.routes.lookup(.ip(ip("10.1.2.5")))?.nextHop
                let expectInvalid = invalidates && (policy == .routeTableEnabled || policy == .enabled)
                #expect(hop == (expectInvalid ? .virtualAppliance(ip("10.1.9.4")) : .interfaceEndpoint(ip("10.1.2.5"))),
                        "policy \(policy), UDR \(extra ?? "0/0 only"), peered \(peered): \(String(describing: hop))")
            }
        }
    }

    @Test func r1SystemRoutes() {
        let routes = subnetRoutes()
        #expect(routes.lookup(.ip(ip("10.0.200.1")))?.nextHop == .vnetLocal)
        #expect(routes.lookup(.ip(ip("10.9.0.1")))?.nextHop == NextHop.none)
        #expect(routes.lookup(.ip(ip("172.16.3.3")))?.nextHop == NextHop.none)
        #expect(routes.lookup(.ip(ip("100.64.0.1")))?.nextHop == NextHop.none)
        #expect(routes.lookup(.ip(ip("8.8.8.8")))?.nextHop == .internet)
        #expect(routes.lookup(.atom(.host("pypi.org")))?.nextHop == .internet)
    }

    @Test func r2VNetRangeReplacesReservedPrefix() {
        let routes = subnetRoutes(space: ["10.0.0.0/8"])
        #expect(!routes.routes.contains { $0.name == "None 10.0.0.0/8" })
        #expect(routes.lookup(.ip(ip("10.200.0.1")))?.nextHop == .vnetLocal)
    }

    @Test func r3NoneRoutesOptionsAndUserDefault() {
        #expect(subnetRoutes { $0.noneRoutes = .observed }.lookup(.ip(ip("172.16.3.3")))?.nextHop == .internet)
        #expect(subnetRoutes { $0.noneRoutes = .observed }.lookup(.ip(ip("25.33.80.1")))?.nextHop == NextHop.none)
        #expect(subnetRoutes { $0.noneRoutes = .omitted }.lookup(.ip(ip("10.9.0.1")))?.nextHop == .internet)
        let withDefault = subnetRoutes(routes: [udr("default", "0.0.0.0/0", .virtualAppliance, "10.0.0.4")])
        #expect(withDefault.lookup(.ip(ip("10.9.0.1")))?.nextHop == .virtualAppliance(ip("10.0.0.4")))
    }

    @Test func r12R13LongestPrefixThenUserBeatsSystem() {
        let routes = subnetRoutes(routes: [udr("vnet-equal", "10.0.0.0/16", .virtualAppliance, "10.0.0.4"),
                                           udr("longer", "10.0.5.0/24", .none)])
        #expect(routes.lookup(.ip(ip("10.0.7.1")))?.nextHop == .virtualAppliance(ip("10.0.0.4")))
        #expect(routes.lookup(.ip(ip("10.0.7.1")))?.origin == .user)
        #expect(routes.lookup(.ip(ip("10.0.5.1")))?.nextHop == NextHop.none)
    }

    @Test func r8UsersCannotChooseVNetPeering() {
        let routes = subnetRoutes(routes: [Route(name: "bad", destination: .prefix(IPv4Prefix("10.5.0.0/16")!), nextHopType: .vnetPeering)])
        #expect(routes.routes.first { $0.name == "bad" }?.active == false)
    }

    @Test func r4ServiceEndpointRouteAndR16DefaultRoute() {
        var e = Estate()
        let vnet = e.vnet("vnet", ["10.0.0.0/16"])
        let table = e.routeTable("rt", [udr("default", "0.0.0.0/0", .virtualAppliance, "10.0.0.4")])
        e.subnet(vnet, "s", "10.0.1.0/24", routeTable: table, serviceEndpoints: ["Microsoft.Storage"])
        let routes = e.compile().subnets.values.first!.routes
        #expect(routes.lookup(.atom(.tag("Storage.eastus")))?.nextHop == .serviceEndpoint("Microsoft.Storage"))
        #expect(routes.lookup(.atom(.tag("AzureKeyVault")))?.nextHop == .virtualAppliance(ip("10.0.0.4")))
    }

    @Test func r6PrivateEndpointRoutesReachPeers() {
        var e = Estate()
        let a = e.vnet("a", ["10.0.0.0/16"])
        let b = e.vnet("b", ["10.1.0.0/16"])
        let c = e.vnet("c", ["10.2.0.0/16"])
        e.peer(a, b)
        e.peer(b, c)
        let peSubnet = e.subnet(a, "pe", "10.0.1.0/24")
        e.subnet(b, "s", "10.1.1.0/24")
        e.subnet(c, "s", "10.2.1.0/24")
        e.privateEndpoint("pe", subnet: peSubnet, target: e.storage("acct"), group: "blob")
        let model = e.compile()
        let pe = model.endpoints.values.first { $0.kind == .privateEndpoint }!
        #expect(pe.address == ip("10.0.1.4") && pe.addressAssumed)  // allocated from .4
        let inB = model.subnets.values.first { $0.virtualNetwork == b }!
        let inC = model.subnets.values.first { $0.virtualNetwork == c }!
        #expect(inB.routes.lookup(.ip(pe.address))?.nextHop == .interfaceEndpoint(pe.address))
        #expect(inC.routes.lookup(.ip(pe.address))?.nextHop == NextHop.none)  // P2: not transitive
    }

    @Test func r9R10ApplianceChecks() {
        var e = Estate()
        let vnet = e.vnet("vnet", ["10.0.0.0/16"])
        let table = e.routeTable("rt", [udr("to-nva", "8.8.8.0/24", .virtualAppliance, "10.0.2.4"), udr("to-nothing", "9.9.9.0/24", .virtualAppliance, "10.0.2.99")])
        let s = e.subnet(vnet, "s", "10.0.1.0/24", routeTable: table)
        let nvaSubnet = e.subnet(vnet, "nva", "10.0.2.0/24")
        e.nic("vm", subnet: s, ip: "10.0.1.4")
        e.nic("nva", subnet: nvaSubnet, ip: "10.0.2.4", forwarding: false)
        let model = e.compile()
        #expect(model.trace(from: .address(ip("10.0.1.4")), to: .address(ip("8.8.8.8")), port: 443).reason.contains("#ip-forwarding"))
        #expect(model.trace(from: .address(ip("10.0.1.4")), to: .address(ip("9.9.9.9")), port: 443).reason.contains("#next-hop-reachability"))
    }

    @Test func r11DisablePropagationDropsGatewayRoutes() {
        for disabled in [false, true] {
            var e = Estate()
            let vnet = e.vnet("vnet", ["10.0.0.0/16"])
            var table = RouteTable(id: e.id("Microsoft.Network", [("routeTables", "rt")]))
            table.disableBgpRoutePropagation = disabled
            e.graph.insert(table)
            e.subnet(vnet, "s", "10.0.1.0/24", routeTable: table.id)
            e.subnet(vnet, "GatewaySubnet", "10.0.255.0/27")
            var gw = VirtualNetworkGateway(id: e.id("Microsoft.Network", [("virtualNetworkGateways", "gw")]))
            gw.ipConfigurations = [IPConfiguration(name: "g", subnet: vnet.child("subnets", "GatewaySubnet"))]
            gw.vpnClientConfiguration = VpnClientConfiguration(addressPool: [IPv4Prefix("172.16.201.0/24")!])
            e.graph.insert(gw)
            let s = e.compile().subnets.values.first { $0.id.name == "s" }!
            #expect((s.routes.lookup(.ip(ip("172.16.201.5")))?.nextHop == .virtualNetworkGateway) == !disabled)
        }
    }

    @Test func r17InboundThroughPublicIPWithDefaultUDRIsAsymmetric() {
        var e = Estate()
        let vnet = e.vnet("vnet", ["10.0.0.0/16"])
        let nsg = e.nsg("nsg", [rule("https", 100, .inbound, .allow, .tcp, ports: .ports(443))])
        let table = e.routeTable("rt", [udr("default", "0.0.0.0/0", .virtualAppliance, "10.0.2.4")])
        let s = e.subnet(vnet, "s", "10.0.1.0/24", nsg: nsg, routeTable: table)
        e.nic("vm", subnet: s, ip: "10.0.1.4", pip: e.pip("pip", "20.1.2.3"))
        e.nic("nva", subnet: e.subnet(vnet, "nva", "10.0.2.0/24"), ip: "10.0.2.4", forwarding: true)
        let trace = e.compile().trace(from: .internet, to: .address(ip("20.1.2.3")), port: 443)
        #expect(trace.verdict == .denied)
        #expect(trace.hops.last?.kind == "ReturnPath")
    }

    @Test func r21NSGAppliesToPrivateEndpointWhenEnabled() {
        for policy in [PrivateEndpointNetworkPolicies.disabled, .networkSecurityGroupEnabled] {
            var e = Estate()
            let vnet = e.vnet("vnet", ["10.0.0.0/16"])
            let nsg = e.nsg("nsg", [rule("deny-vnet", 100, .inbound, .deny, from: .serviceTag("VirtualNetwork"))])
            let peSubnet = e.subnet(vnet, "pe", "10.0.2.0/24", nsg: nsg, policies: policy)
            e.subnet(vnet, "client", "10.0.1.0/24")
            e.privateEndpoint("pe", subnet: peSubnet, target: e.storage("acct"), group: "blob", ip: "10.0.2.10")
            let verdict = e.compile().trace(from: .address(ip("10.0.1.4")), to: .address(ip("10.0.2.10")), port: 443).verdict
            #expect(verdict == (policy == .disabled ? .allowed : .denied))
        }
    }

    @Test func p1OneSidedPeeringIsIgnored() {
        var e = Estate()
        let a = e.vnet("a", ["10.0.0.0/16"])
        let b = e.vnet("b", ["10.1.0.0/16"])
        e.graph.update(a, as: VirtualNetwork.self) { $0.peerings = [VirtualNetworkPeering(name: "to-b", remoteVirtualNetwork: b)] }
        e.subnet(a, "s", "10.0.1.0/24")
        let model = e.compile()
        #expect(model.peering(from: a, to: b) == nil)
        #expect(model.notes.contains { $0.contains("Initiated") })
    }

    @Test func p2PeeringIsNotTransitive() {
        var e = Estate()
        let a = e.vnet("a", ["10.0.0.0/16"])
        let hub = e.vnet("hub", ["10.1.0.0/16"])
        let c = e.vnet("c", ["10.2.0.0/16"])
        e.peer(a, hub)
        e.peer(hub, c)
        e.subnet(a, "s", "10.0.1.0/24")
        e.subnet(c, "s", "10.2.1.0/24")
        e.subnet(hub, "s", "10.1.1.0/24")
        let model = e.compile()
        #expect(model.trace(from: .address(ip("10.0.1.4")), to: .address(ip("10.1.1.4")), port: 443).verdict == .allowed)
        #expect(model.trace(from: .address(ip("10.0.1.4")), to: .address(ip("10.2.1.4")), port: 443).verdict == .denied)
    }

    @Test func m3NoOutboundIdentity() {
        var e = Estate()
        let vnet = e.vnet("vnet", ["10.0.0.0/16"])
        e.subnet(vnet, "private", "10.0.1.0/24", defaultOutbound: false)
        e.subnet(vnet, "default", "10.0.2.0/24")
        let model = e.compile()
        #expect(model.trace(from: .address(ip("10.0.1.4")), to: .address(ip("8.8.8.8")), port: 443).verdict == .denied)
        #expect(model.trace(from: .address(ip("10.0.2.4")), to: .address(ip("8.8.8.8")), port: 443).verdict == .allowed)
    }
}

extension RoutingRuleTests {
    /// P5: a spoke that uses the hub's gateway (gateway transit) learns the point-to-site pool, and VPN clients
    /// learn the spoke's range; without transit neither happens.
    @Test func p5GatewayTransit() {
        for transit in [false, true] {
            var e = Estate()
            let hub = e.vnet("hub", ["10.0.0.0/16"])
            let spoke = e.vnet("spoke", ["10.1.0.0/16"])
            e.peer(hub, spoke)
            e.graph.update(hub, as: VirtualNetwork.self) { $0.peerings[0].allowGatewayTransit = transit }
            e.graph.update(spoke, as: VirtualNetwork.self) { $0.peerings[0].useRemoteGateways = transit }
            let gatewaySubnet = e.subnet(hub, "GatewaySubnet", "10.0.255.0/27")
            e.subnet(spoke, "s", "10.1.0.0/24")
            var gw = VirtualNetworkGateway(id: e.id("Microsoft.Network", [("virtualNetworkGateways", "gw")]))
            gw.ipConfigurations = [IPConfiguration(name: "g", subnet: gatewaySubnet)]
            gw.vpnClientConfiguration = VpnClientConfiguration(addressPool: [IPv4Prefix("172.16.201.0/24")!])
            e.graph.insert(gw)
            let model = e.compile()
            let s = model.subnets.values.first { $0.virtualNetwork == spoke }!
            #expect((s.routes.lookup(.ip(ip("172.16.201.9")))?.nextHop == .virtualNetworkGateway) == transit)
            let trace = model.trace(from: .vpnClient, to: .address(ip("10.1.0.4")), port: 443)
            #expect((trace.verdict == .allowed) == transit, "\(trace.text)")
        }
    }
}
