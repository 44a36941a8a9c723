/// An on-premises site as Azure knows it: the VPN device's address and the prefixes behind it
/// (https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-howto-site-to-site-resource-manager-portal,
/// docs/semantics.md#on-premises-networks).
public struct LocalNetworkGateway: AzureResource {
    public static let resourceType = ResourceType.localNetworkGateway
    public let id: ResourceID
    public var location: String?
    public var tags: [String: String] = [:]
    public var source: SourceLocation?
    /// The on-premises VPN device's public address (`gatewayIpAddress`), when given as an address.
    public var gatewayIPAddress: String?
    /// The device's DNS name (`fqdn`), when given instead of an address.
    public var fqdn: String?
    /// The on-premises prefixes (`localNetworkAddressSpace.addressPrefixes`).
    public var addressPrefixes: [IPv4Prefix] = []
    /// The on-premises BGP speaker's ASN, when BGP is used.
    public var bgpASN: Int?
    /// The on-premises BGP peer address, when BGP is used.
    public var bgpPeeringAddress: String?

    /// Creates a local network gateway.
    public init(id: ResourceID, location: String? = nil) {
        self.id = id
        self.location = location
    }

    public var references: [ResourceID] { [] }
    public var asResource: Resource { .localNetworkGateway(self) }
    public static func extract(_ resource: Resource) -> Self? {
        if case .localNetworkGateway(let value) = resource { return value }
        return nil
    }
}

/// A connection of a virtual network gateway: a site-to-site tunnel to a local network gateway, an ExpressRoute
/// circuit, or another gateway (https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-about-vpn-gateway-settings#connection,
/// docs/semantics.md#on-premises-networks).
public struct VirtualNetworkGatewayConnection: AzureResource {
    public static let resourceType = ResourceType.virtualNetworkGatewayConnection
    public let id: ResourceID
    public var location: String?
    public var tags: [String: String] = [:]
    public var source: SourceLocation?
    /// `IPsec`, `ExpressRoute`, `Vnet2Vnet` or `VPNClient`.
    public var connectionType = "IPsec"
    /// The Azure side's gateway (`virtualNetworkGateway1`).
    public var virtualNetworkGateway: ResourceID?
    /// The on-premises site of an `IPsec` connection (`localNetworkGateway2`).
    public var localNetworkGateway: ResourceID?
    /// The other gateway of a `Vnet2Vnet` connection (`virtualNetworkGateway2`).
    public var remoteVirtualNetworkGateway: ResourceID?
    /// The ExpressRoute circuit of an `ExpressRoute` connection (`peer`).
    public var expressRouteCircuit: ResourceID?
    /// Whether BGP runs over the connection.
    public var enableBgp = false
    /// Prefixes the other side advertises, as declared by whoever describes the estate: ExpressRoute and BGP
    /// routes are learned at run time and appear in no template, so a spec or snapshot may state them here.
    public var declaredRemotePrefixes: [IPv4Prefix] = []

    /// Creates a connection.
    public init(id: ResourceID, location: String? = nil) {
        self.id = id
        self.location = location
    }

    public var references: [ResourceID] {
        [virtualNetworkGateway, localNetworkGateway, remoteVirtualNetworkGateway].compactMap { $0 }
    }
    public var asResource: Resource { .virtualNetworkGatewayConnection(self) }
    public static func extract(_ resource: Resource) -> Self? {
        if case .virtualNetworkGatewayConnection(let value) = resource { return value }
        return nil
    }
}
