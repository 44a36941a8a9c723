import PalisadeModel

/// The spoke's side of an existing landing zone, and the platform as the spec declares it.
///
/// The platform's resources (hub VNet, the central firewall and its policy, the private DNS zones) go into the
/// graph marked existing: the engine and the rules see them, so the proofs run across spoke and hub, and renderers
/// leave them out. The firewall policy holds exactly the rule collection group this workspace needs, which the
/// renderers write as a separate artefact for the platform team.
extension GraphBuilder {
    /// The name of this workspace's rule collection group in the platform's firewall policy.
    var platformRuleCollectionGroupName: String { "aml-\(spec.name)" }

    /// The spoke-side peering to the hub (hub-and-spoke). The spoke accepts traffic the hub forwards (the central
    /// firewall forwards traffic from on-premises and other spokes:
    /// https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-peering#create-a-peering) and uses
    /// the hub's gateway when the hub has one (gateway transit:
    /// https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-peering-gateway-transit). A spoke never offers
    /// gateway transit.
    func spokePeering(_ landingZone: LandingZoneSpec) -> VirtualNetworkPeering? {
        guard let hub = landingZone.hub else { return nil }
        var peering = VirtualNetworkPeering(name: hub.peeringName ?? "peer-\(spec.name)-to-hub",
                                            remoteVirtualNetwork: ResourceID(hub.virtualNetworkId))
        peering.allowVirtualNetworkAccess = true
        peering.allowForwardedTraffic = true
        peering.allowGatewayTransit = false
        peering.useRemoteGateways = hub.gateway
        return peering
    }

    /// The name of the spoke's hub virtual network connection (Virtual WAN).
    var spokeConnectionName: String { "conn-\(naming.virtualNetwork.name)" }

    /// The platform zone for a zone name (the last segment of a declared zone ID), if declared.
    func platformZone(_ zoneName: String) -> ResourceID? {
        spec.landingZone?.dns.privateDnsZones.map(ResourceID.init).first { $0.name.lowercased() == zoneName.lowercased() }
    }

    /// One rule collection group holding every collection the standalone design puts on its own firewall policy,
    /// renumbered so they keep their order inside the group.
    func platformRuleCollectionGroup(priority: Int) -> FirewallRuleCollectionGroup {
        let collections = amlRuleCollectionGroups(basePriority: 0).flatMap(\.ruleCollections).enumerated().map { index, collection in
            var renumbered = collection
            renumbered.priority = 100 * (index + 1)
            return renumbered
        }
        return FirewallRuleCollectionGroup(name: platformRuleCollectionGroupName, priority: priority, ruleCollections: collections)
    }

    /// The platform as declared, marked existing: the hub VNet with its side of the peering and the firewall subnet,
    /// the central firewall at its private IP, its policy holding this workspace's rule collection group, and the
    /// platform zones the workspace uses, linked to the resolver's VNet (and to the spoke when the platform's policy
    /// links every zone to new spokes). Run after every spoke resource exists.
    mutating func addLandingZone() {
        guard let landingZone = spec.landingZone else { return }
        var existing: [ResourceID] = []
        func describe<T: AzureResource>(_ resource: T) {
            graph.insert(resource)
            existing.append(resource.id)
        }

        if let hub = landingZone.hub {
            var vnet = VirtualNetwork(id: ResourceID(hub.virtualNetworkId), location: location)
            vnet.addressSpace = hub.addressSpace
            var back = VirtualNetworkPeering(name: "peer-hub-to-\(spec.name)", remoteVirtualNetwork: naming.virtualNetwork)
            back.allowForwardedTraffic = true
            back.allowGatewayTransit = hub.gateway
            vnet.peerings = [back]
            describe(vnet)

            // AzureFirewallSubnet is a /26 (https://learn.microsoft.com/azure/firewall/firewall-faq#why-does-azure-firewall-need-a--26-subnet-size),
            // so the one holding the firewall's address is the /26 around it.
            var subnet = Subnet(id: vnet.id.child("subnets", SpecialSubnet.firewall.rawValue))
            subnet.addressPrefixes = [IPv4Prefix(landingZone.firewall.privateIp, length: 26)]
            describe(subnet)

            var firewall = AzureFirewall(id: ResourceID(landingZone.firewall.id), location: location)
            let configuration = IPConfiguration(name: "ipconfig", subnet: subnet.id, privateIPAddress: landingZone.firewall.privateIp)
            firewall.ipConfigurations = [configuration]
            firewall.firewallPolicy = ResourceID(landingZone.firewall.policyId)
            firewall.threatIntelMode = .deny
            describe(firewall)
        }

        if let virtualHub = landingZone.virtualHub {
            // A secured virtual hub: the firewall sits in the hub (AZFW_Hub) at its hub private address, the spoke
            // (and the resolver's VNet) are connected to the hub, and routing intent sends internet and private
            // traffic through the firewall (https://learn.microsoft.com/azure/virtual-wan/how-to-routing-policies).
            var hub = VirtualHub(id: ResourceID(virtualHub.id), location: location)
            hub.addressPrefix = virtualHub.addressPrefix
            hub.azureFirewall = ResourceID(landingZone.firewall.id)
            var connections = [HubVirtualNetworkConnection(name: spokeConnectionName, remoteVirtualNetwork: naming.virtualNetwork)]
            if let resolver = landingZone.dns.resolverVirtualNetwork {
                connections.append(HubVirtualNetworkConnection(name: "conn-\(ResourceID(resolver.id).name)", remoteVirtualNetwork: ResourceID(resolver.id)))
            }
            // "Propagate Default Route" on: the hub's 0.0.0.0/0 (routing intent's Internet policy) reaches the VNets;
            // it is off when omitted in the REST API and azurerm, so the connection states it.
            // https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/virtual_hub_connection (internet_security_enabled)
            hub.virtualNetworkConnections = connections.map { connection in
                var propagating = connection
                propagating.enableInternetSecurity = true
                return propagating
            }
            if virtualHub.routingIntent {
                hub.routingIntent = RoutingIntent(name: "routing-intent", policies: [
                    RoutingIntent.Policy(name: "internet", destinations: [.internet], nextHop: ResourceID(landingZone.firewall.id)),
                    RoutingIntent.Policy(name: "private", destinations: [.privateTraffic], nextHop: ResourceID(landingZone.firewall.id)),
                ])
            }
            describe(hub)

            var firewall = AzureFirewall(id: ResourceID(landingZone.firewall.id), location: location)
            firewall.skuName = "AZFW_Hub"
            firewall.virtualHub = hub.id
            firewall.hubPrivateIPAddress = landingZone.firewall.privateIp
            firewall.firewallPolicy = ResourceID(landingZone.firewall.policyId)
            firewall.threatIntelMode = .deny
            describe(firewall)
        }

        var policy = FirewallPolicy(id: ResourceID(landingZone.firewall.policyId), location: location)
        policy.threatIntelMode = .deny
        policy.ruleCollectionGroups = [platformRuleCollectionGroup(priority: landingZone.firewall.ruleCollectionGroupPriority)]
        describe(policy)

        let resolverNetwork: ResourceID?
        if let declared = landingZone.dns.resolverVirtualNetwork {
            var vnet = VirtualNetwork(id: ResourceID(declared.id), location: location)
            vnet.addressSpace = declared.addressSpace
            describe(vnet)
            resolverNetwork = vnet.id
        } else {
            resolverNetwork = landingZone.hub.map { ResourceID($0.virtualNetworkId) }
        }

        let used = Set(graph.all(PrivateEndpoint.self).flatMap { $0.privateDnsZoneGroup?.zones ?? [] })
        for zoneID in used.sorted() {
            var zone = PrivateDnsZone(id: zoneID)
            var links: [VirtualNetworkLink] = []
            if let resolverNetwork { links.append(VirtualNetworkLink(name: "link-\(resolverNetwork.name)", virtualNetwork: resolverNetwork)) }
            if landingZone.dns.linkedByPolicy {
                links.append(VirtualNetworkLink(name: "link-\(naming.virtualNetwork.name)", virtualNetwork: naming.virtualNetwork))
            }
            zone.virtualNetworkLinks = links
            describe(zone)
        }
        graph.existing.formUnion(existing)
    }
}
