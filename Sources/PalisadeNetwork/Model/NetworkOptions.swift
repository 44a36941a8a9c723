import PalisadeModel

/// Switches for the documented open points and [OBS]/[ASSUME] rules (docs/engine-decisions.md).
public struct NetworkOptions: Sendable, Hashable {
    /// How the `VirtualNetwork` tag is expanded (N20, §11 point 1).
    public enum VirtualNetworkTagReading: String, Sendable, Hashable, Codable, CaseIterable {
        /// Per subnet from its effective routes: VnetLocal, VNetPeering and VirtualNetworkGateway prefixes,
        /// every UDR prefix, and 168.63.129.16 (N20 [OBS]/[ASSUME]).
        case routeDerived
        /// The narrow doc reading: VNet space + peers + gateway/on-prem prefixes + 168.63.129.16.
        case narrow
    }

    /// Which `None` system routes exist (R1, R3, §11 point 3).
    public enum NoneRoutes: String, Sendable, Hashable, Codable, CaseIterable {
        /// The four documented ranges 10/8, 172.16/12, 192.168/16, 100.64/10 (R1).
        case documented
        /// What effective-route outputs show: 10/8, 100.64/10, 192.168/16, 25.33.80.0/20, 25.41.3.0/25 (R3 [OBS]).
        case observed
        /// No None routes: over-approximates reachability (sound for "cannot reach" proofs).
        case omitted
    }

    /// How a point-to-site VPN client resolves names (D3, D8, D9).
    public enum VPNClientDNS: String, Sendable, Hashable, Codable, CaseIterable {
        /// A public resolver: the public CNAME chain (D3).
        case publicResolver
        /// A hosts file generated from the model's private endpoints (D8).
        case hostsFile
        /// A resolver inside the gateway's VNet (DNS Private Resolver inbound endpoint or forwarder, D9).
        case virtualNetworkResolver
    }

    /// Service-tag data; `.symbolic` keeps tags as named atoms.
    public var serviceTags: ServiceTagCatalog = .symbolic
    /// `VirtualNetwork` tag reading (N20).
    public var virtualNetworkTag: VirtualNetworkTagReading = .routeDerived
    /// None routes (R1/R3).
    public var noneRoutes: NoneRoutes = .documented
    /// Whether a user `0.0.0.0/0` route removes the None system routes, as the UDR doc example shows (R3 [OBS]).
    public var userDefaultRouteRemovesNoneRoutes = true
    /// Whether an NSG rule with protocol `*` covers ESP and AH (N4 [ASSUME]; default yes).
    public var nsgAnyCoversIPsec = true
    /// Whether a service tag used as a UDR prefix is excluded from `AllowInternetOutBound` (N27 [OBS]; default off).
    public var udrTagsOutsideInternetTag = false
    /// How VPN clients resolve names.
    public var vpnClientDNS: VPNClientDNS = .publicResolver
    /// Whether names of PaaS resources outside the model are assumed to have private endpoints elsewhere,
    /// so their public CNAME points into `privatelink.*` (E9, D4, D5). Off: they resolve publicly (sound for
    /// "cannot reach" proofs).
    public var assumeExternalNamesHavePrivateLink = false
    /// Maximum forwarding steps before a trace is declared a loop.
    public var maximumHops = 12

    /// Default options.
    public init() {}
}
