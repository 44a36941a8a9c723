import PalisadeModel

/// Switches for the documented open points and [OBS]/[ASSUME] rules (docs/engine-decisions.md).
public struct NetworkOptions: Sendable, Hashable {
    /// How the `VirtualNetwork` tag is expanded (docs/semantics.md#virtualnetwork-tag).
    public enum VirtualNetworkTagReading: String, Sendable, Hashable, Codable, CaseIterable {
        /// Per subnet from its effective routes: VnetLocal, VNetPeering and VirtualNetworkGateway prefixes,
        /// every UDR prefix, and 168.63.129.16 (docs/semantics.md#virtualnetwork-tag [OBS]/[ASSUME]).
        case routeDerived
        /// The narrow doc reading: VNet space + peers + gateway/on-prem prefixes + 168.63.129.16.
        case narrow
    }

    /// Which `None` system routes exist (docs/semantics.md#system-routes).
    public enum NoneRoutes: String, Sendable, Hashable, Codable, CaseIterable {
        /// The four documented ranges 10/8, 172.16/12, 192.168/16, 100.64/10 (docs/semantics.md#system-routes).
        case documented
        /// What effective-route outputs show: 10/8, 100.64/10, 192.168/16, 25.33.80.0/20, 25.41.3.0/25 (docs/semantics.md#system-routes [OBS]).
        case observed
        /// No None routes: over-approximates reachability (sound for "cannot reach" proofs).
        case omitted
    }

    /// How a point-to-site VPN client resolves names (docs/semantics.md#azure-dns-inside-vnet, #hosts-file, #vpn-client-dns).
    public enum VPNClientDNS: String, Sendable, Hashable, Codable, CaseIterable {
        /// A public resolver: the public CNAME chain (docs/semantics.md#azure-dns-inside-vnet).
        case publicResolver
        /// A hosts file generated from the model's private endpoints (docs/semantics.md#hosts-file).
        case hostsFile
        /// A resolver inside the gateway's VNet (DNS Private Resolver inbound endpoint or forwarder, docs/semantics.md#vpn-client-dns).
        case virtualNetworkResolver
    }

    /// Service-tag data; `.symbolic` keeps tags as named atoms.
    public var serviceTags: ServiceTagCatalog = .symbolic
    /// `VirtualNetwork` tag reading (docs/semantics.md#virtualnetwork-tag).
    public var virtualNetworkTag: VirtualNetworkTagReading = .routeDerived
    /// None routes (docs/semantics.md#system-routes).
    public var noneRoutes: NoneRoutes = .documented
    /// Whether a user `0.0.0.0/0` route removes the None system routes, as the UDR doc example shows (docs/semantics.md#system-routes [OBS]).
    public var userDefaultRouteRemovesNoneRoutes = true
    /// Whether an NSG rule with protocol `*` covers ESP and AH (docs/semantics.md#nsg-protocols [ASSUME]; default yes).
    public var nsgAnyCoversIPsec = true
    /// Whether a service tag used as a UDR prefix is excluded from `AllowInternetOutBound` (docs/semantics.md#service-tags-in-routes [OBS]; default off).
    public var udrTagsOutsideInternetTag = false
    /// How VPN clients resolve names.
    public var vpnClientDNS: VPNClientDNS = .publicResolver
    /// Whether names of PaaS resources outside the model are assumed to have private endpoints elsewhere,
    /// so their public CNAME points into `privatelink.*` (docs/semantics.md#private-dns-nxdomain, #private-link-cname). Off: they resolve publicly (sound for
    /// "cannot reach" proofs).
    public var assumeExternalNamesHavePrivateLink = false
    /// Maximum forwarding steps before a trace is declared a loop.
    public var maximumHops = 12

    /// Default options.
    public init() {}
}
