import Foundation
import PalisadeModel
import PalisadeSpec
import Testing

/// A spoke designed into an existing landing zone: only the spoke is created, the platform is described.
@Suite struct LandingZoneTests {
    static let platform = "/subscriptions/0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9/resourceGroups/rg-connectivity/providers/Microsoft.Network"
    static let dnsGroup = "/subscriptions/0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/"
    static let zones = ["privatelink.api.azureml.ms", "privatelink.notebooks.azure.net", "privatelink.cert.api.azureml.ms",
                        "privatelink.blob.core.windows.net", "privatelink.file.core.windows.net", "privatelink.vaultcore.azure.net",
                        "privatelink.azurecr.io", "privatelink.monitor.azure.com", "privatelink.oms.opinsights.azure.com",
                        "privatelink.ods.opinsights.azure.com", "privatelink.agentsvc.azure-automation.net"]

    /// A landing-zone spec; `replacing` swaps text in it to make a variant.
    static func yaml(gateway: Bool = true, linkedByPolicy: Bool = false, zones: [String] = zones, extra: String = "",
                     replacing: [(String, String)] = []) -> String {
        var text = """
        name: lz
        landingZone:
          addressSpace: 10.60.4.0/22
          hub:
            virtualNetworkId: \(platform)/virtualNetworks/vnet-hub
            addressSpace: [10.60.0.0/22]
            gateway: \(gateway)
          firewall:
            id: \(platform)/azureFirewalls/afw-hub
            privateIp: 10.60.0.4
            policyId: \(platform)/firewallPolicies/afwp-hub
          dns:
            resolverInboundIp: 10.60.1.4
            linkedByPolicy: \(linkedByPolicy)
            privateDnsZones: [\(zones.map { dnsGroup + $0 }.joined(separator: ", "))]
        \(extra)
        """
        for (from, to) in replacing { text = text.replacingOccurrences(of: from, with: to) }
        return text
    }

    func design(_ text: String) throws -> Design {
        let (design, diagnostics) = SpecLoader().design(yaml: text, file: "lz.yaml")
        return try #require(design, "\(diagnostics.errors)")
    }

    func errorPaths(_ text: String) -> [String] {
        let (design, diagnostics) = SpecLoader().design(yaml: text, file: "lz.yaml")
        #expect(design == nil)
        return diagnostics.errors.compactMap { $0.location?.path }
    }

    /// The spoke: the allotted space, the resolver as DNS server, the peering's flags for a hub with a gateway
    /// (https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-peering-gateway-transit), the default route to the
    /// central firewall with BGP propagation off, and nothing the platform provides.
    @Test func spokeHasOnlyWhatTheSpokeNeeds() throws {
        let design = try design(Self.yaml())
        let graph = design.graph
        let spoke = try #require(graph.all(VirtualNetwork.self).first { !graph.isExisting($0.id) })
        #expect(spoke.addressSpace.map(\.description) == ["10.60.4.0/22"])
        #expect(spoke.dnsServers.map(\.description) == ["10.60.1.4"])
        let peering = try #require(spoke.peerings.first)
        #expect(spoke.peerings.count == 1)
        #expect(peering.remoteVirtualNetwork == ResourceID(Self.platform + "/virtualNetworks/vnet-hub"))
        #expect(peering.allowVirtualNetworkAccess && peering.allowForwardedTraffic && peering.useRemoteGateways && !peering.allowGatewayTransit)
        let table = try #require(graph.all(RouteTable.self).first)
        #expect(table.routes.map { "\($0.destination) \($0.nextHopIPAddress?.description ?? "")" } == ["0.0.0.0/0 10.60.0.4"])
        #expect(table.disableBgpRoutePropagation)
        let deployable = graph.deployable
        #expect(deployable.all(AzureFirewall.self).isEmpty && deployable.all(FirewallPolicy.self).isEmpty)
        #expect(deployable.all(BastionHost.self).isEmpty && deployable.all(VirtualNetworkGateway.self).isEmpty)
        #expect(deployable.all(PrivateDnsZone.self).isEmpty)
        #expect(deployable.all(PublicIPAddress.self).isEmpty)
        #expect(deployable.all(VirtualNetwork.self).map(\.id) == [spoke.id])
    }

    /// Without a hub gateway the spoke must not ask for remote gateways (the peering would fail to deploy) and
    /// keeps BGP propagation, which then carries nothing.
    @Test func hubWithoutGatewayGivesNoRemoteGateways() throws {
        let graph = try design(Self.yaml(gateway: false)).graph
        let spoke = try #require(graph.all(VirtualNetwork.self).first { !graph.isExisting($0.id) })
        #expect(spoke.peerings.first?.useRemoteGateways == false)
        #expect(graph.all(RouteTable.self).first?.disableBgpRoutePropagation == false)
    }

    /// Private endpoints register in the platform's zones; the zones are described (linked to the resolver's VNet,
    /// and to the spoke when the platform's policy links them), not created.
    @Test func endpointsRegisterInPlatformZones() throws {
        for linked in [false, true] {
            let graph = try design(Self.yaml(linkedByPolicy: linked)).graph
            let groups = graph.all(PrivateEndpoint.self).flatMap { $0.privateDnsZoneGroup?.zones ?? [] }
            #expect(!groups.isEmpty)
            #expect(groups.allSatisfy { $0.rawValue.hasPrefix(Self.dnsGroup) && graph.isExisting($0) })
            let blob = try #require(graph.resource(ResourceID(Self.dnsGroup + "privatelink.blob.core.windows.net"), as: PrivateDnsZone.self))
            #expect(blob.virtualNetworkLinks.map(\.virtualNetwork.name) == (linked ? ["vnet-hub", "vnet-lz"] : ["vnet-hub"]))
        }
    }

    /// The central firewall at its address, its policy holding exactly this workspace's group, whose sources are the
    /// spoke's routed subnets; all existing.
    @Test func platformFirewallHoldsTheGeneratedGroup() throws {
        let graph = try design(Self.yaml()).graph
        let firewall = try #require(graph.resource(ResourceID(Self.platform + "/azureFirewalls/afw-hub"), as: AzureFirewall.self))
        #expect(firewall.privateIPAddress?.description == "10.60.0.4")
        #expect(graph.isExisting(firewall.id))
        let policy = try #require(graph.resource(firewall.firewallPolicy, as: FirewallPolicy.self))
        #expect(graph.isExisting(policy.id))
        #expect(policy.ruleCollectionGroups.map(\.name) == ["aml-lz"])
        #expect(policy.ruleCollectionGroups.first?.priority == 1000)
        let collections = try #require(policy.ruleCollectionGroups.first).ruleCollections
        #expect(collections.map(\.name) == ["aml-service-tags", "aml-fqdns", "packages", "studio"])
        #expect(collections.map(\.priority) == [100, 200, 300, 400])
        let spokePrefixes = Set(graph.all(Subnet.self).filter { !graph.isExisting($0.id) }.flatMap(\.addressPrefixes).map(\.description))
        let sources = Set(collections.flatMap(\.rules).flatMap { rule -> [String] in
            switch rule {
            case .network(let r): r.sourceAddresses
            case .application(let r): r.sourceAddresses
            case .nat(let r): r.sourceAddresses
            }
        })
        #expect(!sources.isEmpty && sources.isSubset(of: spokePrefixes))
    }

    /// Strict errors, each at its key path.
    @Test(arguments: [
        ("virtualNetworks/vnet-hub", "virtualNetworks/", "landingZone.hub.virtualNetworkId"),
        ("/subscriptions/0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9/resourceGroups/rg-connectivity/providers/Microsoft.Network/azureFirewalls",
         "/subscriptions/not-a-guid/resourceGroups/rg-connectivity/providers/Microsoft.Network/azureFirewalls", "landingZone.firewall.id"),
        ("privateIp: 10.60.0.4", "privateIp: 10.70.0.4", "landingZone.firewall.privateIp"),
        ("addressSpace: 10.60.4.0/22", "addressSpace: 10.60.0.0/21", "landingZone.addressSpace"),
        ("resolverInboundIp: 10.60.1.4", "resolverInboundIp: 192.168.1.4", "landingZone.dns.resolverInboundIp"),
        ("providers/Microsoft.Network/firewallPolicies", "providers/Microsoft.Network/firewallPolicy", "landingZone.firewall.policyId"),
    ])
    func invalidValuesAreLocated(_ change: (String, String, String)) {
        #expect(errorPaths(Self.yaml(replacing: [(change.0, change.1)])).contains(change.2))
    }

    @Test func missingPlatformZoneIsNamed() {
        let (_, diagnostics) = SpecLoader().design(yaml: Self.yaml(zones: Self.zones.filter { $0 != "privatelink.azurecr.io" }), file: "lz.yaml")
        let error = diagnostics.errors.first { $0.location?.path == "landingZone.dns.privateDnsZones" }
        #expect(error?.message.contains("privatelink.azurecr.io") == true)
    }

    @Test(arguments: [
        ("firewall:\n  enabled: true", "firewall.enabled"),
        ("access:\n  bastion:\n    enabled: true", "access.bastion.enabled"),
        ("network:\n  dnsServers: [10.0.0.53]", "network.dnsServers"),
        ("network:\n  addressSpace: 10.61.0.0/24", "network.addressSpace"),
    ])
    func platformPiecesAreNotDeployedAgain(_ extra: (String, String)) {
        #expect(errorPaths(Self.yaml(extra: extra.0)).contains(extra.1))
    }

    @Test func bothHubKindsAreRejected() {
        let text = Self.yaml(replacing: [("  firewall:\n", "  virtualHub:\n    id: \(Self.platform)/virtualHubs/vhub\n    addressPrefix: 10.100.0.0/23\n  firewall:\n")])
        #expect(errorPaths(text).contains("landingZone.virtualHub"))
    }

    /// Virtual WAN with routing intent: the secured hub's firewall at its hub address, the spoke and the resolver's
    /// VNet connected to the hub, internet and private traffic to the firewall
    /// (https://learn.microsoft.com/azure/virtual-wan/how-to-routing-policies); the spoke has no peering and no
    /// route table, and its DNS server is the resolver.
    @Test func virtualWANSpokeWithRoutingIntent() throws {
        let url = URL(fileURLWithPath: Paths.example("landing-zone-vwan.yaml"))
        let graph = try design(try String(contentsOf: url, encoding: .utf8)).graph
        let hub = try #require(graph.all(VirtualHub.self).first)
        #expect(graph.isExisting(hub.id))
        #expect(hub.virtualNetworkConnections.map(\.remoteVirtualNetwork.name) == ["vnet-mlvwan", "vnet-dns-westeurope"])
        #expect(hub.virtualNetworkConnections.allSatisfy { $0.enableInternetSecurity })
        let firewall = try #require(graph.all(AzureFirewall.self).first)
        #expect(firewall.virtualHub == hub.id && firewall.hubPrivateIPAddress?.description == "10.80.0.132")
        #expect(hub.routingIntent?.nextHop(for: .internet) == firewall.id && hub.routingIntent?.nextHop(for: .privateTraffic) == firewall.id)
        let spoke = try #require(graph.all(VirtualNetwork.self).first { !graph.isExisting($0.id) })
        #expect(spoke.peerings.isEmpty)
        #expect(spoke.dnsServers.map(\.description) == ["10.80.4.4"])
        #expect(graph.all(RouteTable.self).isEmpty)
        #expect(graph.deployable.all(VirtualHub.self).isEmpty && graph.deployable.all(AzureFirewall.self).isEmpty)
    }

    /// Without routing intent the spoke routes 0.0.0.0/0 to the hub firewall itself.
    @Test func virtualWANWithoutRoutingIntentKeepsTheRouteTable() throws {
        let url = URL(fileURLWithPath: Paths.example("landing-zone-vwan.yaml"))
        let text = try String(contentsOf: url, encoding: .utf8).replacingOccurrences(of: "routingIntent: true", with: "routingIntent: false")
        let graph = try design(text).graph
        #expect(graph.all(VirtualHub.self).first?.routingIntent == nil)
        let table = try #require(graph.all(RouteTable.self).first)
        #expect(table.routes.map { "\($0.destination) \($0.nextHopIPAddress?.description ?? "")" } == ["0.0.0.0/0 10.80.0.132"])
    }
}
