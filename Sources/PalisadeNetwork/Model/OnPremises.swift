import PalisadeModel

/// An on-premises network a virtual network gateway reaches: a site-to-site VPN site (a local network gateway and
/// its connection) or the networks behind an ExpressRoute circuit (docs/semantics.md#on-premises-networks).
public struct OnPremisesSite: Sendable, Hashable {
    /// The site's name: the local network gateway, or the connection for ExpressRoute.
    public var name: String
    /// `site-to-site VPN` or `ExpressRoute`.
    public var kind: String
    /// The prefixes behind the site (the local network gateway's address space, and any declared BGP routes).
    public var prefixes: [IPv4Prefix]
    /// Whether the site is the gateway's default site (forced tunnelling, docs/semantics.md#forced-tunnelling).
    public var isDefaultSite: Bool
}

extension ResourceGraph {
    /// The sites a gateway VNet's gateways reach over their connections, in resource-ID order
    /// (https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-about-vpn-gateway-settings#connection).
    func onPremisesSites(gatewayVirtualNetwork vnet: ResourceID) -> [OnPremisesSite] {
        let gateways = all(VirtualNetworkGateway.self).filter { $0.ipConfigurations.compactMap(\.subnet).first?.parent == vnet }
        guard !gateways.isEmpty else { return [] }
        let gatewayIDs = Set(gateways.map(\.id))
        let defaultSites = Set(gateways.compactMap(\.gatewayDefaultSite))
        var sites: [OnPremisesSite] = []
        for connection in all(VirtualNetworkGatewayConnection.self).sorted(by: { $0.id < $1.id }) {
            guard let gateway = connection.virtualNetworkGateway, gatewayIDs.contains(gateway) else { continue }
            switch connection.connectionType.lowercased() {
            case "ipsec":
                let local = resource(connection.localNetworkGateway, as: LocalNetworkGateway.self)
                sites.append(OnPremisesSite(name: local?.name ?? connection.localNetworkGateway?.name ?? connection.name,
                                            kind: "site-to-site VPN",
                                            prefixes: (local?.addressPrefixes ?? []) + connection.declaredRemotePrefixes,
                                            isDefaultSite: connection.localNetworkGateway.map(defaultSites.contains) ?? false))
            case "expressroute":
                sites.append(OnPremisesSite(name: connection.name, kind: "ExpressRoute", prefixes: connection.declaredRemotePrefixes,
                                            isDefaultSite: false))
            default:
                continue
            }
        }
        return sites
    }

    /// Whether any connection of a gateway in `vnet` is modelled (then the gateway's destinations are known).
    func hasModelledConnections(gatewayVirtualNetwork vnet: ResourceID) -> Bool {
        let gatewayIDs = Set(all(VirtualNetworkGateway.self).filter { $0.ipConfigurations.compactMap(\.subnet).first?.parent == vnet }.map(\.id))
        return all(VirtualNetworkGatewayConnection.self).contains { $0.virtualNetworkGateway.map(gatewayIDs.contains) ?? false }
    }
}

extension NetworkModelBuilder {
    /// Routes a subnet learns from its gateway (its own VNet's, or a peer's through gateway transit): each site's
    /// prefixes, and `0.0.0.0/0` when the gateway has a default site (forced tunnelling). Next hop
    /// VirtualNetworkGateway, origin gateway; the caller leaves them out where route propagation is disabled
    /// (docs/semantics.md#on-premises-networks, #forced-tunnelling, #gateway-route-propagation).
    func onPremisesRoutes(gatewayVirtualNetwork vnet: ResourceID, local: AddressSet) -> [EffectiveRoute] {
        var routes: [EffectiveRoute] = []
        for site in graph.onPremisesSites(gatewayVirtualNetwork: vnet) {
            var prefixes = site.prefixes
            if site.isDefaultSite { prefixes.append(IPv4Prefix("0.0.0.0/0")!) }
            for prefix in prefixes {
                // docs/semantics.md#udr-longest-prefix-match: VNet and peering routes beat gateway routes even when less specific.
                routes.append(EffectiveRoute(name: "Gateway \(site.name) \(prefix)", origin: .virtualNetworkGateway,
                                             addressPrefix: prefix.description,
                                             addresses: AddressSet.prefixes([prefix]).subtracting(local),
                                             nextHop: .virtualNetworkGateway, active: true, tieClass: 6,
                                             prefixLength: prefix.length))
            }
        }
        return routes
    }
}

extension NetworkModel {
    /// The gateway VNet a VNet's gateway routes lead to: its own, or a peer's through gateway transit (docs/semantics.md#gateway-transit).
    func servingGatewayVirtualNetwork(for vnet: ResourceID) -> ResourceID? {
        let gatewayVNets = Set(graph.all(VirtualNetworkGateway.self).compactMap { $0.ipConfigurations.compactMap(\.subnet).first?.parent })
        if gatewayVNets.contains(vnet) { return vnet }
        return virtualNetworks[vnet]?.peerings.sorted { $0.remoteVirtualNetwork < $1.remoteVirtualNetwork }.first { peering in
            peering.useRemoteGateways && gatewayVNets.contains(peering.remoteVirtualNetwork)
                && (self.peering(from: peering.remoteVirtualNetwork, to: vnet)?.allowGatewayTransit ?? false)
        }?.remoteVirtualNetwork
    }

    /// What the gateway serving `vnet` delivers: nil when none of its connections is modelled (everything is handed
    /// over, as before connections were read), else the sites' prefixes (everything with a default site).
    func gatewayDeliverable(from vnet: ResourceID) -> AddressSet? {
        guard let gatewayVNet = servingGatewayVirtualNetwork(for: vnet), graph.hasModelledConnections(gatewayVirtualNetwork: gatewayVNet) else { return nil }
        let sites = graph.onPremisesSites(gatewayVirtualNetwork: gatewayVNet)
        if sites.contains(where: \.isDefaultSite) { return .all }
        return AddressSet.prefixes(sites.flatMap(\.prefixes))
    }

    /// The on-premises site a gateway hands `address` to, most specific prefix first, then the default site.
    func onPremisesSite(from vnet: ResourceID, for address: Address) -> OnPremisesSite? {
        guard let gatewayVNet = servingGatewayVirtualNetwork(for: vnet) else { return nil }
        let sites = graph.onPremisesSites(gatewayVirtualNetwork: gatewayVNet)
        var best: (site: OnPremisesSite, length: Int)?
        for site in sites {
            for prefix in site.prefixes where AddressSet.prefixes([prefix]).contains(address) && prefix.length > (best?.length ?? -1) {
                best = (site, prefix.length)
            }
        }
        return best?.site ?? sites.first(where: \.isDefaultSite)
    }
}
