import PalisadeModel

/// An existing enterprise landing zone the environment joins as a spoke: the platform team's hub (a hub VNet or a
/// Virtual WAN hub), its central firewall, its private DNS zones and DNS Private Resolver, and the address space the
/// platform allotted. The design then creates only the spoke; what the spec says about the platform is kept in the
/// graph as existing resources, so the proofs run over spoke and hub together while renderers emit only the spoke.
public struct LandingZoneSpec: Sendable, Hashable, Decodable {
    /// The address space the platform allotted to this spoke; the spoke VNet's address space.
    public var addressSpace: IPv4Prefix
    /// The hub VNet (hub-and-spoke topology).
    public var hub: HubNetworkSpec?
    /// The Virtual WAN hub (Virtual WAN topology).
    public var virtualHub: VirtualHubSpec?
    /// The central Azure Firewall.
    public var firewall: CentralFirewallSpec
    /// The platform's DNS: resolver inbound address and private DNS zones.
    public var dns: PlatformDnsSpec

    enum CodingKeys: String, SpecKeys { case addressSpace, hub, virtualHub, firewall, dns }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.specContainer(CodingKeys.self)
        addressSpace = try c.decode(IPv4Prefix.self, forKey: .addressSpace)
        hub = try c.decodeIfPresent(HubNetworkSpec.self, forKey: .hub)
        virtualHub = try c.decodeIfPresent(VirtualHubSpec.self, forKey: .virtualHub)
        firewall = try c.decode(CentralFirewallSpec.self, forKey: .firewall)
        dns = try c.decode(PlatformDnsSpec.self, forKey: .dns)
    }
}

/// The platform's hub VNet, by resource ID, with what the spoke's proofs need to know of it.
public struct HubNetworkSpec: Sendable, Hashable, Decodable {
    /// The hub VNet's resource ID.
    public var virtualNetworkId: String
    /// The hub VNet's address space.
    public var addressSpace: [IPv4Prefix]
    /// Whether the hub has a VPN or ExpressRoute gateway the spoke uses (gateway transit).
    public var gateway: Bool
    /// The name of the spoke-side peering; `peer-<name>-to-hub` when absent.
    public var peeringName: String?

    enum CodingKeys: String, SpecKeys { case virtualNetworkId, addressSpace, gateway, peeringName }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.specContainer(CodingKeys.self)
        virtualNetworkId = try c.decode(String.self, forKey: .virtualNetworkId)
        addressSpace = try c.decode([IPv4Prefix].self, forKey: .addressSpace)
        gateway = try c.value(.gateway, or: false)
        peeringName = try c.decodeIfPresent(String.self, forKey: .peeringName)
    }
}

/// A Virtual WAN hub the spoke connects to.
public struct VirtualHubSpec: Sendable, Hashable, Decodable {
    /// The virtual hub's resource ID.
    public var id: String
    /// The hub's address prefix.
    public var addressPrefix: IPv4Prefix
    /// Whether routing intent sends internet and private traffic through the secured hub's firewall (then the spoke
    /// needs no route table: the hub programs the routes).
    public var routingIntent: Bool

    enum CodingKeys: String, SpecKeys { case id, addressPrefix, routingIntent }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.specContainer(CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        addressPrefix = try c.decode(IPv4Prefix.self, forKey: .addressPrefix)
        routingIntent = try c.value(.routingIntent, or: true)
    }
}

/// The central firewall: where the spoke routes, and whose policy takes this workspace's rule collection group.
public struct CentralFirewallSpec: Sendable, Hashable, Decodable {
    /// The firewall's resource ID.
    public var id: String
    /// The firewall's private IP (the next hop of the spoke's default route).
    public var privateIp: IPv4Address
    /// The firewall policy's resource ID; the platform team adds the generated rule collection group to it.
    public var policyId: String
    /// The priority of this workspace's rule collection group in the platform policy.
    public var ruleCollectionGroupPriority: Int

    enum CodingKeys: String, SpecKeys { case id, privateIp, policyId, ruleCollectionGroupPriority }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.specContainer(CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        privateIp = try c.decode(IPv4Address.self, forKey: .privateIp)
        policyId = try c.decode(String.self, forKey: .policyId)
        ruleCollectionGroupPriority = try c.value(.ruleCollectionGroupPriority, or: 1000)
    }
}

/// The platform's DNS.
public struct PlatformDnsSpec: Sendable, Hashable, Decodable {
    /// The DNS Private Resolver inbound endpoint's address: the spoke VNet's DNS server.
    public var resolverInboundIp: IPv4Address
    /// The VNet of the resolver's inbound endpoint, when it is not the hub VNet (required with Virtual WAN).
    public var resolverVirtualNetwork: ResolverNetworkSpec?
    /// The platform-owned private DNS zones, by resource ID.
    public var privateDnsZones: [String]
    /// Whether the platform's Azure Policy links every platform zone to new spoke VNets.
    public var linkedByPolicy: Bool

    enum CodingKeys: String, SpecKeys { case resolverInboundIp, resolverVirtualNetwork, privateDnsZones, linkedByPolicy }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.specContainer(CodingKeys.self)
        resolverInboundIp = try c.decode(IPv4Address.self, forKey: .resolverInboundIp)
        resolverVirtualNetwork = try c.decodeIfPresent(ResolverNetworkSpec.self, forKey: .resolverVirtualNetwork)
        privateDnsZones = try c.decode([String].self, forKey: .privateDnsZones)
        linkedByPolicy = try c.value(.linkedByPolicy, or: false)
    }
}

/// The VNet that holds the DNS Private Resolver's inbound endpoint.
public struct ResolverNetworkSpec: Sendable, Hashable, Decodable {
    /// The VNet's resource ID.
    public var id: String
    /// Its address space.
    public var addressSpace: [IPv4Prefix]

    enum CodingKeys: String, SpecKeys { case id, addressSpace }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.specContainer(CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        addressSpace = try c.decode([IPv4Prefix].self, forKey: .addressSpace)
    }
}
