import PalisadeModel
import Testing
@testable import PalisadeNetwork

/// A private endpoint lives at the static address it declares, and its network interface answers to its custom name.
/// The documented example: a web app's endpoint with GroupId `sites`, MemberName `sites`, 10.0.0.10 and the NIC name
/// `myPrivateEndpointNIC` (https://learn.microsoft.com/azure/private-link/manage-private-endpoint).
@Suite struct PrivateEndpointStaticAddressTests {
    static func model() -> (NetworkModel, ResourceID) {
        var e = Estate()
        let vnet = e.vnet("myVNet", ["10.0.0.0/16"])
        let subnet = e.subnet(vnet, "mySubnet", "10.0.0.0/24")
        e.nic("myVM", subnet: subnet, ip: "10.0.0.4")
        var pe = PrivateEndpoint(id: e.id("Microsoft.Network", [("privateEndpoints", "myPrivateEndpoint")]), location: e.location)
        pe.subnet = subnet
        pe.target = e.id("Microsoft.Web", [("sites", "myWebApp1979")])
        pe.groupIDs = ["sites"]
        pe.customNetworkInterfaceName = "myPrivateEndpointNIC"
        pe.ipConfigurations = [PrivateEndpointIPConfiguration(name: "myIPconfig", groupID: "sites", memberName: "sites", privateIPAddress: ip("10.0.0.10"))]
        e.graph.insert(pe)
        return (e.compile(), pe.id)
    }

    @Test func theEndpointIsAtItsDeclaredAddress() throws {
        let (model, pe) = Self.model()
        let endpoint = try #require(model.endpoints[ip("10.0.0.10")])
        #expect(endpoint.resource == pe)
        #expect(!endpoint.addressAssumed)
        #expect(!model.endpoints.values.contains { $0.resource == pe && $0.address != ip("10.0.0.10") })
        #expect(try model.destination(named: "myPrivateEndpointNIC") == .address(ip("10.0.0.10")))
        let packet = Packet(source: .ip(ip("10.0.0.4")), destination: .ip(ip("10.0.0.10")), protocol: .tcp, destinationPort: 443)
        let trace = model.trace(packet: packet, from: .address(ip("10.0.0.4")))
        #expect(trace.verdict == .allowed, "\(trace.text)")
        #expect(trace.hops.contains { $0.resource.contains("myPrivateEndpoint") || $0.detail.contains("myPrivateEndpoint") }, "\(trace.text)")
        let reach = try #require(model.reach().sources.first { $0.source.contains("mySubnet") })
        #expect(reach.allowed.contains(packet))
    }
}

/// On-premises networks behind a VPN gateway, forced tunnelling with a default site, and gateway route propagation.
/// The documented example: VNet 10.1.0.0/16 with Frontend, Mid-tier and Backend subnets, sites DefaultSiteHQ and
/// Branch1, the default site forcing Internet traffic on-premises, and a Frontend route 0.0.0.0/0 → Internet
/// (https://learn.microsoft.com/azure/vpn-gateway/site-to-site-tunneling,
/// https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#border-gateway-protocol).
@Suite struct OnPremisesRoutingTests {
    static func model(defaultSite: Bool, backendPropagation: Bool = true) -> NetworkModel {
        var e = Estate()
        let vnet = e.vnet("MultiTier-VNet", ["10.1.0.0/16"])
        let frontend = e.subnet(vnet, "Frontend", "10.1.0.0/24", routeTable: e.routeTable("rt-frontend", [udr("direct", "0.0.0.0/0", .internet)]))
        let midtier = e.subnet(vnet, "Midtier", "10.1.1.0/24")
        var backendTable = RouteTable(id: e.id("Microsoft.Network", [("routeTables", "rt-backend")]))
        backendTable.disableBgpRoutePropagation = !backendPropagation
        e.graph.insert(backendTable)
        let backend = e.subnet(vnet, "Backend", "10.1.2.0/24", routeTable: backendTable.id)
        let gatewaySubnet = e.subnet(vnet, "GatewaySubnet", "10.1.200.0/28")
        e.nic("vm-front", subnet: frontend, ip: "10.1.0.4")
        e.nic("vm-mid", subnet: midtier, ip: "10.1.1.4")
        e.nic("vm-back", subnet: backend, ip: "10.1.2.4")
        var hq = LocalNetworkGateway(id: e.id("Microsoft.Network", [("localNetworkGateways", "DefaultSiteHQ")]))
        hq.gatewayIPAddress = "111.111.111.111"
        hq.addressPrefixes = [IPv4Prefix("192.168.1.0/24")!]
        var branch = LocalNetworkGateway(id: e.id("Microsoft.Network", [("localNetworkGateways", "Branch1")]))
        branch.gatewayIPAddress = "111.111.111.112"
        branch.addressPrefixes = [IPv4Prefix("192.168.2.0/24")!]
        var gateway = VirtualNetworkGateway(id: e.id("Microsoft.Network", [("virtualNetworkGateways", "Gateway1")]))
        gateway.ipConfigurations = [IPConfiguration(name: "gwipconfig", subnet: gatewaySubnet, privateIPAddress: ip("10.1.200.4"))]
        if defaultSite { gateway.gatewayDefaultSite = hq.id }
        for site in [hq, branch] {
            e.graph.insert(site)
            var connection = VirtualNetworkGatewayConnection(id: e.id("Microsoft.Network", [("connections", "Connection-\(site.name)")]))
            connection.virtualNetworkGateway = gateway.id
            connection.localNetworkGateway = site.id
            e.graph.insert(connection)
        }
        e.graph.insert(gateway)
        return e.compile()
    }

    static func check(_ model: NetworkModel, from source: String, to destination: String, expect: Bool, _ detail: String? = nil) throws {
        let packet = Packet(source: .ip(ip(source)), destination: .ip(ip(destination)), protocol: .tcp, destinationPort: 443)
        let trace = model.trace(packet: packet, from: .address(ip(source)))
        #expect((trace.verdict == .allowed) == expect, "\(source) → \(destination)\n\(trace.text)")
        if let detail { #expect(trace.text.contains(detail), "\(trace.text)") }
        let reach = try #require(model.reach(from: .address(ip(source))).sources.first)
        #expect(reach.allowed.contains(packet) == expect, "reach: \(source) → \(destination)")
    }

    @Test func branchPrefixesAreReachedOverTheTunnel() throws {
        let model = Self.model(defaultSite: false)
        try Self.check(model, from: "10.1.1.4", to: "192.168.2.10", expect: true, "on-premises site Branch1")
        try Self.check(model, from: "10.1.1.4", to: "192.168.1.10", expect: true, "on-premises site DefaultSiteHQ")
        // Not behind any site: the private range's None route drops it.
        try Self.check(model, from: "10.1.1.4", to: "192.168.3.10", expect: false)
        // Without a default site, Internet traffic leaves directly.
        try Self.check(model, from: "10.1.1.4", to: "8.8.8.8", expect: true, "Internet")
        let routes = try #require(model.subnets.values.first { $0.id.name == "Midtier" }?.routes.routes)
        #expect(routes.contains { $0.origin == .virtualNetworkGateway && $0.addressPrefix == "192.168.2.0/24" })
        // reach names the site.
        #expect(model.reach(from: .address(ip("10.1.1.4"))).summary(FlowFolder(model: model)).text.contains("on-premises Branch1"))
    }

    @Test func theDefaultSiteForcesInternetTrafficOnPremisesExceptWhereAUserRouteSaysOtherwise() throws {
        let model = Self.model(defaultSite: true)
        try Self.check(model, from: "10.1.1.4", to: "8.8.8.8", expect: true, "forced tunnelling")
        try Self.check(model, from: "10.1.2.4", to: "8.8.8.8", expect: true, "forced tunnelling")
        let front = model.trace(packet: Packet(source: .ip(ip("10.1.0.4")), destination: .ip(ip("8.8.8.8")), protocol: .tcp, destinationPort: 443),
                                from: .address(ip("10.1.0.4")))
        #expect(front.verdict == .allowed && !front.text.contains("forced tunnelling") && front.hops.contains { $0.kind == "Internet" }, "\(front.text)")
    }

    @Test func disabledPropagationKeepsGatewayRoutesOutOfTheSubnet() throws {
        let model = Self.model(defaultSite: true, backendPropagation: false)
        try Self.check(model, from: "10.1.2.4", to: "192.168.2.10", expect: false)
        let direct = model.trace(packet: Packet(source: .ip(ip("10.1.2.4")), destination: .ip(ip("8.8.8.8")), protocol: .tcp, destinationPort: 443),
                                 from: .address(ip("10.1.2.4")))
        #expect(direct.verdict == .allowed && !direct.text.contains("forced tunnelling"), "\(direct.text)")
        let routes = try #require(model.subnets.values.first { $0.id.name == "Backend" }?.routes.routes)
        #expect(!routes.contains { $0.origin == .virtualNetworkGateway })
    }

    /// A user route to the gateway for a prefix no connection covers: with the connections known, the gateway drops it.
    @Test func aGatewayWithoutASiteForTheDestinationDropsIt() throws {
        var model = Self.model(defaultSite: false)
        var graph = model.graph
        let table = try #require(graph.all(RouteTable.self).first { $0.name == "rt-backend" })
        graph.update(table.id, as: RouteTable.self) { $0.routes = [udr("all-to-gateway", "0.0.0.0/0", .virtualNetworkGateway)] }
        model = NetworkModel.compile(graph)
        try Self.check(model, from: "10.1.2.4", to: "8.8.8.8", expect: false, "no on-premises site")
        try Self.check(model, from: "10.1.2.4", to: "192.168.2.10", expect: true, "Branch1")
    }

    /// ExpressRoute: the prefixes the circuit advertises reach a spoke that uses the hub's gateway through transit.
    @Test func expressRoutePrefixesReachASpokeThroughGatewayTransit() throws {
        var e = Estate()
        let hub = e.vnet("hub", ["10.0.0.0/16"])
        let spoke = e.vnet("spoke", ["10.2.0.0/16"])
        e.peer(hub, spoke)
        e.graph.update(hub, as: VirtualNetwork.self) { $0.peerings[0].allowGatewayTransit = true }
        e.graph.update(spoke, as: VirtualNetwork.self) { $0.peerings[0].useRemoteGateways = true }
        let gatewaySubnet = e.subnet(hub, "GatewaySubnet", "10.0.255.0/27")
        let workload = e.subnet(spoke, "workload", "10.2.1.0/24")
        e.nic("vm", subnet: workload, ip: "10.2.1.4")
        var gateway = VirtualNetworkGateway(id: e.id("Microsoft.Network", [("virtualNetworkGateways", "ergw")]))
        gateway.gatewayType = "ExpressRoute"
        gateway.ipConfigurations = [IPConfiguration(name: "g", subnet: gatewaySubnet)]
        e.graph.insert(gateway)
        var connection = VirtualNetworkGatewayConnection(id: e.id("Microsoft.Network", [("connections", "er-connection")]))
        connection.connectionType = "ExpressRoute"
        connection.virtualNetworkGateway = gateway.id
        connection.expressRouteCircuit = e.id("Microsoft.Network", [("expressRouteCircuits", "circuit")])
        connection.declaredRemotePrefixes = [IPv4Prefix("172.20.0.0/16")!]
        e.graph.insert(connection)
        let model = e.compile()
        try Self.check(model, from: "10.2.1.4", to: "172.20.5.5", expect: true, "ExpressRoute")
        try Self.check(model, from: "10.2.1.4", to: "172.21.5.5", expect: false)
    }
}

/// DNS Private Resolver: forwarding rules by longest domain match, inbound endpoints answering as Azure DNS in the
/// resolver's VNet, and conditional forwarding to servers outside the model. The documented ruleset: `contoso.com.` →
/// 10.100.0.2, `azure.contoso.com.` → 10.10.0.4 (the inbound endpoint), `.` → 10.100.0.2; a query for
/// `secure.store.azure.contoso.com` takes the `azure.contoso.com.` rule
/// (https://learn.microsoft.com/azure/dns/private-resolver-endpoints-rulesets).
@Suite struct PrivateResolverTests {
    static func model(spokeDNS: [String] = [], linkSpoke: Bool = true) -> (NetworkModel, ResourceID, ResourceID) {
        var e = Estate()
        let hub = e.vnet("hub", ["10.10.0.0/16"])
        let spoke = e.vnet("spoke", ["10.20.0.0/16"], dns: spokeDNS)
        e.peer(hub, spoke)
        let inboundSubnet = e.subnet(hub, "inbound", "10.10.0.0/28")
        let outboundSubnet = e.subnet(hub, "outbound", "10.10.0.16/28")
        e.nic("store", subnet: e.subnet(hub, "workloads", "10.10.1.0/24"), ip: "10.10.1.5")
        e.nic("client", subnet: e.subnet(spoke, "apps", "10.20.1.0/24"), ip: "10.20.1.4")
        e.zone("azure.contoso.com", links: [(hub, "Default")], records: [DnsRecordSet(name: "secure.store", aRecords: [ip("10.10.1.5")])])
        var resolver = DnsResolver(id: e.id("Microsoft.Network", [("dnsResolvers", "resolver")]))
        resolver.virtualNetwork = hub
        resolver.inboundEndpoints = [DnsResolverInboundEndpoint(name: "inbound", subnet: inboundSubnet, privateIPAddress: ip("10.10.0.4"))]
        resolver.outboundEndpoints = [DnsResolverOutboundEndpoint(name: "outbound", subnet: outboundSubnet)]
        e.graph.insert(resolver)
        var ruleset = DnsForwardingRuleset(id: e.id("Microsoft.Network", [("dnsForwardingRulesets", "ruleset")]))
        ruleset.outboundEndpoints = [resolver.id.child("outboundEndpoints", "outbound")]
        ruleset.rules = [
            DnsForwardingRule(name: "Contoso", domainName: "contoso.com.", targetDnsServers: [DnsTargetServer(ipAddress: ip("10.100.0.2"))]),
            DnsForwardingRule(name: "AzurePrivate", domainName: "azure.contoso.com.", targetDnsServers: [DnsTargetServer(ipAddress: ip("10.10.0.4"))]),
            DnsForwardingRule(name: "Wildcard", domainName: ".", targetDnsServers: [DnsTargetServer(ipAddress: ip("10.100.0.2"))]),
        ]
        if linkSpoke { ruleset.virtualNetworkLinks = [DnsForwardingRulesetLink(name: "spoke-link", virtualNetwork: spoke)] }
        e.graph.insert(ruleset)
        return (e.compile(), hub, spoke)
    }

    @Test func theLongestDomainRuleForwardsToTheInboundEndpoint() throws {
        let (model, _, spoke) = Self.model()
        let answer = model.resolve("secure.store.azure.contoso.com", from: .virtualNetwork(spoke))
        #expect(answer.addresses == [.ip(ip("10.10.1.5"))], "\(answer.detail)")
        #expect(answer.detail.contains("AzurePrivate"))
        // The trace follows the answer to the hub.
        let trace = try model.trace(from: "10.20.1.4", to: "secure.store.azure.contoso.com", port: 443)
        #expect(trace.verdict == .allowed, "\(trace.text)")
    }

    @Test func otherContosoNamesGoToTheOnPremisesServerAsDeclared() {
        let (model, _, spoke) = Self.model()
        let answer = model.resolve("www.contoso.com", from: .virtualNetwork(spoke))
        #expect(answer.addresses.isEmpty)
        #expect(answer.detail.contains("Contoso") && answer.detail.contains("10.100.0.2"), "\(answer.detail)")
        let other = model.resolve("example.org", from: .virtualNetwork(spoke))
        #expect(other.detail.contains("Wildcard"), "\(other.detail)")
    }

    @Test func withoutALinkTheSpokeUsesAzureDNSAndCannotSeeTheHubZone() {
        let (model, _, spoke) = Self.model(linkSpoke: false)
        let answer = model.resolve("secure.store.azure.contoso.com", from: .virtualNetwork(spoke))
        #expect(answer.addresses != [.ip(ip("10.10.1.5"))])
        #expect(!answer.detail.contains("forwarding ruleset"))
    }

    @Test func aVNetWhoseDNSServerIsTheInboundEndpointResolvesAsTheHub() {
        let (model, _, spoke) = Self.model(spokeDNS: ["10.10.0.4"], linkSpoke: false)
        let answer = model.resolve("secure.store.azure.contoso.com", from: .virtualNetwork(spoke))
        #expect(answer.addresses == [.ip(ip("10.10.1.5"))], "\(answer.detail)")
        #expect(answer.detail.contains("inbound endpoint"))
    }
}
