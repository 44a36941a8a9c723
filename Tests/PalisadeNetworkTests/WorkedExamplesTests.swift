import PalisadeModel
import Testing
@testable import PalisadeNetwork

/// The worked examples E1–E11 of azure-network-semantics.md §10.
@Suite("Worked examples of the network semantics")
struct WorkedExamplesTests {
    // MARK: E1 — NSG order, inbound (N11)

    @Test func e1NSGOrderInbound() {
        var e = Estate()
        let vnet = e.vnet("vnet", ["10.0.0.0/16"])
        let subnetNSG = e.nsg("nsg-subnet", [rule("ssh", 100, .inbound, .allow, .tcp, from: cidrs("10.0.5.0/24"), ports: .ports(22))])
        let nicNSG = e.nsg("nsg-nic", [])
        let a = e.subnet(vnet, "a", "10.0.1.0/24", nsg: subnetNSG)
        let b = e.subnet(vnet, "b", "10.0.5.0/24")
        e.nic("target", subnet: a, ip: "10.0.1.4", nsg: nicNSG)
        e.nic("client", subnet: b, ip: "10.0.5.4")
        let model = e.compile()
        let allowed = model.trace(from: .address(ip("10.0.5.4")), to: .address(ip("10.0.1.4")), port: 22)
        #expect(allowed.verdict == .allowed)
        let nsgHops = allowed.hops.filter { $0.kind == "NSG" }
        #expect(nsgHops.map(\.rule) == ["ssh", "AllowVNetInBound"])
        #expect(nsgHops.map(\.resource) == ["nsg-subnet", "nsg-nic"])

        let packet = Packet(source: .ip(ip("10.9.0.4")), destination: .ip(ip("10.0.1.4")), protocol: .tcp, destinationPort: 22)
        let denied = model.ipFlowVerify(packet, direction: .inbound)
        #expect(denied.verdict == .denied)
        #expect(denied.hops.map(\.rule) == ["DenyAllInBound"])  // NIC NSG never evaluated (N11)
        #expect(denied.hops.map(\.resource) == ["nsg-subnet"])
    }

    // MARK: E2 — Internet to a NIC (N12)

    @Test func e2InternetToNIC() {
        var e = Estate()
        let vnet = e.vnet("vnet", ["10.0.0.0/16"])
        let nsg = e.nsg("nsg", [])
        let s = e.subnet(vnet, "vms", "10.0.1.0/24", nsg: nsg)
        let pip = e.pip("vm-pip", "20.1.2.3")
        e.nic("vm", subnet: s, ip: "10.0.1.4", pip: pip)
        let model = e.compile()
        let packet = Packet(source: .ip(ip("198.51.100.7")), destination: .ip(ip("20.1.2.3")), protocol: .tcp, destinationPort: 3389)
        let trace = model.trace(packet: packet, from: .internet)
        #expect(trace.verdict == .denied)
        #expect(trace.hops.contains { $0.kind == "PublicIP" && $0.detail.contains("10.0.1.4") })
        #expect(trace.hops.last?.rule == "DenyAllInBound")
    }

    // MARK: E3 — UDR 0/0 widens VirtualNetwork (N20)

    func e3Model(nicRules: [SecurityRule]) -> NetworkModel {
        var e = Estate()
        let vnet = e.vnet("vnet", ["10.0.0.0/16"])
        let table = e.routeTable("rt", [udr("default", "0.0.0.0/0", .virtualAppliance, "10.0.100.4")])
        let s = e.subnet(vnet, "s", "10.0.1.0/24", routeTable: table)
        let nvaSubnet = e.subnet(vnet, "nva", "10.0.100.0/24")
        let nsg = e.nsg("nic-nsg", nicRules)
        e.nic("vm", subnet: s, ip: "10.0.1.4", nsg: nsg)
        e.nic("nva", subnet: nvaSubnet, ip: "10.0.100.4", forwarding: true)
        return e.compile()
    }

    @Test func e3DenyInternetMatchesFirst() {
        let model = e3Model(nicRules: [rule("deny-internet", 4000, .outbound, .deny, to: .serviceTag("Internet"))])
        let trace = model.trace(from: .address(ip("10.0.1.4")), to: .address(ip("13.83.72.20")), port: 443)
        #expect(trace.verdict == .denied)
        #expect(trace.hops.first?.rule == "deny-internet")
    }

    @Test func e3VirtualNetworkTagIncludesInternetAfterDefaultUDR() {
        let model = e3Model(nicRules: [
            rule("allow-vnet", 3000, .outbound, .allow, to: .serviceTag("VirtualNetwork")),
            rule("deny-all", 4000, .outbound, .deny),
        ])
        let subnet = model.subnets.values.first { $0.id.name == "s" }!
        #expect(subnet.virtualNetworkTag.contains(.ip(ip("13.83.72.20"))))
        let trace = model.trace(from: .address(ip("10.0.1.4")), to: .address(ip("13.83.72.20")), port: 443)
        #expect(trace.verdict == .allowed)
        #expect(trace.hops.first?.rule == "allow-vnet")
        #expect(trace.hops.contains { $0.kind == "Route" && $0.result == "VirtualAppliance" })
        #expect(trace.hops.contains { $0.kind == "NVA" })
        // Narrow reading (§11.1): the tag no longer contains Internet space.
        var narrow = NetworkOptions()
        narrow.virtualNetworkTag = .narrow
        let narrowModel = NetworkModel.compile(model.graph, options: narrow)
        #expect(narrowModel.trace(from: .address(ip("10.0.1.4")), to: .address(ip("13.83.72.20")), port: 443).verdict == .denied)
    }

    // MARK: E4 — route tie with service tags (R15)

    func e4Model(withCIDR: Bool, catalog: ServiceTagCatalog) -> NetworkModel {
        var e = Estate()
        e.location = "westus"
        let vnet = e.vnet("vnet", ["10.0.0.0/16"])
        var routes = [udr("storage", "Storage", .virtualAppliance, "10.0.100.4"), udr("storage-westus", "Storage.WestUS", .internet)]
        if withCIDR { routes.append(udr("cidr", "13.83.72.16/28", .none)) }
        let table = e.routeTable("rt", routes)
        e.subnet(vnet, "s", "10.0.1.0/24", routeTable: table)
        return e.compile { $0.serviceTags = catalog }
    }

    @Test func e4RouteTieWithServiceTagsRealData() throws {
        try #require(Fixtures.serviceTags.isLoaded)
        let withCIDR = e4Model(withCIDR: true, catalog: Fixtures.serviceTags)
        let s = withCIDR.subnets.values.first!
        #expect(s.routes.lookup(.ip(ip("13.83.72.20")))?.nextHop == NextHop.none)
        let withoutCIDR = e4Model(withCIDR: false, catalog: Fixtures.serviceTags)
        #expect(withoutCIDR.subnets.values.first!.routes.lookup(.ip(ip("13.83.72.20")))?.nextHop == .internet)
    }

    @Test func e4RegionalTagBeatsTopLevelSymbolically() {
        let model = e4Model(withCIDR: false, catalog: .symbolic)
        let s = model.subnets.values.first!
        #expect(s.routes.lookup(.atom(.tag("Storage.WestUS")))?.nextHop == .internet)
        #expect(s.routes.lookup(.atom(.tag("Storage")))?.nextHop == .virtualAppliance(ip("10.0.100.4")))
    }

    // MARK: E5 — PE route vs UDR (R18, R21)

    func e5Model(policy: PrivateEndpointNetworkPolicies, subnetUDR: Bool = true) -> NetworkModel {
        var e = Estate()
        let hub = e.vnet("hub", ["10.0.0.0/16"])
        let spoke = e.vnet("spoke", ["10.1.0.0/16"])
        e.peer(hub, spoke, forwardedIntoA: true, forwardedIntoB: true)
        let fwSubnet = e.subnet(hub, "AzureFirewallSubnet", "10.0.0.0/26")
        let pol = e.policy("pol", [FirewallRuleCollectionGroup(name: "rcg", priority: 100, ruleCollections: [
            FirewallRuleCollection(name: "net", priority: 100, action: .allow, rules: [
                .network(NetworkRule(name: "all", protocols: [.any], sourceAddresses: ["*"], destinationAddresses: ["*"], destinationPorts: ["*"]))]),
        ])])
        e.firewall("fw", subnet: fwSubnet, ip: "10.0.0.4", policy: pol)
        var routes = [udr("default", "0.0.0.0/0", .virtualAppliance, "10.0.0.4")]
        if subnetUDR { routes.append(udr("pe-subnet", "10.1.2.0/24", .virtualAppliance, "10.0.0.4")) }
        let table = e.routeTable("rt", routes)
        let client = e.subnet(spoke, "client", "10.1.1.0/24", routeTable: table)
        let peSubnet = e.subnet(spoke, "pe-sn", "10.1.2.0/24", policies: policy)
        let account = e.storage("acct")
        e.privateEndpoint("pe-blob", subnet: peSubnet, target: account, group: "blob", ip: "10.1.2.5")
        e.nic("client-vm", subnet: client, ip: "10.1.1.4")
        return e.compile()
    }

    @Test func e5aDisabledPolicyBypassesFirewall() {
        let model = e5Model(policy: .disabled)
        let trace = model.trace(from: .address(ip("10.1.1.4")), to: .address(ip("10.1.2.5")), port: 443)
        #expect(trace.verdict == .allowed)
        #expect(trace.hops.contains { $0.kind == "PrivateEndpoint" })
        #expect(!trace.hops.contains { $0.kind == "AzureFirewall" })
    }

    @Test func e5bRouteTableEnabledGoesThroughFirewall() {
        let model = e5Model(policy: .routeTableEnabled)
        let client = model.subnets.values.first { $0.id.name == "client" }!
        let route = client.routes.lookup(.ip(ip("10.1.2.5")))
        #expect(route?.nextHop == .virtualAppliance(ip("10.0.0.4")))
        #expect(client.routes.routes.contains { !$0.active && $0.invalidReason?.contains("#private-endpoint-network-policies") == true })
        let trace = model.trace(from: .address(ip("10.1.1.4")), to: .address(ip("10.1.2.5")), port: 443)
        #expect(trace.hops.contains { $0.kind == "AzureFirewall" })
        // Network rule to a private destination: no SNAT, so the PE reply bypasses the firewall (F25).
        #expect(trace.verdict == .denied)
        #expect(trace.reason.contains("#private-endpoint-snat"))
    }

    @Test func e5bDefaultRouteAloneDoesNotInvalidate() {
        let model = e5Model(policy: .routeTableEnabled, subnetUDR: false)
        let client = model.subnets.values.first { $0.id.name == "client" }!
        #expect(client.routes.lookup(.ip(ip("10.1.2.5")))?.nextHop == .interfaceEndpoint(ip("10.1.2.5")))
    }

    // MARK: E6 — firewall type order (F8, F9, F19)

    func e6Firewall(withNetwork: Bool) -> CompiledFirewall {
        var e = Estate()
        let hub = e.vnet("hub", ["10.0.0.0/16"])
        let fwSubnet = e.subnet(hub, "AzureFirewallSubnet", "10.0.0.0/26")
        var groups = [FirewallRuleCollectionGroup(name: "rcg100", priority: 100, ruleCollections: [
            FirewallRuleCollection(name: "app", priority: 100, action: .allow, rules: [
                .application(ApplicationRule(name: "pypi", protocols: [.https], sourceAddresses: ["*"], targetFqdns: ["*.pypi.org"]))]),
        ])]
        if withNetwork {
            groups.append(FirewallRuleCollectionGroup(name: "rcg200", priority: 200, ruleCollections: [
                FirewallRuleCollection(name: "net", priority: 500, action: .deny, rules: [
                    .network(NetworkRule(name: "deny443", protocols: [.tcp], sourceAddresses: ["*"], destinationAddresses: ["*"], destinationPorts: ["443"]))]),
            ]))
        }
        let pol = e.policy("pol", groups)
        e.firewall("fw", subnet: fwSubnet, ip: "10.0.0.4", policy: pol)
        return e.compile().firewalls[0]
    }

    @Test func e6NetworkRulesRunBeforeApplicationRules() {
        let packet = Packet(source: .ip(ip("10.1.0.4")), destination: .atom(.host("files.pypi.org")), protocol: .tcp,
                            destinationPort: 443, hostName: "files.pypi.org")
        let decision = e6Firewall(withNetwork: true).decide(packet)
        #expect(!decision.allowed)
        #expect(decision.ruleType == "Network")
        #expect(decision.rule == "rcg200/net/deny443")
        let appOnly = e6Firewall(withNetwork: false)
        #expect(appOnly.decide(packet).allowed)
        #expect(appOnly.decide(packet).ruleType == "Application")
        var apex = packet
        apex.hostName = "pypi.org"
        #expect(!appOnly.decide(apex).allowed)
        #expect(appOnly.decide(apex).ruleType == "Default")
    }

    // MARK: E7 — SNAT (F24)

    @Test func e7SNAT() {
        var e = Estate()
        let hub = e.vnet("hub", ["10.0.0.0/16"])
        let fwSubnet = e.subnet(hub, "AzureFirewallSubnet", "10.0.0.0/26")
        let pol = e.policy("pol", [FirewallRuleCollectionGroup(name: "rcg", priority: 100, ruleCollections: [
            FirewallRuleCollection(name: "net", priority: 100, action: .allow, rules: [
                .network(NetworkRule(name: "onprem", protocols: [.tcp], sourceAddresses: ["10.2.0.0/16"], destinationAddresses: ["10.50.0.0/16"], destinationPorts: ["*"]))]),
            FirewallRuleCollection(name: "app", priority: 200, action: .allow, rules: [
                .application(ApplicationRule(name: "contoso", protocols: [.https], sourceAddresses: ["10.2.0.0/16"], targetFqdns: ["contoso.com"]))]),
        ])])
        e.firewall("fw", subnet: fwSubnet, ip: "10.0.0.4", policy: pol)
        let fw = e.compile().firewalls[0]
        let onprem = fw.decide(Packet(source: .ip(ip("10.2.0.4")), destination: .ip(ip("10.50.0.9")), protocol: .tcp, destinationPort: 1433))
        #expect(onprem.allowed && onprem.snat == nil)
        let web = fw.decide(Packet(source: .ip(ip("10.2.0.4")), destination: .atom(.host("contoso.com")), protocol: .tcp,
                                   destinationPort: 443, hostName: "contoso.com"))
        #expect(web.allowed && web.snat == ip("10.0.0.4"))
    }

    // MARK: E8 — DNS from a VNet vs a VPN client (D3, D6, D9, D13)

    func e8Model(vpnDNS: NetworkOptions.VPNClientDNS) -> NetworkModel {
        var e = Estate()
        let vnet = e.vnet("compute-vnet", ["10.1.0.0/16"])
        let peSubnet = e.subnet(vnet, "pe", "10.1.0.0/24")
        e.subnet(vnet, "GatewaySubnet", "10.1.255.0/27")
        var ws = MachineLearningWorkspace(id: e.id("Microsoft.MachineLearningServices", [("workspaces", "ws")]), location: "eastus")
        ws.tags["workspaceId"] = "11111111-2222-3333-4444-555555555555"
        ws.publicNetworkAccess = .disabled
        e.graph.insert(ws)
        let zone = e.zone("privatelink.api.azureml.ms", links: [(vnet, "Default")])
        let nbZone = e.zone("privatelink.notebooks.azure.net", links: [(vnet, "Default")])
        var pe = PrivateEndpoint(id: e.id("Microsoft.Network", [("privateEndpoints", "pe-ws")]), location: "eastus")
        pe.subnet = peSubnet
        pe.target = ws.id
        pe.groupIDs = ["amlworkspace"]
        pe.ipConfigurations = [
            PrivateEndpointIPConfiguration(name: "a", groupID: "amlworkspace", memberName: "default", privateIPAddress: ip("10.1.0.5")),
            PrivateEndpointIPConfiguration(name: "b", groupID: "amlworkspace", memberName: "notebook", privateIPAddress: ip("10.1.0.6")),
        ]
        pe.privateDnsZoneGroup = PrivateDnsZoneGroup(zones: [zone, nbZone])
        e.graph.insert(pe)
        var gw = VirtualNetworkGateway(id: e.id("Microsoft.Network", [("virtualNetworkGateways", "vpngw")]), location: "eastus")
        gw.ipConfigurations = [IPConfiguration(name: "g", subnet: vnet.child("subnets", "GatewaySubnet"), privateIPAddress: ip("10.1.255.4"))]
        gw.vpnClientConfiguration = VpnClientConfiguration(addressPool: [IPv4Prefix("172.16.201.0/24")!])
        e.graph.insert(gw)
        return e.compile { $0.vpnClientDNS = vpnDNS }
    }

    @Test func e8WorkspaceResolvesToPrivateEndpointFromVNet() {
        let model = e8Model(vpnDNS: .publicResolver)
        let name = "11111111-2222-3333-4444-555555555555.workspace.eastus.api.azureml.ms"
        let vnet = model.virtualNetworks.keys.first!
        let answer = model.resolve(name, from: .virtualNetwork(vnet))
        #expect(answer.addresses == [.ip(ip("10.1.0.5"))])
        #expect(answer.chain == ["11111111-2222-3333-4444-555555555555.workspace.eastus.privatelink.api.azureml.ms"])
        let cert = model.resolve("11111111-2222-3333-4444-555555555555.workspace.eastus.cert.api.azureml.ms", from: .virtualNetwork(vnet))
        #expect(cert.addresses == [.ip(ip("10.1.0.5"))])
    }

    @Test func e8VPNClientWithPublicResolverFails() {
        let model = e8Model(vpnDNS: .publicResolver)
        let trace = model.trace(from: .vpnClient, to: .name("11111111-2222-3333-4444-555555555555.workspace.eastus.api.azureml.ms"), port: 443)
        #expect(trace.verdict == .denied)
        #expect(trace.reason.contains("public network access disabled"))
    }

    @Test func e8VPNClientWithHostsFileReachesPrivateEndpoint() {
        for mode in [NetworkOptions.VPNClientDNS.hostsFile, .virtualNetworkResolver] {
            let model = e8Model(vpnDNS: mode)
            let trace = model.trace(from: .vpnClient, to: .name("11111111-2222-3333-4444-555555555555.workspace.eastus.api.azureml.ms"), port: 443)
            #expect(trace.verdict == .allowed, "\(mode): \(trace.text)")
            #expect(trace.hops.contains { $0.kind == "PrivateEndpoint" })
        }
    }

    // MARK: E9 — NXDOMAIN trap (D4)

    func e9Model(policy: String) -> NetworkModel {
        var e = Estate()
        let vnet = e.vnet("vnet", ["10.0.0.0/16"])
        e.subnet(vnet, "compute", "10.0.1.0/24")
        e.zone("privatelink.blob.core.windows.net", links: [(vnet, policy)], records: [DnsRecordSet(name: "wsstore", aRecords: [ip("10.0.2.4")])])
        return e.compile { $0.assumeExternalNamesHavePrivateLink = true }
    }

    @Test func e9NXDomainWhenLinkedZoneLacksRecord() {
        let model = e9Model(policy: "Default")
        let vnet = model.virtualNetworks.keys.first!
        let answer = model.resolve("thirdparty.blob.core.windows.net", from: .virtualNetwork(vnet))
        #expect(answer.nxdomain)
        #expect(answer.chain == ["thirdparty.privatelink.blob.core.windows.net"])
        let trace = model.trace(from: .subnet(model.subnetOrder[0]), to: .name("thirdparty.blob.core.windows.net"), port: 443)
        #expect(trace.verdict == .denied)
        #expect(trace.hops.first?.result == "NXDOMAIN")
    }

    @Test func e9FallbackWithNxDomainRedirect() {
        let model = e9Model(policy: "NxDomainRedirect")
        let answer = model.resolve("thirdparty.blob.core.windows.net", from: .virtualNetwork(model.virtualNetworks.keys.first!))
        #expect(!answer.nxdomain)
        #expect(answer.addresses.count == 1)
    }

    // MARK: E10 — managed VNet, approved outbound only (M9–M11)

    @Test func e10ManagedApprovedOnly() throws {
        try #require(Fixtures.serviceTags.isLoaded)
        var e = Estate()
        var ws = MachineLearningWorkspace(id: e.id("Microsoft.MachineLearningServices", [("workspaces", "ws")]), location: "eastus")
        ws.managedNetwork = ManagedNetworkSettings(isolationMode: .allowOnlyApprovedOutbound, outboundRules: [.fqdn("pypi", "pypi.org")])
        ws.managedNetwork.provisioned = true
        e.graph.insert(ws)
        let model = e.compile { $0.serviceTags = Fixtures.serviceTags }
        let source = TraceSource.managedNetwork(ws.id)
        #expect(model.trace(from: source, to: .name("pypi.org"), port: 443).verdict == .allowed)
        #expect(model.trace(from: source, to: .name("files.pythonhosted.org"), port: 443).verdict == .denied)
        let tagged = model.trace(from: source, to: .address(ip("20.42.0.241")), port: 443)
        #expect(tagged.verdict == .allowed)
        #expect(tagged.hops.last?.rule == "required-AzureMachineLearning-tcp")
        #expect(model.trace(from: source, to: .name("otheracct.blob.core.windows.net"), port: 443).verdict == .denied)
    }

    // MARK: E11 — spoke to spoke through a hub firewall (P2, P4, F24, §9.6)

    func e11Model(spoke2UDR: Bool, spoke1UDR: Bool = true) -> NetworkModel {
        var e = Estate()
        let hub = e.vnet("hub", ["10.0.0.0/16"])
        let spoke1 = e.vnet("spoke1", ["10.1.0.0/16"])
        let spoke2 = e.vnet("spoke2", ["10.2.0.0/16"])
        e.peer(hub, spoke1, forwardedIntoB: true)
        e.peer(hub, spoke2, forwardedIntoB: true)
        let fwSubnet = e.subnet(hub, "AzureFirewallSubnet", "10.0.1.0/26")
        let pol = e.policy("pol", [FirewallRuleCollectionGroup(name: "rcg", priority: 100, ruleCollections: [
            FirewallRuleCollection(name: "net", priority: 100, action: .allow, rules: [
                .network(NetworkRule(name: "s1-s2", protocols: [.tcp], sourceAddresses: ["10.1.0.0/16"], destinationAddresses: ["10.2.0.0/16"], destinationPorts: ["443"]))]),
        ])])
        e.firewall("fw", subnet: fwSubnet, ip: "10.0.1.4", policy: pol)
        let rt1 = e.routeTable("rt1", spoke1UDR ? [udr("to-s2", "10.2.0.0/16", .virtualAppliance, "10.0.1.4")] : [])
        let rt2 = e.routeTable("rt2", spoke2UDR ? [udr("to-s1", "10.1.0.0/16", .virtualAppliance, "10.0.1.4")] : [])
        let s1 = e.subnet(spoke1, "app", "10.1.0.0/24", routeTable: rt1)
        let s2 = e.subnet(spoke2, "app", "10.2.0.0/24", routeTable: rt2)
        e.nic("vm1", subnet: s1, ip: "10.1.0.4")
        e.nic("vm2", subnet: s2, ip: "10.2.0.4")
        return e.compile()
    }

    @Test func e11SymmetricHubFirewall() {
        let trace = e11Model(spoke2UDR: true).trace(from: .address(ip("10.1.0.4")), to: .address(ip("10.2.0.4")), port: 443)
        #expect(trace.verdict == .allowed, "\(trace.text)")
        #expect(trace.hops.contains { $0.kind == "AzureFirewall" && $0.rule == "rcg/net/s1-s2" && $0.detail.contains("no SNAT") })
        #expect(trace.hops.filter { $0.kind == "Peering" }.count == 2)
    }

    @Test func e11AsymmetricWithoutSpoke2UDR() {
        let trace = e11Model(spoke2UDR: false).trace(from: .address(ip("10.1.0.4")), to: .address(ip("10.2.0.4")), port: 443)
        #expect(trace.verdict == .denied)
        #expect(trace.reason.contains("asymmetric"))
    }

    @Test func e11DroppedWithoutUDRs() {
        let trace = e11Model(spoke2UDR: false, spoke1UDR: false).trace(from: .address(ip("10.1.0.4")), to: .address(ip("10.2.0.4")), port: 443)
        #expect(trace.verdict == .denied)
        #expect(trace.hops.last?.result == "None")
    }
}
